"""The cooperation API: list, detail, filters, modality preview and the IATI file."""

import pytest
from django.urls import reverse
from lxml import etree
from rest_framework.test import APIClient

from wipomatch.cooperation import iati, services
from wipomatch.cooperation.services import PartyData, ReportData
from wipomatch.members.tests.factories import UserFactory

from .factories import initiative_team, make_initiative, set_parties

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def team():
    return initiative_team()


def test_list_shows_published_only_to_visitors(api, team):
    published = make_initiative(team, published=True, results=True)
    make_initiative(team, title="Draft one")
    response = api.get("/api/v1/initiatives/")
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["results"]]
    assert ids == [published.pk]
    item = response.json()["results"][0]
    assert item["modality"] == {
        "value": "south-south",
        "derived": "south-south",
        "overridden": False,
        "reason": "south-south: the provider (Brazil) and the beneficiary (Mozambique) are in "
        "the Global South",
    }
    assert item["ppp"] is False
    assert item["parties"][0] == {
        "organisation": team["org"].pk,
        "name": team["org"].name,
        "country": "BR",
        "organisation_type": "ip-office",
        "role": "provider",
    }
    assert item["parties"][1]["organisation"] is None
    assert item["themes"] == ["ip-management"] and item["sdg_goals"] == [9]
    assert item["status"] == "2"
    indicator = item["results"][0]["indicators"][0]
    assert item["results"][0]["type"] == "output"
    assert indicator["target_value"] == "20.00" and indicator["actual_value"] is None


def test_detail_of_a_draft_is_404_for_others_but_visible_to_its_people(api, team):
    draft = make_initiative(team)
    assert api.get(f"/api/v1/initiatives/{draft.pk}/").status_code == 404
    api.force_authenticate(UserFactory())
    assert api.get(f"/api/v1/initiatives/{draft.pk}/").status_code == 404
    api.force_authenticate(team["contributor"])
    assert api.get(f"/api/v1/initiatives/{draft.pk}/").status_code == 200
    api.force_authenticate(team["facilitator"])
    assert api.get(f"/api/v1/initiatives/{draft.pk}/").status_code == 200
    assert api.get("/api/v1/initiatives/999999/").status_code == 404


def test_filters(api, team):
    south = make_initiative(team, published=True, title="South")
    north = make_initiative(team, published=True, title="North", countries=["SN"], sdg_goals=[4])
    services.initiative_set_parties(
        actor=team["focal"],
        initiative=north,
        parties=[
            PartyData(role="provider", name="INPI", country="FR", organisation_type="ip-office"),
            PartyData(role="beneficiary", name="Acme", country="SN", organisation_type="business"),
        ],
    )

    def ids(**params):
        response = api.get("/api/v1/initiatives/", params)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["results"]}

    assert ids(modality="north-south") == {north.pk}
    assert ids(modality="south-south") == {south.pk}
    assert ids(ppp="true") == {north.pk}
    assert ids(ppp="false") == {south.pk}
    assert ids(country="SN") == {north.pk}
    assert ids(country="mz") == {south.pk}
    assert ids(sdg=4) == {north.pk}
    assert ids(theme="ip-management") == {south.pk, north.pk}
    assert ids(region="002") == {south.pk, north.pk}  # Africa
    assert ids(region="150") == {north.pk}  # Europe (a party in France)
    assert ids(status="2") == {south.pk, north.pk}
    assert ids(status="4") == set()


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("modality", "bilateral"),
        ("country", "QQ"),
        ("theme", "astrology"),
        ("sdg", "18"),
        ("status", "9"),
        ("region", "999"),
        ("ppp", "maybe"),
    ],
)
def test_bad_filter_values_are_400(api, param, value):
    response = api.get("/api/v1/initiatives/", {param: value})
    assert response.status_code == 400
    assert param in response.json() or param in str(response.json())


def test_override_shows_in_the_api(api, team):
    initiative = make_initiative(team, published=True)
    services.initiative_override_modality(
        actor=team["facilitator"],
        initiative=initiative,
        modality="triangular",
        reason="UNDP funds it",
    )
    item = api.get(f"/api/v1/initiatives/{initiative.pk}/").json()
    assert item["modality"] == {
        "value": "triangular",
        "derived": "south-south",
        "overridden": True,
        "reason": "UNDP funds it",
    }


