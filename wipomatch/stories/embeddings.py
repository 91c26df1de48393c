"""Multilingual embeddings of stories, with the catalogue's encoder (`listings.embeddings`).

One encoder for listings and stories puts both in the same space: a story is found by a query in
another language, and a need's page ranks the stories nearest to the need.
"""

import numpy as np
from django.db.models import Q

from wipomatch.listings.embeddings import from_bytes, get_embedder, listing_text, to_bytes

from .models import Story


def story_text(story: Story) -> str:
    return listing_text(story.title, story.summary, story.body)


def story_embed(*, story_id: int) -> bool:
    """(Re)compute and store the vector of one story; idempotent."""
    story = Story.objects.filter(pk=story_id).only("title", "summary", "body").first()
    if story is None:
        return False
    embedder = get_embedder()
    vector = embedder.encode([story_text(story)])[0]
    Story.objects.filter(pk=story_id).update(
        embedding=to_bytes(vector), embedding_model=embedder.name
    )
    return True


def stories_embed_missing() -> int:
    """Embed every story without a vector of the current encoder (a lost task, a change of
    encoder). Periodic job `stories-embed-missing`; idempotent."""
    embedder = get_embedder()
    ids = list(
        Story.objects.filter(Q(embedding__isnull=True) | ~Q(embedding_model=embedder.name))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for story_id in ids:
        story_embed(story_id=story_id)
    return len(ids)


def vectors_of(rows, dim: int) -> tuple[list[int], np.ndarray]:
    """(ids, unit matrix) of (id, embedding bytes) rows whose vector has the expected size."""
    ids, vectors = [], []
    for pk, data in rows:
        vector = from_bytes(data, dim)
        if vector is not None:
            ids.append(pk)
            vectors.append(vector)
    if not vectors:
        return [], np.zeros((0, dim), dtype=np.float32)
    matrix = np.vstack(vectors).astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return ids, matrix / norms
