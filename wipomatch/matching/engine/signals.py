"""The ranking signals, each computed for one query listing against every row of a collection.

All signals are symmetric: the value for a (need, offer) pair is the same whether offers are
ranked for the need or needs for the offer. Only which side is the single query and which is the
column of rows changes, and each function handles both orientations with vectorised numpy.

Signals (raw values, before fusion):
- semantic: cosine of the stored multilingual embeddings, centred per side and language;
- lexical: BM25 of the query text against the row texts;
- themes, ip_areas: share of the need's labels that the offer also carries;
- assistance: share of the need's requested assistance types the offer provides, with partial
  credit when the offer's resource types deliver that kind of help (funding ← financial...);
- language: 1 when the offer is delivered in a language the seeker works in;
- eligibility (a mask, not a score): the offer may be delivered in the seeker's country;
- priors (additive, small): freshness, responsiveness, South-South preference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .collection import Collection, timestamp
from .config import EngineConfig
from .documents import ListingDoc, NeedDoc, OfferDoc

__all__ = [
    "ASSISTANCE_RESOURCES",
    "FILTER_KEYS",
    "SignalSet",
    "query_is_need",
    "assistance",
    "compute_signals",
    "delivery_ok",
    "eligibility",
    "facet_overlap",
    "filter_mask",
    "language_match",
    "lexical",
    "priors",
    "semantic",
]

# Resource types that deliver an assistance type even when the offer does not list that type:
# only the pairings where the resource *is* the assistance (money for funding, systems for IT).
ASSISTANCE_RESOURCES: Mapping[str, tuple[str, ...]] = {
    "funding": ("financial",),
    "it-infrastructure": ("technical", "in-kind"),
    "technology-transfer": ("technical",),
}
RESOURCE_CREDIT = 0.5
SECONDS_PER_DAY = 86400.0

FILTER_KEYS = frozenset(
    {
        "themes",
        "ip_areas",
        "assistance_types",
        "resource_types",
        "languages",
        "written_languages",
        "exclude_languages",
        "countries",
        "regions",
        "organisation_types",
        "exclude_refs",
    }
)


@dataclass
class SignalSet:
    """Signal arrays aligned with `rows`, the target rows that were scored."""

    rows: np.ndarray
    values: dict[str, np.ndarray]
    eligible: np.ndarray
    priors: np.ndarray
    prior_parts: dict[str, np.ndarray] = field(default_factory=dict)


def query_is_need(query: ListingDoc, target: Collection) -> bool:
    if target.kind == "offer":
        if not isinstance(query, NeedDoc):
            raise TypeError("offers are ranked for a NeedDoc")
        return True
    if not isinstance(query, OfferDoc):
        raise TypeError("needs are ranked for an OfferDoc")
    return False


# Below, `rows` is an int index array of target rows (a pre-filtered candidate set).
# Gathering a subset of the embedding matrix copies it, which costs about as much as the
# product itself, so the semantic signal only does it for small subsets (measured break-even
# near 20%); otherwise it multiplies the whole matrix and gathers the result.
_SUBSET_FRACTION = 0.15


def semantic(
    target: Collection, vector: np.ndarray, centered: np.ndarray | None, rows: np.ndarray
) -> np.ndarray:
    """Similarity of the query to each row: cosine after centring both sides.

    Multilingual sentence encoders place texts of one language, and of one genre (requests
    versus service descriptions), in a shared region of the space: every Chinese need is a bit
    similar to every Chinese offer. Subtracting from each embedding the mean of its side and
    language (shrunk toward the side mean for small groups) removes that shared direction, the
    same idea as CSLS hubness reduction (Conneau et al. 2018) and language-mean centring for
    cross-lingual retrieval. The query arrives already centred; row means are gathered by the
    row's language, so the cost stays one matrix-vector product.
    """
    n = target.size
    probe = vector if centered is None else centered
    subset = len(rows) < _SUBSET_FRACTION * n
    if subset:
        dots = target.emb[rows] @ probe
        picked = rows
    else:
        # einsum's row-wise dot streams the matrix once and measured ~25% faster than BLAS
        # sgemv for a single float32 query vector on one core; the corrections below run on
        # the contiguous result and are gathered once at the end
        dots = np.einsum("ij,j->i", target.emb[:n], probe)
        picked = slice(0, n)
    if centered is not None:
        target.refresh_centering()
        means = target.group_means()
        dots -= (means @ centered)[target.lang_id[picked]]
        dots /= target.center_norm[picked] * max(float(np.linalg.norm(centered)), 1e-6)
    return dots if subset else dots[rows]


def lexical(target: Collection, query_terms: Sequence[str], rows: np.ndarray) -> np.ndarray:
    return target.bm25.scores(query_terms, target.size)[rows]


def facet_overlap(
    query: ListingDoc, target: Collection, facet: str, is_need: bool, rows: np.ndarray
) -> np.ndarray:
    """Share of the need's labels of `facet` that the offer also carries."""
    column = target.facets[facet]
    labels = getattr(query, facet)
    shared = column.overlap_count(column.mask(labels), rows).astype(np.float32)
    if is_need:
        return shared / len(labels) if labels else shared
    need_counts = column.counts(rows)
    return np.divide(shared, need_counts, out=np.zeros_like(shared), where=need_counts > 0)


