"""Suspension reaches everything: a suspended organisation's listings, stories and initiatives
leave every public surface at once, its members can change nothing, and reinstating brings back
exactly what was published before (the rule: `members.models.good_standing_q`)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from wipomatch.brokering import services as brokering_services
from wipomatch.cooperation import permissions as initiative_perms
from wipomatch.cooperation.tests.factories import make_initiative
from wipomatch.listings import services as listing_services
from wipomatch.listings.filters import BrowseFilters
from wipomatch.listings.models import Kind, Listing, Status
from wipomatch.listings.permissions import listing_allowed_actions
from wipomatch.listings.search.query import listing_search
from wipomatch.listings.tests.factories import (
    PATENT_COURSE_OFFER,
    NeedFactory,
    OfferFactory,
    listing_data,
)
from wipomatch.matching.models import Suggestion
from wipomatch.matching.selectors import suggestions_for_listing
from wipomatch.members import services as member_services
from wipomatch.members.models import Membership, Organisation
from wipomatch.members.tests.factories import (
    FacilitatorFactory,
    MembershipFactory,
    OrganisationFactory,
    country,
)
from wipomatch.stories import services as story_services
from wipomatch.stories.models import Story
from wipomatch.stories.tests.factories import story_data, story_factory

pytestmark = pytest.mark.django_db

NEED = {
    "title": "Zanzibari seaweed growers need patent examination training",
    "summary": "Our office needs training for ten examiners of pharmaceutical patents.",
    "description": "We receive more and more patent applications on medicines and look for "
    "practical training on novelty and inventive step.",
    "language": "en",
    "themes": ["public-health"],
    "ip_areas": ["patents"],
    "assistance_types": ["training"],
    "delivery_languages": ["en"],
    "countries": ["TZ"],
}
OFFER = {**PATENT_COURSE_OFFER, "delivery_languages": ["en"]}


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """A Tanzanian organisation with a published need, story and initiative; another
    organisation with a published offer that matches the need."""
    with django_capture_on_commit_callbacks(execute=True):
        org = OrganisationFactory(name="Zanzibar Seaweed Union", country=country("TZ"))
        member = MembershipFactory(organisation=org, role=Membership.Role.FOCAL_POINT).user
        need = NeedFactory(organisation=org, user=member, status=Status.PUBLISHED, **NEED)
        offer = OfferFactory(status=Status.PUBLISHED, **OFFER)
        story = story_factory(
            organisation=org,
            user=member,
            status="published",
            title="Seaweed of Zanzibar gets its collective mark",
        )
        initiative = make_initiative(
            {"org": org, "focal": member, "facilitator": FacilitatorFactory()},
            published=True,
            title="Zanzibar seaweed twinning programme",
        )
    facilitator = FacilitatorFactory()
    return {
        "org": org,
        "member": member,
        "need": need,
        "offer": offer,
        "story": story,
        "initiative": initiative,
        "facilitator": facilitator,
        "other_member": offer.created_by,
    }


def suspend(world):
    member_services.organisation_suspend(
        facilitator=world["facilitator"], organisation=world["org"], reason="Misleading listings"
    )


def reinstate(world):
    member_services.organisation_reinstate(
        facilitator=world["facilitator"], organisation=world["org"], reason="Explained"
    )


# --- surfaces: each answers whether the organisation's content shows there -----------------


def _text(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode()


def page(client, w):
    return client.get(w["need"].get_absolute_url()).status_code == 200


def api_detail(client, w):
    return client.get(f"/api/v1/needs/{w['need'].pk}/").status_code == 200


def api_list(client, w):
    results = client.get("/api/v1/needs/", {"page_size": 100}).json()["results"]
    return w["need"].pk in [row["id"] for row in results]


def search_page(client, w):
    return (
        NEED["title"]
        in client.get(reverse("listings:need_list"), {"q": "seaweed"}).content.decode()
    )


def search_service(client, w):
    result = listing_search(kind=Kind.NEED, filters=BrowseFilters(q="seaweed examination"))
    return w["need"].pk in [item.pk for item in result.items]


def facet_counts(client, w):
    facets = listing_search(kind=Kind.NEED, filters=BrowseFilters()).facets
    return facets["themes"].get("public-health", 0) > 0


def api_facets(client, w):
    facets = client.get("/api/v1/needs/").json()["facets"]
    return any(count for count in facets["themes"].values())


def suggested_to_others(client, w):
    shown = suggestions_for_listing(w["other_member"], Listing.objects.get(pk=w["offer"].pk))
    return w["need"].pk in [view.listing.pk for view in shown]


def gets_suggestions(client, w):
    try:
        need = Listing.objects.get(pk=w["need"].pk)  # as a page reads it
        return bool(suggestions_for_listing(w["facilitator"], need))
    except PermissionDenied:
        return False


def suggestions_api(client, w):
    api = APIClient()
    api.force_authenticate(w["other_member"])
    body = api.get(f"/api/v1/offers/{w['offer'].pk}/suggestions/").content.decode()
    return NEED["title"] in body


def story_feed(client, w):
    return w["story"].title in client.get(reverse("stories:feed")).content.decode()


def sitemap(client, w):
    body = client.get("/sitemap.xml").content.decode()
    return f"/needs/{w['need'].pk}/" in body or f"/stories/{w['story'].pk}/" in body


def export_needs(client, w):
    url = reverse("insights:export", args=["needs", "csv"])
    return NEED["title"] in b"".join(client.get(url).streaming_content).decode()


def export_initiatives(client, w):
    url = reverse("insights:export", args=["initiatives", "csv"])
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return w["initiative"].title in content.decode()


def theme_page(client, w):
    return (
        NEED["title"]
        in client.get(reverse("web:theme_page", args=["public-health"])).content.decode()
    )


def country_page(client, w):
    body = client.get(reverse("web:country_page", args=["TZ"])).content.decode()
    return NEED["title"] in body or w["story"].title in body


def organisation_page(client, w):
    return client.get(w["org"].get_absolute_url()).status_code == 200


def story_page(client, w):
    return client.get(reverse("stories:detail", args=[w["story"].pk])).status_code == 200


def stories_api(client, w):
    return w["story"].title in client.get("/api/v1/stories/").content.decode()


def initiative_page(client, w):
    return client.get(reverse("cooperation:detail", args=[w["initiative"].pk])).status_code == 200


def initiatives_api(client, w):
    return w["initiative"].title in client.get("/api/v1/initiatives/").content.decode()


def iati(client, w):
    return w["initiative"].title in client.get("/api/v1/initiatives/iati.xml").content.decode()


SURFACES = [
    page,
    api_detail,
    api_list,
    search_page,
    search_service,
    facet_counts,
    api_facets,
    suggested_to_others,
    gets_suggestions,
    suggestions_api,
    story_feed,
    sitemap,
    export_needs,
    export_initiatives,
    theme_page,
    country_page,
    organisation_page,
    story_page,
    stories_api,
    initiative_page,
    initiatives_api,
    iati,
]


@pytest.mark.parametrize("surface", SURFACES, ids=lambda f: f.__name__)
def test_suspension_hides_everything_and_reinstating_restores_it(client, world, surface):
    assert surface(client, world), "shown while the organisation is in good standing"
    suspend(world)
    assert not surface(client, world), "still shown after the suspension"
    reinstate(world)
    assert surface(client, world), "not back after reinstating"


@pytest.mark.parametrize("surface", [page, api_list, search_service, story_page, initiative_page])
def test_a_rejected_organisation_shows_nothing(client, world, surface):
    Organisation.objects.filter(pk=world["org"].pk).update(status=Organisation.Status.REJECTED)
    assert not surface(client, world)


def test_suspension_rewrites_no_status_and_keeps_stored_suggestions(world):
    before = Suggestion.objects.filter(need=world["need"]).count()
    suspend(world)
    assert before > 0
    world["need"].refresh_from_db()
    world["story"].refresh_from_db()
    world["initiative"].refresh_from_db()
    assert world["need"].status == Status.PUBLISHED
    assert world["story"].status == "published"
    assert world["initiative"].review_status == "published"
    assert Suggestion.objects.filter(need=world["need"]).count() == before
    assert not Listing.objects.public().filter(pk=world["need"].pk).exists()
    assert not Story.objects.public().filter(pk=world["story"].pk).exists()


# --- members of a suspended organisation change nothing -------------------------------------


def test_members_of_a_suspended_organisation_change_nothing(world):
    suspend(world)
    member, need = world["member"], world["need"]
    assert not any(listing_allowed_actions(member, need).values())
    for call in (
        lambda: listing_services.listing_update(user=member, listing=need, data=listing_data()),
        lambda: listing_services.listing_renew(user=member, listing=need),
        lambda: listing_services.listing_close(user=member, listing=need, reason="fulfilled"),
        lambda: listing_services.listing_create(
            user=member, organisation=world["org"], kind=Kind.NEED, data=listing_data()
        ),
        lambda: story_services.story_update(user=member, story=world["story"], data=story_data()),
    ):
        with pytest.raises(PermissionDenied) as refusal:
            call()
        assert "not in good standing" in str(refusal.value)
    need.refresh_from_db()
    assert need.title == NEED["title"]
    assert initiative_perms.EDIT not in initiative_perms.initiative_allowed_actions(
        member, world["initiative"]
    )


def test_the_api_refuses_with_a_reason(world):
    suspend(world)
    api = APIClient()
    api.force_authenticate(world["member"])
    response = api.patch(
        f"/api/v1/needs/{world['need'].pk}/", {"title": "A new title"}, format="json"
    )
    assert response.status_code == 403
    assert "not in good standing" in response.json()["detail"]
    response = api.post(f"/api/v1/needs/{world['need'].pk}/renew/")
    assert response.status_code == 403
    assert "not in good standing" in response.json()["detail"]


def test_the_owner_page_hides_the_buttons(client, world):
    client.force_login(world["member"])
    edit_url = reverse("listings:listing_edit", args=[world["need"].pk])
    assert edit_url in client.get(world["need"].get_absolute_url()).content.decode()
    suspend(world)
    response = client.get(world["need"].get_absolute_url())
    assert response.status_code == 200  # its own members still see it
    assert edit_url not in response.content.decode()
    assert "is not in good standing" in response.content.decode()


def test_no_new_interest_towards_a_suspended_organisation(client, world):
    suspend(world)
    with pytest.raises(ValidationError):
        brokering_services.match_express_interest(
            user=world["other_member"],
            need=world["need"],
            offer=world["offer"],
            message="We can help with this.",
        )
    client.force_login(world["other_member"])
    url = reverse("brokering:express_interest", args=["need", world["need"].pk])
    assert client.get(url).status_code == 404


def test_open_cases_stay_visible_to_facilitators_and_move_no_further(world):
    from wipomatch.brokering import permissions as case_perms

    # The suspended organisation's member had asked; the other side has yet to answer.
    case = brokering_services.match_express_interest(
        user=world["member"],
        need=Listing.objects.get(pk=world["need"].pk),
        offer=Listing.objects.get(pk=world["offer"].pk),
        message="Could you help us with this?",
    )
    model = type(case)
    answering = world["other_member"]
    assert case_perms.ACCEPT in case_perms.case_allowed_actions(answering, case)
    suspend(world)
    case = model.objects.get(pk=case.pk)
    # no contact is released towards a suspended organisation; declining stays possible
    assert case_perms.ACCEPT not in case_perms.case_allowed_actions(answering, case)
    assert case_perms.DECLINE in case_perms.case_allowed_actions(answering, case)
    assert case_perms.VIEW in case_perms.case_allowed_actions(world["facilitator"], case)
    reinstate(world)
    case = model.objects.get(pk=case.pk)
    assert case_perms.ACCEPT in case_perms.case_allowed_actions(answering, case)
