"""Reactions to `listing_changed` (sent after commit): enqueue background work, nothing heavy."""

from django.dispatch import receiver

from .signals import listing_changed
from .tasks import embed_listing

# Changes that rewrite the text of a listing; the others only move it through its lifecycle.
TEXT_CHANGES = frozenset({"created", "edited"})


@receiver(listing_changed, dispatch_uid="listings.enqueue_embedding")
def enqueue_embedding(sender, listing_id: int, change: str, **kwargs) -> None:
    # After a lifecycle change the task only fills a vector that is missing (a failed or lost
    # earlier run, a change of embedder), so every path eventually leaves a listing embedded.
    embed_listing.enqueue(listing_id=listing_id, only_missing=change not in TEXT_CHANGES)
