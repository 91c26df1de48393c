import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wipomatch.matching.engine.lexical import BM25Index


def test_bm25_matches_the_formula_on_a_tiny_corpus():
    docs = [["patent", "patent", "training"], ["copyright"], ["patent", "copyright", "music"]]
    index = BM25Index(k1=1.2, b=0.75)
    index.build(range(3), docs)
    scores = index.scores(["patent"])
    n, df, avgdl = 3, 2, 7 / 3
    idf = math.log1p((n - df + 0.5) / (df + 0.5))

    def weight(tf, dl):
        return tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl))

    assert scores[0] == pytest.approx(idf * weight(2, 3), rel=1e-5)
    assert scores[1] == 0.0
    assert scores[2] == pytest.approx(idf * weight(1, 3), rel=1e-5)
    assert index.scores(["unknown"]).tolist() == [0.0, 0.0, 0.0]


def test_single_document_updates_and_removals():
    index = BM25Index()
    index.build(range(2), [["patent"], ["copyright"]])
    index.set(1, ["patent", "music"])  # update goes to the delta segment
    index.set(2, ["music"])  # new row
    assert index.scores(["copyright"]).tolist() == [0.0, 0.0, 0.0]
    assert index.scores(["music"])[1] > 0 and index.scores(["music"])[2] > 0
    index.remove(0)
    assert index.scores(["patent"])[0] == 0.0
    assert index.n_docs == 2


terms = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(st.lists(terms, min_size=1, max_size=8), st.lists(terms, min_size=1, max_size=4), terms)
def test_incremental_updates_score_like_a_fresh_build(initial, updates, query):
    incremental = BM25Index()
    incremental.build(range(len(initial)), initial)
    final = list(initial)
    for i, doc in enumerate(updates):
        row = i % (len(initial) + 1)
        incremental.set(row, doc)
        if row < len(final):
            final[row] = doc
        else:
            final.append(doc)
    fresh = BM25Index()
    fresh.build(range(len(final)), final)
    expected = fresh.scores(query, len(final))
    # before a rebuild only the frozen average length differs: the same rows match
    assert np.array_equal(incremental.scores(query, len(final)) > 0, expected > 0)
    incremental.rebuild()
    assert np.allclose(incremental.scores(query, len(final)), expected, rtol=1e-5, atol=1e-6)
