"""GET /api/v1/insights/metrics/: shape, period boundaries, breakdowns, errors."""

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from wipomatch.insights.selectors import Breakdown, compute_metrics, parse_period
from wipomatch.listings.models import Listing
from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.members.models import Organisation
from wipomatch.members.tests.factories import OrganisationFactory, country

URL = "/api/v1/insights/metrics/"
# The top-level sections of the metrics document: exactly these, in the answer and the schema.
SECTIONS = {
    "period",
    "reach",
    "funnel",
    "responsiveness",
    "diversity",
    "connectedness",
    "modality_share",
    "ppp_share",
    "ldc_beneficiary_share",
    "satisfaction",
    "suggestions",
}
pytestmark = pytest.mark.django_db


def _published_at(listing, when):
    Listing.objects.filter(pk=listing.pk).update(published_at=when)


def _at(day, hour=0, minute=0, second=0):
    return datetime(2026, *day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def world():
    """Two organisations in Africa (Senegal, an LDC, and Kenya), one in the Americas (Brazil)."""
    sn = OrganisationFactory(country=country("SN"), org_type="ip-office", approved_at=_at((1, 5)))
    ke = OrganisationFactory(country=country("KE"), org_type="academia", approved_at=_at((3, 1)))
    br = OrganisationFactory(country=country("BR"), org_type="business", approved_at=_at((2, 1)))
    OrganisationFactory(status=Organisation.Status.PENDING, approved_at=_at((3, 2)))
    n1 = NeedFactory(organisation=sn, status="published", themes=["public-health"])
    n2 = NeedFactory(organisation=ke, status="published", themes=["green-innovation"])
    o1 = OfferFactory(organisation=br, status="published", themes=["public-health"])
    draft = NeedFactory(organisation=br)
    _published_at(draft, _at((3, 3)))  # a draft never published: not counted
    closed = NeedFactory(organisation=sn, status="closed")
    # Period boundaries: the first second of 1 March and the last second of 31 March.
    _published_at(n1, _at((3, 1)))
    _published_at(n2, _at((3, 31), 23, 59, 59))
    _published_at(o1, _at((4, 1)))  # the day after
    _published_at(closed, _at((3, 15)))  # no longer public: not counted
    return {"sn": sn, "ke": ke, "br": br, "draft": draft}


def test_shape_is_exactly_the_documented_one(world):
    body = APIClient().get(URL, {"from": "2026-03-01", "to": "2026-03-31"}).json()
    assert set(body) == SECTIONS
    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert set(body["reach"]) == {"active_organisations", "countries", "ldcs", "new_organisations"}
    assert set(body["funnel"]) == {
        "published_needs",
        "published_offers",
        "suggested",
        "interest",
        "mutual",
        "agreement",
        "initiatives",
        "completed_with_results",
        "median_days",
    }
    assert set(body["responsiveness"]) == {"answered_share", "median_answer_days"}
    assert set(body["diversity"]) == {"regions", "organisation_types", "themes"}
    assert set(body["connectedness"]) == {
        "organisations",
        "links",
        "components",
        "largest_component_share",
        "bridging_organisations",
        "repeat_collaborations",
    }
    assert set(body["modality_share"]) == {"south-south", "triangular", "north-south", "other"}
    assert set(body["satisfaction"]) == {"responses", "mean", "distribution"}
    assert set(body["satisfaction"]["distribution"]) == {"1", "2", "3", "4", "5"}
    assert set(body["suggestions"]) == {"dismissed_share", "acted_share"}


def test_period_boundaries_include_the_first_and_last_second(world):
    body = APIClient().get(URL, {"from": "2026-03-01", "to": "2026-03-31"}).json()
    assert body["funnel"]["published_needs"] == 2  # n1 at 00:00:00, n2 at 23:59:59
    assert body["funnel"]["published_offers"] == 0  # o1 on 1 April
    assert body["reach"] == {
        "active_organisations": 2,
        "countries": 2,
        "ldcs": 1,  # Senegal
        "new_organisations": 1,  # KE approved on 1 March; SN in January, BR in February
    }
    april = APIClient().get(URL, {"from": "2026-04-01", "to": "2026-04-01"}).json()
    assert april["funnel"]["published_offers"] == 1
    assert april["funnel"]["published_needs"] == 0


def test_diversity_by_hand(world):
    body = APIClient().get(URL, {"from": "2026-03-01", "to": "2026-04-30"}).json()
    # Active: SN (Africa), KE (Africa), BR (Americas): regions p = (2/3, 1/3) over the 5 M49
    # regions: H = -(2/3 ln 2/3 + 1/3 ln 1/3) = 0.6365; J = 0.6365 / ln 5 = 0.3955
    assert body["diversity"]["regions"] == pytest.approx(0.3955, abs=1e-4)
    # Three different types: H = ln 3 over the 12 organisation types: ln 3 / ln 12 = 0.4421
    assert body["diversity"]["organisation_types"] == pytest.approx(0.4421, abs=1e-4)


def test_breakdowns_narrow_the_figures(world):
    client = APIClient()
    params = {"from": "2026-03-01", "to": "2026-04-30"}
    by_theme = client.get(URL, {**params, "theme": "green-innovation"}).json()
    assert by_theme["funnel"]["published_needs"] == 1
    assert by_theme["funnel"]["published_offers"] == 0
    africa = client.get(URL, {**params, "region": "002"}).json()
    assert africa["funnel"]["published_needs"] == 2
    assert africa["funnel"]["published_offers"] == 0
    assert africa["reach"]["active_organisations"] == 2
    ldc = client.get(URL, {**params, "country_group": "ldc"}).json()
    assert ldc["reach"]["active_organisations"] == 1
    business = client.get(URL, {**params, "organisation_type": "business"}).json()
    assert business["funnel"]["published_offers"] == 1
    assert business["funnel"]["published_needs"] == 0


def test_non_public_records_are_never_counted(world):
    metrics = compute_metrics(parse_period("2026-01-01", "2026-12-31"), Breakdown())
    # The draft, the closed need and the pending organisation are not public.
    assert metrics["funnel"]["published_needs"] == 2
    assert metrics["reach"]["active_organisations"] == 3


@pytest.mark.parametrize(
    "params, field, words",
    [
        ({"from": "2026-02-30"}, "from", "YYYY-MM-DD"),
        ({"to": "yesterday"}, "to", "YYYY-MM-DD"),
        ({"from": "2026-05-01", "to": "2026-04-30"}, "to", "before it starts"),
        ({"from": "1900-01-01", "to": "2026-01-01"}, "from", "20 years"),
        ({"theme": "<script>"}, "theme", "Unknown value"),
        ({"region": "999"}, "region", "Unknown value"),
        ({"modality": "sideways"}, "modality", "Unknown value"),
        ({"country_group": "g77"}, "country_group", "Unknown value"),
    ],
)
def test_bad_parameters_are_400_saying_why(params, field, words):
    response = APIClient().get(URL, params)
    assert response.status_code == 400
    assert words in response.json()[field][0]


def test_errors_are_translated():
    response = APIClient().get(URL, {"from": "2026-05-01", "to": "2026-04-30", "lang": "fr"})
    assert response.status_code == 400
    assert "2026-04-30" in response.json()["to"][0]
    assert "The period ends" not in response.json()["to"][0]


def test_schema_declares_the_endpoint_exactly():
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    op = schema["paths"]["/api/v1/insights/metrics/"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert {"from", "to", "theme", "region", "modality", "organisation_type"} <= names
    assert "400" in op["responses"]
    metrics = schema["components"]["schemas"]["Metrics"]
    assert set(metrics["required"]) == SECTIONS
    assert metrics["properties"]["ppp_share"]["nullable"] is True
    modality = schema["components"]["schemas"]["ModalityShare"]
    assert set(modality["properties"]) == {"south-south", "triangular", "north-south", "other"}
