"""The process-wide matching index, built from published listings and their stored vectors.

Only the task worker holds it (pages read stored suggestions). It is updated one listing at a
time when a listing changes, and rebuilt whenever the published catalogue no longer matches
what it was built from (a change made by another process, a restart), so it heals by itself.
docs/index-freshness.md says when a change made elsewhere shows.
"""

import threading

import numpy as np
from django.conf import settings

from wipomatch.core.memory import deep_size
from wipomatch.listings.embeddings import from_bytes, get_embedder, listing_embed
from wipomatch.listings.models import Kind, Listing
from wipomatch.listings.selectors import listing_card_queryset
from wipomatch.matching.engine.config import EngineConfig
from wipomatch.matching.engine.index import MatchIndex

from .documents import geography_from_db, listing_document

_lock = threading.RLock()
# "seen": {listing id: updated_at} of the published listings the index holds.
_state: dict = {"index": None, "seen": None}
# Above this share of the catalogue changed behind its back, the index is rebuilt, not patched.
REBUILD_SHARE = 0.2


def engine_config() -> EngineConfig:
    return EngineConfig.from_dict(settings.MATCHING)


def published_versions() -> dict[int, object]:
    """{id: updated_at} of every published listing: one query over two columns."""
    return dict(Listing.objects.public().values_list("pk", "updated_at"))


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
    published = list(listing_card_queryset().public().order_by("pk"))
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
    """The index, brought up to date first with every change of the published catalogue since
    it last looked, whichever process made it (docs/index-freshness.md)."""
    with _lock:
        current = published_versions()
        seen = _state["seen"]
        index = _state["index"]
        changed = (
            [pk for pk, updated in current.items() if seen.get(pk) != updated]
            if seen is not None
            else None
        )
        gone = [pk for pk in seen if pk not in current] if seen is not None else None
        if (
            index is None
            or changed is None
            or len(changed) + len(gone) > REBUILD_SHARE * max(len(current), 1)
        ):
            _state["index"] = build_index()
        else:
            for pk in gone:
                # the kind is not known any more (the row may be deleted): try both sides
                index.remove(str(pk), kind=Kind.OFFER) or index.remove(str(pk), kind=Kind.NEED)
            if changed:
                embedder = get_embedder()
                listings = list(listing_card_queryset().filter(pk__in=changed).order_by("pk"))
                vectors = _vectors(listings, embedder.dim)
                for listing, vector in zip(listings, vectors, strict=True):
                    index.add(listing_document(listing), embedding=vector)
        _state["seen"] = current
        return _state["index"]


def apply_change(listing: Listing) -> MatchIndex:
    """The index, with this listing's change (added, replaced or removed) and any other made
    since it last looked, by this process or another."""
    return current_index()


def index_memory() -> dict | None:
    """Listings held and bytes (embedder excluded) of this process's index; None if not built."""
    with _lock:
        index = _state["index"]
        if index is None:
            return None
        return {
            "offers": len(index.offers),
            "needs": len(index.needs),
            "bytes": deep_size(index, exclude=[index.embedder]),
        }


def reset() -> None:
    """Forget the index (tests, and after a change of engine settings)."""
    with _lock:
        _state["index"] = None
        _state["seen"] = None
