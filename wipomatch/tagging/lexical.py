"""Lexical evidence: how strongly a text's words belong to each label's vocabulary.

Each label gets a TF-IDF profile built from all its prototypes (in every language), with terms
from the engine's tokenizer (jieba words for Chinese, light stemming for Arabic, Russian and
Latin-script languages). A term counts once per prototype, so a word repeated inside one long
target title does not dominate; idf is taken across the labels of the vocabulary, so words shared
by every label ("development", "sustainable") weigh almost nothing. A text scores the cosine of its
own TF-IDF vector with each profile.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from wipomatch.matching.engine.tokenize import terms

__all__ = ["LabelLexicon"]


class LabelLexicon:
    def __init__(self, n_labels: int, documents: Iterable[tuple[int, str]]) -> None:
        """`documents`: (label index, prototype text) pairs."""
        per_label = [Counter() for _ in range(n_labels)]
        for label, text in documents:
            per_label[label].update(set(terms(text)))
        vocabulary = sorted({term for counts in per_label for term in counts})
        self.vocab = {term: i for i, term in enumerate(vocabulary)}
        counts = np.zeros((n_labels, len(vocabulary)), dtype=np.float32)
        for label, label_counts in enumerate(per_label):
            for term, count in label_counts.items():
                counts[label, self.vocab[term]] = count
        label_df = (counts > 0).sum(axis=0)
        self.idf = np.log((n_labels + 1) / (label_df + 0.5)).astype(np.float32)
        weights = np.log1p(counts) * self.idf
        norms = np.linalg.norm(weights, axis=1, keepdims=True)
        self.profiles = weights / np.maximum(norms, 1e-12)
        self.n_labels = n_labels

    def scores(self, text_terms: Sequence[str]) -> np.ndarray:
        """Cosine of the text's TF-IDF vector with each label profile (zeros without known terms)."""
        counts = Counter(term for term in text_terms if term in self.vocab)
        if not counts:
            return np.zeros(self.n_labels, dtype=np.float32)
        columns = np.fromiter((self.vocab[t] for t in counts), dtype=np.int64, count=len(counts))
        weights = np.log1p(np.fromiter(counts.values(), dtype=np.float32)) * self.idf[columns]
        norm = float(np.linalg.norm(weights))
        if norm == 0.0:
            return np.zeros(self.n_labels, dtype=np.float32)
        return self.profiles[:, columns] @ (weights / norm)
