"""Stories linked to the initiatives they come from, and "Contact the team behind this story"
through brokering's contact request (consent before any contact detail is shared)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from wipomatch.brokering import services as brokering
from wipomatch.brokering.permissions import contacts_released
from wipomatch.cooperation.tests.factories import initiative_team, make_initiative
from wipomatch.members.tests.factories import FocalPointFactory, MembershipFactory, UserFactory

from .. import services
from ..models import Status
from .factories import author_of, story_data, story_factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = initiative_team("BR")
    team["initiative"] = make_initiative(team, published=True)
    team["draft_initiative"] = make_initiative(team, title="Not yet published")
    return team


def test_story_links_the_published_initiatives_of_its_organisation(client, team):
    story = story_factory(
        organisation=team["org"],
        user=team["focal"],
        status=Status.PUBLISHED,
        initiatives=[team["initiative"].pk],
    )
    assert list(story.initiatives.all()) == [team["initiative"]]
    page = client.get(f"/en/stories/{story.pk}/").content.decode()
    assert f"/en/initiatives/{team['initiative'].pk}/" in page
    initiative_page = client.get(f"/en/initiatives/{team['initiative'].pk}/").content.decode()
    assert "Stories from this initiative" in initiative_page and story.title in initiative_page
    data = client.get(f"/api/v1/stories/{story.pk}/").json()
    assert data["initiatives"] == [
        {
            "id": team["initiative"].pk,
            "title": team["initiative"].title,
            "url": f"http://testserver/en/initiatives/{team['initiative'].pk}/",
            "api_url": f"http://testserver/api/v1/initiatives/{team['initiative'].pk}/",
        }
    ]


def test_drafts_and_other_organisations_initiatives_cannot_be_linked(team):
    with pytest.raises(ValidationError) as exc:
        story_factory(
            organisation=team["org"], user=team["focal"], initiatives=[team["draft_initiative"].pk]
        )
    assert "initiatives" in exc.value.message_dict
    with pytest.raises(ValidationError):
        story_factory(initiatives=[team["initiative"].pk])  # another organisation's story


@pytest.fixture
def published_story():
    story = story_factory(status=Status.PUBLISHED)
    FocalPointFactory(organisation=story.organisation)
    return story


def test_contact_request_goes_through_brokering_and_contacts_wait_for_consent(
    client, published_story
):
    story = published_story
    visitor = MembershipFactory().user
    client.force_login(visitor)
    page = client.get(f"/en/stories/{story.pk}/").content.decode()
    assert "Contact the team behind this story" in page and 'name="message"' in page
    mail.outbox.clear()
    response = client.post(
        f"/en/stories/{story.pk}/contact/", {"message": "We would like to learn from you."}
    )
    case = brokering.MatchCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/matches/{case.pk}/"
    assert case.kind == "contact" and case.subject == story
    assert case.receiving_organisation == story.organisation
    assert not contacts_released(case)
    # the team is told; no e-mail carries the other side's address before they accept
    assert mail.outbox
    for message in mail.outbox:
        assert visitor.email not in message.body
    case_page = client.get(f"/en/matches/{case.pk}/").content.decode()
    assert story.organisation.contact_email not in case_page
    # a second request about the same story is refused while the first is open
    again = client.post(f"/en/stories/{story.pk}/contact/", {"message": "Hello again"})
    assert again.status_code == 302
    assert brokering.MatchCase.objects.count() == 1
    # the story page now points to the open request
    assert f"/en/matches/{case.pk}/" in client.get(f"/en/stories/{story.pk}/").content.decode()
    # the team accepts: the contacts are released and a conversation may start
    focal = story.organisation.memberships.filter(role="focal_point").first().user
    brokering.match_accept(user=focal, case=case, message="Happy to talk")
    case.refresh_from_db()
    assert contacts_released(case)


def test_who_may_contact_the_team(published_story):
    story = published_story
    author = author_of(story.organisation)
    with pytest.raises(PermissionDenied):
        services.story_contact_team(user=author, story=story, message="Hi")  # own team
    with pytest.raises(PermissionDenied):
        services.story_contact_team(user=UserFactory(), story=story, message="Hi")  # not member
    draft = story_factory()
    with pytest.raises(PermissionDenied):
        services.story_contact_team(user=MembershipFactory().user, story=draft, message="Hi")
    with pytest.raises(ValidationError):
        services.story_contact_team(user=MembershipFactory().user, story=story, message="   ")


def test_anonymous_visitor_is_asked_to_sign_in(client, published_story):
    page = client.get(f"/en/stories/{published_story.pk}/").content.decode()
    assert "Contact the team behind this story" in page and "/accounts/login/" in page
    response = client.post(f"/en/stories/{published_story.pk}/contact/", {"message": "Hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_story_data_initiatives_default_to_none():
    assert story_data().initiatives == []


def test_sitemap_lists_published_initiatives_only(client, team):
    from lxml import etree

    root = etree.fromstring(client.get("/sitemap.xml").content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {u.findtext(f"{ns}loc") for u in root.findall(f"{ns}url")}
    assert f"http://testserver/fr/initiatives/{team['initiative'].pk}/" in locations
    assert f"http://testserver/fr/initiatives/{team['draft_initiative'].pk}/" not in locations
    assert "http://testserver/en/initiatives/" in locations
