"""Suggestions are computed in the background when listings change, and shown with reasons."""

import pytest
from django.urls import reverse
from django.utils import translation

from wipomatch.core.audit import audit_trail_for
from wipomatch.listings import services as listing_services
from wipomatch.listings.tests.factories import (
    PATENT_COURSE_OFFER,
    PATENT_TRAINING_NEED,
    NeedFactory,
    OfferFactory,
    publish,
)
from wipomatch.listings.validation import ListingData
from wipomatch.matching.models import Dismissal, Suggestion
from wipomatch.members.tests.factories import (
    FacilitatorFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

NEED = PATENT_TRAINING_NEED
MATCHING_OFFER = PATENT_COURSE_OFFER
UNRELATED_OFFER = {
    "title": "Grants for film festivals",
    "summary": "Support for audiovisual producers to attend film markets.",
    "description": "We fund travel of independent film producers to international film "
    "markets and festivals, with coaching on copyright contracts.",
    "language": "en",
    "themes": ["creative-industries"],
    "ip_areas": ["copyright"],
    "assistance_types": ["funding"],
    "resource_types": ["financial"],
    "delivery_languages": ["en"],
}


@pytest.fixture
def market(on_commit):
    seeker = OrganisationFactory()
    with on_commit():
        need = NeedFactory(organisation=seeker, status="published", **NEED)
        good = OfferFactory(status="published", **MATCHING_OFFER)
        bad = OfferFactory(status="published", **UNRELATED_OFFER)
    return {"need": need, "good": good, "bad": bad, "seeker": seeker}


def _ranked_offers(need):
    return list(
        Suggestion.objects.filter(need=need, need_rank__isnull=False)
        .order_by("need_rank")
        .values_list("offer_id", flat=True)
    )


def test_publishing_listings_computes_suggestions_in_the_background(market):
    ranked = _ranked_offers(market["need"])
    assert ranked[0] == market["good"].pk
    # The offer's side is ranked too: the need appears among the offer's suggestions.
    assert Suggestion.objects.filter(
        offer=market["good"], need=market["need"], offer_rank__isnull=False
    ).exists()


def test_a_closed_offer_disappears_from_suggestions(market, on_commit):
    owner = market["good"].created_by
    with on_commit():
        listing_services.listing_close(user=owner, listing=market["good"], reason="fulfilled")
    assert market["good"].pk not in _ranked_offers(market["need"])
    assert not Suggestion.objects.filter(offer=market["good"]).exists()


def test_editing_a_listing_refreshes_its_suggestions(market, on_commit):
    owner = market["bad"].created_by
    data = ListingData(**{**MATCHING_OFFER, "title": "Second course on pharmaceutical patents"})
    with on_commit():
        listing_services.listing_update(user=owner, listing=market["bad"], data=data)
        listing_services.listing_revision_accept(
            facilitator=FacilitatorFactory(),
            revision=listing_services.pending_revision_of(market["bad"]),
        )
    row = Suggestion.objects.get(need=market["need"], offer=market["bad"])
    assert "public-health" in row.explanation["shared_themes"]


def test_dismissed_suggestions_stay_dismissed_after_a_refresh(client, market, on_commit):
    need = market["need"]
    client.force_login(need.created_by)
    url = reverse("matching:dismiss", args=[need.pk, market["good"].pk])
    response = client.post(url, {"reason": "<b>We already work with them</b>"})
    assert response.status_code == 302
    dismissal = Dismissal.objects.get(listing=need, other=market["good"])
    assert dismissal.reason == "We already work with them"
    # the judgement is in the need's audit trail, rendered on its page for the owner
    event = audit_trail_for(need).first()
    assert (event.action, event.actor, event.reason) == (
        "suggestion_dismissed",
        need.created_by,
        "We already work with them",
    )
    assert event.data["other_id"] == market["good"].pk
    assert "Dismissed suggestion" in client.get(need.get_absolute_url()).content.decode()
    # A later change re-ranks everything; the dismissed pair still never shows.
    with on_commit():
        publish(OfferFactory(**{**MATCHING_OFFER, "title": "Another patent course"}))
    page = client.get(reverse("matching:suggestions", args=[need.pk]))
    assert market["good"].title not in page.content.decode()


def test_the_seeker_sees_ranked_offers_with_reasons_in_their_language(client, market):
    need = market["need"]
    client.force_login(need.created_by)
    with translation.override("fr"):
        url = reverse("matching:suggestions", args=[need.pk])
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert market["good"].title in body
    with translation.override("fr"):
        from django.utils.translation import gettext

        expected = gettext("Same thematic area: %(themes)s") % {
            "themes": gettext("IP and public health")
        }
    assert expected in body
    assert "Signals behind the score" not in body  # members do not see the raw signals


def test_a_facilitator_sees_the_signals_behind_each_score(client, market):
    from wipomatch.listings.tests.factories import factory_facilitator

    client.force_login(factory_facilitator())
    response = client.get(reverse("matching:suggestions", args=[market["need"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Signals behind the score" in body and "<code>semantic" in body


@pytest.mark.parametrize("who", ["anonymous", "other_member"])
def test_outsiders_cannot_see_a_listings_suggestions(client, market, who):
    url = reverse("matching:suggestions", args=[market["need"].pk])
    if who == "other_member":
        client.force_login(MembershipFactory().user)
        assert client.get(url).status_code == 404
    else:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_unpublished_listings_never_leak_through_suggestions(client, market, on_commit):
    with on_commit():
        draft = OfferFactory(**{**MATCHING_OFFER, "title": "Secret draft course on patents"})
    need = market["need"]
    client.force_login(need.created_by)
    body = client.get(reverse("matching:suggestions", args=[need.pk])).content.decode()
    assert draft.title not in body
    assert not Suggestion.objects.filter(offer=draft).exists()


def test_outsiders_cannot_dismiss(client, market):
    client.force_login(MembershipFactory().user)
    url = reverse("matching:dismiss", args=[market["need"].pk, market["good"].pk])
    # The published need is visible to any member, but only its organisation may change it.
    assert client.post(url).status_code == 403
    assert not Dismissal.objects.exists()


def test_the_api_gives_ranked_explained_suggestions_to_the_owner_only(client, market):
    need = market["need"]
    url = f"/api/v1/needs/{need.pk}/suggestions/?lang=es"
    assert client.get(url).status_code in (401, 403)
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(need.created_by)
    response = client.get(url)
    assert response.status_code == 200
    first = response.json()[0]
    assert first["id"] == market["good"].pk and first["rank"] == 1
    assert first["signals"] is None  # raw signals are for facilitators
    with translation.override("es"):
        from django.utils.translation import gettext

        expected = gettext("Same thematic area: %(themes)s") % {
            "themes": gettext("IP and public health")
        }
    assert expected in first["reasons"]
    # The offer side answers on its own route, and a need id is not an offer.
    assert client.get(f"/api/v1/offers/{need.pk}/suggestions/").status_code == 404


def test_new_strong_suggestions_are_announced_once_for_the_brokering_workflow(on_commit):
    from wipomatch.matching.services import strong_suggestion_found

    heard = []

    def listener(sender, need_id, offer_id, side, rank, **kwargs):
        heard.append((need_id, offer_id, side, rank))

    strong_suggestion_found.connect(listener)
    try:
        with on_commit():
            need = NeedFactory(status="published", **NEED)
            offer = OfferFactory(status="published", **MATCHING_OFFER)
        assert (need.pk, offer.pk, "need", 1) in heard
        assert (need.pk, offer.pk, "offer", 1) in heard
        count = len(heard)
        # Re-ranking the same pair (an edit) does not announce it again.
        data = ListingData(**{**MATCHING_OFFER, "summary": "Places in our online patent course."})
        with on_commit():
            listing_services.listing_update(user=offer.created_by, listing=offer, data=data)
        assert len(heard) == count
    finally:
        strong_suggestion_found.disconnect(listener)


def test_dismissing_from_the_htmx_panel_returns_the_refreshed_panel(client, market):
    need = market["need"]
    client.force_login(need.created_by)
    url = reverse("matching:dismiss", args=[need.pk, market["good"].pk])
    response = client.post(url, {"reason": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="suggestions"' in body and "<html" not in body
    assert market["good"].title not in body
