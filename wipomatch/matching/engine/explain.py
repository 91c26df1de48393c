"""Structured explanations of a suggestion: why this offer for this need.

An explanation holds data, not sentences: vocabulary slugs, language and M49 codes, and the
phrases quoted from the two listings. The Django layer renders it in the reader's language.
The same structure is produced whichever side was ranked, always oriented need → offer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .documents import NeedDoc, OfferDoc
from .embedding import Embedder, split_passages
from .geography import Geography
from .signals import ASSISTANCE_RESOURCES
from .tokenize import common_term, prepare, tokenize

__all__ = [
    "Eligibility",
    "Explanation",
    "MatchedPassage",
    "MatchedPhrase",
    "eligibility_of",
    "explain_pair",
    "matched_passages",
    "matched_phrases",
]


@dataclass(frozen=True)
class MatchedPhrase:
    """A term or phrase found in both listings, as each of them wrote it."""

    need: str
    offer: str
    weight: float  # BM25 contribution of its terms: rarer, repeated terms weigh more


@dataclass(frozen=True)
class MatchedPassage:
    """A sentence of the need and the sentence of the offer closest to it in meaning."""

    need: str
    offer: str
    similarity: float


@dataclass(frozen=True)
class Eligibility:
    # "worldwide", "country" (seeker's country listed), "region" (seeker's country inside one of
    # `regions`), "excluded", or "unknown" (seeker's country not given)
    status: str
    regions: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        return self.status != "excluded"


@dataclass(frozen=True)
class Explanation:
    shared_themes: tuple[str, ...] = ()
    shared_ip_areas: tuple[str, ...] = ()
    matching_assistance_types: tuple[str, ...] = ()
    # offer resource types that deliver a requested assistance type the offer does not list
    serving_resource_types: tuple[str, ...] = ()
    shared_languages: tuple[str, ...] = ()  # seeker's working languages the offer is given in
    # delivery languages the seeker asked for (empty: none named) and those of the offer
    requested_languages: tuple[str, ...] = ()
    delivery_languages: tuple[str, ...] = ()
    need_language: str = ""
    offer_language: str = ""
    eligibility: Eligibility = field(default_factory=lambda: Eligibility("unknown"))
    south_south: bool = False  # both parties in the Global South and the seeker asked for it
    matched_phrases: tuple[MatchedPhrase, ...] = ()
    matched_passages: tuple[MatchedPassage, ...] = ()
    # signal names whose contribution lifted this suggestion, strongest first
    strongest_signals: tuple[str, ...] = ()

    @property
    def language_mismatch(self) -> bool:
        """The seeker asked for languages the offer is not delivered in (none of them)."""
        return bool(self.requested_languages and self.delivery_languages) and not (
            set(self.requested_languages) & set(self.delivery_languages)
        )

    @property
    def cross_lingual(self) -> bool:
        return bool(self.need_language and self.offer_language) and (
            self.need_language != self.offer_language
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for storing with the suggestion in the database)."""
        data = asdict(self)
        data["eligibility"]["eligible"] = self.eligibility.eligible
        data["cross_lingual"] = self.cross_lingual
        data["language_mismatch"] = self.language_mismatch
        for key, value in list(data.items()):
            if isinstance(value, tuple):
                data[key] = list(value)
        data["eligibility"]["regions"] = list(self.eligibility.regions)
        return data


def eligibility_of(need: NeedDoc, offer: OfferDoc, geography: Geography) -> Eligibility:
    if offer.worldwide:
        return Eligibility("worldwide")
    if not need.country:
        return Eligibility("unknown")
    if need.country in offer.eligible_countries:
        return Eligibility("country")
    inside = tuple(r for r in offer.eligible_regions if r in geography.regions_of(need.country))
    if inside:
        return Eligibility("region", inside)
    return Eligibility("excluded")


# Longest phrase quoted, in terms: longer shared runs are shown as consecutive phrases.
_MAX_PHRASE = 6


def _runs(terms: Sequence[str], shared: set[str], pairs: set[tuple[str, str]]):
    """(start, end) of maximal runs of consecutive shared terms whose neighbouring pairs also
    appear consecutively in the other listing: shared phrases, not just shared words."""
    start = None
    for i, term in enumerate(terms):
        if term not in shared:
            if start is not None:
                yield start, i
            start = None
            continue
        if start is not None and (terms[i - 1], term) not in pairs:
            yield start, i
            start = None
        if start is None:
            start = i
    if start is not None:
        yield start, len(terms)


