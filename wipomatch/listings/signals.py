"""`listing_changed` tells the rest of the platform, after commit, that a listing changed.

Receivers (search embeddings, match suggestions) enqueue background tasks; nothing heavy runs in
the request.
"""

from django.db import transaction
from django.dispatch import Signal

# Sent with `listing_id` and `change` (created, edited, published, expired, closed_…, …).
listing_changed = Signal()


def send_listing_changed(listing, change: str) -> None:
    listing_id = listing.pk
    transaction.on_commit(
        lambda: listing_changed.send(sender=type(listing), listing_id=listing_id, change=change)
    )
