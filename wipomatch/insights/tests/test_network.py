"""Measures over real cases (brokering) and initiatives (cooperation), computed by hand."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from wipomatch.insights.selectors import Breakdown, compute_metrics, drill_down, parse_period

from .scenario import build_network

pytestmark = pytest.mark.django_db
YEAR = parse_period(f"{date.today().year}-01-01", f"{date.today().year}-12-31")


@pytest.fixture
def network():
    return build_network()


def test_funnel_responsiveness_and_satisfaction_by_hand(network):
    m = compute_metrics(YEAR, Breakdown())
    assert m["funnel"]["interest"] == 3
    assert m["funnel"]["mutual"] == 1
    assert m["funnel"]["agreement"] == 1
    assert m["funnel"]["initiatives"] == 1
    assert m["funnel"]["completed_with_results"] == 0
    # 2 answered (accepted, declined) of 3 interests
    assert m["responsiveness"]["answered_share"] == 0.6667
    assert m["responsiveness"]["median_answer_days"] is not None
    assert m["satisfaction"] == {
        "responses": 2,
        "mean": 4.5,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1},
    }


def test_initiative_shares_by_hand(network):
    m = compute_metrics(YEAR, Breakdown())
    assert network["initiative"].modality == "triangular"
    assert m["modality_share"] == {
        "south-south": 0.0,
        "triangular": 1.0,
        "north-south": 0.0,
        "other": 0.0,
    }
    assert m["ppp_share"] == 0.0
    assert m["ldc_beneficiary_share"] == 1.0  # Mozambique benefits


def test_connectedness_over_cases_and_initiatives_by_hand(network):
    c = compute_metrics(YEAR, Breakdown())["connectedness"]
    # Edges: KE–BR (mutual case 1 and the initiative: twice), KE–IN and BR–IN (initiative).
    # The declined and unanswered cases do not link; the external funder is not a member.
    assert c["organisations"] == 3
    assert c["links"] == 3
    assert c["components"] == 1
    assert c["largest_component_share"] == 1.0
    assert c["repeat_collaborations"] == 1
    # Each of the three is linked to partners in the two other regions.
    assert {row["name"] for row in c["bridging_organisations"]} == {
        "Office KE",
        "Office BR",
        "Office IN",
    }


def test_breakdowns_apply_to_cases_and_initiatives(network):
    health = compute_metrics(YEAR, Breakdown(theme="public-health"))
    assert health["funnel"]["interest"] == 2  # case 3 is about the IP-management need
    assert health["funnel"]["initiatives"] == 1
    management = compute_metrics(YEAR, Breakdown(theme="ip-management"))
    assert management["funnel"]["interest"] == 1
    assert management["funnel"]["initiatives"] == 0
    europe = compute_metrics(YEAR, Breakdown(region="150"))
    assert europe["funnel"]["initiatives"] == 1  # the Norwegian funder
    assert europe["funnel"]["interest"] == 0
    oceania = compute_metrics(YEAR, Breakdown(region="009"))
    assert oceania["funnel"]["initiatives"] == 0
    ldc = compute_metrics(YEAR, Breakdown(country_group="ldc"))
    assert ldc["funnel"]["initiatives"] == 1  # Mozambique benefits
    assert compute_metrics(YEAR, Breakdown(modality="south-south"))["funnel"]["initiatives"] == 0


def test_period_excludes_what_happened_outside_it(network):
    last_year = date.today().year - 1
    m = compute_metrics(parse_period(f"{last_year}-01-01", f"{last_year}-12-31"), Breakdown())
    assert m["funnel"]["interest"] == 0
    assert m["funnel"]["initiatives"] == 0
    assert m["connectedness"]["organisations"] == 0


def test_drill_down_lists_cases_and_initiatives(network):
    agreed = drill_down(YEAR, Breakdown(), "agreement")
    assert agreed["kind"] == "cases"
    assert [row["id"] for row in agreed["rows"]] == [network["case1"].pk]
    assert agreed["rows"][0]["url"].endswith(f"/{network['case1'].pk}/")
    unanswered = drill_down(YEAR, Breakdown(), "unanswered")
    assert len(unanswered["rows"]) == 1
    initiatives = drill_down(YEAR, Breakdown(), "initiatives")
    assert [row["title"] for row in initiatives["rows"]] == ["Examiner training"]


def test_public_dashboard_never_names_people_or_case_details(network):
    body = APIClient().get("/en/insights/").content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    assert "Two workshops." not in main
    assert "We can train your examiners." not in main
    assert "Examiner training" not in main
    assert f"/matches/{network['case1'].pk}/" not in main


def test_metrics_api_over_cases(network):
    body = APIClient().get("/api/v1/insights/metrics/").json()
    assert body["funnel"]["interest"] == 3
    assert body["modality_share"]["triangular"] == 1.0


def test_agreement_to_initiative_delay_uses_the_case_the_initiative_came_from(network):
    from wipomatch.cooperation.models import Initiative

    assert (
        compute_metrics(YEAR, Breakdown())["funnel"]["median_days"]["agreement_to_initiative"]
        is None
    )
    Initiative.objects.filter(pk=network["initiative"].pk).update(source_case=network["case1"])
    days = compute_metrics(YEAR, Breakdown())["funnel"]["median_days"]["agreement_to_initiative"]
    assert days is not None and 0 <= days < 1  # closed, then the initiative right after
