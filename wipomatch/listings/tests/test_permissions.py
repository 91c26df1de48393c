"""Who may open or do what, for every view of needs and offers.

200 = the page, LOGIN = redirect to sign in, 403 = may see but not change, 404 = may not even see,
DONE = the action was carried out (a redirect elsewhere than the sign-in page).
"""

from dataclasses import replace

import pytest
from django.test import Client
from django.urls import reverse

from wipomatch.members.models import Membership
from wipomatch.members.tests.factories import (
    AdminFactory,
    ApplicationFactory,
    FacilitatorFactory,
    FocalPointFactory,
    MembershipFactory,
    OrganisationFactory,
)

from .. import services
from ..models import Listing, Status
from ..validation import listing_data_of
from .factories import NeedFactory, OfferFactory

pytestmark = pytest.mark.django_db

LOGIN, DONE = "login", "done"
ROLES = ("anonymous", "applicant", "contributor", "other_focal_point", "facilitator", "admin")


@pytest.fixture
def world(db):
    """An approved organisation with a contributor and listings in several statuses, a focal
    point of another organisation, a pending applicant and the staff."""
    org = OrganisationFactory()
    contributor = MembershipFactory(organisation=org, role=Membership.Role.CONTRIBUTOR).user
    facilitator = FacilitatorFactory()
    listings = {
        "draft": NeedFactory(organisation=org, user=contributor),
        "submitted": NeedFactory(organisation=org, user=contributor, status=Status.SUBMITTED),
        "published": NeedFactory(
            organisation=org, user=contributor, status=Status.PUBLISHED, facilitator=facilitator
        ),
        "offer": OfferFactory(
            organisation=org, user=contributor, status=Status.PUBLISHED, facilitator=facilitator
        ),
    }
    revised = NeedFactory(
        organisation=org, user=contributor, status=Status.PUBLISHED, facilitator=facilitator
    )
    data = replace(listing_data_of(revised), title="A proposed new title")
    services.listing_update(user=contributor, listing=revised, data=data)
    return {
        "listings": listings,
        "revision": services.pending_revision_of(revised),
        "users": {
            "anonymous": None,
            "applicant": ApplicationFactory().applicant,
            "contributor": contributor,
            "other_focal_point": FocalPointFactory().user,
            "facilitator": facilitator,
            "admin": AdminFactory(),
        },
    }


def _pk(name):
    return lambda w: [w["listings"][name].pk]


# URL name → (method, URL arguments from the world, POST data, expected per role in ROLES order)
MATRIX = {
    "need_list": ("get", lambda w: [], None, [200] * 6),
    "offer_list": ("get", lambda w: [], None, [200] * 6),
    "need_detail:published": ("get", _pk("published"), None, [200] * 6),
    "offer_detail:offer": ("get", _pk("offer"), None, [200] * 6),
    "need_detail:draft": ("get", _pk("draft"), None, [404, 404, 200, 404, 200, 200]),
    "need_detail:submitted": ("get", _pk("submitted"), None, [404, 404, 200, 404, 200, 200]),
    "need_create": ("get", lambda w: [], None, [LOGIN, 403, 200, 200, 403, 403]),
    "offer_create": ("get", lambda w: [], None, [LOGIN, 403, 200, 200, 403, 403]),
    "listing_edit:draft": ("get", _pk("draft"), None, [LOGIN, 404, 200, 404, 200, 200]),
    "listing_edit:published": ("get", _pk("published"), None, [LOGIN, 403, 200, 403, 200, 200]),
    "listing_edit:post": (
        "post",
        _pk("published"),
        {"title": "Taken over"},
        [LOGIN, 403, 200, 403, 200, 200],  # 200: the form comes back with its errors
    ),
    "listing_submit:draft": ("post", _pk("draft"), {}, [LOGIN, 404, DONE, 404, DONE, DONE]),
    "listing_submit:published": (
        "post",
        _pk("published"),
        {},
        [LOGIN, 403, DONE, 403, DONE, DONE],  # done = refused with a message, no change
    ),
    "listing_close:get": ("get", _pk("published"), None, [LOGIN, 403, 200, 403, 200, 200]),
    "listing_close:post": (
        "post",
        _pk("published"),
        {"reason": "withdrawn"},
        [LOGIN, 403, DONE, 403, DONE, DONE],
    ),
    "listing_close:draft": ("get", _pk("draft"), None, [LOGIN, 404, 200, 404, 200, 200]),
    "listing_renew": ("post", _pk("published"), {}, [LOGIN, 403, DONE, 403, DONE, DONE]),
    "listing_review:get": ("get", _pk("submitted"), None, [LOGIN, 404, 403, 404, 200, 200]),
    "listing_review:published": (
        "get",
        _pk("published"),
        None,
        [LOGIN, 403, 403, 403, 200, 200],
    ),
    "listing_review:post": (
        "post",
        _pk("submitted"),
        {"decision": "publish"},
        [LOGIN, 404, 403, 404, DONE, DONE],
    ),
    "my_listings": ("get", lambda w: [], None, [LOGIN, 200, 200, 200, 200, 200]),
    "review_queue": ("get", lambda w: [], None, [LOGIN, 403, 403, 403, 200, 200]),
    "review_queue:post": (
        "post",
        lambda w: [],
        {"listings": "submitted", "confirmed": "1"},
        [LOGIN, 403, 403, 403, DONE, DONE],
    ),
    "revision_review:get": (
        "get",
        lambda w: [w["revision"].pk],
        None,
        [LOGIN, 404, 200, 404, 200, 200],
    ),
    "revision_review:post": (
        "post",
        lambda w: [w["revision"].pk],
        {"decision": "accept"},
        [LOGIN, 404, 403, 404, DONE, DONE],
    ),
    "revision_withdraw": (
        "post",
        lambda w: [w["revision"].pk],
        {},
        [LOGIN, 404, DONE, 404, DONE, DONE],  # staff: refused with a message, no change
    ),
    "theme_page": ("get", lambda w: ["public-health"], None, [200] * 6),
    "country_page": ("get", lambda w: ["SN"], None, [200] * 6),
}

