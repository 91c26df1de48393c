"""Robustness check of the fusion weights: two-fold cross-validation over a benchmark's needs.

The needs are split into two halves (alternating in language order, so both halves cover
every language). For each half, the weight combination of a small grid that scores best on
that half is then evaluated on the other half. If the weights were over-fitted, the held-out
figures drop well below the fitted ones; the defaults are reported on both halves as well.

Signals are computed once per need; only the fusion is repeated for each combination.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .benchmark import Benchmark, EngineRanker
from .config import EngineConfig
from .fusion import fuse
from .metrics import evaluate

__all__ = ["DEFAULT_GRID", "cross_validate", "split_needs"]

DEFAULT_GRID: Mapping[str, Sequence[float]] = {
    "lexical": (0.0, 0.1, 0.2, 0.4),
    "themes": (0.0, 0.2, 0.4),
    "ip_areas": (0.2, 0.4, 0.6),
    "assistance": (0.0, 0.15, 0.3, 0.5),
    "language": (0.0, 0.15, 0.3),
}


@dataclass
class _Prepared:
    need: str
    cross: bool
    values: dict[str, np.ndarray]
    priors: np.ndarray
    candidate: np.ndarray
    refs: list[str]


def split_needs(benchmark: Benchmark) -> tuple[set[str], set[str]]:
    """Two equal halves: needs ordered by (language, ref), then taken alternately, so each
    half holds about half of every language."""
    ordered = sorted(benchmark.needs, key=lambda need: (need.language, need.ref))
    return {n.ref for n in ordered[0::2]}, {n.ref for n in ordered[1::2]}


def _prepare(ranker: EngineRanker, benchmark: Benchmark) -> list[_Prepared]:
    index = ranker.index
    prepared = []
    for need in benchmark.needs:
        for cross in (False, True):
            filters = {"exclude_languages": [need.language]} if cross else None
            scored = index._score(need, index.offers, index.needs, filters, None, None, True)
            rows = scored.signals.rows
            prepared.append(
                _Prepared(
                    need=need.ref,
                    cross=cross,
                    values=scored.signals.values,
                    priors=scored.signals.priors,
                    candidate=scored.candidate,
                    refs=[index.offers.docs[r].ref for r in rows],
                )
            )
    return prepared


def _ndcg(
    prepared: Sequence[_Prepared],
    benchmark: Benchmark,
    weights: Mapping[str, float],
    config: EngineConfig,
    needs: set[str],
    cross_candidates: Mapping[str, list[str]],
) -> tuple[float, float]:
    rankings: dict[str, list[str]] = {}
    cross: dict[str, list[str]] = {}
    for item in prepared:
        if item.need not in needs:
            continue
        fused, _ = fuse(
            item.values, weights, item.candidate, config.fusion, config.zscore_clip, config.rrf_k
        )
        fused += item.priors
        rows = np.arange(len(fused))
        # candidates first, then the excluded (ineligible) ones, each by score
        order = np.lexsort((rows, -fused, ~item.candidate))
        (cross if item.cross else rankings)[item.need] = [item.refs[i] for i in order]
    overall = evaluate(rankings, benchmark.judgements, 10).values["ndcg@10"]
    xl = evaluate(cross, benchmark.judgements, 10, cross_candidates).values["ndcg@10"]
    return overall, xl


def cross_validate(
    benchmark: Benchmark,
    ranker: EngineRanker,
    grid: Mapping[str, Sequence[float]] = DEFAULT_GRID,
) -> dict[str, Any]:
    """Fit weights on one half, test on the other, both ways; report defaults too."""
    config = ranker.index.config
    prepared = _prepare(ranker, benchmark)
    halves = split_needs(benchmark)
    cross_candidates = {
        n.ref: [o.ref for o in benchmark.offers if o.language != n.language]
        for n in benchmark.needs
    }
    names = list(grid)
    combos = []
    for values in itertools.product(*(grid[name] for name in names)):
        weights = {**config.weights, **dict(zip(names, values, strict=True))}
        scores = [
            _ndcg(prepared, benchmark, weights, config, half, cross_candidates) for half in halves
        ]
        combos.append((weights, scores))
    defaults = [
        _ndcg(prepared, benchmark, config.weights, config, half, cross_candidates)
        for half in halves
    ]
    folds = []
    for fit, test in ((0, 1), (1, 0)):
        weights, scores = max(combos, key=lambda combo: combo[1][fit][0])
        folds.append(
            {
                "fitted_on": f"half {fit + 1}",
                "weights": {k: weights[k] for k in names},
                "ndcg@10 fitted half": round(scores[fit][0], 4),
                "ndcg@10 held-out half": round(scores[test][0], 4),
                "cross-lingual ndcg@10 held-out half": round(scores[test][1], 4),
            }
        )
    return {
        "halves": [sorted(half) for half in halves],
        "grid_size": len(combos),
        "defaults": {
            "weights": {k: config.weights[k] for k in names},
            "ndcg@10 half 1": round(defaults[0][0], 4),
            "ndcg@10 half 2": round(defaults[1][0], 4),
            "cross-lingual ndcg@10 half 1": round(defaults[0][1], 4),
            "cross-lingual ndcg@10 half 2": round(defaults[1][1], 4),
        },
        "folds": folds,
        "grid_median_ndcg@10": [
            round(float(np.median([scores[h][0] for _, scores in combos])), 4) for h in (0, 1)
        ],
    }