def matched_phrases(
    need_text: str,
    offer_text: str,
    weights: Mapping[str, float],
    limit: int = 8,
    min_share: float = 0.0,
) -> list[MatchedPhrase]:
    """Terms and phrases shared by both texts, heaviest first, quoted from each text.

    `weights` maps index terms to their weight (the BM25 contribution for this pair); terms
    without a weight are not shown, nor are very common words ("year", "new", "需要") on their
    own, nor phrases lighter than `min_share` of the heaviest one: none rather than noise.
    Works for any script: Chinese terms come from jieba, Arabic ones are normalised and
    stemmed, so "البراءات" in one listing matches "براءات" in the other.
    """
    weights = {t: w for t, w in weights.items() if w > 0 and not common_term(t)}
    if limit <= 0 or not weights:
        return []
    need_tokens = tokenize(need_text)
    offer_tokens = tokenize(offer_text)
    need_terms = [t.term for t in need_tokens]
    offer_terms = [t.term for t in offer_tokens]
    shared = set(need_terms) & set(offer_terms) & set(weights)
    if not shared:
        return []
    offer_pairs = set(zip(offer_terms, offer_terms[1:], strict=False))
    # every run of shared terms in the offer, and its sub-runs: term tuple -> token range
    offer_runs: dict[tuple[str, ...], tuple[int, int]] = {}
    for start, end in _runs(offer_terms, shared, offer_pairs):
        for i in range(start, end):
            for j in range(i + 1, min(end, i + _MAX_PHRASE) + 1):
                offer_runs.setdefault(tuple(offer_terms[i:j]), (i, j))
    # cut each shared run of the need into the longest pieces that occur as such in the offer
    candidates: dict[tuple[str, ...], tuple[float, int, int]] = {}
    for start, end in _runs(need_terms, shared, offer_pairs):
        i = start
        while i < end:
            j = min(end, i + _MAX_PHRASE)
            while j > i + 1 and tuple(need_terms[i:j]) not in offer_runs:
                j -= 1
            key = tuple(need_terms[i:j])
            if key not in candidates:
                candidates[key] = (sum(weights[t] for t in dict.fromkeys(key)), i, j)
            i = j
    need_clean, offer_clean = prepare(need_text), prepare(offer_text)
    chosen: list[MatchedPhrase] = []
    covered: set[str] = set()
    floor = min_share * max(weight for weight, _i, _j in candidates.values())
    for key, (weight, i, j) in sorted(candidates.items(), key=lambda item: -item[1][0]):
        if weight < floor:
            break
        need_span = need_clean[need_tokens[i].start : need_tokens[j - 1].end]
        # Skip a term already shown inside a longer phrase, and jieba sub-words of a shown word.
        if set(key) <= covered or any(need_span in c.need for c in chosen):
            continue
        oi, oj = offer_runs[key]
        offer_span = offer_clean[offer_tokens[oi].start : offer_tokens[oj - 1].end]
        chosen.append(MatchedPhrase(need_span, offer_span, weight))
        covered |= set(key)
        if len(chosen) >= limit:
            break
    return chosen


def matched_passages(
    embedder: Embedder, need_text: str, offer_texts: Sequence[str], limit: int = 2
) -> list[list[MatchedPassage]]:
    """For each offer text, the sentence pairs (need, offer) closest in meaning.

    One embedding call for all sentences of all offers, so explaining ten suggestions costs one
    batch. Each need sentence is used at most once per offer, so two passages say two things.
    """
    need_sentences = split_passages(need_text)
    offer_sentences = [split_passages(text) for text in offer_texts]
    flat = [s for sentences in offer_sentences for s in sentences]
    if not need_sentences or not flat:
        return [[] for _ in offer_texts]
    vectors = embedder.encode(need_sentences + flat)
    need_vecs, offer_vecs = vectors[: len(need_sentences)], vectors[len(need_sentences) :]
    out: list[list[MatchedPassage]] = []
    start = 0
    for sentences in offer_sentences:
        block = offer_vecs[start : start + len(sentences)]
        start += len(sentences)
        if not sentences:
            out.append([])
            continue
        sims = need_vecs @ block.T
        found: list[MatchedPassage] = []
        used_need: set[int] = set()
        used_offer: set[int] = set()
        for flat_index in np.argsort(-sims, axis=None):
            i, j = divmod(int(flat_index), sims.shape[1])
            if i in used_need or j in used_offer:
                continue
            found.append(MatchedPassage(need_sentences[i], sentences[j], float(sims[i, j])))
            used_need.add(i)
            used_offer.add(j)
            if len(found) >= limit:
                break
        out.append(found)
    return out


def explain_pair(
    need: NeedDoc,
    offer: OfferDoc,
    geography: Geography,
    contributions: Mapping[str, float] | None = None,
    term_weights: Mapping[str, float] | None = None,
    max_phrases: int = 8,
    passages: Sequence[MatchedPassage] = (),
    south_south: bool = False,
    min_share: float = 0.0,
) -> Explanation:
    """Build the explanation of one (need, offer) pair from its signals."""
    requested = need.assistance_types
    matching = tuple(t for t in requested if t in offer.assistance_types)
    serving = tuple(
        dict.fromkeys(
            resource
            for kind in requested
            if kind not in offer.assistance_types
            for resource in ASSISTANCE_RESOURCES.get(kind, ())
            if resource in offer.resource_types
        )
    )
    delivery = offer.delivered_in
    strongest = tuple(
        name
        for name, value in sorted((contributions or {}).items(), key=lambda kv: -kv[1])
        if value > 0
    )
    return Explanation(
        shared_themes=tuple(t for t in need.themes if t in offer.themes),
        shared_ip_areas=tuple(a for a in need.ip_areas if a in offer.ip_areas),
        matching_assistance_types=matching,
        serving_resource_types=serving,
        shared_languages=tuple(x for x in need.working_languages if x in delivery),
        requested_languages=need.requested_languages,
        delivery_languages=delivery,
        need_language=need.language,
        offer_language=offer.language,
        eligibility=eligibility_of(need, offer, geography),
        south_south=south_south,
        matched_phrases=tuple(
            matched_phrases(need.text, offer.text, term_weights or {}, max_phrases, min_share)
        ),
        matched_passages=tuple(passages),
        strongest_signals=strongest,
    )
