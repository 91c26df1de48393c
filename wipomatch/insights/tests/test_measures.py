"""Each measure on a small example computed by hand (the arithmetic is written in the comments)."""

import math
from datetime import UTC, datetime, timedelta

import pytest

from wipomatch.insights import measures
from wipomatch.insights.measures import CaseRecord, Collaboration, InitiativeRecord

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_evenness_of_a_perfectly_even_spread_over_all_categories_is_one():
    assert measures.shannon_evenness({"a": 3, "b": 3, "c": 3}, 3) == 1.0


def test_evenness_of_a_single_category_is_zero():
    assert measures.shannon_evenness({"a": 7}, 5) == 0.0


def test_evenness_by_hand():
    # p = (1/2, 1/4, 1/4); H = 1/2 ln 2 + 2 * 1/4 ln 4 = 1.5 ln 2 = 1.03972;
    # K = 4 possible categories: J = 1.5 ln 2 / ln 4 = 0.75
    assert measures.shannon_evenness({"a": 2, "b": 1, "c": 1, "d": 0}, 4) == 0.75


def test_evenness_counts_unobserved_categories_as_possible():
    # Two even categories out of 2 possible → 1; out of 4 possible → ln 2 / ln 4 = 0.5
    assert measures.shannon_evenness({"a": 1, "b": 1}, 2) == 1.0
    assert measures.shannon_evenness({"a": 1, "b": 1}, 4) == 0.5


def test_evenness_is_undefined_without_data_or_with_fewer_than_two_categories():
    assert measures.shannon_evenness({}, 5) is None
    assert measures.shannon_evenness({"a": 3}, 1) is None


def test_share_and_median():
    assert measures.share(1, 3) == 0.3333
    assert measures.share(0, 0) is None
    pairs = [(T0, T0 + timedelta(days=d)) for d in (1, 3, 10, 2)]
    assert measures.median_days(pairs) == 2.5  # median of 1, 2, 3, 10
    assert measures.median_days([(T0, T0 + timedelta(hours=12))]) == 0.5
    assert measures.median_days([]) is None


def _graph_example():
    # Organisations 1 (region 002), 2 (019), 3 (142), 4 (002), 5 (150), 6 (150).
    # Links: 1-2 (case), 1-3 (case), 1-2 (initiative, a repeat), 2-3 via a 3-party initiative
    # {1, 2, 3} → edges 1-2 (3rd time), 1-3 (2nd), 2-3; separate component 5-6.
    # Organisation 4 takes part in nothing.
    collabs = [
        Collaboration("case", 1, (1, 2)),
        Collaboration("case", 2, (1, 3)),
        Collaboration("initiative", 1, (1, 2)),
        Collaboration("initiative", 2, (1, 2, 3)),
        Collaboration("case", 3, (5, 6)),
    ]
    regions = {1: "002", 2: "019", 3: "142", 4: "002", 5: "150", 6: "150"}
    return collabs, regions


def test_graph_measures_by_hand():
    collabs, regions = _graph_example()
    result = measures.connectedness(collabs, regions)
    assert result["organisations"] == 5  # 1, 2, 3, 5, 6
    assert result["links"] == 4  # 1-2, 1-3, 2-3, 5-6
    assert result["components"] == 2  # {1, 2, 3} and {5, 6}
    assert result["largest_component_share"] == 0.6  # 3 of 5
    # Pairs linked at least twice: 1-2 (3 times), 1-3 (twice); 2-3 and 5-6 once.
    assert result["repeat_collaborations"] == 2


def test_bridging_organisations_by_hand():
    collabs, regions = _graph_example()
    rows = measures.connectedness(collabs, regions)["bridging_organisations"]
    # 1's partners are in 019 and 142; 2's in 002 and 142; 3's in 002 and 019: all three
    # bridge two regions. 5 and 6 only reach 150. Ties broken by degree (2 each), then id.
    assert [r["id"] for r in rows] == [1, 2, 3]
    assert rows[0] == {"id": 1, "regions": ["019", "142"], "links": 2}


def test_empty_graph():
    result = measures.connectedness([], {})
    assert result == {
        "organisations": 0,
        "links": 0,
        "components": 0,
        "largest_component_share": None,
        "bridging_organisations": [],
        "repeat_collaborations": 0,
    }


def _case(pk, state, answered_after=None, mutual_after=None, ratings=(), proposed=False):
    return CaseRecord(
        id=pk,
        need_org=1,
        offer_org=2,
        created=T0,
        state=state,
        answered=T0 + timedelta(days=answered_after) if answered_after is not None else None,
        mutual=T0 + timedelta(days=mutual_after) if mutual_after is not None else None,
        ratings=ratings,
        awaits_answer=not proposed,
    )


def test_responsiveness_by_hand():
    cases = [
        _case(1, "mutual", answered_after=2, mutual_after=2),
        _case(2, "declined", answered_after=6),
        _case(3, "interest"),  # not answered yet
        _case(4, "lapsed"),  # never answered
        _case(5, "withdrawn"),  # withdrawn before an answer: not counted
        _case(6, "mutual", answered_after=1, proposed=True),  # proposed by staff: not counted
    ]
    result = measures.responsiveness(cases)
    # 2 answered of 4 asked; median of 2 and 6 days = 4
    assert result == {"answered_share": 0.5, "median_answer_days": 4.0}


def test_satisfaction_by_hand():
    cases = [_case(1, "agreement", ratings=(5, 4)), _case(2, "no_agreement", ratings=(2,))]
    result = measures.satisfaction(cases)
    assert result["responses"] == 3
    assert result["mean"] == pytest.approx(11 / 3, abs=0.005)
    assert result["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert measures.satisfaction([])["mean"] is None


def test_initiative_shares_by_hand():
    items = [
        InitiativeRecord(1, T0, "south-south", ppp=True, ldc_beneficiary=True),
        InitiativeRecord(2, T0, "south-south", ppp=False, ldc_beneficiary=True),
        InitiativeRecord(3, T0, "triangular", ppp=False),
        InitiativeRecord(4, T0, "unknown", ppp=True),
    ]
    assert measures.modality_share(items) == {
        "south-south": 0.5,
        "triangular": 0.25,
        "north-south": 0.0,
        "other": 0.25,
    }
    assert measures.ppp_share(items) == 0.5
    assert measures.ldc_beneficiary_share(items) == 0.5
    assert measures.modality_share([])["south-south"] is None
    assert math.isclose(sum(measures.modality_share(items).values()), 1.0)


def test_chart_specs_are_valid_vega_lite_and_mirror_in_arabic():
    from wipomatch.insights.charts import Chart, bar_spec

    chart = Chart("k", "Title", "Number", [("a", 1), ("b", None)], rtl=True)
    spec = bar_spec(chart, validate=True)  # raises on a spec Vega-Lite would refuse
    assert spec["encoding"]["x"]["scale"]["reverse"] is True
    assert spec["encoding"]["y"]["axis"]["orient"] == "right"
    assert chart.alt_text == "Title. a: 1; b: —."
    ltr = Chart("k", "Title", "Share", [("a", 0.5)], percent=True)
    assert bar_spec(ltr, validate=True)["encoding"]["x"]["scale"]["reverse"] is False
    assert ltr.table == [("a", "50.0 %")]
    assert ltr.digest != chart.digest
