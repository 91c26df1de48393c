"""The editorial workflow, its permission matrix, the audit trail and the e-mails."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wipomatch.core.audit import audit_trail_for
from wipomatch.members.tests.factories import FacilitatorFactory, MembershipFactory, UserFactory

from .. import services
from ..models import Status
from ..permissions import story_allowed_actions
from .factories import author_of, story_data, story_factory

pytestmark = pytest.mark.django_db


def test_member_writes_submits_and_facilitator_publishes_with_audit_and_emails():
    facilitator = FacilitatorFactory(preferred_language="fr")
    story = story_factory()
    author = author_of(story.organisation)
    assert story.status == Status.DRAFT
    services.story_submit(user=author, story=story)
    services.story_publish(facilitator=facilitator, story=story, comment="Bravo")
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.published_at is not None
    events = list(audit_trail_for(story).order_by("created_at", "id"))
    assert [e.action for e in events] == ["created", "submitted", "published"]
    assert events[-1].from_state == "submitted" and events[-1].to_state == "published"
    assert events[-1].data == {"language": "en"}
    to_review = [m for m in mail.outbox if facilitator.email in m.to]
    assert [m.subject for m in to_review] == [f"Récit à relire : {story.title}"]  # in French
    published = [m for m in mail.outbox if author.email in m.to]
    assert published and story.title in published[-1].subject
    assert reverse("stories:detail", args=[story.pk]) in published[-1].body


def test_changes_requested_needs_a_comment_and_returns_to_the_authors():
    story = story_factory()
    author = author_of(story.organisation)
    services.story_submit(user=author, story=story)
    facilitator = FacilitatorFactory()
    with pytest.raises(ValidationError):
        services.story_request_changes(facilitator=facilitator, story=story, comment="  ")
    services.story_request_changes(facilitator=facilitator, story=story, comment="Add figures")
    story.refresh_from_db()
    assert story.status == Status.CHANGES_REQUESTED and story.review_comment == "Add figures"
    assert "Add figures" in mail.outbox[-1].body
    assert "submit" in story_allowed_actions(author, story)
    services.story_submit(user=author, story=story)
    services.story_reject(facilitator=facilitator, story=story, reason="Advertising")
    story.refresh_from_db()
    assert story.status == Status.REJECTED
    assert story_allowed_actions(author, story) == frozenset()


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", set()),
        ("outsider", set()),
        ("author", {"add_version"}),  # under review: the text is frozen
        ("facilitator", {"edit", "manage_images", "publish", "request_changes", "reject"}),
    ],
)
def test_permission_matrix_on_a_submitted_story(who, expected, client):
    story = story_factory(status=Status.SUBMITTED)
    from django.contrib.auth.models import AnonymousUser

    users = {
        "anonymous": AnonymousUser(),
        "outsider": MembershipFactory().user,
        "author": author_of(story.organisation),
        "facilitator": FacilitatorFactory(),
    }
    user = users[who]
    assert story_allowed_actions(user, story) == expected
    # pages: a draft under review is hidden (404) from those who may not see it
    if who != "anonymous":
        client.force_login(user)
    detail = client.get(reverse("stories:detail", args=[story.pk]))
    assert detail.status_code == (200 if who in ("author", "facilitator") else 404)
    review = client.get(reverse("stories:review", args=[story.pk]))
    assert (
        review.status_code
        == {
            "anonymous": 302,
            "outsider": 403,
            "author": 403,
            "facilitator": 200,
        }[who]
    )


def test_outsider_and_author_cannot_publish_and_outsider_cannot_edit():
    story = story_factory(status=Status.SUBMITTED)
    author = author_of(story.organisation)
    outsider = MembershipFactory().user
    with pytest.raises(PermissionDenied):
        services.story_publish(facilitator=author, story=story)
    with pytest.raises(PermissionDenied):
        services.story_update(user=outsider, story=story, data=story_data(title="Hijacked title"))
    with pytest.raises(PermissionDenied):
        services.story_submit(user=outsider, story=story)


def test_a_person_without_an_approved_organisation_cannot_write(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("stories:create")).status_code == 403


def test_only_a_submitted_story_can_be_published():
    story = story_factory()
    with pytest.raises(ValidationError):
        services.story_publish(facilitator=FacilitatorFactory(), story=story)


def test_validation_messages_are_clear():
    story = story_factory()
    author = author_of(story.organisation)
    with pytest.raises(ValidationError) as exc:
        services.story_update(
            user=author,
            story=story,
            data=story_data(title="", body="short", themes=[], countries=["XX"]),
        )
    errors = exc.value.message_dict
    assert {"title", "body", "themes", "countries"} <= set(errors)


@pytest.mark.parametrize(
    "who, draft_codes, published_codes",
    [
        # (edit page, add version page, image upload) on a draft, then on a published story
        ("anonymous", (302, 302, 302), (302, 302, 302)),
        ("outsider", (404, 404, 404), (403, 403, 403)),
        ("author", (200, 200, 400), (200, 200, 400)),
        ("facilitator", (200, 403, 400), (200, 403, 400)),
    ],
)
def test_page_permission_matrix(client, who, draft_codes, published_codes):
    draft = story_factory()
    published = story_factory(status=Status.PUBLISHED, organisation=draft.organisation)
    users = {
        "outsider": MembershipFactory().user,
        "author": author_of(draft.organisation),
        "facilitator": FacilitatorFactory(),
    }
    if who in users:
        client.force_login(users[who])
    for story, codes in ((draft, draft_codes), (published, published_codes)):
        got = (
            client.get(f"/en/stories/{story.pk}/edit/").status_code,
            client.get(f"/en/stories/{story.pk}/versions/new/?language=fr").status_code,
            # an empty upload: 400 (the form says what is missing) for those allowed to upload
            client.post(f"/en/stories/{story.pk}/images/", {}).status_code,
        )
        assert got == codes, (who, story.status)


@pytest.mark.parametrize("who, code", [("anonymous", 302), ("member", 403), ("facilitator", 200)])
def test_review_queue_is_for_facilitators(client, who, code):
    if who == "member":
        client.force_login(MembershipFactory().user)
    elif who == "facilitator":
        client.force_login(FacilitatorFactory())
    assert client.get("/en/stories/review/").status_code == code


def test_outsider_cannot_submit_or_delete_pictures(client):
    story = story_factory()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import image_bytes

    image = services.story_image_add(
        user=author_of(story.organisation),
        story=story,
        upload=SimpleUploadedFile("a.png", image_bytes()),
        alt_text="A map",
    )
    client.force_login(MembershipFactory().user)
    assert client.post(f"/en/stories/{story.pk}/submit/").status_code == 404
    assert client.post(f"/en/stories/images/{image.pk}/delete/").status_code == 404
    story.refresh_from_db()
    assert story.status == Status.DRAFT and story.images.count() == 1
    client.force_login(author_of(story.organisation))
    assert client.post(f"/en/stories/images/{image.pk}/delete/").status_code == 302
    assert story.images.count() == 0
