"""Multilingual embeddings of listings: computed once per change, stored on the listing.

Search (and matching) compare a query or a listing with the stored vectors and never embed a
listing during a request. The embedder is chosen by the `LISTING_EMBEDDER` setting:

- "use" (default): the multilingual Universal Sentence Encoder of the matching engine, which puts
  texts of the six UN languages in one space, so a French query finds an English offer;
- "hashing": the engine's deterministic bag-of-terms embedder, lexical only, for bulk commands
  and tests that do not need cross-language semantics.

One instance of each embedder is created lazily per process (the USE model takes seconds and
about 100 MB to load) and shared by every thread.
"""

from __future__ import annotations

import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

import numpy as np
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from wipomatch.matching.engine.embedding import Embedder, HashingEmbedder, USEEmbedder

from .models import Listing

EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "use": USEEmbedder,
    "hashing": HashingEmbedder,
}
DEFAULT_EMBEDDER = "use"

_instances: dict[str, Embedder] = {}
_instances_lock = threading.Lock()


def embedder_name_setting() -> str:
    name = settings.LISTING_EMBEDDER or DEFAULT_EMBEDDER
    if name not in EMBEDDERS:
        raise ValueError(
            f"LISTING_EMBEDDER must be one of {', '.join(sorted(EMBEDDERS))}, not {name!r}"
        )
    return name


def get_embedder(name: str | None = None) -> Embedder:
    """The process-wide embedder called `name` (default: the `LISTING_EMBEDDER` setting)."""
    name = name or embedder_name_setting()
    embedder = _instances.get(name)
    if embedder is None:
        with _instances_lock:
            embedder = _instances.get(name)
            if embedder is None:
                if name not in EMBEDDERS:
                    raise ValueError(f"unknown embedder {name!r}")
                embedder = EMBEDDERS[name]()
                _instances[name] = embedder
    return embedder


def listing_text(
    title: str, summary: str, description: str, translations: dict | None = None
) -> str:
    """What is embedded and indexed: title, summary, description, then the translations.

    Translated titles and summaries are appended so that a listing written in one language is
    also found by the words of another one its owner translated it into.
    """
    parts = [title, summary, description]
    for lang in sorted(translations or {}):
        entry = translations[lang] or {}
        parts.extend([entry.get("title", ""), entry.get("summary", "")])
    pieces = []
    for part in parts:
        part = (part or "").strip()
        if not part:
            continue
        if pieces and pieces[-1][-1] not in ".!?;:。！？；：؟":
            pieces[-1] += "."
        pieces.append(part)
    return " ".join(pieces)


def text_of(listing: Listing) -> str:
    return listing_text(listing.title, listing.summary, listing.description, listing.translations)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).reshape(-1).tobytes()


def from_bytes(data: bytes | memoryview | None, dim: int) -> np.ndarray | None:
    """The stored vector, or None when missing or not of the expected dimension."""
    if not data:
        return None
    vector = np.frombuffer(bytes(data), dtype=np.float32)
    return vector if vector.shape[0] == dim else None


def encode(embedder: Embedder, texts: list[str], progress=None) -> np.ndarray:
    """Embed texts, reporting progress when the embedder can (the USE model embeds in batches);
    otherwise the progress is reported once, at the end."""
    if progress is not None and "progress" in inspect.signature(embedder.encode).parameters:
        return embedder.encode(texts, progress=progress)
    vectors = embedder.encode(texts)
    if progress is not None:
        progress(len(texts), len(texts))
    return vectors


def listing_embed(*, listing_id: int, only_missing: bool = False) -> bool:
    """(Re)compute and store the embedding of one listing; True when it was written.

    Idempotent: the same text gives the same vector. With `only_missing`, a listing that already
    has a vector from the configured embedder is left alone (lifecycle changes do not alter the
    text). `updated_at` moves with the vector so that the search caches of every process notice
    it; no `listing_changed` is sent, so this never loops.
    """
    embedder = get_embedder()
    listing = (
        Listing.objects.filter(pk=listing_id)
        .only("title", "summary", "description", "translations", "embedding", "embedding_model")
        .first()
    )
    if listing is None:
        return False
    if only_missing and listing.embedding and listing.embedding_model == embedder.name:
        return False
    vector = embedder.encode([text_of(listing)])[0]
    listing.embedding = to_bytes(vector)
    listing.embedding_model = embedder.name
    listing.save(update_fields=["embedding", "embedding_model", "updated_at"])
    return True


def listings_embed_missing(
    *,
    embedder: Embedder | None = None,
    all_listings: bool = False,
    batch_size: int = 64,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Embed every listing without a vector of the current embedder (or all of them).

    Used by the `embed_listings` command after a bulk import or a change of embedder.
    """
    embedder = embedder or get_embedder()
    qs = Listing.objects.all()
    if not all_listings:
        qs = qs.filter(Q(embedding__isnull=True) | ~Q(embedding_model=embedder.name))
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        listings = list(
            Listing.objects.filter(pk__in=chunk).only(
                "title", "summary", "description", "translations"
            )
        )
        vectors = embedder.encode([text_of(x) for x in listings])
        for listing, vector in zip(listings, vectors, strict=True):
            listing.embedding = to_bytes(vector)
            listing.embedding_model = embedder.name
        Listing.objects.bulk_update(
            _touch(listings), ["embedding", "embedding_model", "updated_at"], batch_size=500
        )
        done += len(listings)
        if progress is not None:
            progress(done, len(ids))
    return done


def _touch(listings: Iterable[Listing]) -> list[Listing]:
    # bulk_update does not apply auto_now: set it so that search caches see the new vectors.
    now = timezone.now()
    out = []
    for listing in listings:
        listing.updated_at = now
        out.append(listing)
    return out


class _QueryVectors:
    """A small LRU of query embeddings: paging or refining filters reuses the vector."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._data: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, embedder: Embedder, text: str) -> np.ndarray:
        key = (embedder.name, text)
        with self._lock:
            vector = self._data.get(key)
            if vector is not None:
                self._data.move_to_end(key)
                return vector
        vector = embedder.encode([text])[0]
        vector.setflags(write=False)
        with self._lock:
            self._data[key] = vector
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return vector

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


query_vectors = _QueryVectors()


def embed_query(text: str, *, embedder: Embedder | None = None) -> np.ndarray:
    """Embedding of a search query (cached per process, most recent 512 queries)."""
    return query_vectors.get(embedder or get_embedder(), " ".join(text.split()))
