"""Suggestions refresh in the background whenever a listing changes (never in the request)."""

from django.dispatch import receiver

from wipomatch.listings.signals import listing_changed

from .tasks import refresh_suggestions


@receiver(listing_changed, dispatch_uid="matching.refresh_suggestions")
def enqueue_refresh(sender, listing_id: int, change: str, **kwargs) -> None:
    refresh_suggestions.enqueue(listing_id=listing_id)
