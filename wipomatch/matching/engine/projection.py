"""Optional PCA projection of stored embeddings, for large catalogues.

Scoring one query against every listing streams the whole embedding matrix from memory
(100,000 x 512 float32 = 205 MB, about 20 ms on one core). Projecting the vectors on their
leading principal components halves that at 256 dimensions. The basis is learnt from the
catalogue itself when a large index is built; cosines between projected vectors stay close to
the originals because multilingual sentence embeddings concentrate their variance in a few
hundred directions (see docs/matching.md for the measured effect on ranking quality).
"""

from __future__ import annotations

import numpy as np

__all__ = ["Projection"]


class Projection:
    def __init__(self, basis: np.ndarray) -> None:
        self.basis = np.ascontiguousarray(basis, dtype=np.float32)  # (dim_in, dim_out)

    @property
    def dim_in(self) -> int:
        return self.basis.shape[0]

    @property
    def dim_out(self) -> int:
        return self.basis.shape[1]

    @classmethod
    def fit(
        cls, vectors: np.ndarray, dims: int, max_sample: int = 20_000, seed: int = 0
    ) -> Projection:
        """Leading principal directions of (a deterministic sample of) `vectors`."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(vectors) > max_sample:
            rows = np.random.default_rng(seed).choice(len(vectors), max_sample, replace=False)
            vectors = vectors[np.sort(rows)]
        centered = vectors - vectors.mean(axis=0, dtype=np.float64).astype(np.float32)
        covariance = centered.T @ centered
        eigenvalues, eigenvectors = np.linalg.eigh(covariance.astype(np.float64))
        order = np.argsort(eigenvalues)[::-1][:dims]
        return cls(eigenvectors[:, order])

    def apply(self, vectors: np.ndarray, chunk: int = 16_384) -> np.ndarray:
        """Project rows (in chunks, so no full-size float64 temporaries) and re-normalise."""
        vectors = np.asarray(vectors, dtype=np.float32)
        single = vectors.ndim == 1
        if single:
            vectors = vectors[None, :]
        out = np.empty((len(vectors), self.dim_out), dtype=np.float32)
        for start in range(0, len(vectors), chunk):
            block = vectors[start : start + chunk] @ self.basis
            norms = np.linalg.norm(block, axis=1, keepdims=True)
            out[start : start + chunk] = block / np.maximum(norms, 1e-12)
        return out[0] if single else out
