"""Reads of needs and offers: scoped access, browse filters, facet counts, sorting.

The filters are those of `filters.FILTERS`, the one specification that the in-memory search
(`search`) reads too, so that a filter means the same thing on every page and in the API.
"""

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from wipomatch.members.models import Membership
from wipomatch.reference.models import VocabularyTerm

from .filters import FACET_VOCABULARIES, TERMS, BrowseFilters, filters_in_use, widened_facets
from .models import (
    Kind,
    Listing,
    ListingRevision,
    ListingTerm,
    RevisionStatus,
    Status,
    ui_to_listing_language,
)
from .permissions import can_edit_listing, can_see_listing, revision_allowed_actions
from .validation import TERM_FIELDS, changed_fields, listing_data_from_json, listing_data_of


def listing_card_queryset() -> QuerySet[Listing]:
    """What a list page shows: a fixed number of queries whatever the page size."""
    return Listing.objects.select_related("organisation", "organisation__country").prefetch_related(
        Prefetch("terms", queryset=VocabularyTerm.objects.order_by("kind", "position")),
        "countries",
        "regions",
    )


def apply_browse_filters(qs: QuerySet[Listing], f: BrowseFilters) -> QuerySet[Listing]:
    """`qs` narrowed by every filter in use, as `filters.FILTERS` defines them."""
    for flt, value in filters_in_use(f):
        qs = qs.filter(flt.condition(value))
    return qs


def listing_browse_queryset(*, kind: str, filters: BrowseFilters) -> QuerySet[Listing]:
    """Public listings (`ListingQuerySet.public`) of one kind matching the filters (text search
    excluded): what search, facets, the API and the theme and country pages read."""
    qs = Listing.objects.public().filter(kind=kind)
    return apply_browse_filters(qs, filters)


def facet_counts(qs: QuerySet[Listing]) -> dict[str, dict[str, int]]:
    """Counts per vocabulary term over the filtered listings: one query for all vocabularies."""
    rows = (
        ListingTerm.objects.filter(listing__in=qs.order_by().values("pk"))
        .values("term__kind", "term__slug")
        .annotate(n=Count("listing", distinct=True))
    )
    counts: dict[str, dict[str, int]] = {k: {} for k in FACET_VOCABULARIES}
    for row in rows:
        counts.setdefault(row["term__kind"], {})[row["term__slug"]] = row["n"]
    return counts


def browse_facet_counts(qs: QuerySet[Listing], filters: BrowseFilters) -> dict[str, dict[str, int]]:
    """`facet_counts` of `qs` narrowed by the filters, except that a vocabulary in use counts
    over what the other filters give: the number next to a term is then what ticking it would
    give (several terms of one vocabulary widen), as on the browse pages (`listing_search`).
    One query, plus one per vocabulary in use."""
    counts = facet_counts(apply_browse_filters(qs, filters))
    for flt, wider in widened_facets(filters, TERMS):
        counts[flt.vocabulary] = facet_counts(apply_browse_filters(qs, wider))[flt.vocabulary]
    return counts


def order_listings(qs: QuerySet[Listing], sort: str) -> QuerySet[Listing]:
    if sort == "expiring":
        return qs.order_by("expires_at", "-id")
    return qs.order_by("-published_at", "-id")


def get_listing_for_user(user, pk: int, *, kind: str | None = None, write=False) -> Listing:
    """404 for what the user may not see, 403 for what they may see but not change."""
    listing = listing_card_queryset().select_related("created_by").filter(pk=pk).first()
    if listing is None or (kind and listing.kind != kind) or not can_see_listing(user, listing):
        raise Http404
    if write and not can_edit_listing(user, listing):
        raise PermissionDenied
    return listing


def listings_of_user(user) -> QuerySet[Listing]:
    """The listings of the user's organisation(s), every status: the "my listings" page."""
    if not user.is_authenticated:
        return Listing.objects.none()
    orgs = Membership.objects.filter(user=user).values("organisation")
    return listing_card_queryset().filter(organisation__in=orgs).order_by("-updated_at", "-id")


