"""/api/v1/needs/ and /api/v1/offers/: who sees and does what, filters, search, bad input, queries.

The cast: the target organisation (Kenya, innovation hub) with its focal point and a contributor,
another approved organisation (Senegal, NGO) with its focal point, a person whose application is
still pending, a facilitator and a platform admin (both with TOTP, as the staff 2FA requires).
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from wipomatch.core.audit import audit_trail_for
from wipomatch.core.tests.helpers import client_for, count_queries
from wipomatch.listings import services
from wipomatch.listings.models import Kind, Listing, ListingRevision, Status
from wipomatch.listings.search import clear_search_cache
from wipomatch.listings.validation import ListingData
from wipomatch.members.models import Membership
from wipomatch.members.tests.factories import (
    AdminFactory,
    ApplicationFactory,
    FacilitatorFactory,
    FocalPointFactory,
    MembershipFactory,
    OrganisationFactory,
)
from wipomatch.reference.models import Country

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "pending_applicant",
    "contributor",
    "other_focal_point",
    "facilitator",
    "admin",
]
MEMBERS = {"contributor", "other_focal_point", "facilitator", "admin"}
OWNER_SIDE = {"contributor", "facilitator", "admin"}  # may change the target's listings


@pytest.fixture(autouse=True)
def _fresh_data_throttle_counters_and_search_cache(reference_data, fresh_cache):
    # The search keeps a per-process cache of the catalogue; each test starts from its own.
    clear_search_cache()


def _organisation(name: str, country: str, org_type: str):
    organisation = OrganisationFactory(
        name=name,
        country=Country.objects.get(iso2=country),
        org_type=org_type,
        contact_email=f"secret-{country.lower()}@contact.example.org",
    )
    focal = FocalPointFactory(organisation=organisation).user
    return organisation, focal


@pytest.fixture
def world(db):
    target, target_focal = _organisation(
        "Nairobi Technology Transfer Office", "KE", "innovation-hub"
    )
    other, other_focal = _organisation("Réseau sénégalais d'innovation agricole", "SN", "ngo")
    contributor = MembershipFactory(organisation=target, role=Membership.Role.CONTRIBUTOR).user
    application = ApplicationFactory(organisation__country=Country.objects.get(iso2="KE"))
    return {
        "target": target,
        "target_focal": target_focal,
        "other": other,
        "users": {
            "anonymous": None,
            "pending_applicant": application.applicant,
            "contributor": contributor,
            "other_focal_point": other_focal,
            "facilitator": FacilitatorFactory(),
            "admin": AdminFactory(),
        },
    }


@pytest.fixture
def client_as(world):
    """An API client signed in (session) as one of the roles of ROLES."""
    return lambda role: client_for(world["users"][role], client_class=APIClient)


def need_data(**overrides) -> ListingData:
    values = {
        "title": "Training for patent examiners",
        "summary": "Our office needs a two-week course on patent examination.",
        "description": "Twelve examiners joined this year; they need search and drafting skills.",
        "language": "en",
        "themes": ["ip-management"],
        "ip_areas": ["patents"],
        "assistance_types": ["training"],
        "delivery_languages": ["en"],
    }
    values.update(overrides)
    return ListingData(**values)


def offer_data(**overrides) -> ListingData:
    values = {
        "title": "Trainers in geographical indications",
        "summary": "Our experts train producer groups to draft GI specifications.",
        "description": "Three trainers with ten years of experience with producer groups.",
        "language": "en",
        "themes": ["food-security-agriculture"],
        "ip_areas": ["geographical-indications"],
        "assistance_types": ["training", "expert-advice"],
        "resource_types": ["human"],
        "delivery_languages": ["en", "fr"],
    }
    values.update(overrides)
    return ListingData(**values)


@pytest.fixture
def make_listing(world):
    """A listing created through the services, taken as far as `status`."""

    def build(
        kind: str = Kind.NEED,
        *,
        status: str = Status.PUBLISHED,
        organisation=None,
        data: ListingData | None = None,
    ) -> Listing:
        organisation = organisation or world["target"]
        author = organisation.memberships.first().user
        facilitator = world["users"]["facilitator"]
        data = data or (need_data() if kind == Kind.NEED else offer_data())
        listing = services.listing_create(
            user=author, organisation=organisation, kind=kind, data=data
        )
        if status == Status.DRAFT:
            return listing
        services.listing_submit(user=author, listing=listing)
        if status == Status.CHANGES_REQUESTED:
            services.listing_request_changes(
                facilitator=facilitator, listing=listing, comment="Add dates."
            )
        elif status == Status.PUBLISHED:
            services.listing_publish(facilitator=facilitator, listing=listing)
        listing.refresh_from_db()
        assert listing.status == status
        return listing

    return build


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Reading: who sees what ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_published_listings_only_to_everyone(role, client_as, make_listing):
    published = make_listing()
    make_listing(status=Status.DRAFT)
    make_listing(status=Status.SUBMITTED)
    make_listing(status=Status.CHANGES_REQUESTED)
    offer = make_listing(Kind.OFFER)
    client = client_as(role)
    assert _ids(client.get("/api/v1/needs/")) == {published.pk}
    assert _ids(client.get("/api/v1/offers/")) == {offer.pk}


@pytest.mark.parametrize("role", ROLES)
def test_published_listing_detail_shows_summary_to_visitors_and_details_to_members(
    role, client_as, make_listing
):
    need = make_listing(data=need_data(start_date=date(2026, 9, 1), sdg_targets=["9.5"]))
    response = client_as(role).get(f"/api/v1/needs/{need.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Training for patent examiners"
    assert body["themes"] == ["ip-management"]
    assert body["countries"] == ["KE"]
    assert body["organisation"] == {
        "id": need.organisation_id,
        "name": "Nairobi Technology Transfer Office",
        "country": "KE",
    }
    if role in MEMBERS:
        assert body["description"].startswith("Twelve examiners")
        assert body["start_date"] == "2026-09-01"
        assert body["sdg_targets"] == ["9.5"]
    else:
        assert "description" not in body
        assert "start_date" not in body
        assert "Twelve examiners" not in response.content.decode()
    if role in OWNER_SIDE:
        assert [e["action"] for e in body["history"]] == ["created", "submitted", "published"]
    else:
        assert "history" not in body
        assert "review_comment" not in body


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.REJECTED]
)
@pytest.mark.parametrize("role", ROLES)
def test_unpublished_listing_is_a_404_outside_its_organisation_and_staff(
    role, status, client_as, make_listing, world
):
    if status == Status.REJECTED:
        need = make_listing(status=Status.SUBMITTED)
        services.listing_reject(
            facilitator=world["users"]["facilitator"], listing=need, reason="Out of scope."
        )
    else:
        need = make_listing(status=status)
    response = client_as(role).get(f"/api/v1/needs/{need.pk}/")
    assert response.status_code == (200 if role in OWNER_SIDE else 404), role
    listed = client_as(role).get("/api/v1/needs/", {"page_size": 100})
    assert need.pk not in _ids(listed)


def test_a_need_is_not_found_under_offers(client_as, make_listing):
    need = make_listing()
    assert client_as("anonymous").get(f"/api/v1/offers/{need.pk}/").status_code == 404
    assert client_as("anonymous").get("/api/v1/needs/abc/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_contact_emails_never_appear(role, client_as, make_listing, world):
    need = make_listing()
    offer = make_listing(Kind.OFFER, organisation=world["other"])
    client = client_as(role)
    for path in ("/api/v1/needs/", "/api/v1/offers/", f"/api/v1/needs/{need.pk}/"):
        body = client.get(path).content.decode()
        assert "contact.example.org" not in body
        assert "contact_email" not in body
        assert world["target_focal"].email not in body
    assert client.get(f"/api/v1/offers/{offer.pk}/").status_code == 200


def test_mine_lists_every_status_of_my_organisation(client_as, make_listing, world):
    draft = make_listing(status=Status.DRAFT)
    submitted = make_listing(status=Status.SUBMITTED)
    published = make_listing()
    make_listing(organisation=world["other"], status=Status.DRAFT)
    response = client_as("contributor").get("/api/v1/needs/", {"mine": "true"})
    assert _ids(response) == {draft.pk, submitted.pk, published.pk}
    statuses = {row["id"]: row["status"] for row in response.json()["results"]}
    assert statuses[draft.pk] == "draft"
    only_drafts = client_as("contributor").get("/api/v1/needs/", {"mine": 1, "status": "draft"})
    assert _ids(only_drafts) == {draft.pk}
    assert client_as("other_focal_point").get("/api/v1/needs/", {"mine": 1}).json()["count"] == 1
    assert client_as("anonymous").get("/api/v1/needs/", {"mine": 1}).status_code == 401


def test_facilitators_list_the_validation_queue_and_members_cannot(client_as, make_listing, world):
    submitted = make_listing(status=Status.SUBMITTED)
    other_submitted = make_listing(organisation=world["other"], status=Status.SUBMITTED)
    make_listing(status=Status.DRAFT)
    queue = client_as("facilitator").get("/api/v1/needs/", {"status": "submitted"})
    assert _ids(queue) == {submitted.pk, other_submitted.pk}
    assert client_as("contributor").get("/api/v1/needs/", {"status": "draft"}).status_code == 403
    assert client_as("anonymous").get("/api/v1/needs/", {"status": "draft"}).status_code == 401


# --- Creating and editing --------------------------------------------------------------------------

NEW_OFFER = {
    "title": "Mentoring for licensing offices",
    "summary": "Senior licensing managers mentor new technology transfer offices.",
    "description": "Monthly calls for a year, and one visit.",
    "language": "en",
    "themes": ["ip-management"],
    "ip_areas": ["ip-commercialization"],
    "assistance_types": ["mentoring"],
    "resource_types": ["human"],
    "regions": ["002"],
    "delivery_languages": ["en", "fr"],
    "sdg_goals": [9, 17],
}


@pytest.mark.parametrize("role", ROLES)
def test_only_members_of_approved_organisations_create_listings(role, client_as, world):
    response = client_as(role).post("/api/v1/offers/", NEW_OFFER, format="json")
    expected = {
        "anonymous": 401,
        "pending_applicant": 403,
        "contributor": 201,
        "other_focal_point": 201,
        # Staff without an organisation have nobody to publish for.
        "facilitator": 403,
        "admin": 403,
    }[role]
    assert response.status_code == expected, response.content
    if expected == 201:
        body = response.json()
        listing = Listing.objects.get(pk=body["id"])
        assert listing.status == Status.DRAFT
        assert listing.kind == Kind.OFFER
        assert listing.created_by == world["users"][role]
        assert body["status"] == "draft"
        assert body["regions"] == ["002"]
        assert body["sdg_goals"] == [9, 17]
        assert body["history"][0]["action"] == "created"
    else:
        assert not Listing.objects.exists()


def test_create_and_submit_at_once(client_as):
    response = client_as("contributor").post(
        "/api/v1/offers/", {**NEW_OFFER, "submit": True}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    assert [e["action"] for e in response.json()["history"]] == ["created", "submitted"]
    # the lifecycle policy, as the pages show it: a submitted listing can only be closed
    assert response.json()["allowed_actions"] == ["close"]


def test_token_authentication_creates_a_listing(world):
    token = Token.objects.create(user=world["users"]["contributor"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post("/api/v1/offers/", NEW_OFFER, format="json")
    assert response.status_code == 201, response.content


def test_member_of_several_organisations_must_name_one(client_as, world):
    MembershipFactory(user=world["users"]["contributor"], organisation=world["other"])
    client = client_as("contributor")
    response = client.post("/api/v1/offers/", NEW_OFFER, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()
    named = client.post(
        "/api/v1/offers/", {**NEW_OFFER, "organisation": world["other"].pk}, format="json"
    )
    assert named.status_code == 201
    assert named.json()["organisation"]["id"] == world["other"].pk


def test_cannot_create_for_an_organisation_one_does_not_belong_to(client_as, world):
    response = client_as("contributor").post(
        "/api/v1/offers/", {**NEW_OFFER, "organisation": world["other"].pk}, format="json"
    )
    assert response.status_code == 403
    unknown = client_as("contributor").post(
        "/api/v1/offers/", {**NEW_OFFER, "organisation": 999999}, format="json"
    )
    assert unknown.status_code == 400
    assert "organisation" in unknown.json()
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"themes": ["space-mining"]}, "themes"),
        ({"ip_areas": ["patents", "nonsense"]}, "ip_areas"),
        ({"assistance_types": []}, "assistance_types"),
        ({"resource_types": ["gold"]}, "resource_types"),
        ({"modalities": ["telepathy"]}, "modalities"),
        ({"countries": ["XX"]}, "countries"),
        ({"regions": ["999"]}, "regions"),
        ({"language": "de"}, "language"),
        ({"delivery_languages": ["en", "klingon"]}, "delivery_languages"),
        ({"title": "x" * 201}, "title"),
        ({"summary": "x" * 501}, "summary"),
        ({"description": "x" * 6001}, "description"),
        ({"title": "<script>alert(1)</script>"}, "title"),
        ({"start_date": "2026-06-01", "end_date": "2026-05-01"}, "end_date"),
        ({"start_date": "first of June"}, "start_date"),
        ({"budget_min": 1000, "budget_max": 5000, "budget_currency": "USD"}, "budget_min"),
        ({"sdg_goals": [18]}, "sdg_goals"),
        ({"sdg_goals": ["nine"]}, "sdg_goals"),
        ({"sdg_targets": ["99.9"]}, "sdg_targets"),
        ({"themes": "ip-management"}, "themes"),
        ({"translations": {"de": {"title": "Mentoring"}}}, "translations"),
    ],
)
def test_bad_input_is_a_400_on_the_field_and_nothing_is_saved(change, field, client_as):
    response = client_as("contributor").post(
        "/api/v1/offers/", {**NEW_OFFER, **change}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Listing.objects.exists()


def test_every_bad_field_is_reported_at_once(client_as):
    response = client_as("contributor").post(
        "/api/v1/needs/",
        {"title": "", "language": "xx", "themes": ["nope"], "resource_types": ["human"]},
        format="json",
    )
    assert response.status_code == 400
    assert {"title", "summary", "description", "language", "themes", "assistance_types"} <= set(
        response.json()
    )
    assert "resource_types" in response.json()  # describes offers only


def test_budget_is_accepted_on_a_financial_offer_only(client_as):
    financial = {
        **NEW_OFFER,
        "resource_types": ["financial"],
        "assistance_types": ["funding"],
        "budget_min": 5000,
        "budget_max": 20000,
        "budget_currency": "usd",
    }
    response = client_as("contributor").post("/api/v1/offers/", financial, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["budget_min"], response.json()["budget_currency"]) == (5000, "USD")
    need = client_as("contributor").post(
        "/api/v1/needs/",
        {**NEW_OFFER, "resource_types": [], "regions": [], "budget_min": 10},
        format="json",
    )
    assert need.status_code == 400
    assert "budget_min" in need.json()


def test_html_is_stripped_from_stored_text(client_as):
    response = client_as("contributor").post(
        "/api/v1/offers/",
        {
            **NEW_OFFER,
            "title": "<b>Mentoring</b> for <i>licensing</i> offices",
            "description": "Monthly calls<script>alert('x')</script> and <a href='x'>one visit</a>.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    listing = Listing.objects.get()
    assert listing.title == "Mentoring for licensing offices"
    assert listing.description == "Monthly calls and one visit."


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_owner_organisation_and_facilitators_edit_a_published_listing(
    role, method, client_as, make_listing
):
    need = make_listing()
    payload = {"title": "Training for trademark examiners", "ip_areas": ["trademarks"]}
    if method == "put":
        payload = {**need_data().__dict__, **payload, "start_date": None, "end_date": None}
    response = getattr(client_as(role), method)(f"/api/v1/needs/{need.pk}/", payload, format="json")
    expected = {
        "anonymous": 401,
        "pending_applicant": 403,
        "contributor": 200,
        "other_focal_point": 403,
        "facilitator": 200,
        "admin": 200,
    }[role]
    assert response.status_code == expected, response.content
    need.refresh_from_db()
    if role == "contributor":
        # A member's substantive change waits for review; the published version stays.
        assert need.title == "Training for patent examiners"
        revision = response.json()["pending_revision"]
        assert revision["proposed"]["title"] == "Training for trademark examiners"
        assert set(revision["fields"]) >= {"title", "ip_areas"}
        services.listing_revision_accept(
            facilitator=FacilitatorFactory(),
            revision=ListingRevision.objects.get(pk=revision["id"]),
        )
        need.refresh_from_db()
    if expected == 200:
        assert need.title == "Training for trademark examiners"
        assert need.ip_areas == ["trademarks"]
        # A partial update keeps what it does not name.
        assert need.themes == ["ip-management"]
        assert need.status == Status.PUBLISHED
        assert {"edited", "revision_accepted"} & set(
            audit_trail_for(need).values_list("action", flat=True)
        )
    else:
        assert need.title == "Training for patent examiners"


def test_put_replaces_and_reports_missing_required_fields(client_as, make_listing):
    need = make_listing()
    response = client_as("contributor").put(
        f"/api/v1/needs/{need.pk}/", {"title": "Only a title"}, format="json"
    )
    assert response.status_code == 400
    assert {"summary", "description", "themes"} <= set(response.json())
    need.refresh_from_db()
    assert need.title == "Training for patent examiners"


def test_editing_a_draft_of_another_organisation_is_a_404(client_as, make_listing):
    draft = make_listing(status=Status.DRAFT)
    response = client_as("other_focal_point").patch(
        f"/api/v1/needs/{draft.pk}/", {"title": "Mine now"}, format="json"
    )
    assert response.status_code == 404


def test_bad_patch_leaves_the_listing_unchanged(client_as, make_listing):
    need = make_listing()
    response = client_as("contributor").patch(
        f"/api/v1/needs/{need.pk}/",
        {"title": "New title", "countries": ["KE", "ZZ"]},
        format="json",
    )
    assert response.status_code == 400
    assert "countries" in response.json()
    need.refresh_from_db()
    assert need.title == "Training for patent examiners"


def test_listings_cannot_be_deleted_through_the_api(client_as, make_listing):
    need = make_listing()
    assert client_as("contributor").delete(f"/api/v1/needs/{need.pk}/").status_code == 405
    assert Listing.objects.filter(pk=need.pk).exists()


# --- Lifecycle ---------------------------------------------------------------------------------


def _post(client, listing, action, payload=None):
    return client.post(
        f"/api/v1/{listing.kind}s/{listing.pk}/{action}/", payload or {}, format="json"
    )


def test_full_lifecycle_through_the_api(client_as, make_listing):
    draft = make_listing(status=Status.DRAFT)
    contributor, facilitator = client_as("contributor"), client_as("facilitator")

    assert _post(contributor, draft, "submit").json()["status"] == "submitted"
    sent_back = _post(facilitator, draft, "request-changes", {"comment": "Give dates."})
    assert sent_back.status_code == 200
    assert sent_back.json()["review_comment"] == "Give dates."
    assert _post(contributor, draft, "submit").json()["status"] == "submitted"
    published = _post(facilitator, draft, "publish", {"comment": "Clear and complete."})
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["expires_at"]
    assert _post(contributor, draft, "renew").json()["status"] == "published"
    closed = _post(contributor, draft, "close", {"reason": "fulfilled"})
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_reason"] == "fulfilled"
    actions = [e["action"] for e in closed.json()["history"]]
    assert actions == [
        "created",
        "submitted",
        "changes_requested",
        "submitted",
        "published",
        "renewed",
        "closed_fulfilled",
    ]


def test_facilitator_rejects_with_a_reason(client_as, make_listing):
    submitted = make_listing(status=Status.SUBMITTED)
    missing = _post(client_as("facilitator"), submitted, "reject", {"reason": " "})
    assert missing.status_code == 400
    assert "reason" in missing.json()
    rejected = _post(client_as("facilitator"), submitted, "reject", {"reason": "Not IP-related."})
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["review_comment"] == "Not IP-related."


def test_request_changes_needs_a_comment(client_as, make_listing):
    submitted = make_listing(status=Status.SUBMITTED)
    response = _post(client_as("facilitator"), submitted, "request-changes", {})
    assert response.status_code == 400
    assert "comment" in response.json()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["publish", "request-changes", "reject"])
def test_only_facilitators_review(role, action, client_as, make_listing):
    submitted = make_listing(status=Status.SUBMITTED)
    payload = {"comment": "Looks fine.", "reason": "Out of scope."}
    response = _post(client_as(role), submitted, action, payload)
    expected = {
        "anonymous": 401,
        "pending_applicant": 404,  # cannot even see a submitted listing
        "contributor": 403,  # sees it, may not review it
        "other_focal_point": 404,
        "facilitator": 200,
        "admin": 200,
    }[role]
    assert response.status_code == expected, response.content
    submitted.refresh_from_db()
    assert (submitted.status == Status.SUBMITTED) == (expected != 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["close", "renew"])
def test_only_the_owner_side_closes_and_renews_a_published_listing(
    role, action, client_as, make_listing
):
    need = make_listing()
    response = _post(client_as(role), need, action, {"reason": "withdrawn"})
    expected = {
        "anonymous": 401,
        "pending_applicant": 403,
        "contributor": 200,
        "other_focal_point": 403,
        "facilitator": 200,
        "admin": 200,
    }[role]
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    ("status", "action", "payload"),
    [
        (Status.DRAFT, "publish", {}),
        (Status.PUBLISHED, "publish", {}),
        (Status.PUBLISHED, "submit", {}),
        (Status.DRAFT, "renew", {}),
        (Status.DRAFT, "reject", {"reason": "No."}),
        (Status.PUBLISHED, "close", {"reason": "because"}),
        (Status.PUBLISHED, "close", {}),
    ],
)
def test_actions_out_of_turn_are_a_400(status, action, payload, client_as, make_listing):
    listing = make_listing(status=status)
    response = _post(client_as("facilitator"), listing, action, payload)
    assert response.status_code == 400, response.content
    listing.refresh_from_db()
    assert listing.status == status


def test_closed_listing_cannot_be_renewed_or_closed_again(client_as, make_listing):
    need = make_listing()
    contributor = client_as("contributor")
    assert _post(contributor, need, "close", {"reason": "withdrawn"}).status_code == 200
    assert _post(contributor, need, "renew").status_code == 400
    assert _post(contributor, need, "close", {"reason": "fulfilled"}).status_code == 400
    assert client_as("anonymous").get(f"/api/v1/needs/{need.pk}/").status_code == 404


def test_actions_are_post_only(client_as, make_listing):
    need = make_listing()
    assert client_as("contributor").get(f"/api/v1/needs/{need.pk}/renew/").status_code == 405


# --- Filters, facets, sorting, pagination ------------------------------------------------------


@pytest.fixture
def catalogue(world, make_listing):
    """Five published offers and two needs with distinct facets, from three organisations."""
    facilitator = world["users"]["facilitator"]
    peru, _ = _organisation("Asociación de Productores de Quinua", "PE", "industry-association")
    make_listing(Kind.OFFER, organisation=peru, status=Status.DRAFT)  # never listed
    offers = {
        "gi": make_listing(
            Kind.OFFER,
            organisation=world["other"],
            data=offer_data(
                regions=["002"],
                modalities=["south-south"],
                sdg_goals=[2],
            ),
        ),
        "funding": make_listing(
            Kind.OFFER,
            data=offer_data(
                title="Grants for green patents",
                summary="Small grants for patent filing costs of green technologies.",
                description="Up to 20 000 USD per project; co-funding welcome.",
                themes=["green-innovation"],
                ip_areas=["patents"],
                assistance_types=["funding"],
                resource_types=["financial"],
                budget_min=5000,
                budget_max=20000,
                budget_currency="USD",
                countries=["BF", "SN"],
                delivery_languages=["fr"],
                modalities=["triangular"],
            ),
        ),
        "worldwide": make_listing(
            Kind.OFFER,
            data=offer_data(
                title="Online course on copyright for musicians",
                summary="A self-paced course on copyright and collective management.",
                description="Eight modules, with certificates.",
                themes=["creative-industries"],
                ip_areas=["copyright"],
                assistance_types=["training"],
                resource_types=["technical"],
                delivery_languages=["es"],
                language="es",
            ),
        ),
        "asia": make_listing(
            Kind.OFFER,
            organisation=peru,
            data=offer_data(
                title="Study visits to quinoa cooperatives",
                summary="Visits to see collective marks at work.",
                description="Two weeks in Puno.",
                themes=["food-security-agriculture"],
                ip_areas=["geographical-indications", "trademarks"],
                assistance_types=["study-visit"],
                resource_types=["in-kind"],
                regions=["142"],
                language="es",
                delivery_languages=["es"],
            ),
        ),
    }
    needs = {
        "ke": make_listing(),
        "sn": make_listing(
            organisation=world["other"],
            data=need_data(
                title="Collective mark for mango growers",
                summary="Our cooperatives need help with a collective mark.",
                description="Forty-two cooperatives in Casamance.",
                language="fr",
                themes=["food-security-agriculture"],
                ip_areas=["trademarks"],
                assistance_types=["expert-advice"],
                delivery_languages=["fr"],
            ),
        ),
    }
    # Published at distinct moments, so that "newest" has an order to check.
    for position, listing in enumerate([*offers.values(), *needs.values()]):
        Listing.objects.filter(pk=listing.pk).update(
            published_at=listing.published_at.replace(microsecond=0).replace(second=position),
            updated_at=timezone.now(),
        )
    assert facilitator.is_facilitator
    return {"offers": offers, "needs": needs, "peru": peru}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"theme": "green-innovation"}, {"funding"}),
        (
            {"theme": ["food-security-agriculture", "creative-industries"]},
            {"gi", "worldwide", "asia"},
        ),
        ({"theme": "food-security-agriculture", "resource_type": "in-kind"}, {"asia"}),
        ({"ip_area": "geographical-indications"}, {"gi", "asia"}),
        ({"ip_area": ["trademarks", "copyright"]}, {"worldwide", "asia"}),
        ({"assistance_type": "funding"}, {"funding"}),
        ({"resource_type": "in-kind"}, {"asia"}),
        ({"modality": "triangular"}, {"funding"}),
        ({"country": "SN"}, {"gi", "funding", "worldwide"}),
        ({"country": "sn"}, {"gi", "funding", "worldwide"}),
        ({"region": "142"}, {"asia", "worldwide"}),
        ({"region": "2"}, {"gi", "funding", "worldwide"}),
        ({"region": "011"}, {"gi", "funding", "worldwide"}),
        ({"ldc": "true"}, {"gi", "funding", "worldwide", "asia"}),
        ({"language": "es"}, {"worldwide", "asia"}),
        ({"language": "fr"}, {"gi", "funding"}),
        ({"org_type": "industry-association"}, {"asia"}),
        ({"q": "quinoa"}, {"asia"}),
        ({"q": "grants", "theme": "green-innovation"}, {"funding"}),
    ],
)
def test_each_filter_narrows_the_offers(params, expected, catalogue):
    response = APIClient().get("/api/v1/offers/", params)
    ids = {catalogue["offers"][name].pk for name in expected}
    assert _ids(response) == ids, response.json()
    assert response.json()["count"] == len(ids)


def test_ldc_filter_on_needs_follows_the_countries_of_the_need(catalogue):
    response = APIClient().get("/api/v1/needs/", {"ldc": "true"})
    assert _ids(response) == {catalogue["needs"]["sn"].pk}  # Senegal is an LDC, Kenya is not


def test_facets_count_every_matching_listing_by_slug(catalogue):
    body = APIClient().get("/api/v1/offers/", {"page_size": 1}).json()
    assert body["count"] == 4
    assert len(body["results"]) == 1
    facets = body["facets"]
    assert facets["themes"] == {
        "food-security-agriculture": 2,
        "green-innovation": 1,
        "creative-industries": 1,
    }
    assert facets["resource_types"]["human"] == 1
    assert facets["resource_types"]["financial"] == 1
    assert facets["modalities"] == {"south-south": 1, "triangular": 1}
    assert facets["ip_areas"]["geographical-indications"] == 2
    # Where they apply (a worldwide offer counts everywhere), languages, LDC reach.
    assert facets["countries"]["SN"] == 3  # the African region, Senegal by name, worldwide
    assert facets["regions"]["142"] == 2  # Asia, worldwide
    assert facets["languages"]["es"] == 2
    assert facets["org_types"] == {"ngo": 1, "innovation-hub": 2, "industry-association": 1}
    assert facets["ldc"] == 4
    narrowed = APIClient().get("/api/v1/offers/", {"language": "es"}).json()["facets"]
    assert narrowed["themes"] == {"food-security-agriculture": 1, "creative-industries": 1}


@pytest.mark.parametrize("mine", [False, True])
def test_a_vocabulary_in_use_counts_what_ticking_another_term_would_give(
    mine, catalogue, client_as
):
    client = client_as("contributor") if mine else APIClient()
    params = {"theme": "green-innovation", **({"mine": "true"} if mine else {})}
    response = client.get("/api/v1/offers/", params)

    assert _ids(response) == {catalogue["offers"]["funding"].pk}
    body = response.json()
    themes = body["facets"]["themes"]
    assert themes["green-innovation"] == 1
    assert themes["creative-industries"] == 1  # ticking it as well adds the music course
    # the two food offers belong to other organisations than the contributor's
    assert themes.get("food-security-agriculture", 0) == (0 if mine else 2)
    # the other vocabularies count within the results
    assert body["facets"]["ip_areas"] == {"patents": 1}


def test_list_items_carry_facets_in_codes(catalogue):
    body = APIClient().get("/api/v1/offers/", {"assistance_type": "funding"}).json()
    (item,) = body["results"]
    assert item["themes"] == ["green-innovation"]
    assert item["resource_types"] == ["financial"]
    assert item["countries"] == ["BF", "SN"]
    assert item["regions"] == []
    assert item["delivery_languages"] == ["fr"]
    assert item["modalities"] == ["triangular"]
    assert item["organisation"]["country"] == "KE"
    assert item["url"] == f"http://testserver/en/offers/{item['id']}/"
    assert "description" not in item
    assert "budget_min" not in item


def test_sorting_newest_and_expiring(catalogue):
    offers = catalogue["offers"]
    newest = APIClient().get("/api/v1/offers/", {"sort": "newest"}).json()["results"]
    assert [row["id"] for row in newest] == [
        offers[name].pk for name in ("asia", "worldwide", "funding", "gi")
    ]
    Listing.objects.filter(pk=offers["worldwide"].pk).update(
        expires_at=timezone.now() + timedelta(days=20), updated_at=timezone.now()
    )
    expiring = APIClient().get("/api/v1/offers/", {"sort": "expiring"}).json()["results"]
    assert expiring[0]["id"] == offers["worldwide"].pk


def test_pagination_links_and_bounds(catalogue):
    client = APIClient()
    first = client.get("/api/v1/offers/", {"page_size": 3, "theme": "food-security-agriculture"})
    assert first.json()["num_pages"] == 1
    page_one = client.get("/api/v1/offers/", {"page_size": 3}).json()
    assert (page_one["count"], page_one["num_pages"], page_one["previous"]) == (4, 2, None)
    assert "page=2" in page_one["next"]
    page_two = client.get(page_one["next"]).json()
    assert len(page_two["results"]) == 1
    assert page_two["next"] is None
    assert "page=" not in page_two["previous"]
    all_ids = {r["id"] for r in page_one["results"]} | {r["id"] for r in page_two["results"]}
    assert all_ids == {o.pk for o in catalogue["offers"].values()}
    assert client.get("/api/v1/offers/", {"page": 3, "page_size": 3}).status_code == 404
    capped = client.get("/api/v1/offers/", {"page_size": 5000})
    assert capped.status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"theme": "space-mining"}, "theme"),
        ({"ip_area": ["patents", "nonsense"]}, "ip_area"),
        ({"assistance_type": "x"}, "assistance_type"),
        ({"resource_type": "gold"}, "resource_type"),
        ({"modality": "telepathy"}, "modality"),
        ({"country": "XX"}, "country"),
        ({"region": "999"}, "region"),
        ({"region": "africa"}, "region"),
        ({"ldc": "perhaps"}, "ldc"),
        ({"language": "de"}, "language"),
        ({"org_type": "pirates"}, "org_type"),
        ({"sort": "random"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": "-1"}, "page_size"),
        ({"status": "lost"}, "status"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(params, field, catalogue):
    response = APIClient().get("/api/v1/offers/", params)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_language_filter_accepts_the_ui_code_of_chinese(world, make_listing):
    chinese = make_listing(
        Kind.OFFER,
        data=offer_data(
            title="专利审查员培训",
            summary="为发展中国家的专利审查员提供为期两周的培训。",
            description="课程包括检索、审查和撰写。",
            language="zh",
            delivery_languages=["zh", "en"],
        ),
    )
    for code in ("zh", "zh-hans", "zh_Hans"):
        assert _ids(APIClient().get("/api/v1/offers/", {"language": code})) == {chinese.pk}


def test_display_title_follows_the_language_of_the_response(client_as, make_listing):
    need = make_listing(
        data=need_data(translations={"fr": {"title": "Formation des examinateurs de brevets"}})
    )
    french = client_as("anonymous").get(f"/api/v1/needs/{need.pk}/", {"lang": "fr"}).json()
    assert french["display_title"] == "Formation des examinateurs de brevets"
    assert french["title"] == "Training for patent examiners"
    english = client_as("anonymous").get(f"/api/v1/needs/{need.pk}/").json()
    assert english["display_title"] == "Training for patent examiners"


# --- Cross-language search (wipomatch.listings.search) ------------------------------------------


def test_a_french_query_finds_an_english_offer(world, make_listing, settings):
    settings.LISTING_EMBEDDER = "use"  # the multilingual encoder, whatever the test settings say
    wanted = make_listing(
        Kind.OFFER,
        data=offer_data(
            title="Training on geographical indications for coffee cooperatives",
            summary="Our experts help coffee growers protect the name of their origin.",
            description="Drafting the specification, setting up controls, registering the GI.",
        ),
    )
    make_listing(
        Kind.OFFER,
        data=offer_data(
            title="Software for patent office automation",
            summary="An open-source system to manage patent applications.",
            description="Installation and training of IT staff.",
            themes=["ip-management"],
            ip_areas=["ip-office-automation"],
            assistance_types=["it-infrastructure"],
            resource_types=["technical"],
        ),
    )
    _run_pending_search_updates()
    response = APIClient().get("/api/v1/offers/", {"q": "indication géographique café"})
    results = response.json()["results"]
    assert results, response.json()
    assert results[0]["id"] == wanted.pk


def _run_pending_search_updates() -> None:
    """Embeddings are computed after commit; in a test transaction, run the hook directly."""
    from wipomatch.listings.signals import listing_changed

    for listing in Listing.objects.all():
        listing_changed.send(sender=Listing, listing_id=listing.pk, change="edited")


# --- Queries -------------------------------------------------------------------------------------


# Queries of a list page: the search cache's version, the filtered ids, the cards and their terms,
# countries, regions and SDG goals (facets come from the cache). Signed-in clients add the session
# and the user (staff also the 2FA check).
LIST_QUERIES = 7
SIGN_IN_QUERIES = {"anonymous": 0, "contributor": 2, "facilitator": 3}


@pytest.mark.parametrize("role", ["anonymous", "contributor", "facilitator"])
def test_list_runs_the_same_few_queries_whatever_the_page_size(
    role, client_as, world, make_listing
):
    for number in range(12):
        organisation = world["target"] if number % 2 else world["other"]
        make_listing(
            Kind.OFFER,
            organisation=organisation,
            data=offer_data(sdg_goals=[2, 17], countries=["SN", "BF"], regions=["142"]),
        )
    client = client_as(role)
    client.get("/api/v1/offers/")  # the first request of a process loads a few caches
    expected = LIST_QUERIES + SIGN_IN_QUERIES[role]
    assert count_queries(client, "/api/v1/offers/", {"page_size": 2}) == expected
    assert count_queries(client, "/api/v1/offers/", {"page_size": 12}) == expected
    # Filtering by vocabulary adds the check that the slugs exist.
    filtered = {
        "page_size": 12,
        "theme": "food-security-agriculture",
        "ip_area": "geographical-indications",
    }
    assert count_queries(client, "/api/v1/offers/", filtered) == expected + 1
    if role != "anonymous":
        # My listings: the same, plus the membership lookup.
        mine_small = count_queries(client, "/api/v1/offers/", {"page_size": 2, "mine": 1})
        mine_large = count_queries(client, "/api/v1/offers/", {"page_size": 12, "mine": 1})
        assert mine_small == mine_large <= expected + 1


def test_detail_runs_a_bounded_number_of_queries(client_as, make_listing):
    need = make_listing(data=need_data(sdg_goals=[4, 9], sdg_targets=["9.5"]))
    client = client_as("contributor")
    client.get(f"/api/v1/needs/{need.pk}/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/api/v1/needs/{need.pk}/").status_code == 200
    assert len(captured) <= 14, [q["sql"] for q in captured]
