import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wipomatch.matching.engine.metrics import dcg, evaluate, ndcg_at_k, recall_at_k, reciprocal_rank


def test_hand_computed_example():
    # Need N1 judged: A=3, B=2, C=0, D=1; E unjudged (0). Ranking: C, A, E, D, B.
    # DCG@3 = (2^0-1)/log2(2) + (2^3-1)/log2(3) + 0 = 7/1.58496 = 4.41650
    # ideal order A, B, D: 7/1 + 3/log2(3) + 1/log2(4) = 7 + 1.89279 + 0.5 = 9.39279
    # nDCG@3 = 4.41650 / 9.39279 = 0.47020
    # MRR: first offer with rel >= 2 is A at rank 2 -> 0.5
    # Recall@3 (rel >= 2: A, B): only A in the top 3 -> 0.5; Recall@50: 1.0
    # Need N2 has only a rel-1 offer: counts for nDCG (ideal 1/1, ranked first: 1.0) but is
    # left out of MRR and recall, which have nothing to find.
    # Need N3 has no relevant offer at all: left out everywhere.
    judgements = {
        "N1": {"A": 3, "B": 2, "C": 0, "D": 1},
        "N2": {"X": 1},
        "N3": {"A": 0},
    }
    rankings = {"N1": ["C", "A", "E", "D", "B"], "N2": ["X", "Y"], "N3": ["A"]}
    summary = evaluate(rankings, judgements, k=3)
    assert summary.per_need["N1"]["ndcg@3"] == pytest.approx(0.47020, abs=1e-5)
    assert summary.values["ndcg@3"] == pytest.approx((0.47020 + 1.0) / 2, abs=1e-5)
    assert summary.values["mrr"] == pytest.approx(0.5)
    assert summary.values["recall@3"] == pytest.approx(0.5)
    assert summary.values["recall@50"] == pytest.approx(1.0)
    assert summary.counts == {"needs": 2, "needs_with_good": 1}


def test_candidate_restriction_for_the_cross_lingual_task():
    judgements = {"N1": {"A": 3, "B": 2}}
    # only B is in another language: ranking [A, B] becomes [B]
    summary = evaluate({"N1": ["A", "B"]}, judgements, k=10, candidates={"N1": ["B"]})
    assert summary.values["ndcg@10"] == 1.0
    assert summary.values["mrr"] == 1.0


def test_building_blocks():
    assert dcg([3, 2], 2) == pytest.approx(7 + 3 / math.log2(3))
    assert reciprocal_rank([0, 1, 2, 3]) == pytest.approx(1 / 3)
    assert reciprocal_rank([1, 1]) == 0.0
    assert recall_at_k([2, 0, 3], n_relevant=4, k=2) == 0.25
    assert ndcg_at_k([], [0, 0], 10) == 0.0


@given(st.lists(st.integers(0, 3), min_size=1, max_size=20))
def test_ndcg_is_between_zero_and_one_and_one_for_the_ideal_order(relevances):
    ideal = sorted(relevances, reverse=True)
    assert 0.0 <= ndcg_at_k(relevances, relevances, 10) <= 1.0 + 1e-12
    if any(relevances):
        assert ndcg_at_k(ideal, relevances, 10) == pytest.approx(1.0)
