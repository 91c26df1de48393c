"""The per-process cache of every listing of a kind that text search and the in-memory filters
and facet counts run on (see `search.query` for how a search uses it, and docs/index-freshness.md
for how it learns of changes made by another process).
"""

from __future__ import annotations

import gc
import math
import threading
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Max

from wipomatch.matching.engine.embedding import Embedder
from wipomatch.matching.engine.lexical import BM25Index
from wipomatch.matching.engine.tokenize import terms
from wipomatch.members.models import Organisation
from wipomatch.reference.models import Country, VocabularyTerm

from ..embeddings import from_bytes, get_embedder, listing_text, query_vectors
from ..filters import FACET_VOCABULARIES, TERMS, Filter
from ..models import Listing, ListingTerm

SEARCH_DEFAULTS = {
    # Weighted sum of the cosine (about 0.3-0.5 for a relevant listing in any language, below
    # 0.15 for an unrelated one) and the normalised BM25 (0.45 when every query word occurs
    # once in a listing of average length).
    "semantic_weight": 1.0,
    "lexical_weight": 0.5,
    # Listings below this relevance are not results.
    "min_relevance": 0.2,
    # Rows changed this long before the newest known change are re-read on refresh, so that a
    # transaction that committed late (older updated_at) is not missed.
    "refresh_margin_seconds": 60,
}


def search_settings() -> dict:
    return {**SEARCH_DEFAULTS, **getattr(settings, "LISTING_SEARCH", {})}


# --------------------------------------------------------------------------- the per-process index
# Facets counted from the cache besides the vocabularies: where a listing applies (a worldwide
# listing counts for every country and region, as the filters treat it), its languages and the
# type of its organisation.
GEO_FACETS = ("country", "region")
OTHER_FACETS = ("language", "org_type")


_Geo = tuple[str, tuple[str, ...], bool]


@dataclass
class _Row:
    pk: int
    text: str
    vector: np.ndarray | None
    updated: datetime
    worldwide: bool
    languages: tuple[str, ...]
    organisation_id: int


class _Labels:
    """Per-row label lists of one facet, and their (row, label) incidence built on demand."""

    def __init__(self) -> None:
        self.of_row: list[tuple] = []
        self._incidence: tuple[np.ndarray, np.ndarray, list] | None = None

    def grow(self, size: int) -> None:
        self.of_row.extend([()] * (size - len(self.of_row)))

    def set(self, row: int, labels) -> None:
        self.of_row[row] = tuple(labels)
        self._incidence = None

    def having(self, label) -> np.ndarray:
        """Rows carrying `label`, as a boolean array over every row."""
        rows, flat, labels = self._incidence_arrays()
        out = np.zeros(len(self.of_row), dtype=bool)
        # labels are sorted as text (see _incidence_arrays): term ids as well as codes
        position = bisect_left(labels, str(label), key=str) if labels else -1
        if 0 <= position < len(labels) and labels[position] == label:
            out[rows[flat == position]] = True
        return out

    def counts(self, selected: np.ndarray) -> dict:
        """{label: number of selected rows carrying it}, labels with a zero count left out."""
        rows, flat, labels = self._incidence_arrays()
        counts = np.bincount(flat[selected[rows]], minlength=len(labels))
        return {labels[i]: int(counts[i]) for i in np.flatnonzero(counts).tolist()}

    def _incidence_arrays(self) -> tuple[np.ndarray, np.ndarray, list]:
        if self._incidence is None:
            labels = sorted({label for row in self.of_row for label in row}, key=str)
            position = {label: i for i, label in enumerate(labels)}
            lengths = np.fromiter((len(r) for r in self.of_row), dtype=np.int64)
            rows = np.repeat(np.arange(len(self.of_row), dtype=np.int64), lengths)
            flat = np.fromiter(
                (position[label] for row in self.of_row for label in row),
                dtype=np.int64,
                count=int(lengths.sum()),
            )
            self._incidence = (rows, flat, labels)
        return self._incidence


