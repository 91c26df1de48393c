import numpy as np
import pytest

from wipomatch.matching.engine.fusion import fuse, reciprocal_rank, standardize


def test_standardize_uses_the_masked_rows_and_clips():
    values = np.array([1.0, 2.0, 3.0, 100.0], dtype=np.float32)
    mask = np.array([True, True, True, False])
    z = standardize(values, mask, clip=2.0)
    # mean 2, std sqrt(2/3) over the first three rows
    assert z[:3] == pytest.approx([-1.2247, 0.0, 1.2247], abs=1e-3)
    assert z[3] == 2.0  # outside the mask, still normalised with the same stats, then clipped


def test_constant_signal_contributes_nothing():
    z = standardize(np.ones(5, dtype=np.float32), np.ones(5, dtype=bool), clip=3.0)
    assert not z.any()


def test_reciprocal_rank_shares_ranks_between_ties():
    values = np.array([0.9, 0.5, 0.5, 0.1])
    rr = reciprocal_rank(values, np.ones(4, dtype=bool), k=60.0)
    # competition ranks 1, 2, 2, 4 -> (k+1)/(k+rank)
    assert rr == pytest.approx([1.0, 61 / 62, 61 / 62, 61 / 64])


def test_fusion_is_scale_free_not_a_raw_sum():
    # A BM25-like signal in the hundreds must not swamp a cosine in [0, 1] after fusion.
    semantic = np.array([0.9, 0.1, 0.5], dtype=np.float32)
    lexical = np.array([0.0, 300.0, 0.0], dtype=np.float32)
    mask = np.ones(3, dtype=bool)
    fused, parts = fuse(
        {"semantic": semantic, "lexical": lexical}, {"semantic": 1, "lexical": 0.2}, mask
    )
    assert int(np.argmax(fused)) == 0
    assert set(parts) == {"semantic", "lexical"}
    assert fused == pytest.approx(parts["semantic"] + parts["lexical"])


def test_zero_weight_signals_are_skipped_and_rrf_works():
    signals = {"a": np.array([1.0, 2.0]), "b": np.array([5.0, 1.0])}
    fused, parts = fuse(signals, {"a": 1.0, "b": 0.0}, np.ones(2, dtype=bool), method="rrf")
    assert set(parts) == {"a"}
    assert fused[1] > fused[0]
    with pytest.raises(ValueError):
        fuse(signals, {"a": 1.0}, np.ones(2, dtype=bool), method="sum")