def _covered(offer_types: Iterable[str], offer_resources: Iterable[str], wanted: str) -> float:
    if wanted in set(offer_types):
        return 1.0
    if set(ASSISTANCE_RESOURCES.get(wanted, ())) & set(offer_resources):
        return RESOURCE_CREDIT
    return 0.0


def assistance(
    query: ListingDoc, target: Collection, is_need: bool, rows: np.ndarray
) -> np.ndarray:
    """Share of the need's requested assistance types that the offer delivers."""
    column = target.facets["assistance_types"]
    if is_need:
        wanted = query.assistance_types
        credit = np.zeros(len(rows), dtype=np.float32)
        if not wanted:
            return credit
        resources = target.facets["resource_types"]
        for kind in wanted:
            listed = column.any_of(column.mask([kind]), rows)
            served = resources.any_of(resources.mask(ASSISTANCE_RESOURCES.get(kind, ())), rows)
            credit += np.where(listed, 1.0, np.where(served, RESOURCE_CREDIT, 0.0))
        return credit / len(wanted)
    # The query is an offer: credit per assistance type, then average over each need's types.
    offer: OfferDoc = query  # type: ignore[assignment]
    credit = np.zeros(len(rows), dtype=np.float32)
    for kind in column.labels:
        value = _covered(offer.assistance_types, offer.resource_types, kind)
        if value:
            credit += value * column.any_of(column.mask([kind]), rows)
    counts = column.counts(rows)
    return np.divide(credit, counts, out=np.zeros_like(credit), where=counts > 0)


def language_match(
    query: ListingDoc, target: Collection, is_need: bool, rows: np.ndarray
) -> np.ndarray:
    """1.0 when the offer is delivered in one of the seeker's working languages."""
    column = target.facets["languages"]
    if is_need:
        wanted = query.working_languages  # type: ignore[union-attr]
    else:
        offer: OfferDoc = query  # type: ignore[assignment]
        wanted = offer.delivered_in
    return column.any_of(column.mask(wanted), rows).astype(np.float32)


def delivery_ok(query: ListingDoc, target: Collection, is_need: bool, rows=None) -> np.ndarray:
    """The offer can be delivered in a language the seeker asked for.

    True where the seeker named no delivery language, or the offer's languages are unknown:
    only a known conflict ("asked for English, delivered in Chinese only") counts against it.
    """
    rows = slice(0, target.size) if rows is None else rows
    size = len(target.alive[rows])
    if is_need:
        wanted = query.requested_languages  # type: ignore[union-attr]
        if not wanted:
            return np.ones(size, dtype=bool)
        column = target.facets["languages"]
        return column.is_empty(rows) | column.any_of(column.mask(wanted), rows)
    offer: OfferDoc = query  # type: ignore[assignment]
    delivered = offer.delivered_in
    if not delivered:
        return np.ones(size, dtype=bool)
    column = target.facets["requested_languages"]
    return column.is_empty(rows) | column.any_of(column.mask(delivered), rows)


def eligibility(query: ListingDoc, target: Collection, is_need: bool, rows=None) -> np.ndarray:
    """Offer can be delivered to the seeker: worldwide, country listed, or inside a region.

    A seeker without a known country cannot be excluded, so is treated as eligible.
    `rows` defaults to every used row of the target.
    """
    rows = slice(0, target.size) if rows is None else rows
    size = len(target.alive[rows])
    geo = target.geography
    if is_need:
        if not query.country:
            return np.ones(size, dtype=bool)
        countries = target.facets["eligible_countries"]
        regions = target.facets["eligible_regions"]
        ok = target.worldwide[rows].copy()
        ok |= countries.any_of(countries.mask([query.country]), rows)
        ok |= regions.any_of(regions.mask(geo.regions_of(query.country)), rows)
        return ok
    offer: OfferDoc = query  # type: ignore[assignment]
    if offer.worldwide:
        return np.ones(size, dtype=bool)
    country = target.facets["country"]
    region = target.facets["regions"]
    ok = country.is_empty(rows)
    ok |= country.any_of(country.mask(offer.eligible_countries), rows)
    ok |= region.any_of(region.mask(offer.eligible_regions), rows)
    return ok


