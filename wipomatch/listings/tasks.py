"""Background work of needs and offers (Django's Tasks API; tasks take ids and are idempotent)."""

from django_tasks import task

from .embeddings import listing_embed


@task()
def embed_listing(listing_id: int, only_missing: bool = False) -> bool:
    """Store the multilingual embedding of a listing that was created or edited."""
    return listing_embed(listing_id=listing_id, only_missing=only_missing)