CASES = [
    pytest.param(case, role, expected, id=f"{case}-{role}")
    for case, (_m, _a, _d, outcomes) in MATRIX.items()
    for role, expected in zip(ROLES, outcomes, strict=True)
]


@pytest.mark.parametrize(("case", "role", "expected"), CASES)
def test_permission_matrix(world, case, role, expected):
    method, args, data, _outcomes = MATRIX[case]
    name = case.split(":")[0]
    client = Client()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    if data and data.get("listings") == "submitted":
        data = {**data, "listings": world["listings"]["submitted"].pk}
    namespace = "web" if name in ("theme_page", "country_page") else "listings"
    url = reverse(f"{namespace}:{name}", args=args(world))
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == DONE:
        assert response.status_code == 302, response.status_code
        assert not response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


def test_the_matrix_covers_every_page_of_needs_and_offers():
    from .. import urls, views

    names = {p.name for p in urls.urlpatterns if p.callback.__module__ == views.__name__}
    assert len(names) == 15
    assert names <= {case.split(":")[0] for case in MATRIX}
    # the theme and country pages are web's, and they show published listings only
    assert {"theme_page", "country_page"} <= {case.split(":")[0] for case in MATRIX}


@pytest.mark.parametrize("role", ROLES)
def test_drafts_of_others_never_show_anywhere(world, role):
    client = Client()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    draft, submitted = world["listings"]["draft"], world["listings"]["submitted"]
    Listing.objects.filter(pk=draft.pk).update(title="Secret draft title")
    Listing.objects.filter(pk=submitted.pk).update(title="Secret submitted title")
    pages = [
        reverse("listings:need_list"),
        reverse("web:theme_page", args=["public-health"]),
        reverse("web:country_page", args=["SN"]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "Secret draft title" not in body and "Secret submitted title" not in body, url


def test_a_listing_is_reached_only_under_its_own_kind(world):
    need = world["listings"]["published"]
    offer = world["listings"]["offer"]
    client = Client()
    assert client.get(reverse("listings:offer_detail", args=[need.pk])).status_code == 404
    assert client.get(reverse("listings:need_detail", args=[offer.pk])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        ("listings:need_detail", [999999]),
        ("listings:listing_edit", [999999]),
        ("web:theme_page", ["no-such-theme"]),
        ("web:theme_page", ["patents"]),  # an IP area, not a theme
        ("web:country_page", ["XX"]),
    ],
)
def test_unknown_objects_are_404(world, url):
    client = Client()
    client.force_login(world["users"]["facilitator"])
    name, args = url
    assert client.get(reverse(name, args=args)).status_code == 404


def test_get_is_refused_on_one_click_actions(world):
    client = Client()
    client.force_login(world["users"]["contributor"])
    pk = world["listings"]["published"].pk
    for name in ("listing_submit", "listing_renew"):
        assert client.get(reverse(f"listings:{name}", args=[pk])).status_code == 405