class ListingIndex:
    """Every listing of one kind, any status (SQL decides what is visible): ids, embeddings,
    BM25 postings and facet labels."""

    CHUNK = 500  # ids per query when reloading given listings (SQLite variable limits)
    FREEZE_FROM = 2000  # listings from which a full load freezes the objects (see _load_all)

    def __init__(self, kind: str, embedder: Embedder) -> None:
        self.kind = kind
        self.embedder = embedder
        self.dim = embedder.dim
        self.lock = threading.RLock()
        self.loads = 0  # full loads, for tests and the benchmark
        self.refreshes = 0  # partial refreshes
        self._clear()

    def _clear(self) -> None:
        self.size = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.emb = np.zeros((0, self.dim), dtype=np.float32)
        self.worldwide = np.zeros(0, dtype=bool)
        self.row_of: dict[int, int] = {}
        self.updated: dict[int, datetime] = {}
        self.organisation_of: dict[int, int] = {}  # row -> organisation id
        self.bm25 = BM25Index()
        self.labels = {
            name: _Labels() for name in ("term", "country", "region", "ldc", *OTHER_FACETS)
        }
        self.term_keys: dict[int, tuple[str, str]] = {}  # term id -> (vocabulary, slug)
        self.term_ids: dict[tuple[str, str], int] = {}  # (vocabulary, slug) -> term id
        self.org_types: dict[int, str] = {}  # organisation id -> type
        self.geo: dict[int, _Geo] = {}  # country id -> (iso2, M49 region codes, LDC)
        self.version: tuple | None = None
        self.newest: datetime | None = None
        self._sorted_ids: np.ndarray | None = None
        self._sorter: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.row_of)

    # ------------------------------------------------------------------ freshness
    def refresh(self) -> None:
        """Bring the cache up to date with the database: one query when nothing changed.

        Every create, edit, lifecycle change and new embedding moves `updated_at`, so the newest
        `updated_at` of the kind is the version (one index lookup with the index on
        `(kind, updated_at)`). Rows changed since are re-read, with a margin for transactions
        that committed after a newer one. A deleted listing can only stay in the cache as a
        dead row that no search returns (every search starts from the ids SQL finds); when the
        newest change itself was deleted, the whole cache is compared with the table.
        """
        with self.lock:
            newest = Listing.objects.filter(kind=self.kind).aggregate(newest=Max("updated_at"))[
                "newest"
            ]
            version = (connection.alias, newest)
            if version == self.version:
                return
            if self.version is None or self.newest is None or newest is None:
                self._load_all()
            elif newest < self.newest:
                self._reconcile()
            else:
                margin = timedelta(seconds=search_settings()["refresh_margin_seconds"])
                self._upsert(self.newest - margin)
            self.version = version
            self.newest = newest

    def _load_all(self) -> None:
        self._clear()
        self._load_reference()
        rows, term_lists = [], []
        for item in self._fetch(Listing.objects.filter(kind=self.kind)):
            rows.append(self._write(item))
            term_lists.append(terms(item.text))
        self.bm25.build(rows, term_lists)
        self._load_relations(None)
        self.loads += 1
        # The cache lives as long as the process and, for a large catalogue, holds a few
        # hundred thousand small objects (postings, label tuples, tokens). Left to the cyclic
        # collector, they made every full collection (about one request in 50 at 10,000
        # listings) 100 ms slower; frozen, they are not scanned again (they are still freed
        # by reference counting when replaced). Small caches cost the collector little.
        if self.size >= self.FREEZE_FROM:
            gc.freeze()

    def _upsert(self, since: datetime | None = None, pks: list[int] | None = None) -> None:
        """Reload the listings changed since `since`, or the given ones."""
        qs = Listing.objects.filter(kind=self.kind)
        qs = qs.filter(updated_at__gte=since) if pks is None else qs.filter(pk__in=pks)
        changed = []
        for item in self._fetch(qs):
            row = self._write(item)
            self.bm25.set(row, terms(item.text))
            changed.append(item.pk)
        for start in range(0, len(changed), self.CHUNK):
            self._load_relations(changed[start : start + self.CHUNK])
        self.refreshes += 1

    def _reconcile(self) -> None:
        """Compare every (id, updated_at) with the cache: drop deleted rows, reload changed ones."""
        current = dict(
            Listing.objects.filter(kind=self.kind).values_list("pk", "updated_at").iterator()
        )
        for pk in [pk for pk in self.row_of if pk not in current]:
            self._remove(pk)
        stale = [pk for pk, upd in current.items() if self.updated.get(pk) != upd]
        for start in range(0, len(stale), self.CHUNK):
            self._upsert(pks=stale[start : start + self.CHUNK])
        if self.size > 64 and len(self) < 0.7 * self.size:
            self._load_all()  # too many holes: compact

    def _fetch(self, qs):
        fields = (
            "pk",
            "title",
            "summary",
            "description",
            "translations",
            "embedding",
            "embedding_model",
            "updated_at",
            "worldwide",
            "language_index",
            "organisation_id",
        )
        for values in qs.order_by("pk").values_list(*fields).iterator(chunk_size=2000):
            (pk, title, summary, description, translations, blob, model) = values[:7]
            updated, worldwide, language_index, org = values[7:]
            yield _Row(
                pk=pk,
                text=listing_text(title, summary, description, translations),
                vector=from_bytes(blob, self.dim) if model == self.embedder.name else None,
                updated=updated,
                worldwide=bool(worldwide),
                languages=tuple(x for x in (language_index or "").split("|") if x),
                organisation_id=org,
            )

    def _load_reference(self) -> None:
        self.term_keys = {
            pk: (kind, slug)
            for pk, kind, slug in VocabularyTerm.objects.values_list("pk", "kind", "slug")
        }
        self.term_ids = {key: pk for pk, key in self.term_keys.items()}
        self.geo = {}
        for pk, iso2, ldc, *regions in Country.objects.values_list(
            "pk",
            "iso2",
            "ldc",
            "region__code",
            "subregion__code",
            "intermediate_region__code",
        ):
            self.geo[pk] = (iso2, tuple(r for r in regions if r), ldc)

    def _load_relations(self, pks: list[int] | None) -> None:
        """Facet terms, coverage and organisation types of the given listings (None: all)."""
        terms_qs = ListingTerm.objects.filter(listing__kind=self.kind)
        coverage_qs = Listing.coverage.through.objects.filter(listing__kind=self.kind)
        if pks is not None:
            terms_qs = terms_qs.filter(listing_id__in=pks)
            coverage_qs = coverage_qs.filter(listing_id__in=pks)
        rows = [self.row_of[pk] for pk in pks] if pks is not None else range(self.size)
        found_terms: dict[int, list[int]] = {row: [] for row in rows}
        # a listing created since its row was read is skipped: the next refresh reads both
        for listing_id, term_id in terms_qs.values_list("listing_id", "term_id").iterator(5000):
            found_terms.get(self.row_of.get(listing_id), []).append(term_id)
        found_cover: dict[int, list[int]] = {row: [] for row in rows}
        for listing_id, country_id in coverage_qs.values_list("listing_id", "country_id").iterator(
            5000
        ):
            found_cover.get(self.row_of.get(listing_id), []).append(country_id)
        if any(t not in self.term_keys for ids in found_terms.values() for t in ids) or any(
            c not in self.geo for ids in found_cover.values() for c in ids
        ):
            self._load_reference()
        organisations = {self.organisation_of[row] for row in rows}
        if pks is None or organisations - set(self.org_types):
            self.org_types.update(
                Organisation.objects.filter(pk__in=organisations).values_list("pk", "org_type")
                if pks is not None
                else Organisation.objects.values_list("pk", "org_type")
            )
        for row in rows:
            self.labels["term"].set(row, found_terms[row])
            countries = [self.geo[c] for c in found_cover[row] if c in self.geo]
            self.labels["country"].set(row, sorted({iso for iso, _r, _l in countries}))
            self.labels["region"].set(
                row, sorted({r for _i, regions, _l in countries for r in regions})
            )
            self.labels["ldc"].set(row, ("ldc",) if any(ldc for *_x, ldc in countries) else ())
            self.labels["org_type"].set(row, (self.org_types.get(self.organisation_of[row], ""),))

    def _reserve(self, capacity: int) -> None:
        old = len(self.ids)
        if capacity <= old:
            return
        capacity = max(capacity, 2 * old, 64)
        grow = capacity - old
        self.ids = np.concatenate([self.ids, np.full(grow, -1, dtype=np.int64)])
        emb = np.zeros((capacity, self.dim), dtype=np.float32)
        emb[:old] = self.emb
        self.emb = emb
        self.worldwide = np.concatenate([self.worldwide, np.zeros(grow, dtype=bool)])

    def _write(self, item: _Row) -> int:
        row = self.row_of.get(item.pk)
        if row is None:
            row = self.size
            self._reserve(row + 1)
            self.size += 1
            self.row_of[item.pk] = row
            self.ids[row] = item.pk
            for labels in self.labels.values():
                labels.grow(self.size)
            self._sorter = None
        # a listing not embedded yet (or by another embedder) has no semantic signal
        self.emb[row] = 0.0 if item.vector is None else item.vector
        self.worldwide[row] = item.worldwide
        self.updated[item.pk] = item.updated
        self.organisation_of[row] = item.organisation_id
        self.labels["language"].set(row, item.languages)
        return row

    def _remove(self, pk: int) -> None:
        row = self.row_of.pop(pk)
        self.updated.pop(pk, None)
        self.ids[row] = -1
        self.emb[row] = 0.0
        self.worldwide[row] = False
        self.bm25.remove(row)
        for labels in self.labels.values():
            labels.set(row, ())
        self._sorter = None

    # ------------------------------------------------------------------ reads
    def rows_for(self, ids: np.ndarray) -> np.ndarray:
        """Rows of the given listing ids (ids not in the cache are left out)."""
        return self._locate(ids)[1]

    def _locate(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions in `ids` of the ids in the cache, their rows)."""
        if self._sorter is None:
            used = self.ids[: self.size]
            self._sorter = np.argsort(used, kind="stable")
            self._sorted_ids = used[self._sorter]
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids) or not self.size:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        pos = np.minimum(np.searchsorted(self._sorted_ids, ids), self.size - 1)
        found = np.flatnonzero(self._sorted_ids[pos] == ids)
        return found, self._sorter[pos[found]]

    def filter_mask(self, ids: np.ndarray, in_use: Sequence[tuple[Filter, object]]) -> np.ndarray:
        """Which of `ids` match the TERMS and COVERAGE filters in use (`filters.filters_in_use`),
        with their meaning in `listings.filters`: any of the slugs of a vocabulary; worldwide,
        or covering a country of the area (labels "country", "region" and "ldc" of a row)."""
        with self.lock:
            positions, rows = self._locate(ids)
            ok = np.ones(len(rows), dtype=bool)
            for flt, value in in_use:
                if flt.shape == TERMS:
                    any_of = np.zeros(len(rows), dtype=bool)
                    for slug in value:
                        term_id = self.term_ids.get((flt.vocabulary, slug))
                        if term_id is not None:
                            any_of |= self.labels["term"].having(term_id)[rows]
                    ok &= any_of
                else:
                    ok &= self.worldwide[rows] | self.labels[flt.param].having(value)[rows]
            keep = np.zeros(len(ids), dtype=bool)
            keep[positions[ok]] = True
        return keep

    def facet_counts(self, ids: np.ndarray, only: Sequence[str] | None = None) -> dict:
        """Counts among `ids`: per vocabulary term (as `selectors.facet_counts` gives them), and
        per country, region, language and organisation type, plus the LDC count.

        A worldwide listing counts for every country and region, as the filters match it.
        """
        wanted = set(only or ("term", *GEO_FACETS, "ldc", *OTHER_FACETS))
        out: dict = {} if only else {vocabulary: {} for vocabulary in FACET_VOCABULARIES}
        with self.lock:
            rows = self.rows_for(ids)
            selected = np.zeros(self.size, dtype=bool)
            selected[rows] = True
            everywhere = int(np.count_nonzero(self.worldwide[rows]))
            if "term" in wanted:
                for term_id, n in self.labels["term"].counts(selected).items():
                    vocabulary, slug = self.term_keys[term_id]
                    out.setdefault(vocabulary, {})[slug] = n
            for name in GEO_FACETS:
                if name in wanted:
                    counts = self.labels[name].counts(selected)
                    if everywhere:
                        every = self._all_countries() if name == "country" else self._all_regions()
                        counts = {label: counts.get(label, 0) + everywhere for label in every}
                    out[name] = counts
            if "ldc" in wanted:
                out["ldc"] = self.labels["ldc"].counts(selected).get("ldc", 0) + everywhere
            for name in OTHER_FACETS:
                if name in wanted:
                    counts = self.labels[name].counts(selected)
                    out[name] = {k: v for k, v in counts.items() if k}
        return out

    def _all_countries(self) -> list[str]:
        return [iso for iso, _regions, _ldc in self.geo.values()]

    def _all_regions(self) -> list[str]:
        return sorted({r for _iso, regions, _ldc in self.geo.values() for r in regions})

    def lexical(self, query: str, rows: np.ndarray) -> np.ndarray:
        """BM25 of the query on the rows, divided by the best score the query could reach."""
        query_terms = terms(query)
        unique = set(query_terms)
        if not unique or not self.size:
            return np.zeros(len(rows), dtype=np.float32)
        bm25 = self.bm25
        known = np.asarray(
            [bm25.vocab[t] for t in unique if t in bm25.vocab and bm25.df[bm25.vocab[t]] > 0],
            dtype=np.int64,
        )
        # a word no listing uses counts as the rarest possible word: "quantum patents" is half
        # matched by a listing about patents, not fully
        unknown = len(unique) - len(known)
        best_idf = math.log1p((bm25.n_docs + 0.5) / 0.5)
        ceiling = (float(bm25.idf(known).sum()) if len(known) else 0.0) + unknown * best_idf
        ceiling *= bm25.k1 + 1.0
        if ceiling <= 0:
            return np.zeros(len(rows), dtype=np.float32)
        return bm25.scores(query_terms, self.size)[rows] / ceiling

    def semantic(self, vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
        if vector.shape[0] != self.dim:  # no semantic signal (see LEXICAL_EMBEDDERS)
            return np.zeros(len(rows), dtype=np.float32)
        # gathering a large subset of the matrix costs more than multiplying all of it
        if len(rows) < 0.2 * self.size:
            return self.emb[rows] @ vector
        return (self.emb[: self.size] @ vector)[rows]

    def score(
        self, query: str, vector: np.ndarray, ids: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(positions in `ids`, relevance) of the listings relevant to the query, unordered."""
        config = search_settings()
        with self.lock:
            positions, rows = self._locate(ids)
            scores = np.zeros(len(rows), dtype=np.float32)
            if config["semantic_weight"]:
                scores += config["semantic_weight"] * self.semantic(vector, rows)
            if config["lexical_weight"]:
                scores += config["lexical_weight"] * self.lexical(query, rows)
        keep = scores >= config["min_relevance"]
        return positions[keep], scores[keep]


@dataclass
class _Indexes:
    by_key: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_indexes = _Indexes()


def listing_index(kind: str) -> ListingIndex:
    """The process-wide index of `kind` for the configured embedder (created on first use)."""
    embedder = get_embedder()
    key = (kind, embedder.name)
    index = _indexes.by_key.get(key)
    if index is None:
        with _indexes.lock:
            index = _indexes.by_key.get(key)
            if index is None:
                index = _indexes.by_key[key] = ListingIndex(kind, embedder)
    return index


def clear_search_cache() -> None:
    """Forget the cached indexes and query vectors (tests, benchmarks of a cold start)."""
    with _indexes.lock:
        _indexes.by_key.clear()
    query_vectors.clear()
