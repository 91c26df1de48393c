"""Theme and country pages: what the platform holds about one theme or one country (needs,
offers and member organisations), gathered from the apps that own them."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from wipomatch.listings.filters import BrowseFilters
from wipomatch.listings.models import Kind
from wipomatch.listings.selectors import listing_hub
from wipomatch.members.selectors import organisation_directory
from wipomatch.reference.models import Country, VocabularyTerm

LATEST_ON_HUB_PAGES = 5
MEMBERS_ON_HUB_PAGES = 12


def _hub_context(filters: BrowseFilters, query: str, organisations) -> dict:
    hub = listing_hub(filters, latest=LATEST_ON_HUB_PAGES)
    return {
        "needs": hub[Kind.NEED],
        "offers": hub[Kind.OFFER],
        "organisations": list(organisations[:MEMBERS_ON_HUB_PAGES]),
        "organisation_count": organisations.count(),
        "query": query,
        "directory_query": query,
    }


@require_GET
def theme_page(request: HttpRequest, slug: str) -> HttpResponse:
    theme = VocabularyTerm.objects.filter(
        kind=VocabularyTerm.Kind.THEME, slug=slug, active=True
    ).first()
    if theme is None:
        raise Http404
    context = _hub_context(
        BrowseFilters(theme=[slug]), f"theme={slug}", organisation_directory(theme=slug)
    )
    context["theme"] = theme
    context["other_themes"] = VocabularyTerm.objects.filter(
        kind=VocabularyTerm.Kind.THEME, active=True
    ).exclude(pk=theme.pk)
    return render(request, "web/theme_page.html", context)


@require_GET
def country_page(request: HttpRequest, iso2: str) -> HttpResponse:
    country = get_object_or_404(
        Country.objects.select_related("region", "subregion", "intermediate_region"),
        iso2=iso2.upper(),
    )
    context = _hub_context(
        BrowseFilters(country=country.iso2),
        f"country={country.iso2}",
        organisation_directory(country=country.iso2),
    )
    context["country"] = country
    context["regions"] = [
        r for r in (country.region, country.subregion, country.intermediate_region) if r
    ]
    return render(request, "web/country_page.html", context)
