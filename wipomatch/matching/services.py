"""Computing, storing and dismissing suggestions.

When a listing changes, its own suggestion list is recomputed, and so are the lists of the
listings on the other side that it now appears in (its own top candidates): a bounded amount of
work (1 + k searches) instead of re-ranking the whole catalogue.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from wipomatch.core.audit import audit_record
from wipomatch.core.text import clean_plain_text
from wipomatch.listings.models import Kind, Listing, Status
from wipomatch.listings.permissions import can_edit_listing
from wipomatch.listings.selectors import listing_card_queryset

from . import index_store
from .documents import listing_document
from .models import Dismissal, MatchState, Suggestion

# Sent after commit for each pair that newly entered the top of a list, so that the brokering
# workflow can tell the members (`need_id`, `offer_id`, `side` = "need" or "offer", `rank`).
strong_suggestion_found = Signal()


def suggestions_per_listing() -> int:
    return int(settings.MATCHING_SUGGESTIONS_PER_LISTING)


def strong_rank() -> int:
    return int(settings.MATCHING_STRONG_RANK)


def _store_side(listing: Listing, results, *, side: str) -> list[tuple[int, int]]:
    """Replace `listing`'s side of its suggestion rows with `results`; returns new strong pairs."""
    rank_field, score_field = f"{side}_rank", f"{side}_score"
    own = "need" if side == "need" else "offer"
    other = "offer" if side == "need" else "need"
    existing = {
        getattr(s, f"{other}_id"): s for s in Suggestion.objects.filter(**{f"{own}_id": listing.pk})
    }
    kept, new_strong = set(), []
    # The index may briefly hold a listing another process just unpublished: store only pairs
    # whose other side is published now.
    live = set(
        Listing.objects.public()
        .filter(pk__in=[int(r.ref) for r in results])
        .values_list("pk", flat=True)
    )
    rank = 0
    for result in results:
        other_id = int(result.ref)
        if other_id not in live:
            continue
        rank += 1
        kept.add(other_id)
        row = existing.get(other_id) or Suggestion(
            **{f"{own}_id": listing.pk, f"{other}_id": other_id}
        )
        was_strong = (
            getattr(row, rank_field) is not None and getattr(row, rank_field) <= strong_rank()
        )
        setattr(row, rank_field, rank)
        setattr(row, score_field, round(float(result.score), 6))
        if side == "need" or not row.explanation:
            # The need's view of the pair explains it best (what was asked, what is offered).
            row.signals = {"values": result.signals, "contributions": result.contributions}
            row.explanation = result.explanation.to_dict() if result.explanation else {}
        row.save()
        if rank <= strong_rank() and not was_strong:
            new_strong.append((other_id, rank))
    for other_id, row in existing.items():
        if other_id in kept:
            continue
        setattr(row, rank_field, None)
        setattr(row, score_field, None)
        if row.need_rank is None and row.offer_rank is None:
            row.delete()
        else:
            row.save(update_fields=[rank_field, score_field, "computed_at"])
    return new_strong


def _rank_for(index, listing: Listing):
    doc = listing_document(listing)
    k = suggestions_per_listing()
    if listing.kind == Kind.NEED:
        return index.search(doc, k=k)
    return index.search_needs(doc, k=k)


def _announce(listing: Listing, new_strong: list[tuple[int, int]]) -> None:
    side = "need" if listing.kind == Kind.NEED else "offer"
    for other_id, rank in new_strong:
        need_id, offer_id = (listing.pk, other_id) if side == "need" else (other_id, listing.pk)
        transaction.on_commit(
            lambda n=need_id, o=offer_id, r=rank: strong_suggestion_found.send(
                sender=Suggestion, need_id=n, offer_id=o, side=side, rank=r
            )
        )


def _refresh_one(index, listing: Listing) -> None:
    side = "need" if listing.kind == Kind.NEED else "offer"
    results = _rank_for(index, listing)
    new_strong = _store_side(listing, results, side=side)
    MatchState.objects.update_or_create(listing=listing, defaults={"refreshed_at": timezone.now()})
    _announce(listing, new_strong)


def suggestions_refresh_for_listing(*, listing_id: int) -> int:
    """Recompute the suggestions a change of this listing affects; returns lists refreshed."""
    listing = listing_card_queryset().filter(pk=listing_id).first()
    if listing is None:
        return 0
    index = index_store.apply_change(listing)
    with transaction.atomic():
        if listing.status != Status.PUBLISHED:
            # Closed, expired, withdrawn or back in review: it must not be suggested anywhere.
            Suggestion.objects.filter(Q(need=listing) | Q(offer=listing)).delete()
            MatchState.objects.filter(listing=listing).delete()
            return 0
        if not listing.is_public:
            # Its organisation is suspended: its stored rows stay (every read filters them
            # out) so that reinstating brings them back; nothing is recomputed meanwhile.
            return 0
        _refresh_one(index, listing)
        others = list(listing_card_queryset().public().filter(pk__in=_counterparts(listing)))
        for other in others:
            _refresh_one(index, other)
    return 1 + len(others)


def _counterparts(listing: Listing) -> list[int]:
    field = "offer_id" if listing.kind == Kind.NEED else "need_id"
    own = "need" if listing.kind == Kind.NEED else "offer"
    return list(Suggestion.objects.filter(**{own: listing}).values_list(field, flat=True))


def suggestions_refresh_stale(*, limit: int = 500) -> int:
    """Periodic: rebuild the index if needed and refresh lists older than their listing."""
    index = index_store.current_index()
    stale = (
        listing_card_queryset()
        .public()
        .filter(Q(match_state__isnull=True) | Q(match_state__refreshed_at__lt=F("updated_at")))
        .order_by("pk")[:limit]
    )
    count = 0
    for listing in stale:
        with transaction.atomic():
            _refresh_one(index, listing)
        count += 1
    return count


def suggestions_refresh_all() -> int:
    """Recompute every published listing's list (after the matching rules changed)."""
    index_store.reset()
    index = index_store.current_index()
    count = 0
    for listing in listing_card_queryset().filter(status=Status.PUBLISHED).order_by("pk"):
        with transaction.atomic():
            _refresh_one(index, listing)
        count += 1
    return count


@transaction.atomic
def suggestion_dismiss(*, user, listing: Listing, other: Listing, reason: str = "") -> Dismissal:
    """Hide `other` from `listing`'s suggestions for good, and record the judgement."""
    if not can_edit_listing(user, listing):
        raise PermissionDenied
    if listing.kind == other.kind:
        raise ValidationError(_("A suggestion pairs a need with an offer."))
    reason = clean_plain_text(reason)
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    dismissal, _created = Dismissal.objects.update_or_create(
        listing=listing,
        other=other,
        defaults={"dismissed_by": user, "reason": reason},
    )
    audit_record(
        target=listing,
        actor=user,
        action="suggestion_dismissed",
        reason=reason,
        data={"other_id": other.pk, "other_kind": other.kind, "other_title": other.title},
    )
    return dismissal
