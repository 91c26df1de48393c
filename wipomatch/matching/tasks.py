"""Background work of matching (tasks take ids and are idempotent)."""

from django_tasks import task

from .services import suggestions_refresh_for_listing


@task()
def refresh_suggestions(listing_id: int) -> int:
    """Recompute the suggestions affected by a change of one listing."""
    return suggestions_refresh_for_listing(listing_id=listing_id)
