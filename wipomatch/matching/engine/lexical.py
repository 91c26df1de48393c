"""BM25 over listing text, with an inverted index that supports single-document updates.

Postings live in two segments, as in log-structured search engines:

- a main segment in compressed-sparse-row form (term → rows, term-frequency weights), built in
  bulk with numpy, so a query is a handful of slices and one `np.bincount`;
- a small delta segment (plain dicts) for documents added or changed since the last build.

A changed or removed document is masked out of the main segment (`in_main`), which is exact:
all of a row's main postings are stale together. The main segment is rebuilt lazily once the
delta grows past a fraction of the collection, so a stream of single-listing updates never pays
for a full rebuild each time. Length normalisation uses the average document length frozen at
the last rebuild for every row, main or delta, so that rows are always scored alike; document
frequencies (idf) are always current.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["BM25Index"]


class BM25Index:
    def __init__(self, k1: float = 1.2, b: float = 0.75, rebuild_fraction: float = 0.05) -> None:
        self.k1 = k1
        self.b = b
        self.rebuild_fraction = rebuild_fraction
        self.vocab: dict[str, int] = {}
        self.df = np.zeros(0, dtype=np.int32)
        self.doc_terms: list[np.ndarray | None] = []
        self.doc_tf: list[np.ndarray | None] = []
        self.doc_len = np.zeros(0, dtype=np.float32)
        self.n_docs = 0
        self.total_len = 0.0
        self._avgdl = 1.0  # average length at the last rebuild
        # main segment
        self._indptr = np.zeros(1, dtype=np.int64)
        self._rows = np.zeros(0, dtype=np.int32)
        self._weights = np.zeros(0, dtype=np.float32)
        self.in_main = np.zeros(0, dtype=bool)
        # delta segment: term id -> {row: tf}
        self._delta: dict[int, dict[int, float]] = {}
        self._delta_rows: set[int] = set()
        self._inverse: list[str] = []

    # ----------------------------------------------------------------- maintenance
    @property
    def capacity(self) -> int:
        return len(self.doc_terms)

    @property
    def avgdl(self) -> float:
        return self.total_len / self.n_docs if self.n_docs else 1.0

    def resize(self, capacity: int) -> None:
        grow = capacity - self.capacity
        if grow <= 0:
            return
        self.doc_terms.extend([None] * grow)
        self.doc_tf.extend([None] * grow)
        self.doc_len = np.concatenate([self.doc_len, np.zeros(grow, dtype=np.float32)])
        self.in_main = np.concatenate([self.in_main, np.zeros(grow, dtype=bool)])

    def _term_ids(self, terms: Iterable[str], create: bool) -> np.ndarray:
        ids = []
        for term in terms:
            tid = self.vocab.get(term)
            if tid is None:
                if not create:
                    continue
                tid = len(self.vocab)
                self.vocab[term] = tid
            ids.append(tid)
        if len(self.vocab) > len(self.df):
            grown = np.zeros(max(len(self.vocab), 2 * len(self.df)), dtype=np.int32)
            grown[: len(self.df)] = self.df
            self.df = grown
        return np.asarray(ids, dtype=np.int64)

    def _store(self, row: int, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        ids = self._term_ids(terms, create=True)
        uniq, tf = np.unique(ids, return_counts=True)
        self.doc_terms[row] = uniq.astype(np.int32)
        self.doc_tf[row] = tf.astype(np.float32)
        self.doc_len[row] = float(len(ids))
        self.df[uniq] += 1
        self.n_docs += 1
        self.total_len += float(len(ids))
        return self.doc_terms[row], self.doc_tf[row]

    def _forget(self, row: int) -> None:
        uniq = self.doc_terms[row]
        if uniq is None:
            return
        self.df[uniq] -= 1
        self.n_docs -= 1
        self.total_len -= float(self.doc_len[row])
        if row in self._delta_rows:
            for tid in uniq:
                postings = self._delta.get(int(tid))
                if postings is not None:
                    postings.pop(row, None)
            self._delta_rows.discard(row)
        self.in_main[row] = False
        self.doc_terms[row] = None
        self.doc_tf[row] = None
        self.doc_len[row] = 0.0

    def set(self, row: int, terms: Sequence[str]) -> None:
        """Index (or re-index) the document stored in `row`."""
        self.resize(row + 1)
        self._forget(row)
        uniq, tf = self._store(row, terms)
        for tid, count in zip(uniq.tolist(), tf.tolist(), strict=True):
            self._delta.setdefault(tid, {})[row] = count
        self._delta_rows.add(row)

    def remove(self, row: int) -> None:
        if row < self.capacity:
            self._forget(row)

    def build(self, rows: Sequence[int], term_lists: Sequence[Sequence[str]]) -> None:
        """Bulk-index many documents, then build the main segment once."""
        if rows:
            self.resize(max(rows) + 1)
        for row, terms in zip(rows, term_lists, strict=True):
            self._forget(row)
            self._store(row, terms)
        self.rebuild()

    def rebuild(self) -> None:
        """Rebuild the main segment from every live document (folds the delta in)."""
        live = [r for r, t in enumerate(self.doc_terms) if t is not None]
        self._avgdl = self.avgdl
        self._delta.clear()
        self._delta_rows.clear()
        self.in_main[:] = False
        if not live:
            self._indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
            self._rows = np.zeros(0, dtype=np.int32)
            self._weights = np.zeros(0, dtype=np.float32)
            return
        lengths = np.fromiter((len(self.doc_terms[r]) for r in live), dtype=np.int64)
        term_ids = np.concatenate([self.doc_terms[r] for r in live])
        tfs = np.concatenate([self.doc_tf[r] for r in live])
        rows = np.repeat(np.asarray(live, dtype=np.int32), lengths)
        weights = self._tf_weight(tfs, self.doc_len[rows])
        order = np.argsort(term_ids, kind="stable")
        self._rows = rows[order]
        self._weights = weights[order]
        counts = np.bincount(term_ids, minlength=len(self.vocab))
        self._indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(counts, out=self._indptr[1:])
        self.in_main[live] = True

    def _tf_weight(self, tf: np.ndarray, dl: np.ndarray) -> np.ndarray:
        k1, b = self.k1, self.b
        norm = k1 * (1.0 - b + b * dl / self._avgdl)
        return (tf * (k1 + 1.0) / (tf + norm)).astype(np.float32)

    def _maybe_rebuild(self) -> None:
        if len(self._delta_rows) > max(256, self.rebuild_fraction * self.n_docs):
            self.rebuild()

    def compact(self, keep: np.ndarray) -> None:
        """Renumber rows: new row i holds old row keep[i]."""
        keep = keep.tolist()
        self.doc_terms = [self.doc_terms[r] for r in keep]
        self.doc_tf = [self.doc_tf[r] for r in keep]
        self.doc_len = self.doc_len[keep].copy()
        self.in_main = np.zeros(len(keep), dtype=bool)
        self.rebuild()

    # ----------------------------------------------------------------- scoring
    def idf(self, term_ids: np.ndarray) -> np.ndarray:
        df = self.df[term_ids].astype(np.float64)
        # Lucene's non-negative idf, so very common terms never count against a document.
        return np.log1p((self.n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)

    def query_ids(self, terms: Iterable[str]) -> np.ndarray:
        return np.unique(self._term_ids(terms, create=False))

    def scores(self, terms: Iterable[str], n_rows: int | None = None) -> np.ndarray:
        """BM25 score of every row for the query terms (0 for rows without a shared term)."""
        self._maybe_rebuild()
        n_rows = self.capacity if n_rows is None else n_rows
        ids = self.query_ids(terms)
        ids = ids[self.df[ids] > 0] if len(ids) else ids
        out = np.zeros(n_rows, dtype=np.float32)
        if not len(ids) or not self.n_docs:
            return out
        idf = self.idf(ids)
        main_ids = ids[ids < len(self._indptr) - 1]
        if len(main_ids):
            starts, ends = self._indptr[main_ids], self._indptr[main_ids + 1]
            sizes = ends - starts
            if sizes.sum():
                # slices of the CSR arrays are views: one concatenation, one bincount
                spans = list(zip(starts.tolist(), ends.tolist(), strict=True))
                rows = np.concatenate([self._rows[a:b] for a, b in spans])
                weights = np.concatenate([self._weights[a:b] for a, b in spans])
                weights *= np.repeat(idf[: len(main_ids)], sizes)
                main = np.bincount(rows, weights=weights, minlength=n_rows)
                out += (main[:n_rows] * self.in_main[:n_rows]).astype(np.float32)
        if self._delta_rows:
            avgdl = self._avgdl
            k1, b = self.k1, self.b
            for tid, term_idf in zip(ids.tolist(), idf.tolist(), strict=True):
                for row, tf in self._delta.get(tid, {}).items():
                    if row < n_rows:
                        norm = k1 * (1.0 - b + b * self.doc_len[row] / avgdl)
                        out[row] += term_idf * tf * (k1 + 1.0) / (tf + norm)
        return out

    def term_contributions(self, query_ids: np.ndarray, row: int) -> dict[int, float]:
        """Per-term BM25 contribution of the terms a row shares with the query."""
        doc_ids = self.doc_terms[row]
        if doc_ids is None or not len(query_ids):
            return {}
        shared, doc_pos, _ = np.intersect1d(doc_ids, query_ids, return_indices=True)
        if not len(shared):
            return {}
        tf = self.doc_tf[row][doc_pos]
        weights = self._tf_weight(tf, np.full(len(tf), self.doc_len[row])) * self.idf(shared)
        return dict(zip(shared.tolist(), weights.tolist(), strict=True))

    def term_of(self, term_id: int) -> str:
        if len(self._inverse) != len(self.vocab):
            self._inverse = list(self.vocab)
        return self._inverse[term_id]
