"""Reads of suggestions, scoped to who may see them."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from wipomatch.listings.models import Kind, Listing
from wipomatch.listings.permissions import can_edit_listing
from wipomatch.listings.selectors import listing_card_queryset

from .explanations import explain, explanation_names, seeker_country
from .models import Dismissal, Suggestion


@dataclass
class SuggestionView:
    suggestion: Suggestion
    listing: Listing  # the other side: an offer for a need, a need for an offer
    rank: int
    score: float


def can_see_suggestions(user, listing: Listing) -> bool:
    """The listing's own organisation and facilitators see its suggestions."""
    return listing.is_public and can_edit_listing(user, listing)


def suggestions_for_listing(user, listing: Listing, *, limit: int = 20) -> list[SuggestionView]:
    """Ranked counterparts of a published listing, without those its owners dismissed.

    Only published counterparts are returned, so nothing unpublished leaks through a stale row.
    """
    if not can_see_suggestions(user, listing):
        raise PermissionDenied
    side = "need" if listing.kind == Kind.NEED else "offer"
    other = "offer" if side == "need" else "need"
    dismissed = Dismissal.objects.filter(listing=listing).values("other")
    rows = (
        Suggestion.objects.filter(**{side: listing, f"{side}_rank__isnull": False})
        .filter(**{f"{other}__in": Listing.objects.public()})
        .exclude(**{f"{other}__in": dismissed})
        # never an organisation's own listing, even from a row stored by an older engine
        .exclude(**{f"{other}__organisation_id": listing.organisation_id})
        .prefetch_related(Prefetch(other, queryset=listing_card_queryset()))
        .order_by(f"{side}_rank")[:limit]
    )
    return [
        SuggestionView(
            suggestion=row,
            listing=getattr(row, other),
            rank=getattr(row, f"{side}_rank"),
            score=getattr(row, f"{side}_score"),
        )
        for row in rows
    ]


def dismissals_for_listing(listing: Listing):
    return Dismissal.objects.filter(listing=listing).select_related("other", "dismissed_by")


def explained_suggestions_for_listing(user, listing: Listing) -> list[dict]:
    """Suggestions with their reasons worded in the active language (pages and API share it)."""
    reader = "need" if listing.kind == Kind.NEED else "offer"
    names = explanation_names()
    return [
        {
            "view": view,
            "reasons": explain(
                view.suggestion.explanation,
                reader=reader,
                names=names,
                country_iso2=seeker_country(listing, view.listing),
            ),
        }
        for view in suggestions_for_listing(user, listing)
    ]