class TestModalityPreview:
    url = "/api/v1/modality-preview/"

    def test_anonymous_preview_in_english_and_french(self, api):
        body = {
            "parties": [
                {"country": "BR", "organisation_type": "ip-office", "role": "provider"},
                {"country": "MZ", "organisation_type": "business", "role": "beneficiary"},
                {"country": None, "organisation_type": "igo", "role": "funder", "name": "UNDP"},
                {"country": "CH", "organisation_type": "igo", "role": "facilitator"},
            ]
        }
        response = api.post(self.url, body, format="json")
        assert response.status_code == 200
        data = response.json()
        assert data["modality"] == "triangular" and data["ppp"] is True
        assert "supported by the funder (UNDP)" in data["reason"]
        response = api.post(self.url + "?lang=fr", body, format="json")
        assert response.json()["reason"].startswith("triangulaire : le fournisseur (Brésil)")

    def test_empty_party_list_is_other(self, api):
        response = api.post(self.url, {"parties": []}, format="json")
        assert response.status_code == 200 and response.json()["modality"] == "other"

    @pytest.mark.parametrize(
        ("party", "bad"),
        [
            ({"country": "XX", "organisation_type": "ip-office", "role": "provider"}, "XX"),
            ({"country": "BR", "organisation_type": "pirate", "role": "provider"}, "pirate"),
            ({"country": "BR", "organisation_type": "ip-office", "role": "sponsor"}, "sponsor"),
        ],
    )
    def test_unknown_values_are_400_naming_them(self, api, party, bad):
        response = api.post(self.url, {"parties": [party]}, format="json")
        assert response.status_code == 400
        assert bad in response.content.decode()

    def test_missing_parties_is_400(self, api):
        assert api.post(self.url, {}, format="json").status_code == 400
        assert api.post(self.url, {"parties": "BR"}, format="json").status_code == 400


class TestIati:
    def test_file_validates_against_the_official_schema(self, api, team):
        initiative = make_initiative(
            team,
            published=True,
            results=True,
            budget="150000",
            budget_currency="USD",
            sdg_targets=["9.5"],
            regions=["002"],
        )
        set_parties(
            team,
            initiative,
            PartyData(role="beneficiary", name="MZ", country="MZ", organisation_type="ip-office"),
            PartyData(role="funder", name="UNDP", organisation_type="igo"),
            PartyData(role="facilitator", name="WIPO", organisation_type="igo"),
        )
        report = services.report_submit(
            actor=team["focal"],
            initiative=initiative,
            data=ReportData(
                period_start=initiative.planned_start,
                period_end=initiative.planned_start.replace(month=6, day=30),
                narrative="Done",
                actuals={initiative.results.get().indicators.get().pk: 12},
            ),
        )
        services.report_accept(actor=team["facilitator"], report=report)
        make_initiative(
            team,
            published=True,
            title="Bare",
            planned_start=None,
            planned_end=None,
            themes=[],
            sdg_goals=[],
            countries=[],
        )
        make_initiative(team, title="Draft, not exported")

        response = api.get("/api/v1/initiatives/iati.xml")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/xml")
        assert iati.validate(response.content) == []
        tree = etree.fromstring(response.content)
        activities = tree.findall("iati-activity")
        assert len(activities) == 2
        first = next(
            a for a in activities if a.findtext("iati-identifier").endswith(f"-{initiative.pk}")
        )
        roles = [(p.get("role"), p.get("type")) for p in first.findall("participating-org")]
        assert roles == [("4", "10"), ("2", "10"), ("1", "40"), ("3", "40")]
        assert first.find("collaboration-type").get("code") == "8"  # triangular
        assert first.find("activity-status").get("code") == "2"
        assert {(t.get("vocabulary"), t.get("code")) for t in first.findall("tag")} == {
            ("2", "9"),
            ("3", "9.5"),
        }
        assert first.find("recipient-country").get("code") == "MZ"
        assert first.find("budget/value").get("currency") == "USD"
        assert first.find("result/indicator/period/actual").get("value") == "12"

    def test_invalid_document_is_reported(self):
        assert iati.validate(b"<iati-activities version='2.03'/>")

    def test_iati_route_comes_before_detail(self):
        assert reverse("initiative-iati") == "/api/v1/initiatives/iati.xml"


def test_schema_documents_the_endpoints(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    paths = response.json()["paths"]
    assert "/api/v1/initiatives/" in paths
    assert "/api/v1/initiatives/{id}/" in paths
    assert "/api/v1/modality-preview/" in paths
    assert "/api/v1/initiatives/iati.xml" in paths
    schemas = response.json()["components"]["schemas"]
    assert set(schemas["ModalityPreviewRequest"]["required"]) == {"parties"}
    party = (
        schemas["PreviewPartyRequest"]
        if "PreviewPartyRequest" in schemas
        else schemas["PreviewParty"]
    )
    assert party["properties"]["country"]["nullable"] is True
    assert set(party["required"]) >= {"country", "organisation_type", "role"}


def test_list_query_count_does_not_grow_with_the_page(api, team, django_assert_max_num_queries):
    for n in range(6):
        initiative = make_initiative(team, published=True, results=True, title=f"Initiative {n}")
        services.report_accept(
            actor=team["facilitator"],
            report=services.report_submit(
                actor=team["focal"],
                initiative=initiative,
                data=ReportData(
                    period_start=initiative.planned_start,
                    period_end=initiative.planned_start.replace(month=3),
                    narrative="n",
                    actuals={initiative.results.get().indicators.get().pk: 5},
                ),
            ),
        )
    with django_assert_max_num_queries(16):
        response = api.get("/api/v1/initiatives/")
    assert response.json()["count"] == 6
    assert response.json()["results"][0]["results"][0]["indicators"][0]["actual_value"] == "5.00"
