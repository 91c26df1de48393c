"""The process-wide matching index, built from published listings and their stored vectors.

Only the task worker holds it (pages read stored suggestions). It is updated one listing at a
time when a listing changes, and rebuilt whenever the published catalogue no longer matches
what it was built from (a change made by another process, a restart), so it heals by itself.
"""

import threading

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from wipomatch.listings.embeddings import from_bytes, get_embedder, listing_embed
from wipomatch.listings.models import Kind, Listing, Status
from wipomatch.listings.selectors import listing_card_queryset
from wipomatch.matching.engine.config import EngineConfig
from wipomatch.matching.engine.index import MatchIndex

from .documents import geography_from_db, listing_document

_lock = threading.RLock()
_state: dict = {"index": None, "version": None}


def engine_config() -> EngineConfig:
    return EngineConfig.from_dict(settings.MATCHING)


def catalogue_version() -> tuple:
    row = Listing.objects.filter(status=Status.PUBLISHED).aggregate(
        n=Count("pk"), latest=Max("updated_at")
    )
    return (row["n"], row["latest"])


def _vectors(listings: list[Listing], dim: int) -> np.ndarray:
    rows = []
    for listing in listings:
        vector = from_bytes(listing.embedding, dim)
        if vector is None:
            listing_embed(listing_id=listing.pk)
            listing.refresh_from_db(fields=["embedding"])
            vector = from_bytes(listing.embedding, dim)
        rows.append(vector)
    return np.vstack(rows) if rows else np.zeros((0, dim), dtype=np.float32)


def build_index() -> MatchIndex:
    embedder = get_embedder()
    published = list(listing_card_queryset().filter(status=Status.PUBLISHED).order_by("pk"))
    needs = [x for x in published if x.kind == Kind.NEED]
    offers = [x for x in published if x.kind == Kind.OFFER]
    return MatchIndex.build(
        [listing_document(x) for x in offers],
        [listing_document(x) for x in needs],
        _vectors(offers, embedder.dim),
        _vectors(needs, embedder.dim),
        config=engine_config(),
        geography=geography_from_db(),
        embedder=embedder,
        dim=embedder.dim,
    )


def current_index() -> MatchIndex:
    """The index, rebuilt first if the published catalogue changed behind its back."""
    with _lock:
        version = catalogue_version()
        if _state["index"] is None or _state["version"] != version:
            _state["index"] = build_index()
            _state["version"] = version
        return _state["index"]


def apply_change(listing: Listing) -> MatchIndex:
    """Bring the index in line with one listing (added, replaced or removed).

    Incremental: other changes that did not come through here are caught by `current_index`
    (used by the periodic refresh), which rebuilds when the catalogue version differs.
    """
    with _lock:
        index = _state["index"]
        if index is None:
            return current_index()
        if listing.status == Status.PUBLISHED:
            embedder = get_embedder()
            vector = _vectors([listing], embedder.dim)[0]
            index.add(listing_document(listing), embedding=vector)
        else:
            index.remove(str(listing.pk), kind=listing.kind)
        _state["version"] = catalogue_version()
        return index


def reset() -> None:
    """Forget the index (tests, and after a change of engine settings)."""
    with _lock:
        _state["index"] = None
        _state["version"] = None
