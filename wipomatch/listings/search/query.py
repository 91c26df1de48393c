"""Search of the published needs and offers: filters, facet counts, sorting and text search.

Without a text query a search is the browse filters (SQL), the order of `order_listings` and
a page.

With a query the text search must work in the six UN languages and across them (a French query
finds an English offer), so two signals are fused:

- semantic: cosine between the query embedding and the stored embedding of each listing
  (multilingual USE: the cross-language signal);
- lexical: BM25 over the engine's tokens (jieba for Chinese, light stemming for Arabic,
  Russian and Latin scripts), divided by the best score the query could reach (every query term
  present, saturated term frequency) so that it lies in [0, 1) whatever the query.

Both signals are on an absolute scale, so their weighted sum can be compared with a fixed
threshold: listings below it are dropped and an unrelated query finds nothing, instead of the
least unrelated listings. Ranks alone (reciprocal-rank fusion) would order the results as well
but could not say "nothing matches". Weights and threshold are in `LISTING_SEARCH`.

SQL says what is visible (one query gives the ids of the published listings, narrowed by
language and organisation type); the rest runs in memory over a per-process cache of every
listing of a kind: ids, the float32 embedding matrix, BM25 postings and facet labels, on which
the vocabulary and geography filters, the cosine, BM25 and the facet counts are computed (as
joins over every term and coverage row, the filters were the slowest part of a search in SQL).
One query per search (the newest `updated_at` of the kind) tells whether the cache is current;
when it is not, only the listings changed since are reloaded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from ..embeddings import embed_query
from ..filters import COLUMN, COVERAGE, TERMS, BrowseFilters, filters_in_use, widened_facets
from ..models import Listing
from ..selectors import listing_browse_queryset, listing_card_queryset
from .cache import listing_index


@dataclass
class SearchPage:
    items: list[Listing]
    total: int
    facets: dict  # vocabulary / country / region / language / org_type -> {value: n}; ldc -> n
    page: int
    num_pages: int
    page_size: int = 20
    query: str = ""
    sort: str = "relevance"

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def end_index(self) -> int:
        return min(self.page * self.page_size, self.total)


def _page_bounds(total: int, page, page_size: int) -> tuple[int, int]:
    """(page, num_pages), the page clamped into range as Paginator.get_page does."""
    num_pages = max(1, math.ceil(total / page_size))
    try:
        page = int(page)
    except (TypeError, ValueError):
        page = 1
    return min(max(page, 1), num_pages), num_pages


# Embedders whose vectors only restate the words (feature hashing): their cosine would add
# hash-collision noise to the lexical signal, not meaning, so search leaves it out.
LEXICAL_EMBEDDERS = frozenset({"hashing"})


def listing_search(
    *, kind: str, filters: BrowseFilters, page: int = 1, page_size: int = 20, refresh: bool = True
) -> SearchPage:
    """One page of published listings of `kind` matching the filters and the text query.

    `facets` holds, over the matching listings, the count of each vocabulary term (as
    `selectors.facet_counts`), of each country, region, language and organisation type, and
    the number in LDCs ("ldc"); the counts of a facet in use are taken over the listings the
    other filters match (`filters.widened_facets`). The number of SQL queries does not depend
    on the page size: 6 (cache version, filtered ids with their sort key, the cards and their
    3 prefetches), one more per language or organisation type filter in use, and a few more
    when listings changed since the last search in this process. The order is that of
    `selectors.order_listings` (ties: highest id first), or the relevance for a text query
    sorted by relevance.

    The vocabulary filters and where a listing applies (country, region, LDC) are matched on
    the cache, the others in SQL; both read their meaning from `listings.filters.FILTERS`.
    `refresh=False` skips the version query when the caller has just brought the cache up to
    date (`catalogue_version`).
    """
    page_size = max(1, int(page_size))
    query = " ".join((filters.q or "").split())
    index = listing_index(kind)
    if refresh:
        index.refresh()
    vector = None
    if query:
        semantic = index.embedder.name not in LEXICAL_EMBEDDERS
        vector = embed_query(query, embedder=index.embedder) if semantic else np.zeros(0)
    sort = filters.sort if filters.sort in ("newest", "expiring") else "relevance"
    if vector is None and sort == "relevance":
        sort = "newest"  # as order_listings: without a query, the newest first

    # The COLUMN filters (language, organisation type) are matched in SQL -> (ids, sort keys,
    # relevance) of the published listings matching them and the query; the others (vocabulary
    # and coverage) are matched on the cache.
    candidates: dict = {}

    def matching(f: BrowseFilters, sort_key=None):
        """(ids, sort keys, relevance) of the listings matching the filters and the query."""
        in_sql = filters_in_use(f, COLUMN)
        key = tuple(value for _flt, value in in_sql)
        if key not in candidates:
            sql = BrowseFilters(**{flt.param: value for flt, value in in_sql})
            ids, keys = _ids(listing_browse_queryset(kind=kind, filters=sql), sort_key=sort_key)
            scores = np.zeros(len(ids), dtype=np.float32)
            if vector is not None:
                # relevance does not depend on the other candidates: scored once, then narrowed
                positions, scores = index.score(query, vector, ids)
                ids, keys = ids[positions], (keys[positions] if keys is not None else None)
            candidates[key] = (ids, keys, scores)
        ids, keys, scores = candidates[key]
        in_memory = filters_in_use(f, TERMS, COVERAGE)
        if in_memory:
            keep = index.filter_mask(ids, in_memory)
            ids, keys, scores = ids[keep], (keys[keep] if keys is not None else None), scores[keep]
        return ids, keys, scores

    ids, keys, scores = matching(filters, SORT_FIELDS.get(sort))
    if sort == "relevance":
        order = np.lexsort((-ids, -scores))
    elif sort == "expiring":
        order = np.lexsort((-ids, keys))
    else:
        order = np.lexsort((-ids, -keys))
    matched_ids, scores = ids[order], scores[order]

    total = len(matched_ids)
    page, num_pages = _page_bounds(total, page, page_size)
    start = (page - 1) * page_size
    items = _cards(matched_ids[start : start + page_size].tolist())
    if vector is not None:
        for item, score in zip(items, scores[start : start + page_size].tolist(), strict=True):
            item.relevance = score

    # A facet in use counts over the results of the other filters, so that the number next to
    # an option is what ticking it would give (several values of a facet widen the results).
    facets = index.facet_counts(matched_ids)
    for flt, wider in widened_facets(filters):
        wider_ids = matching(wider)[0]
        if flt.shape == TERMS:
            counts = index.facet_counts(wider_ids, only=("term",)).get(flt.vocabulary, {})
        else:
            counts = index.facet_counts(wider_ids, only=(flt.param,))[flt.param]
        facets[flt.vocabulary or flt.param] = counts
    return SearchPage(
        items=items,
        total=total,
        facets=facets,
        page=page,
        num_pages=num_pages,
        page_size=page_size,
        query=query,
        sort=filters.sort,
    )


def catalogue_version(kind: str) -> str:
    """The version of the published catalogue of `kind` as this process's search cache knows it
    after catching up (one query): the newest `updated_at` of the kind. A key for what is
    computed from the catalogue (the rendered results of the browse pages)."""
    index = listing_index(kind)
    index.refresh()
    newest = index.newest
    return f"{kind}:{newest.isoformat() if newest else '-'}:{len(index)}"


# The column each sort orders by (as selectors.order_listings); "relevance" needs none.
SORT_FIELDS = {"newest": "published_at", "expiring": "expires_at"}


def _ids(qs, sort_key: str | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Primary keys of a queryset as an int64 array, and the `sort_key` column as float64
    ranks, in one round trip and without building model instances.

    The sort key travels as text: ISO timestamps in UTC sort as text exactly as they do as
    timestamps (as SQLite compares them anyway), and parsing 10,000 datetimes in Python would
    cost more than the whole search.
    """
    if sort_key:
        qs = qs.annotate(_sort_key=Cast(sort_key, output_field=TextField()))
        fields = ("pk", "_sort_key")
    else:
        fields = ("pk",)
    sql, params = qs.order_by().values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not sort_key:
        return np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows)), None
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    keys = np.array([row[1] or "" for row in rows], dtype=str)  # NULL sorts first
    if not len(keys):
        return ids, np.zeros(0)
    return ids, np.unique(keys, return_inverse=True)[1].astype(np.float64)


def _cards(ids: Sequence[int]) -> list[Listing]:
    """The listings of a page, loaded for display, in the order of `ids` (always 4 queries)."""
    if not ids:
        return []
    by_id = {x.pk: x for x in listing_card_queryset().filter(pk__in=list(ids))}
    return [by_id[i] for i in ids if i in by_id]
