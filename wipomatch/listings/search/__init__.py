"""Search of the published needs and offers: `query` answers a search, `cache` holds what it runs
on in each process; both read the filters from `listings.filters`."""

from .cache import (
    ListingIndex,
    clear_search_cache,
    listing_index,
    search_cache_memory,
    search_settings,
)
from .query import SearchPage, catalogue_version, listing_search

__all__ = [
    "ListingIndex",
    "SearchPage",
    "catalogue_version",
    "clear_search_cache",
    "listing_index",
    "listing_search",
    "search_cache_memory",
    "search_settings",
]
