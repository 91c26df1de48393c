import json

import numpy as np
import pytest

from wipomatch.matching.engine.config import EngineConfig
from wipomatch.matching.engine.index import EngineError, MatchIndex

from .factories import need, offer


def test_search_ranks_the_matching_offer_first_with_an_explanation(index, catalogue):
    _, needs = catalogue
    results = index.search(needs[0], k=3)
    assert results[0].ref == "O1"
    assert [s.rank for s in results] == list(range(1, len(results) + 1))
    assert results[0].score >= results[-1].score
    top = results[0]
    assert top.explanation.shared_themes == ("public-health",)
    assert top.explanation.shared_ip_areas == ("patents",)
    assert top.explanation.matching_assistance_types == ("training",)
    assert set(top.signals) >= {"semantic", "lexical", "themes", "ip_areas", "assistance"}
    assert json.loads(json.dumps(top.to_dict()))["ref"] == "O1"


def test_offers_whose_eligibility_excludes_the_seeker_are_filtered(index, catalogue):
    _, needs = catalogue  # N1 is in Kenya: O3 (Latin America only) is not available to it
    refs = [s.ref for s in index.search(needs[0], k=10)]
    assert "O3" not in refs
    assert "O4" in refs  # restricted to Africa (002), which contains Kenya


def test_demote_mode_keeps_ineligible_offers_but_lower(catalogue, geography, embedder):
    offers, needs = catalogue
    demoting = MatchIndex.build(
        offers,
        needs,
        config=EngineConfig(eligibility="demote"),
        embedder=embedder,
        geography=geography,
    )
    results = demoting.search(needs[0], k=10)
    refs = [s.ref for s in results]
    assert "O3" in refs
    assert results[refs.index("O3")].signals["eligible"] == 0.0
    assert results[refs.index("O3")].explanation.eligibility.status == "excluded"


def test_rank_lists_excluded_offers_after_the_candidates(index, catalogue):
    _, needs = catalogue
    ranking = index.rank(needs[0])
    assert ranking.excluded == ["O3"]
    assert sorted(ranking.refs + ranking.excluded) == ["O1", "O2", "O3", "O4"]
    assert list(ranking.scores) == sorted(ranking.scores, reverse=True)


def test_filters_restrict_candidates(index, catalogue):
    _, needs = catalogue
    refs = [
        s.ref for s in index.search(needs[0], k=10, filters={"themes": ["creative-industries"]})
    ]
    assert refs == ["O2"]
    refs = [s.ref for s in index.search(needs[0], k=10, filters={"exclude_languages": ["en"]})]
    assert refs == ["O2"]


def test_search_needs_for_an_offer_uses_the_same_signals(index, catalogue):
    offers, needs = catalogue
    for_offer = index.search_needs(offers[1], k=2)
    assert for_offer[0].ref == "N2"
    assert for_offer[0].explanation.shared_ip_areas == ("copyright",)
    # the raw signals of a pair do not depend on which side asked (except BM25, whose idf
    # comes from the collection being searched)
    for_need = {s.ref: s for s in index.search(needs[1], k=10)}["O2"]
    for name in ("semantic", "semantic_centered", "themes", "ip_areas", "assistance", "language"):
        assert for_offer[0].signals[name] == pytest.approx(for_need.signals[name], rel=1e-5)


def test_update_and_remove_one_listing(index, catalogue, embedder):
    _, needs = catalogue
    replacement = offer(
        "O2",
        title="Pharmaceutical patent examination guidelines",
        description="Expert advice on pharmaceutical patent examination guidelines.",
        themes=("public-health",),
        assistance_types=("training",),
    )
    index.add(replacement)  # embedded with the index's embedder, replaces the old O2
    assert index.get("O2", "offer") is replacement
    top_two = {s.ref for s in index.search(needs[0], k=2)}
    assert top_two == {"O1", "O2"}
    assert index.remove("O1", kind="offer")
    assert not index.remove("O1", kind="offer")
    assert "O1" not in [s.ref for s in index.search(needs[0], k=10)]
    index.add(offer("O9", title="Patent examination training"), embedding=np.ones(embedder.dim))
    assert len(index.offers) == 4  # O1 removed, O9 reuses its row
    assert "O9" in [s.ref for s in index.search(needs[0], k=10)]


def test_query_for_a_need_that_is_not_indexed_is_embedded(index, embedder):
    ad_hoc = need("new", title="Music copyright royalties software", country="FR")
    assert index.search(ad_hoc, k=1)[0].ref == "O2"
    explicit = index.search(ad_hoc, k=1, embedding=embedder.encode([ad_hoc.text])[0])
    assert explicit[0].ref == "O2"


def test_without_embedder_stored_vectors_are_required(catalogue, geography):
    offers, _ = catalogue
    index = MatchIndex(geography=geography, dim=8)
    with pytest.raises(EngineError, match="embedder"):
        index.load(offers)
    with pytest.raises(EngineError, match="dimension"):
        index.load(offers, np.ones((len(offers), 4)))


def test_collections_grow_past_their_initial_capacity(geography, embedder):
    offers = [offer(f"O{i}", title=f"Offer number {i} patents") for i in range(40)]
    index = MatchIndex(geography=geography, embedder=embedder)
    for doc in offers:
        index.add(doc)
    assert len(index.offers) == 40
    assert len(index.search(need("N"), k=50)) == 40


def test_projection_for_large_catalogues(catalogue, geography, embedder):
    offers, needs = catalogue
    config = EngineConfig(projection_dims=3, projection_min_listings=2)
    small = MatchIndex.build(offers, needs, config=config, geography=geography, embedder=embedder)
    assert small.projection is not None and small.offers.dim == 3
    assert small.search(needs[0], k=1)[0].ref == "O1"
    small.add(offer("O5"))  # full-size embedding from the embedder, projected on the way in
    assert small.offers.emb.shape[1] == 3


def test_empty_index_and_k_zero(geography, embedder):
    index = MatchIndex(geography=geography, embedder=embedder)
    assert index.search(need("N"), k=10) == []
    assert index.search(need("N"), k=0) == []


def test_passages_are_explained_with_the_embedder_when_enabled(catalogue, geography, embedder):
    offers, needs = catalogue
    index = MatchIndex.build(
        offers,
        needs,
        config=EngineConfig(explain_passages=True),
        geography=geography,
        embedder=embedder,
    )
    passages = index.search(needs[0], k=1)[0].explanation.matched_passages
    assert passages and "pharmaceutical" in passages[0].offer.lower()
