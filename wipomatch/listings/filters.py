"""The one specification of the browse filters: what each filter means and how its facet counts.

Two implementations read it and nothing else: the SQL selectors (`selectors.apply_browse_filters`,
`browse_facet_counts`) and the in-memory search cache (`search.cache.ListingIndex.filter_mask`,
`search.query.listing_search`). A filter is one of three shapes:

- TERMS: a vocabulary (theme, IP area, ...). Several values widen (any of them), vocabularies
  narrow; the count next to a term is what ticking it would give, so a vocabulary in use counts
  over what the other filters give.
- COVERAGE: where a listing applies (country, region, LDCs). A worldwide listing applies
  everywhere; otherwise one covered country of the area is enough.
- COLUMN: a column of the listing or its organisation (language, organisation type), always
  matched in SQL.

A single-choice filter (country, region, language, organisation type) counts like a vocabulary:
the number next to an option is what choosing it instead would give. The LDC flag has no options.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db.models import Q

from wipomatch.reference.models import VocabularyTerm

from .models import Listing, ListingTerm

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


TERMS, COVERAGE, COLUMN = "terms", "coverage", "column"


@dataclass(frozen=True)
class Filter:
    param: str  # attribute of BrowseFilters, query parameter, and facet name of the cache
    shape: str  # TERMS, COVERAGE or COLUMN
    vocabulary: str = ""  # TERMS only
    has_options: bool = True  # its facet lists options (the LDC flag is only a count)

    def value(self, filters: BrowseFilters):
        """The filter's value in `filters`, normalised; falsy when the filter is not in use."""
        raw = getattr(filters, self.param)
        if self.shape == TERMS:
            return list(raw)
        if self.param == "ldc":
            return "ldc" if raw else ""
        raw = (raw or "").strip()
        return raw.upper() if self.param == "country" else raw

    def cleared(self, filters: BrowseFilters) -> BrowseFilters:
        """`filters` without this filter: what its facet counts over."""
        empty = [] if self.shape == TERMS else (False if self.param == "ldc" else "")
        return replace(filters, **{self.param: empty})

    def condition(self, value) -> Q:
        """The SQL condition on `Listing` for a value in use."""
        if self.shape == TERMS:
            tagged = ListingTerm.objects.filter(term__kind=self.vocabulary, term__slug__in=value)
            return Q(pk__in=tagged.values("listing"))
        if self.shape == COVERAGE:
            # A subquery, not a join, so no DISTINCT is needed (a join touches every coverage
            # row of every listing).
            covered = Listing.coverage.through.objects.filter(COVERAGE_LOOKUPS[self.param](value))
            return Q(worldwide=True) | Q(pk__in=covered.values("listing_id"))
        return COLUMN_LOOKUPS[self.param](value)


# Which countries a coverage value means (on the coverage through table), and, in the cache, the
# labels each covered country gives (see search.cache: country ISO code, its M49 codes, "ldc").
COVERAGE_LOOKUPS = {
    "country": lambda iso2: Q(country__iso2=iso2),
    "region": lambda code: (
        Q(country__region__code=code)
        | Q(country__subregion__code=code)
        | Q(country__intermediate_region__code=code)
    ),
    "ldc": lambda _flag: Q(country__ldc=True),
}
COLUMN_LOOKUPS = {
    "language": lambda code: Q(language_index__contains=f"|{code}|"),
    "org_type": lambda slug: Q(organisation__org_type=slug),
}

FILTERS: tuple[Filter, ...] = (
    *(Filter(param, TERMS, vocabulary=vocab) for param, vocab in TERM_PARAMS.items()),
    Filter("country", COVERAGE),
    Filter("region", COVERAGE),
    Filter("ldc", COVERAGE, has_options=False),
    Filter("language", COLUMN),
    Filter("org_type", COLUMN),
)


def filters_in_use(filters: BrowseFilters, *shapes: str) -> list[tuple[Filter, object]]:
    """(filter, normalised value) of each filter in use, of the given shapes (default: all)."""
    return [
        (flt, value)
        for flt in FILTERS
        if (not shapes or flt.shape in shapes) and (value := flt.value(filters))
    ]


def widened_facets(filters: BrowseFilters, *shapes: str) -> list[tuple[Filter, BrowseFilters]]:
    """(filter, the filters without it) of each facet in use whose counts are taken over what
    the other filters give (every filter with options)."""
    return [
        (flt, flt.cleared(filters))
        for flt, _v in filters_in_use(filters, *shapes)
        if flt.has_options
    ]
