"""Engine settings: every weight and switch, with defaults, overridable from Django settings.

    MATCHING = {"weights": {"lexical": 0.3}, "eligibility": "demote"}

`EngineConfig.from_dict` merges such a dict over the defaults and rejects unknown keys, so that a
typo in settings fails loudly instead of silently using a default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

__all__ = ["DEFAULT_WEIGHTS", "EngineConfig", "ConfigError"]

# Relative weights of the per-query normalised signals (see fusion.py). Semantic similarity
# leads; facets refine it; lexical overlap mostly helps same-language pairs.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "semantic": 1.0,
        "lexical": 0.1,
        "themes": 0.2,
        "ip_areas": 0.4,
        "assistance": 0.3,
        "language": 0.15,
    }
)

_FUSIONS = ("zscore", "rrf")
_ELIGIBILITY = ("filter", "demote", "ignore")
_DELIVERY = ("demote", "filter", "ignore")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class EngineConfig:
    # Fusion of the signals: "zscore" (per-query standardised, clipped, weighted sum) or "rrf"
    # (weighted reciprocal-rank fusion with constant rrf_k).
    fusion: str = "zscore"
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    rrf_k: float = 60.0
    # Standardised scores are clipped to ±zscore_clip so that one extreme signal (a rare BM25
    # hit among thousands of zeros) cannot outvote all the others. Not lower: a clearly
    # outstanding semantic match is exactly what should stand out.
    zscore_clip: float = 5.0
    # Centre embeddings on the mean of their side (needs / offers) and written language before
    # the cosine, removing the direction every listing of a language shares (see signals.py).
    # Language groups are shrunk toward the side mean with this many pseudo-listings.
    centering: bool = True
    centering_shrinkage: float = 5.0
    # Offers whose eligibility excludes the seeker: "filter" them out, "demote" them by
    # eligibility_penalty (in fused-score units), or "ignore" eligibility.
    eligibility: str = "filter"
    eligibility_penalty: float = 3.0
    # Offers that cannot be delivered in any language the seeker asked for: "demote" ranks them
    # after every offer that can (whatever their scores), "filter" drops them, "ignore" leaves
    # only the small language signal. Seekers who named no delivery language are unaffected.
    delivery_language: str = "demote"
    # Priors, added in fused-score units; small on purpose: they break near-ties.
    freshness_weight: float = 0.05
    freshness_half_life_days: float = 365.0
    responsiveness_weight: float = 0.1
    south_south_weight: float = 0.15
    # Large catalogues: when at least projection_min_listings are bulk-loaded, stored vectors
    # are projected on their projection_dims leading principal components (halves the memory
    # read per query at 256 of 512 dimensions; 0 disables).
    projection_dims: int = 256
    projection_min_listings: int = 50_000
    # BM25 parameters (Robertson/Lucene defaults).
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    # Explanations: how many matched terms to list, and whether to find the best-matching
    # sentence pairs with the embedder (costs one embedding call per suggestion list).
    explain_terms: int = 8
    # Matched phrases lighter than this share of the heaviest one are not shown (BM25 weight):
    # a phrase list is better empty than padded with words every listing uses.
    explain_min_share: float = 0.3
    explain_passages: bool = False

    def __post_init__(self) -> None:
        merged = dict(DEFAULT_WEIGHTS)
        merged.update({k: float(v) for k, v in dict(self.weights).items()})
        unknown = set(merged) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ConfigError(f"unknown matching weight(s): {', '.join(sorted(unknown))}")
        object.__setattr__(self, "weights", MappingProxyType(merged))
        if self.fusion not in _FUSIONS:
            raise ConfigError(f"fusion must be one of {_FUSIONS}, not {self.fusion!r}")
        if self.eligibility not in _ELIGIBILITY:
            raise ConfigError(
                f"eligibility must be one of {_ELIGIBILITY}, not {self.eligibility!r}"
            )
        if self.delivery_language not in _DELIVERY:
            raise ConfigError(
                f"delivery_language must be one of {_DELIVERY}, not {self.delivery_language!r}"
            )
        if self.rrf_k <= 0 or self.zscore_clip <= 0 or self.freshness_half_life_days <= 0:
            raise ConfigError("rrf_k, zscore_clip and freshness_half_life_days must be positive")
        if self.centering_shrinkage < 0:
            raise ConfigError("centering_shrinkage must not be negative")
        if self.projection_dims < 0 or self.projection_min_listings < 0:
            raise ConfigError("projection_dims and projection_min_listings must not be negative")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> EngineConfig:
        """Defaults overridden by `data` (e.g. Django's settings.MATCHING)."""
        data = dict(data or {})
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ConfigError(f"unknown MATCHING setting(s): {', '.join(sorted(unknown))}")
        weights = dict(DEFAULT_WEIGHTS)
        weights.update(data.pop("weights", None) or {})
        return cls(weights=weights, **data)

    def with_weights(self, **weights: float) -> EngineConfig:
        return replace(self, weights={**self.weights, **weights})

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["weights"] = dict(self.weights)
        return out
