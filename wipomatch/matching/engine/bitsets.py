"""Growable per-row label sets stored as uint64 bitsets.

Each facet of each listing (its themes, IP areas, delivery languages, eligible countries...) is a
row of bits, so that "how many of the seeker's themes does every offer share" is one vectorised
AND + popcount over all rows instead of a Python loop over listings.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["BitsetColumn"]

_WORD = 64


class BitsetColumn:
    """Rows of label sets; labels are assigned bit positions as they are first seen."""

    def __init__(self, capacity: int = 0, labels: Iterable[str] = ()) -> None:
        self.bit_of: dict[str, int] = {}
        self.labels: list[str] = []
        self.bits = np.zeros((capacity, 1), dtype=np.uint64)
        # label set -> bitset; listings repeat a few label combinations over and over
        self._cache: dict[tuple[str, ...], np.ndarray] = {}
        for label in labels:
            self._bit(label)

    @property
    def words(self) -> int:
        return self.bits.shape[1]

    def _bit(self, label: str) -> int:
        bit = self.bit_of.get(label)
        if bit is None:
            bit = len(self.labels)
            self.bit_of[label] = bit
            self.labels.append(label)
            if bit // _WORD >= self.words:
                extra = np.zeros((self.bits.shape[0], 1), dtype=np.uint64)
                self.bits = np.hstack([self.bits, extra])
                self._cache.clear()
        return bit

    def resize(self, capacity: int) -> None:
        rows = self.bits.shape[0]
        if capacity > rows:
            grown = np.zeros((capacity, self.words), dtype=np.uint64)
            grown[:rows] = self.bits
            self.bits = grown
        elif capacity < rows:
            self.bits = self.bits[:capacity].copy()

    def mask(self, labels: Iterable[str], create: bool = False) -> np.ndarray:
        """The bitset of a label set; labels never seen are dropped unless create=True."""
        labels = list(labels)
        if create:
            for label in labels:
                self._bit(label)
        words = np.zeros(self.words, dtype=np.uint64)
        for label in labels:
            bit = self.bit_of.get(label)
            if bit is not None:
                words[bit // _WORD] |= np.uint64(1) << np.uint64(bit % _WORD)
        return words

    def set_row(self, row: int, labels: Iterable[str]) -> None:
        key = tuple(labels)
        words = self._cache.get(key)
        if words is None:
            words = self.mask(key, create=True)
            if len(self._cache) < 100_000:
                self._cache[key] = words
        self.bits[row] = words

    def clear_row(self, row: int) -> None:
        self.bits[row] = 0

    def row_labels(self, row: int) -> list[str]:
        return self.decode(self.bits[row])

    def decode(self, words: np.ndarray) -> list[str]:
        out = []
        for bit, label in enumerate(self.labels):
            if int(words[bit // _WORD]) >> (bit % _WORD) & 1:
                out.append(label)
        return out

    def overlap_count(self, query: np.ndarray, rows=None) -> np.ndarray:
        """Number of labels each row shares with `query` (a mask from `mask`).

        `rows` selects rows: an int (the first rows), or an index array when a query is
        pre-filtered.
        """
        bits, post = self._select(rows)
        counts = np.zeros(bits.shape[0], dtype=np.int32)
        for word in np.flatnonzero(query):
            counts += np.bitwise_count(bits[:, word] & query[word]).astype(np.int32)
        return counts if post is None else counts[post]

    def any_of(self, query: np.ndarray, rows=None) -> np.ndarray:
        """Rows that share at least one label with `query`."""
        bits, post = self._select(rows)
        hit = np.zeros(bits.shape[0], dtype=bool)
        for word in np.flatnonzero(query):
            hit |= (bits[:, word] & query[word]) != 0
        return hit if post is None else hit[post]

    def counts(self, rows=None) -> np.ndarray:
        """Number of labels in each row."""
        bits, post = self._select(rows)
        counts = np.bitwise_count(bits).sum(axis=1, dtype=np.int32)
        return counts if post is None else counts[post]

    def is_empty(self, rows=None) -> np.ndarray:
        bits, post = self._select(rows)
        empty = ~bits.any(axis=1)
        return empty if post is None else empty[post]

    def _select(self, rows) -> tuple[np.ndarray, np.ndarray | None]:
        """(bits to compute on, index to apply to the result).

        Gathering many 2-D rows costs more than computing on a contiguous prefix and
        gathering the 1-D result, so large selections take the second way.
        """
        if rows is None:
            return self.bits, None
        if isinstance(rows, int | np.integer):
            return self.bits[:rows], None
        if isinstance(rows, slice):
            return self.bits[rows], None
        rows = np.asarray(rows)
        if len(rows) > 0.15 * len(self.bits):
            end = int(rows.max()) + 1 if len(rows) else 0
            return self.bits[:end], rows
        return self.bits[rows], None
