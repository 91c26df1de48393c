"""Column storage of one side of the market (all offers, or all needs).

Each listing occupies a row ("slot"). Rows hold the stored embedding, facet bitsets, eligibility
bitsets, prior values and the BM25 postings, so that scoring a query against every listing is a
few numpy operations over columns. Removed rows are recycled; an `alive` mask hides free rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from .bitsets import BitsetColumn
from .documents import ListingDoc, NeedDoc, OfferDoc
from .geography import Geography
from .lexical import BM25Index
from .tokenize import terms

__all__ = ["Collection", "timestamp"]

# Facets shared by needs and offers, plus per-side ones; each is a BitsetColumn.
COMMON_FACETS = (
    "themes",
    "ip_areas",
    "assistance_types",
    "languages",  # offers: delivery languages; needs: working languages
    "language",  # the language the listing is written in
    "country",
    "regions",  # the M49 regions containing `country`
    "organisation_type",
)
OFFER_FACETS = ("resource_types", "eligible_countries", "eligible_regions")
# needs: the delivery languages the seeker asked for (empty: no constraint)
NEED_FACETS = ("requested_languages",)


def timestamp(value: datetime | None) -> float:
    if value is None:
        return math.nan
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


class Collection:
    def __init__(self, kind: str, dim: int, geography: Geography, k1: float, b: float) -> None:
        if kind not in ("offer", "need"):
            raise ValueError(f"unknown collection kind {kind!r}")
        self.kind = kind
        self.dim = dim
        self.geography = geography
        self.docs: list[ListingDoc | None] = []
        self.slot_of: dict[str, int] = {}
        self._free: list[int] = []
        self.size = 0  # high-water mark: rows [0, size) have been used
        self.emb = np.zeros((0, dim), dtype=np.float32)
        self.alive = np.zeros(0, dtype=bool)
        self.worldwide = np.zeros(0, dtype=bool)
        self.south = np.zeros(0, dtype=bool)
        self.south_south_preferred = np.zeros(0, dtype=bool)
        self.published = np.zeros(0, dtype=np.float64)
        self.responsiveness = np.zeros(0, dtype=np.float32)
        names = COMMON_FACETS + (OFFER_FACETS if kind == "offer" else NEED_FACETS)
        self.facets = {name: BitsetColumn() for name in names}
        self.bm25 = BM25Index(k1=k1, b=b)
        self.version = 0
        # Centring statistics (see signals.semantic): live sums per written language, and a
        # frozen snapshot (means, per-row norms) refreshed when enough rows have changed.
        self.lang_id = np.zeros(0, dtype=np.int32)
        self.lang_codes: dict[str, int] = {"": 0}
        # publishing organisation of each row (0: unknown), to keep own listings out
        self.org_id = np.zeros(0, dtype=np.int32)
        self.org_codes: dict[str, int] = {"": 0}
        self._lang_sum: dict[int, np.ndarray] = {}
        self._lang_count: dict[int, int] = {}
        self.emb_sum = np.zeros(dim, dtype=np.float64)
        self.shrinkage = 5.0
        self._changes = 0
        self._frozen = False
        self.mu = np.zeros((1, dim), dtype=np.float32)  # row g: mean of language group g
        self.center_norm = np.zeros(0, dtype=np.float32)  # ||e_r - mu[lang_id[r]]||

    # ----------------------------------------------------------------- capacity
    def __len__(self) -> int:
        return len(self.slot_of)

    @property
    def capacity(self) -> int:
        return len(self.docs)

    def reserve(self, capacity: int) -> None:
        old = self.capacity
        if capacity <= old:
            return
        grow = capacity - old
        self.docs.extend([None] * grow)
        emb = np.zeros((capacity, self.dim), dtype=np.float32)
        emb[:old] = self.emb
        self.emb = emb
        self.alive = _grow(self.alive, capacity, False)
        self.worldwide = _grow(self.worldwide, capacity, False)
        self.south = _grow(self.south, capacity, False)
        self.south_south_preferred = _grow(self.south_south_preferred, capacity, False)
        self.published = _grow(self.published, capacity, math.nan)
        self.responsiveness = _grow(self.responsiveness, capacity, math.nan)
        self.lang_id = _grow(self.lang_id, capacity, 0)
        self.org_id = _grow(self.org_id, capacity, 0)
        self.center_norm = _grow(self.center_norm, capacity, 1.0)
        for column in self.facets.values():
            column.resize(capacity)
        self.bm25.resize(capacity)

    def _slot_for(self, ref: str) -> int:
        slot = self.slot_of.get(ref)
        if slot is not None:
            return slot
        if self._free:
            slot = self._free.pop()
        else:
            slot = self.size
            if slot >= self.capacity:
                self.reserve(max(16, 2 * self.capacity))
            self.size += 1
        self.slot_of[ref] = slot
        return slot

    # ----------------------------------------------------------------- writes
    def _check(self, doc: ListingDoc) -> None:
        expected = OfferDoc if self.kind == "offer" else NeedDoc
        if not isinstance(doc, expected):
            raise TypeError(f"{self.kind} collection cannot store {type(doc).__name__}")

    def _account(self, slot: int, sign: float) -> None:
        """Add (sign=1) or remove (sign=-1) a live row from the centering sums."""
        gid = int(self.lang_id[slot])
        vector = self.emb[slot]
        self.emb_sum += sign * vector
        if gid not in self._lang_sum:
            self._lang_sum[gid] = np.zeros(self.dim, dtype=np.float64)
            self._lang_count[gid] = 0
        self._lang_sum[gid] += sign * vector
        self._lang_count[gid] += int(sign)
        self._changes += 1

    def _write_row(self, slot: int, doc: ListingDoc, vector: np.ndarray) -> None:
        if self.alive[slot]:
            self._account(slot, -1.0)
        self.docs[slot] = doc
        self.emb[slot] = vector
        self.lang_id[slot] = self.lang_codes.setdefault(doc.language, len(self.lang_codes))
        self.org_id[slot] = self.org_codes.setdefault(doc.organisation, len(self.org_codes))
        self.alive[slot] = True
        self._account(slot, 1.0)
        if self._frozen:
            self.center_norm[slot] = self._center_norm(slot)
        geo = self.geography
        facets = self.facets
        facets["themes"].set_row(slot, doc.themes)
        facets["ip_areas"].set_row(slot, doc.ip_areas)
        facets["assistance_types"].set_row(slot, doc.assistance_types)
        facets["language"].set_row(slot, (doc.language,) if doc.language else ())
        facets["country"].set_row(slot, (doc.country,) if doc.country else ())
        facets["regions"].set_row(slot, geo.regions_of(doc.country))
        org = doc.organisation_type
        facets["organisation_type"].set_row(slot, (org,) if org else ())
        self.south[slot] = geo.is_south(doc.country)
        self.published[slot] = timestamp(doc.published_at)
        self.responsiveness[slot] = (
            math.nan if doc.responsiveness is None else float(doc.responsiveness)
        )
        if isinstance(doc, OfferDoc):
            # An offer that names no delivery language is delivered in the language it is
            # written in.
            facets["languages"].set_row(slot, doc.delivered_in)
            facets["resource_types"].set_row(slot, doc.resource_types)
            facets["eligible_countries"].set_row(slot, doc.eligible_countries)
            facets["eligible_regions"].set_row(slot, doc.eligible_regions)
            self.worldwide[slot] = doc.worldwide
        else:
            facets["languages"].set_row(slot, doc.working_languages)
            facets["requested_languages"].set_row(slot, doc.requested_languages)
            self.south_south_preferred[slot] = doc.south_south_preferred

    def upsert(self, doc: ListingDoc, vector: np.ndarray) -> int:
        self._check(doc)
        vector = _unit(vector, self.dim)
        slot = self._slot_for(doc.ref)
        self._write_row(slot, doc, vector)
        self.bm25.set(slot, terms(doc.text))
        self.version += 1
        return slot

    def bulk_load(
        self,
        docs: Sequence[ListingDoc],
        vectors: np.ndarray,
        term_lists: Sequence[Sequence[str]] | None = None,
    ) -> None:
        """Add many listings at once; BM25 postings are built in one pass at the end."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape != (len(docs), self.dim):
            raise ValueError(
                f"expected embeddings of shape ({len(docs)}, {self.dim}), got {vectors.shape}"
            )
        refs = [doc.ref for doc in docs]
        if len(set(refs)) != len(refs):
            raise ValueError("duplicate refs in bulk_load")
        self.reserve(self.size + len(docs))
        slots = []
        # row by row rather than normalising the whole input at once: no second full-size copy
        for doc, vector in zip(docs, vectors, strict=True):
            self._check(doc)
            slot = self._slot_for(doc.ref)
            self._write_row(slot, doc, _unit(vector, self.dim))
            slots.append(slot)
        if term_lists is None:
            term_lists = [terms(doc.text) for doc in docs]
        self.bm25.build(slots, term_lists)
        self.version += 1

    def remove(self, ref: str) -> bool:
        slot = self.slot_of.pop(ref, None)
        if slot is None:
            return False
        self._account(slot, -1.0)
        self.docs[slot] = None
        self.emb[slot] = 0.0
        self.alive[slot] = False
        self.org_id[slot] = 0
        self.worldwide[slot] = False
        self.south[slot] = False
        self.south_south_preferred[slot] = False
        self.published[slot] = math.nan
        self.responsiveness[slot] = math.nan
        for column in self.facets.values():
            column.clear_row(slot)
        self.bm25.remove(slot)
        self._free.append(slot)
        self.version += 1
        return True

    # ----------------------------------------------------------------- reads
    def refresh_centering(self, force: bool = False) -> None:
        """Recompute the frozen centering snapshot when it is missing or stale.

        Small collections refresh after any change (it is cheap); large ones once 1% of rows
        have changed, since a mean over 100,000 listings barely moves with a few edits.
        """
        if not force and self._frozen and not self._changes:
            return
        if not force and self._frozen and self.size > 20000 and self._changes < 0.01 * len(self):
            return
        n_live = len(self)
        mean = self.emb_sum / n_live if n_live else np.zeros(self.dim)
        # group 0 holds listings without a language: they are centred on the collection mean,
        # which is also the fallback for a language first seen after this snapshot
        mu = np.zeros((len(self.lang_codes), self.dim), dtype=np.float32)
        mu[0] = mean
        for gid in range(1, len(self.lang_codes)):
            count = self._lang_count.get(gid, 0)
            total = self._lang_sum.get(gid, np.zeros(self.dim))
            # shrink small language groups toward the collection mean
            mu[gid] = (total + self.shrinkage * mean) / (count + self.shrinkage)
        self.mu = mu
        n = self.size
        dots = np.zeros(n, dtype=np.float32)
        for gid in range(len(mu)):
            rows = np.flatnonzero(self.lang_id[:n] == gid)
            if len(rows):
                dots[rows] = self.emb[rows] @ mu[gid]
        sq = np.einsum("ij,ij->i", mu, mu)[self.lang_id[:n]]
        norm2 = np.einsum("ij,ij->i", self.emb[:n], self.emb[:n]) - 2.0 * dots + sq
        self.center_norm[:n] = np.sqrt(np.maximum(norm2, 1e-12))
        self._frozen = True
        self._changes = 0

    def _center_norm(self, slot: int) -> float:
        gid = int(self.lang_id[slot])
        mu = self.mu[gid] if gid < len(self.mu) else self.mu[0]
        return float(max(np.linalg.norm(self.emb[slot] - mu), 1e-6))

    def group_means(self) -> np.ndarray:
        """Frozen mean of every language group, indexed by lang_id (row 0: whole collection)."""
        if len(self.mu) < len(self.lang_codes):
            extra = np.repeat(self.mu[:1], len(self.lang_codes) - len(self.mu), axis=0)
            return np.vstack([self.mu, extra])
        return self.mu

    def language_mean(self, language: str) -> np.ndarray:
        self.refresh_centering()
        gid = self.lang_codes.get(language, 0)
        means = self.group_means()
        return means[gid] if self._lang_count.get(gid) else means[0]

    def own_rows(self, organisation: str) -> np.ndarray:
        """Mask of the used rows published by `organisation` (none when it is unknown)."""
        code = self.org_codes.get(organisation) if organisation else None
        if not code:
            return np.zeros(self.size, dtype=bool)
        return self.org_id[: self.size] == code

    def vector(self, ref: str) -> np.ndarray | None:
        slot = self.slot_of.get(ref)
        return None if slot is None else self.emb[slot]


def _grow(array: np.ndarray, capacity: int, fill) -> np.ndarray:
    out = np.full(capacity, fill, dtype=array.dtype)
    out[: len(array)] = array
    return out


def _unit(vector: np.ndarray, dim: int) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float32).reshape(-1)
    if vector.shape[0] != dim:
        raise ValueError(f"expected an embedding of dimension {dim}, got {vector.shape[0]}")
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector
