"""Listings (Django rows) as engine documents, and the platform's geography for the engine."""

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
