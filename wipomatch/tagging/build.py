"""Embed the label texts and write tagging/data/label_vectors.npz.

Run after changing a label text (tagging/data/*.yml, the SDG titles or taxonomy.json):

    .venv/bin/python -m wipomatch.tagging.build

The USE model is deterministic (a numpy forward pass), so a rebuild from the same texts gives the
same vectors up to float rounding. The file stores the fingerprint of the texts it was built from;
a suggester that finds a different fingerprint recomputes the vectors in-process and warns.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from wipomatch.matching.engine.embedding import USEEmbedder

from .labels import fingerprint
from .model import VECTORS_PATH, compute_label_vectors


def build(path: Path = VECTORS_PATH, threads: int = 1) -> Path:
    embedder = USEEmbedder(threads=threads)
    arrays = compute_label_vectors(embedder, progress=lambda name: print(f"  embedded {name}"))
    stored = {key: value.astype(np.float32) for key, value in arrays.items()}
    np.savez(path, fingerprint=np.array(fingerprint(embedder.name)), **stored)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=VECTORS_PATH)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.monotonic()
    path = build(args.output, threads=args.threads)
    print(f"wrote {path} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
