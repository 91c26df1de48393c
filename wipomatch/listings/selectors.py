"""Reads of needs and offers: scoped access, browse filters, facet counts, sorting.

`listing_browse` is the one implementation behind the /needs/ and /offers/ pages, the theme and
country pages and the API, so that a filter means the same thing everywhere.
"""

from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from wipomatch.members.models import Membership
from wipomatch.reference.models import VocabularyTerm

from .models import Kind, Listing, ListingTerm, Status
from .permissions import can_edit_listing, can_see_listing

SORTS = ("relevance", "newest", "expiring")
FACET_VOCABULARIES = (
    VocabularyTerm.Kind.THEME,
    VocabularyTerm.Kind.IP_AREA,
    VocabularyTerm.Kind.ASSISTANCE_TYPE,
    VocabularyTerm.Kind.RESOURCE_TYPE,
    VocabularyTerm.Kind.MODALITY,
)
# Query parameter → vocabulary, as in the API (`theme`, `ip_area`, ...).
TERM_PARAMS = {
    "theme": VocabularyTerm.Kind.THEME,
    "ip_area": VocabularyTerm.Kind.IP_AREA,
    "assistance_type": VocabularyTerm.Kind.ASSISTANCE_TYPE,
    "resource_type": VocabularyTerm.Kind.RESOURCE_TYPE,
    "modality": VocabularyTerm.Kind.MODALITY,
}


@dataclass
class BrowseFilters:
    q: str = ""
    theme: list[str] = field(default_factory=list)
    ip_area: list[str] = field(default_factory=list)
    assistance_type: list[str] = field(default_factory=list)
    resource_type: list[str] = field(default_factory=list)
    modality: list[str] = field(default_factory=list)
    country: str = ""
    region: str = ""
    ldc: bool = False
    language: str = ""
    org_type: str = ""
    sort: str = "relevance"


def listing_card_queryset() -> QuerySet[Listing]:
    """What a list page shows: a fixed number of queries whatever the page size."""
    return Listing.objects.select_related("organisation", "organisation__country").prefetch_related(
        Prefetch("terms", queryset=VocabularyTerm.objects.order_by("kind", "position")),
        "countries",
        "regions",
    )


def apply_browse_filters(qs: QuerySet[Listing], f: BrowseFilters) -> QuerySet[Listing]:
    for param, vocab in TERM_PARAMS.items():
        slugs = getattr(f, param)
        if slugs:
            # Several values of one facet widen the results (any of them); facets narrow.
            qs = qs.filter(
                pk__in=ListingTerm.objects.filter(term__kind=vocab, term__slug__in=slugs).values(
                    "listing"
                )
            )
    # Where a listing applies: worldwide, or a covered country matches. A subquery, not a join,
    # so no DISTINCT is needed (a join touches every coverage row of every listing).
    coverage = Listing.coverage.through.objects
    if f.country:
        covered = coverage.filter(country__iso2=f.country.upper())
        qs = qs.filter(Q(worldwide=True) | Q(pk__in=covered.values("listing_id")))
    if f.region:
        covered = coverage.filter(
            Q(country__region__code=f.region)
            | Q(country__subregion__code=f.region)
            | Q(country__intermediate_region__code=f.region)
        )
        qs = qs.filter(Q(worldwide=True) | Q(pk__in=covered.values("listing_id")))
    if f.ldc:
        covered = coverage.filter(country__ldc=True)
        qs = qs.filter(Q(worldwide=True) | Q(pk__in=covered.values("listing_id")))
    if f.language:
        qs = qs.filter(language_index__contains=f"|{f.language}|")
    if f.org_type:
        qs = qs.filter(organisation__org_type=f.org_type)
    return qs


def listing_browse_queryset(*, kind: str, filters: BrowseFilters) -> QuerySet[Listing]:
    """Published listings of one kind matching the filters (text search excluded)."""
    qs = Listing.objects.filter(kind=kind, status=Status.PUBLISHED)
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
    for param, vocab in TERM_PARAMS.items():
        if getattr(filters, param):
            wider = apply_browse_filters(qs, replace(filters, **{param: []}))
            counts[vocab] = facet_counts(wider)[vocab]
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
    rows = qs.filter(status=Status.PUBLISHED).values("kind").annotate(n=Count("pk"))
    counts = {Kind.NEED.value: 0, Kind.OFFER.value: 0}
    counts.update({r["kind"]: r["n"] for r in rows})
    return counts
