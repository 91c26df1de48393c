"""Ranking metrics as defined in bench/README.md.

- nDCG@k with gain 2^rel - 1 and discount log2(rank + 1); the ideal ranking is built from all
  judged offers of the need (within the candidate set being evaluated);
- MRR: 1 / rank of the first offer with relevance >= 2 (0 if none is ranked);
- Recall@k: share of the offers with relevance >= 2 that are in the top k.

Means are taken over the needs that have at least one offer with relevance >= 1. MRR and
recall are undefined for a need without any offer of relevance >= 2 (there is nothing to
find), so those needs are left out of those two means only; `counts` reports how many needs
each mean covers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "MetricSummary",
    "dcg",
    "evaluate",
    "ndcg_at_k",
    "recall_at_k",
    "reciprocal_rank",
]

RELEVANT = 1  # threshold for a need to count at all, and for nDCG's ideal ranking
GOOD = 2  # threshold for MRR and recall


def dcg(relevances: Sequence[int], k: int) -> float:
    return sum((2**rel - 1) / math.log2(i + 2) for i, rel in enumerate(relevances[:k]))


def ndcg_at_k(ranked: Sequence[int], judged: Iterable[int], k: int) -> float:
    """`ranked`: relevance of the ranked offers in order; `judged`: all judged relevances."""
    ideal = dcg(sorted(judged, reverse=True), k)
    return dcg(ranked, k) / ideal if ideal > 0 else 0.0


def reciprocal_rank(ranked: Sequence[int], threshold: int = GOOD) -> float:
    for i, rel in enumerate(ranked):
        if rel >= threshold:
            return 1.0 / (i + 1)
    return 0.0


def recall_at_k(ranked: Sequence[int], n_relevant: int, k: int, threshold: int = GOOD) -> float:
    if n_relevant <= 0:
        return 0.0
    return sum(1 for rel in ranked[:k] if rel >= threshold) / n_relevant


@dataclass
class MetricSummary:
    values: dict[str, float]
    counts: dict[str, int]
    per_need: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def needs(self) -> int:
        return self.counts.get("needs", 0)


def metric_names(k: int) -> list[str]:
    names = [f"ndcg@{k}", "mrr", f"recall@{k}"]
    if k != 50:
        names.append("recall@50")
    return names


def evaluate(
    rankings: Mapping[str, Sequence[str]],
    judgements: Mapping[str, Mapping[str, int]],
    k: int = 10,
    candidates: Mapping[str, Iterable[str]] | None = None,
) -> MetricSummary:
    """Mean metrics over needs.

    rankings: need ref → offer refs, best first. judgements: need ref → {offer ref: relevance}
    (unlisted pairs are 0). candidates: optionally restricts, per need, which offers count
    (the cross-lingual task judges only offers in another language).
    """
    names = metric_names(k)
    totals = dict.fromkeys(names, 0.0)
    counts = {"needs": 0, "needs_with_good": 0}
    per_need: dict[str, dict[str, float]] = {}
    for need, ranked_refs in rankings.items():
        judged = dict(judgements.get(need, {}))
        if candidates is not None:
            allowed = set(candidates.get(need, ()))
            judged = {o: r for o, r in judged.items() if o in allowed}
            ranked_refs = [o for o in ranked_refs if o in allowed]
        if not any(rel >= RELEVANT for rel in judged.values()):
            continue
        ranked = [judged.get(ref, 0) for ref in ranked_refs]
        n_good = sum(1 for rel in judged.values() if rel >= GOOD)
        row = {f"ndcg@{k}": ndcg_at_k(ranked, judged.values(), k)}
        counts["needs"] += 1
        if n_good:
            counts["needs_with_good"] += 1
            row["mrr"] = reciprocal_rank(ranked)
            row[f"recall@{k}"] = recall_at_k(ranked, n_good, k)
            row["recall@50"] = recall_at_k(ranked, n_good, 50)
        per_need[need] = row
        for name, value in row.items():
            totals[name] += value
    values = {}
    for name in names:
        denominator = counts["needs"] if name.startswith("ndcg") else counts["needs_with_good"]
        values[name] = totals[name] / denominator if denominator else 0.0
    return MetricSummary(values=values, counts=counts, per_need=per_need)