def priors(
    query: ListingDoc,
    target: Collection,
    is_need: bool,
    config: EngineConfig,
    now,
    rows: np.ndarray,
) -> dict[str, np.ndarray]:
    """Small additive bonuses in fused-score units; unknown values contribute nothing."""
    parts: dict[str, np.ndarray] = {}
    if config.freshness_weight:
        published = target.published[rows]
        if not np.isnan(published).all():
            age_days = (timestamp(now) - published) / SECONDS_PER_DAY
            fresh = np.power(0.5, np.clip(age_days, 0.0, None) / config.freshness_half_life_days)
            parts["freshness"] = np.nan_to_num(config.freshness_weight * (2.0 * fresh - 1.0))
    if config.responsiveness_weight:
        resp = target.responsiveness[rows]
        if not np.isnan(resp).all():
            resp = np.clip(resp, 0.0, 1.0)
            weight = config.responsiveness_weight
            parts["responsiveness"] = np.nan_to_num(weight * (2.0 * resp - 1.0))
    if config.south_south_weight:
        geo = target.geography
        if is_need:
            need: NeedDoc = query  # type: ignore[assignment]
            wants = need.south_south_preferred and geo.is_south(need.country)
            bonus = target.south[rows] if wants else None
        elif geo.is_south(query.country):
            bonus = target.south_south_preferred[rows] & target.south[rows]
        else:
            bonus = None
        if bonus is not None and bonus.any():
            parts["south_south"] = config.south_south_weight * bonus.astype(np.float32)
    return parts


_FILTER_FACETS = {
    "themes": "themes",
    "ip_areas": "ip_areas",
    "assistance_types": "assistance_types",
    "resource_types": "resource_types",
    "languages": "languages",
    "written_languages": "language",
    "countries": "country",
    "regions": "regions",
    "organisation_types": "organisation_type",
}


def filter_mask(target: Collection, filters: Mapping[str, Iterable[str]] | None) -> np.ndarray:
    """Hard filters over every used row: match every given key (any of its values)."""
    n = target.size
    mask = target.alive[:n].copy()
    if not filters:
        return mask
    unknown = set(filters) - FILTER_KEYS
    if unknown:
        raise ValueError(f"unknown filter(s): {', '.join(sorted(unknown))}")
    for key, values in filters.items():
        values = [values] if isinstance(values, str) else list(values)
        if key == "exclude_refs":
            for ref in values:
                slot = target.slot_of.get(ref)
                if slot is not None:
                    mask[slot] = False
            continue
        if key == "exclude_languages":
            column = target.facets["language"]
            mask &= ~column.any_of(column.mask(values), n)
            continue
        if key == "resource_types" and target.kind != "offer":
            raise ValueError("resource_types filters apply to offers only")
        if key == "regions":
            values = [v.zfill(3) if v.isdigit() else v for v in values]
        column = target.facets[_FILTER_FACETS[key]]
        mask &= column.any_of(column.mask(values), n)
    return mask


def compute_signals(
    query: ListingDoc,
    vector: np.ndarray,
    centered: np.ndarray | None,
    query_terms: Sequence[str],
    target: Collection,
    rows: np.ndarray,
    eligible: np.ndarray,
    config: EngineConfig,
    now,
) -> SignalSet:
    """Every signal for the given target rows (`eligible` is already aligned with rows)."""
    is_need = query_is_need(query, target)
    values = {
        "semantic": semantic(target, vector, centered, rows),
        "lexical": lexical(target, query_terms, rows),
        "themes": facet_overlap(query, target, "themes", is_need, rows),
        "ip_areas": facet_overlap(query, target, "ip_areas", is_need, rows),
        "assistance": assistance(query, target, is_need, rows),
        "language": language_match(query, target, is_need, rows),
    }
    parts = priors(query, target, is_need, config, now, rows)
    total = np.zeros(len(rows), dtype=np.float32)
    for part in parts.values():
        total += part
    return SignalSet(rows=rows, values=values, eligible=eligible, priors=total, prior_parts=parts)
