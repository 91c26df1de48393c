"""The suggestion model: scores every theme, IP area and SDG for a text in any UN language.

For each vocabulary, a text gets three signals per label, each standardised across the labels
(z-scores, so that signals with different spreads can be added):

1. semantic similarity to the label's sentence prototypes ("texts" group),
2. semantic similarity to the label's keyword phrases ("keywords" group),
3. lexical evidence (TF-IDF profile of the label's words, see lexical.py).

Semantic similarity is the mean cosine between the text and the label's prototypes, computed in
one dot product with the prototypes' mean vector (the mean of cosines to unit vectors equals the
cosine to their mean, up to the text's norm), minus the label's mean similarity to a neutral
background (the SDG target titles): without that correction a few "hub" labels that sit close to
every text (SDG 1, for instance) win far too often. The text is embedded sentence by sentence and
the sentence vectors are averaged, which keeps a long description from being dominated by its
first sentences.

The fused score is turned into a 0..1 score with a logistic curve whose two constants per
vocabulary were fitted once (see docs/tagging.md): it reads roughly as the chance that the label
is right. "other" (the residual theme) scores one minus the best real theme.

The label vectors are embedded once by `python -m wipomatch.tagging.build` and shipped in
`tagging/data/label_vectors.npz`; if the label texts changed since (the fingerprint differs), they
are recomputed in-process at first use instead, and a warning says to rebuild.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from wipomatch.matching.engine.embedding import Embedder, USEEmbedder, split_passages
from wipomatch.matching.engine.tokenize import terms

from .labels import (
    DATA_DIR,
    GROUPS,
    RESIDUAL_THEME,
    VOCABULARIES,
    background_texts,
    fingerprint,
    label_slugs,
    prototypes,
)
from .lexical import LabelLexicon

__all__ = [
    "MAX_TEXT_LENGTH",
    "TagSuggester",
    "TagSuggestions",
    "compute_label_vectors",
    "get_suggester",
]

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 10_000
VECTORS_PATH = DATA_DIR / "label_vectors.npz"
# Sentences embedded per text: enough for any listing, and a bound on the cost of a long text.
MAX_PASSAGES = 48
# Weight of the lexical signal next to the two semantic ones (each weighs 1).
LEXICAL_WEIGHT = 0.7
# Logistic calibration (slope, intercept) of the fused score, per vocabulary (docs/tagging.md).
# Fitted by logistic regression of "label is right" on the fused score: SDGs on
# tagging/data/sdg-real-en-dev.json, themes and IP areas on the matching development set.
CALIBRATION = {
    "sdgs": (0.93, -4.91),
    "themes": (1.21, -2.93),
    "ip_areas": (0.97, -3.35),
}


@dataclass(frozen=True, slots=True)
class TagSuggestions:
    """Scores of every label, best first: (slug, score) for themes and IP areas, (goal, score)
    for SDGs."""

    themes: list[tuple[str, float]] = field(default_factory=list)
    ip_areas: list[tuple[str, float]] = field(default_factory=list)
    sdgs: list[tuple[int, float]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "themes": [{"slug": slug, "score": score} for slug, score in self.themes],
            "ip_areas": [{"slug": slug, "score": score} for slug, score in self.ip_areas],
            "sdgs": [{"goal": goal, "score": score} for goal, score in self.sdgs],
        }


def compute_label_vectors(embedder: Embedder, progress=None) -> dict[str, np.ndarray]:
    """Mean prototype vector of every label and group, and the background vector.

    Arrays: "<vocabulary>.<group>" of shape (labels, dim), "background" of shape (dim,).
    """
    arrays: dict[str, np.ndarray] = {}
    for vocabulary in VOCABULARIES:
        slugs = label_slugs(vocabulary)
        protos = prototypes(vocabulary)
        vectors = embedder.encode([p.text for p in protos])
        for group in GROUPS:
            means = np.zeros((len(slugs), embedder.dim), dtype=np.float32)
            for row, slug in enumerate(slugs):
                rows = [i for i, p in enumerate(protos) if p.label == slug and p.group == group]
                if rows:
                    means[row] = vectors[rows].mean(axis=0)
            arrays[f"{vocabulary}.{group}"] = means
        if progress is not None:
            progress(vocabulary)
    arrays["background"] = embedder.encode(list(background_texts())).mean(axis=0)
    return arrays


def _zscore(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    if spread < 1e-9:
        return np.zeros_like(values)
    return (values - values.mean()) / spread


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class _VocabularyModel:
    labels: tuple[str, ...]
    centroids: dict[str, np.ndarray]
    offsets: dict[str, np.ndarray]
    lexicon: LabelLexicon
    calibration: tuple[float, float]

    def fused(self, query: np.ndarray, text_terms: Sequence[str]) -> np.ndarray:
        total = np.zeros(len(self.labels), dtype=np.float64)
        for group, centroids in self.centroids.items():
            total += _zscore(centroids @ query - self.offsets[group])
        total += LEXICAL_WEIGHT * _zscore(self.lexicon.scores(text_terms))
        return total

    def scores(self, query: np.ndarray, text_terms: Sequence[str]) -> np.ndarray:
        slope, intercept = self.calibration
        return _logistic(slope * self.fused(query, text_terms) + intercept)


class TagSuggester:
    """Suggests themes, IP areas and SDGs for a text. Thread-safe; load once per process."""

    def __init__(self, embedder: Embedder | None = None, vectors_path: Path | None = None):
        self.embedder = embedder if embedder is not None else USEEmbedder()
        self.vectors_path = vectors_path if vectors_path is not None else VECTORS_PATH
        self._models: dict[str, _VocabularyModel] | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ loading
    def _label_vectors(self) -> dict[str, np.ndarray]:
        expected = fingerprint(self.embedder.name)
        path = self.vectors_path
        if path.exists():
            with np.load(path, allow_pickle=False) as stored:
                if str(stored["fingerprint"]) == expected:
                    return {key: stored[key] for key in stored.files if key != "fingerprint"}
            logger.warning(
                "%s is out of date with the label texts; computing label vectors in-process. "
                "Rebuild it with: python -m wipomatch.tagging.build",
                path.name,
            )
        return compute_label_vectors(self.embedder)

    def _load(self) -> dict[str, _VocabularyModel]:
        with self._lock:
            if self._models is not None:
                return self._models
            arrays = self._label_vectors()
            background = arrays["background"]
            models = {}
            for vocabulary in VOCABULARIES:
                slugs = label_slugs(vocabulary)
                index = {slug: i for i, slug in enumerate(slugs)}
                centroids = {g: arrays[f"{vocabulary}.{g}"] for g in GROUPS}
                described = [i for i, slug in enumerate(slugs) if centroids["texts"][i].any()]
                labels = tuple(slugs[i] for i in described)
                centroids = {g: c[described] for g, c in centroids.items()}
                lexicon = LabelLexicon(
                    len(described),
                    (
                        (described.index(index[p.label]), p.text)
                        for p in prototypes(vocabulary)
                        if index[p.label] in described
                    ),
                )
                models[vocabulary] = _VocabularyModel(
                    labels=labels,
                    centroids=centroids,
                    offsets={g: c @ background for g, c in centroids.items()},
                    lexicon=lexicon,
                    calibration=CALIBRATION[vocabulary],
                )
            self._models = models
            return models

    def warm_up(self) -> None:
        """Load the label model and the embedding model now rather than on the first request."""
        self._load()
        self.embedder.encode(["warm up"])

    # ------------------------------------------------------------------ scoring
    def embed(self, text: str) -> np.ndarray:
        """Mean of the sentence embeddings of a text, normalised."""
        passages = split_passages(text)[:MAX_PASSAGES] or [text]
        vectors = self.embedder.encode(passages)
        mean = vectors.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm > 0 else mean

    def fused_scores(self, text: str) -> dict[str, dict[str, float]]:
        """Uncalibrated fused scores (for calibration and diagnostics)."""
        models = self._load()
        query, text_terms = self.embed(text), terms(text)
        return {
            vocabulary: dict(
                zip(model.labels, model.fused(query, text_terms).tolist(), strict=True)
            )
            for vocabulary, model in models.items()
        }

    def suggest(self, text: str, language: str | None = None) -> TagSuggestions:
        """Score every label for `text`.

        `language` (an ISO 639-1 code) is accepted as a hint only: the embedding model is
        cross-lingual and the tokenizer recognises scripts by itself, so the scores do not depend
        on it; the caller validates it.
        """
        models = self._load()
        query, text_terms = self.embed(text), terms(text)
        ranked: dict[str, list[tuple[str, float]]] = {}
        for vocabulary, model in models.items():
            scores = model.scores(query, text_terms)
            pairs = [
                (slug, round(float(s), 4)) for slug, s in zip(model.labels, scores, strict=True)
            ]
            if vocabulary == "themes":
                best = max((score for _slug, score in pairs), default=0.0)
                pairs.append((RESIDUAL_THEME, round(1.0 - best, 4)))
            pairs.sort(key=lambda pair: (-pair[1], _order(vocabulary, pair[0])))
            ranked[vocabulary] = pairs
        return TagSuggestions(
            themes=ranked["themes"],
            ip_areas=ranked["ip_areas"],
            sdgs=[(int(goal), score) for goal, score in ranked["sdgs"]],
        )


def _order(vocabulary: str, slug: str) -> float:
    slugs = label_slugs(vocabulary)
    return slugs.index(slug) if slug in slugs else math.inf


_default: TagSuggester | None = None
_default_lock = threading.Lock()


def get_suggester() -> TagSuggester:
    """The process-wide suggester (the USE model and label vectors load once, on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = TagSuggester()
        return _default