def listings_for_review() -> QuerySet[Listing]:
    return listing_card_queryset().filter(status=Status.SUBMITTED).order_by("submitted_at", "id")


def counts_by_kind(qs: QuerySet[Listing]) -> dict[str, int]:
    rows = (
        qs.filter(pk__in=Listing.objects.public().values("pk"))
        .values("kind")
        .annotate(n=Count("pk"))
    )
    counts = {Kind.NEED.value: 0, Kind.OFFER.value: 0}
    counts.update({r["kind"]: r["n"] for r in rows})
    return counts


def mark_text_language(listings) -> None:
    """Set `text_lang`, the language the title and summary are shown in (a translation or the
    original), so that screen readers pronounce them right."""
    lang = ui_to_listing_language(get_language() or "en")
    for listing in listings:
        translated = (listing.translations or {}).get(lang) or {}
        listing.text_lang = lang if translated.get("title") else listing.language


def listing_hub(filters: BrowseFilters, *, latest: int) -> dict[str, dict]:
    """Published needs and offers under one filter (theme and country pages): per kind, the
    count and the `latest` newest cards."""
    hub = {}
    for kind in (Kind.NEED, Kind.OFFER):
        qs = listing_browse_queryset(kind=kind, filters=filters)
        latest_ids = list(order_listings(qs, "newest").values_list("pk", flat=True)[:latest])
        by_id = {obj.pk: obj for obj in listing_card_queryset().filter(pk__in=latest_ids)}
        cards = [by_id[pk] for pk in latest_ids if pk in by_id]
        mark_text_language(cards)
        hub[kind] = {"count": qs.order_by().values("pk").distinct().count(), "latest": cards}
    return hub


# --- Revisions of published listings ---------------------------------------------------------


def revision_field_label(name: str) -> str:
    """The reader's-language name of a `ListingData` field."""
    if name in TERM_FIELDS:
        return str(VocabularyTerm.Kind(TERM_FIELDS[name]).label)
    try:
        return str(Listing._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _display(name: str, value, term_labels: dict) -> str:
    if value in (None, "", [], {}):
        return ""
    if name in TERM_FIELDS:
        return ", ".join(term_labels.get((TERM_FIELDS[name], slug), slug) for slug in value)
    if name == "translations":
        return "\n".join(
            f"{code}: {' / '.join(v for v in parts.values() if v)}"
            for code, parts in sorted(value.items())
            if any(parts.values())
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def revision_diff(revision: ListingRevision) -> list[dict]:
    """Field by field, what the revision changes against the live version now: label, current
    and proposed values as text."""
    current = listing_data_of(revision.listing)
    proposed = listing_data_from_json(revision.proposed)
    names = changed_fields(current, proposed)
    term_labels = {
        (t.kind, t.slug): t.display_label
        for t in VocabularyTerm.objects.filter(kind__in=list(TERM_FIELDS.values()))
    }
    return [
        {
            "name": name,
            "label": revision_field_label(name),
            "current": _display(name, getattr(current, name), term_labels),
            "proposed": _display(name, getattr(proposed, name), term_labels),
        }
        for name in names
    ]


def get_revision_for_user(user, pk: int) -> ListingRevision:
    """404 unless the user is a facilitator or may edit the listing."""
    revision = (
        ListingRevision.objects.select_related("listing", "listing__organisation", "created_by")
        .filter(pk=pk)
        .first()
    )
    if revision is None or not revision_allowed_actions(user, revision)["view"]:
        raise Http404
    return revision


def pending_revisions_for_review() -> QuerySet[ListingRevision]:
    return (
        ListingRevision.objects.filter(status=RevisionStatus.PENDING)
        .select_related("listing", "listing__organisation", "created_by")
        .order_by("created_at", "id")
    )
