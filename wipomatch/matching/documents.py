"""Listings (Django rows) as engine documents, and the platform's geography for the engine."""

from collections.abc import Callable

from wipomatch.listings.models import Kind, Listing
from wipomatch.matching.engine.documents import NeedDoc, OfferDoc
from wipomatch.matching.engine.geography import Geography
from wipomatch.reference.models import Country


def geography_from_db() -> Geography:
    """M49 groupings and the Global South as staff maintain them (not the raw files)."""
    regions: dict[str, list[str]] = {}
    south = []
    rows = Country.objects.select_related("region", "subregion", "intermediate_region")
    for country in rows:
        regions[country.iso2] = country.region_codes
        if country.global_south:
            south.append(country.iso2)
    return Geography.from_mapping(regions, south)


# Brokering knows how reliably each organisation answers interest; it registers its source here
# (in its AppConfig.ready) because matching sits below brokering and must not import it.
_responsiveness_source: Callable[[], dict[int, float]] | None = None


def register_responsiveness_source(source: Callable[[], dict[int, float]]) -> None:
    """`source()` returns organisation id → responsiveness prior in [0, 1]."""
    global _responsiveness_source
    _responsiveness_source = source


def _responsiveness_prior(organisation_id: int) -> float | None:
    if _responsiveness_source is None:
        return None
    return _responsiveness_source().get(organisation_id)


def listing_document(listing: Listing) -> NeedDoc | OfferDoc:
    """Needs `terms`, `countries`, `regions` and `organisation` prefetched for lists."""
    common = {
        "ref": str(listing.pk),
        "title": listing.title,
        # The summary is part of what a member wrote to describe the listing.
        "description": f"{listing.summary} {listing.description}".strip(),
        "language": listing.language,
        "organisation_type": listing.organisation.org_type,
        "organisation": str(listing.organisation_id),
        "themes": listing.themes,
        "ip_areas": listing.ip_areas,
        "assistance_types": listing.assistance_types,
        "published_at": listing.published_at,
        # How reliably and quickly the organisation answers interest (brokering); None when
        # too few cases to say.
        "responsiveness": _responsiveness_prior(listing.organisation_id),
    }
    countries = [c.iso2 for c in listing.countries.all()]
    if listing.kind == Kind.NEED:
        return NeedDoc(
            **common,
            country=countries[0] if countries else listing.organisation.country.iso2,
            languages=listing.delivery_languages,
            south_south_preferred="south-south" in listing.modalities,
        )
    return OfferDoc(
        **common,
        country=listing.organisation.country.iso2,
        resource_types=listing.resource_types,
        eligible_countries=countries,
        eligible_regions=[r.code for r in listing.regions.all()],
        delivery_languages=listing.delivery_languages,
    )
