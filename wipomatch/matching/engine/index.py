"""The matching index: both sides of the market in memory, ranked against each other.

Typical use from the Django layer (embeddings are stored with the listings and passed in):

    index = MatchIndex.build(offers, needs, offer_vectors, need_vectors,
                             config=EngineConfig.from_dict(settings.MATCHING),
                             geography=geography, embedder=USEEmbedder())
    index.add(changed_offer, embedding=stored_vector)   # after a listing is saved
    index.remove("O17", kind="offer")                    # after it is closed
    for suggestion in index.search(need, k=10):          # offers for a need
        suggestion.ref, suggestion.score, suggestion.explanation.to_dict()
    index.search_needs(offer, k=10)                      # needs for an offer

A query is a fixed number of vectorised passes over columns (one matrix-vector product for
the embeddings, one bincount for BM25, a few AND/popcounts for facets), then per-item Python
work only for the k suggestions returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from .collection import Collection
from .config import EngineConfig
from .documents import ListingDoc, NeedDoc, OfferDoc
from .embedding import Embedder, embed_documents
from .explain import Explanation, explain_pair, matched_passages
from .fusion import fuse
from .geography import Geography
from .projection import Projection
from .signals import (
    SignalSet,
    compute_signals,
    delivery_ok,
    eligibility,
    filter_mask,
    query_is_need,
)
from .tokenize import terms

__all__ = ["EngineError", "MatchIndex", "Ranking", "Suggestion"]


class EngineError(RuntimeError):
    pass


@dataclass(frozen=True)
class Suggestion:
    ref: str
    score: float  # fused score: comparable within one result list, not across queries
    rank: int  # 1-based
    signals: dict[str, float]  # raw values: cosine, BM25, facet shares, language, priors
    contributions: dict[str, float]  # each signal's weighted, normalised share of `score`
    explanation: Explanation | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "score": self.score,
            "rank": self.rank,
            "signals": dict(self.signals),
            "contributions": dict(self.contributions),
            "explanation": self.explanation.to_dict() if self.explanation else None,
        }


@dataclass
class Ranking:
    """Every candidate, best first (for evaluation); `excluded` were filtered by eligibility
    and follow the candidates in score order."""

    refs: list[str]
    scores: np.ndarray
    excluded: list[str] = field(default_factory=list)


class MatchIndex:
    def __init__(
        self,
        config: EngineConfig | None = None,
        geography: Geography | None = None,
        embedder: Embedder | None = None,
        dim: int | None = None,
    ) -> None:
        self.config = config or EngineConfig()
        self.geography = geography or Geography()
        self.embedder = embedder
        if dim is None:
            dim = embedder.dim if embedder is not None else 512
        self.dim = dim  # dimension of the embeddings the caller stores and passes in
        self.projection: Projection | None = None
        self._make_collections(dim)

    def _make_collections(self, dim: int) -> None:
        k1, b = self.config.bm25_k1, self.config.bm25_b
        self.offers = Collection("offer", dim, self.geography, k1, b)
        self.needs = Collection("need", dim, self.geography, k1, b)
        for collection in (self.offers, self.needs):
            collection.shrinkage = self.config.centering_shrinkage

    def use_projection(self, projection: Projection | None) -> None:
        """Store vectors projected to fewer dimensions (only before anything is loaded)."""
        if len(self.offers) or len(self.needs):
            raise EngineError("a projection can only be set on an empty index")
        if projection is not None and projection.dim_in != self.dim:
            raise EngineError(f"projection expects {projection.dim_in} dimensions, not {self.dim}")
        self.projection = projection
        self._make_collections(self.dim if projection is None else projection.dim_out)

    def _to_index_space(self, vectors: np.ndarray) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape[-1] != self.dim:
            raise EngineError(f"embeddings have dimension {vectors.shape[-1]}, not {self.dim}")
        return vectors if self.projection is None else self.projection.apply(vectors)

    # ----------------------------------------------------------------- building
    @classmethod
    def build(
        cls,
        offers: Sequence[OfferDoc] = (),
        needs: Sequence[NeedDoc] = (),
        offer_embeddings: np.ndarray | None = None,
        need_embeddings: np.ndarray | None = None,
        *,
        config: EngineConfig | None = None,
        geography: Geography | None = None,
        embedder: Embedder | None = None,
        dim: int | None = None,
        offer_terms: Sequence[Sequence[str]] | None = None,
        need_terms: Sequence[Sequence[str]] | None = None,
    ) -> MatchIndex:
        """Build from documents and their stored embeddings (rows aligned with the documents).

        Missing embeddings are computed with `embedder`. Pre-tokenised term lists may be passed
        to skip tokenisation (the speed benchmark reuses them across identical texts).
        """
        if dim is None and offer_embeddings is not None and len(offers):
            dim = int(np.asarray(offer_embeddings).shape[1])
        index = cls(config=config, geography=geography, embedder=embedder, dim=dim)
        settings = index.config
        total = len(offers) + len(needs)
        if (
            settings.projection_dims
            and settings.projection_min_listings
            and total >= settings.projection_min_listings
            and settings.projection_dims < index.dim
        ):
            if offer_embeddings is None:
                offer_embeddings = embed_documents(index._require_embedder(), offers)
            sample = np.asarray(offer_embeddings, dtype=np.float32)
            if need_embeddings is not None and len(needs):
                sample = np.vstack([sample[:: max(1, len(sample) // 20_000)], need_embeddings])
            index.use_projection(Projection.fit(sample, settings.projection_dims))
        index.load(offers, offer_embeddings, offer_terms)
        index.load(needs, need_embeddings, need_terms)
        return index

    def load(
        self,
        docs: Sequence[ListingDoc],
        embeddings: np.ndarray | None = None,
        term_lists: Sequence[Sequence[str]] | None = None,
    ) -> None:
        """Bulk-add documents of one kind (all needs or all offers)."""
        docs = list(docs)
        if not docs:
            return
        kinds = {doc.kind for doc in docs}
        if len(kinds) != 1:
            raise EngineError("load() takes documents of one kind at a time")
        if embeddings is None:
            embeddings = embed_documents(self._require_embedder(), docs)
        vectors = self._to_index_space(embeddings)
        self._collection(kinds.pop()).bulk_load(docs, vectors, term_lists)

    def add(self, doc: ListingDoc, embedding: np.ndarray | None = None) -> None:
        """Insert or replace one listing (by ref)."""
        if embedding is None:
            embedding = embed_documents(self._require_embedder(), [doc])[0]
        self._collection(doc.kind).upsert(doc, self._to_index_space(embedding))

    def remove(self, ref: str, kind: str = "offer") -> bool:
        return self._collection(kind).remove(str(ref))

    def __contains__(self, item: object) -> bool:
        if isinstance(item, ListingDoc):
            return item.ref in self._collection(item.kind).slot_of
        return False

    def get(self, ref: str, kind: str = "offer") -> ListingDoc | None:
        collection = self._collection(kind)
        slot = collection.slot_of.get(str(ref))
        return None if slot is None else collection.docs[slot]

    # ----------------------------------------------------------------- querying
    def search(
        self,
        need: NeedDoc,
        k: int = 10,
        filters: Mapping[str, Iterable[str]] | None = None,
        embedding: np.ndarray | None = None,
        now: datetime | None = None,
        explain: bool = True,
    ) -> list[Suggestion]:
        """The k best offers for a need."""
        return self._search(need, self.offers, self.needs, k, filters, embedding, now, explain)

    def search_needs(
        self,
        offer: OfferDoc,
        k: int = 10,
        filters: Mapping[str, Iterable[str]] | None = None,
        embedding: np.ndarray | None = None,
        now: datetime | None = None,
        explain: bool = True,
    ) -> list[Suggestion]:
        """The k best needs for an offer (same signals, seen from the provider's side)."""
        return self._search(offer, self.needs, self.offers, k, filters, embedding, now, explain)

    def rank(
        self,
        query: ListingDoc,
        filters: Mapping[str, Iterable[str]] | None = None,
        embedding: np.ndarray | None = None,
        now: datetime | None = None,
    ) -> Ranking:
        """Rank every listing of the other side (evaluation): candidates, then excluded ones."""
        target, own = self._sides(query)
        scored = self._score(query, target, own, filters, embedding, now, keep_excluded=True)
        order = _order(scored.sort_key, scored.candidate)
        excluded = _order(scored.sort_key, ~scored.candidate)
        rows = scored.signals.rows
        return Ranking(
            refs=[target.docs[i].ref for i in rows[order]],
            scores=scored.fused[order],
            excluded=[target.docs[i].ref for i in rows[excluded]],
        )

    # ----------------------------------------------------------------- internals
    def _collection(self, kind: str) -> Collection:
        if kind == "offer":
            return self.offers
        if kind == "need":
            return self.needs
        raise EngineError(f"unknown listing kind {kind!r}")

    def _sides(self, query: ListingDoc) -> tuple[Collection, Collection]:
        if isinstance(query, NeedDoc):
            return self.offers, self.needs
        if isinstance(query, OfferDoc):
            return self.needs, self.offers
        raise EngineError(f"cannot rank for {type(query).__name__}")

    def _require_embedder(self) -> Embedder:
        if self.embedder is None:
            raise EngineError("no embedder configured: pass stored embeddings explicitly")
        return self.embedder

    def _query_vector(
        self, query: ListingDoc, own: Collection, embedding: np.ndarray | None
    ) -> np.ndarray:
        stored = own.vector(query.ref) if embedding is None else None
        if stored is not None and own.docs[own.slot_of[query.ref]] == query:
            vector = stored  # already in the index's space
        else:
            if embedding is None:
                embedding = embed_documents(self._require_embedder(), [query])[0]
            vector = self._to_index_space(np.asarray(embedding, dtype=np.float32).reshape(-1))
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector

    def _centered_query(
        self, query: ListingDoc, own: Collection, vector: np.ndarray
    ) -> np.ndarray | None:
        """The query embedding minus the mean of its side and language (None: no centring)."""
        if not self.config.centering:
            return None
        if not len(own):
            # nothing is known about the query's side: centre the rows only
            return vector
        return vector - own.language_mean(query.language)

    def _score(
        self,
        query: ListingDoc,
        target: Collection,
        own: Collection,
        filters: Mapping[str, Iterable[str]] | None,
        embedding: np.ndarray | None,
        now: datetime | None,
        keep_excluded: bool = False,
    ) -> _Scored:
        """Score the target rows that pass the hard filters.

        Filters and, in "filter" mode, eligibility are applied first, so the signals are only
        computed for rows that can be returned (pre-filtering). `keep_excluded` also scores the
        ineligible rows (evaluation ranks them last instead of dropping them). Listings of the
        query's own organisation are never candidates.
        """
        now = now or datetime.now(UTC)
        vector = self._query_vector(query, own, embedding)
        is_need = query_is_need(query, target)
        allowed = filter_mask(target, filters)
        allowed &= ~target.own_rows(query.organisation)
        eligible = eligibility(query, target, is_need)
        mode = self.config.eligibility
        if mode == "filter" and not keep_excluded:
            allowed &= eligible
        delivery_mode = self.config.delivery_language
        deliverable = (
            delivery_ok(query, target, is_need)
            if delivery_mode != "ignore"
            else np.ones(target.size, dtype=bool)
        )
        if delivery_mode == "filter":
            allowed &= deliverable
        rows = np.flatnonzero(allowed)
        eligible = eligible[rows]
        # ranked after every deliverable row ("demote"), whatever the scores say
        mismatch = ~deliverable[rows]
        signals = compute_signals(
            query,
            vector,
            self._centered_query(query, own, vector),
            terms(query.text),
            target,
            rows,
            eligible,
            self.config,
            now,
        )
        candidate = eligible if mode == "filter" else np.ones(len(rows), dtype=bool)
        fused, contributions = fuse(
            signals.values,
            self.config.weights,
            candidate,
            method=self.config.fusion,
            clip=self.config.zscore_clip,
            rrf_k=self.config.rrf_k,
        )
        fused += signals.priors
        if mode == "demote":
            fused -= self.config.eligibility_penalty * (~eligible)
        return _Scored(fused, candidate, signals, contributions, vector, mismatch)

    def _search(self, query, target, own, k, filters, embedding, now, explain):
        if k <= 0:
            return []
        scored = self._score(query, target, own, filters, embedding, now)
        picks = _top(scored.sort_key, scored.candidate, k)
        rows = scored.signals.rows[picks]
        cosine = target.emb[rows] @ scored.vector
        out = []
        explanations = self._explain(query, target, rows, scored, picks) if explain else None
        for rank, (pick, row) in enumerate(zip(picks.tolist(), rows.tolist(), strict=True), 1):
            signals = scored.signals
            raw = {name: float(values[pick]) for name, values in signals.values.items()}
            raw["semantic_centered"] = raw["semantic"]
            raw["semantic"] = float(cosine[rank - 1])
            raw["eligible"] = float(signals.eligible[pick])
            raw.update({name: float(part[pick]) for name, part in signals.prior_parts.items()})
            parts = {name: float(values[pick]) for name, values in scored.contributions.items()}
            explanation = explanations[rank - 1] if explanations else None
            out.append(
                Suggestion(
                    target.docs[row].ref, float(scored.fused[pick]), rank, raw, parts, explanation
                )
            )
        return out

    def _explain(
        self,
        query: ListingDoc,
        target: Collection,
        rows: np.ndarray,
        scored: _Scored,
        picks: np.ndarray,
    ) -> list[Explanation]:
        config = self.config
        passages: list[list] = [[] for _ in rows]
        if config.explain_passages and self.embedder is not None and len(rows):
            passages = matched_passages(
                self.embedder, query.text, [target.docs[r].text for r in rows]
            )
        query_ids = target.bm25.query_ids(terms(query.text))
        south = scored.signals.prior_parts.get("south_south")
        out = []
        for i, (pick, row) in enumerate(zip(picks.tolist(), rows.tolist(), strict=True)):
            doc = target.docs[row]
            weights = {
                target.bm25.term_of(tid): w
                for tid, w in target.bm25.term_contributions(query_ids, row).items()
            }
            need, offer = (query, doc) if target.kind == "offer" else (doc, query)
            out.append(
                explain_pair(
                    need,
                    offer,
                    self.geography,
                    contributions={n: float(v[pick]) for n, v in scored.contributions.items()},
                    term_weights=weights,
                    max_phrases=config.explain_terms,
                    min_share=config.explain_min_share,
                    passages=passages[i],
                    south_south=bool(south is not None and south[pick] > 0),
                )
            )
        return out


@dataclass
class _Scored:
    fused: np.ndarray  # aligned with signals.rows
    candidate: np.ndarray  # which of those rows may be returned (normalisation set)
    signals: SignalSet
    contributions: dict[str, np.ndarray]
    vector: np.ndarray
    mismatch: np.ndarray | None = None  # cannot be delivered in a requested language

    @property
    def sort_key(self) -> np.ndarray:
        """Fused score, with language mismatches moved below every other row."""
        if self.mismatch is None or not self.mismatch.any():
            return self.fused
        return self.fused - _MISMATCH_OFFSET * self.mismatch


# larger than any spread of fused scores (z-scores are clipped, priors are small)
_MISMATCH_OFFSET = 1e6


def _top(scores: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
    rows = np.flatnonzero(mask)
    if len(rows) > k:
        part = np.argpartition(-scores[rows], k - 1)[:k]
        rows = rows[part]
    # ties broken by row so that results are deterministic
    return rows[np.lexsort((rows, -scores[rows]))]


def _order(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero(mask)
    return rows[np.lexsort((rows, -scores[rows]))]
