"""Published content stays reviewed: a substantive change to a published listing waits as a
`ListingRevision` while the approved version stays public; small fields change at once; a
renewal republishes at once only when the content is unchanged since the last review."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from wipomatch.core.audit import audit_trail_for
from wipomatch.members.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
)

from .. import services
from ..models import Listing, ListingRevision, RevisionStatus, Status
from ..serializers import listing_data_of
from .factories import OfferFactory

pytestmark = pytest.mark.django_db

NEW_TITLE = "Mentoring for patent examiners, now also in French"


@pytest.fixture(autouse=True)
def lexical_embedder(settings):
    settings.LISTING_EMBEDDER = "hashing"


@pytest.fixture
def team(team, on_commit):
    """The listings team (conftest.py) with a published offer of its contributor."""
    offer = OfferFactory(
        organisation=team["org"], user=team["contributor"], status=Status.PUBLISHED
    )
    return {**team, "offer": offer, "committed": on_commit}


def _edit(team, **changes):
    offer = Listing.objects.get(pk=team["offer"].pk)
    data = replace(listing_data_of(offer), **changes)
    services.listing_update(user=team["contributor"], listing=offer, data=data)
    return offer


def _fresh(team) -> Listing:
    return Listing.objects.get(pk=team["offer"].pk)


def test_a_substantive_change_waits_for_review_while_the_approved_version_stays(team):
    old_title = team["offer"].title
    _edit(team, title=NEW_TITLE, themes=["public-health"])
    offer = _fresh(team)
    assert offer.title == old_title  # still the approved version
    assert offer.status == Status.PUBLISHED
    revision = services.pending_revision_of(offer)
    assert revision is not None
    assert revision.proposed["title"] == NEW_TITLE
    assert set(revision.fields) == {"title", "themes"}
    event = audit_trail_for(offer).filter(action="revision_proposed").get()
    assert event.data == {"revision": revision.pk, "fields": revision.fields}
    # A second edit updates the same pending revision: one per listing.
    _edit(team, title=NEW_TITLE + "!")
    assert ListingRevision.objects.filter(listing=offer).count() == 1
    assert services.pending_revision_of(offer).proposed["title"] == NEW_TITLE + "!"


def test_only_one_pending_revision_per_listing_in_the_database(team):
    _edit(team, title=NEW_TITLE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ListingRevision.objects.create(listing=team["offer"], proposed={}, fields=[])


def test_small_fields_change_directly(team):
    start, end = date.today() + timedelta(days=10), date.today() + timedelta(days=100)
    _edit(team, start_date=start, end_date=end, delivery_languages=["en", "fr"])
    offer = _fresh(team)
    assert (offer.start_date, offer.end_date) == (start, end)
    assert sorted(offer.delivery_languages) == ["en", "fr"]
    assert services.pending_revision_of(offer) is None


def test_small_field_checks_still_apply(team):
    with pytest.raises(ValidationError):
        _edit(team, start_date=date(2030, 1, 1), end_date=date(2029, 1, 1))


def test_accepting_publishes_the_changes_audits_and_emails(team):
    _edit(team, title=NEW_TITLE)
    revision = services.pending_revision_of(team["offer"])
    mail.outbox.clear()
    with team["committed"]():
        services.listing_revision_accept(
            facilitator=team["facilitator"], revision=revision, comment="Clearer now."
        )
    offer = _fresh(team)
    assert offer.title == NEW_TITLE
    assert offer.reviewed_at is not None
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.ACCEPTED
    assert revision.decided_by == team["facilitator"]
    event = audit_trail_for(offer).filter(action="revision_accepted").get()
    assert event.data == {"revision": revision.pk, "fields": ["title"]}
    recipients = {address for m in mail.outbox for address in m.to}
    assert team["contributor"].email in recipients and team["focal"].email in recipients
    french = next(m for m in mail.outbox if team["focal"].email in m.to)
    assert NEW_TITLE in french.subject


def test_rejecting_keeps_the_published_version_and_needs_a_reason(team):
    old_title = team["offer"].title
    _edit(team, title=NEW_TITLE)
    revision = services.pending_revision_of(team["offer"])
    with pytest.raises(ValidationError):
        services.listing_revision_reject(
            facilitator=team["facilitator"], revision=revision, comment=""
        )
    mail.outbox.clear()
    with team["committed"]():
        services.listing_revision_reject(
            facilitator=team["facilitator"], revision=revision, comment="Contact details inside."
        )
    assert _fresh(team).title == old_title
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.REJECTED
    assert any("Contact details inside." in m.body for m in mail.outbox)
    event = audit_trail_for(team["offer"]).filter(action="revision_rejected").get()
    assert event.reason == "Contact details inside."


def test_only_facilitators_decide_and_only_the_owner_withdraws(team):
    _edit(team, title=NEW_TITLE)
    revision = services.pending_revision_of(team["offer"])
    outsider = MembershipFactory(organisation=OrganisationFactory()).user
    with pytest.raises(PermissionDenied):
        services.listing_revision_accept(facilitator=team["contributor"], revision=revision)
    with pytest.raises(PermissionDenied):
        services.listing_revision_withdraw(user=outsider, revision=revision)
    services.listing_revision_withdraw(user=team["focal"], revision=revision)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.listing_revision_accept(facilitator=team["facilitator"], revision=revision)
    assert _fresh(team).title != NEW_TITLE


def test_a_facilitators_edit_is_published_directly(team):
    offer = _fresh(team)
    data = replace(listing_data_of(offer), title=NEW_TITLE)
    services.listing_update(user=team["facilitator"], listing=offer, data=data)
    assert _fresh(team).title == NEW_TITLE
    assert services.pending_revision_of(offer) is None


# --- renewal ----------------------------------------------------------------------------------


def test_renewing_unchanged_content_republishes_at_once(team):
    offer = _fresh(team)
    services.listing_renew(user=team["contributor"], listing=offer)
    assert _fresh(team).status == Status.PUBLISHED


def test_renewing_an_expired_listing_edited_since_its_review_goes_to_review(team):
    offer = _fresh(team)
    Listing.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(days=1))
    services.listings_expire_due()
    offer = _fresh(team)
    assert offer.status == Status.EXPIRED
    services.listing_update(
        user=team["contributor"],
        listing=offer,
        data=replace(listing_data_of(offer), summary="A quite different offer now."),
    )
    mail.outbox.clear()
    with team["committed"]():
        services.listing_renew(user=team["contributor"], listing=_fresh(team))
    offer = _fresh(team)
    assert offer.status == Status.SUBMITTED
    event = audit_trail_for(offer).order_by("-created_at", "-id").first()
    assert (event.action, event.data) == ("submitted", {"renewal": True})
    assert any("facilitator@wipo.example.org" in m.to for m in mail.outbox)
    # Once a facilitator publishes it, the content counts as reviewed again.
    services.listing_publish(facilitator=team["facilitator"], listing=offer)
    services.listing_renew(user=team["contributor"], listing=_fresh(team))
    assert _fresh(team).status == Status.PUBLISHED


def test_a_pending_revision_does_not_block_renewal_of_the_approved_version(team):
    _edit(team, title=NEW_TITLE)
    services.listing_renew(user=team["contributor"], listing=_fresh(team))
    offer = _fresh(team)
    assert offer.status == Status.PUBLISHED and offer.title != NEW_TITLE


# --- pages ------------------------------------------------------------------------------------


def test_the_owner_sees_changes_awaiting_review_and_can_withdraw_them(client, team):
    client.force_login(team["contributor"])
    _edit(team, title=NEW_TITLE)
    revision = services.pending_revision_of(team["offer"])
    page = client.get(team["offer"].get_absolute_url()).content.decode()
    assert "Changes awaiting review" in page
    assert reverse("listings:revision_withdraw", args=[revision.pk]) in page
    # The edit form continues the proposed changes.
    form = client.get(reverse("listings:listing_edit", args=[team["offer"].pk])).content.decode()
    assert NEW_TITLE in form
    response = client.post(reverse("listings:revision_withdraw", args=[revision.pk]))
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.WITHDRAWN


def test_the_public_never_sees_the_proposed_text(client, team):
    _edit(team, title=NEW_TITLE)
    assert NEW_TITLE not in client.get(team["offer"].get_absolute_url()).content.decode()
    assert NEW_TITLE not in client.get(f"/api/v1/offers/{team['offer'].pk}/").content.decode()


def test_the_facilitator_reviews_a_field_by_field_diff(client, team):
    old_title = team["offer"].title
    _edit(team, title=NEW_TITLE)
    revision = services.pending_revision_of(team["offer"])
    url = reverse("listings:revision_review", args=[revision.pk])
    client.force_login(team["facilitator"])
    queue = client.get(reverse("listings:review_queue")).content.decode()
    assert url in queue
    response = client.get(url)
    assert response.status_code == 200
    assert [row["name"] for row in response.context["diff"]] == ["title"]
    page = response.content.decode()
    assert old_title in page and NEW_TITLE in page and "Title" in page
    response = client.post(url, {"decision": "reject", "comment": ""})
    assert response.status_code == 200  # the reason is required
    response = client.post(url, {"decision": "accept", "comment": ""})
    assert response.status_code == 302
    assert _fresh(team).title == NEW_TITLE


@pytest.mark.parametrize("who", ["anonymous", "outsider", "owner"])
def test_others_cannot_decide(client, team, who):
    _edit(team, title=NEW_TITLE)
    revision = services.pending_revision_of(team["offer"])
    url = reverse("listings:revision_review", args=[revision.pk])
    if who == "outsider":
        client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    elif who == "owner":
        client.force_login(team["contributor"])
    response = client.post(url, {"decision": "accept"})
    assert response.status_code in {"anonymous": (302,), "outsider": (404,), "owner": (403,)}[who]
    assert _fresh(team).title != NEW_TITLE


# --- API --------------------------------------------------------------------------------------


def test_api_patch_of_a_substantive_field_answers_200_with_the_pending_revision(team):
    api = APIClient()
    api.force_authenticate(team["contributor"])
    old_title = team["offer"].title
    response = api.patch(f"/api/v1/offers/{team['offer'].pk}/", {"title": NEW_TITLE}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == old_title
    assert body["pending_revision"]["fields"] == ["title"]
    assert body["pending_revision"]["proposed"]["title"] == NEW_TITLE
    assert _fresh(team).title == old_title


def test_api_patch_of_a_small_field_applies_at_once(team):
    api = APIClient()
    api.force_authenticate(team["contributor"])
    end = (date.today() + timedelta(days=200)).isoformat()
    response = api.patch(f"/api/v1/offers/{team['offer'].pk}/", {"end_date": end}, format="json")
    assert response.status_code == 200
    assert response.json()["end_date"] == end
    assert response.json()["pending_revision"] is None


def test_revisions_are_read_only_in_the_admin(client, team):
    from wipomatch.members.tests.factories import AdminFactory

    admin_client = client
    admin_client.force_login(AdminFactory())
    _edit(team, title=NEW_TITLE)
    revision = services.pending_revision_of(team["offer"])
    assert admin_client.get(reverse("admin:listings_listingrevision_changelist")).status_code == 200
    url = reverse("admin:listings_listingrevision_change", args=[revision.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(reverse("admin:listings_listingrevision_add")).status_code == 403
