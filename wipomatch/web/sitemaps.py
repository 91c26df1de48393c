"""The XML sitemap of every public page, with `hreflang` alternates in the six languages, and
the robots.txt that names it.

Public pages: home and the browse pages, published needs and offers, published stories,
published initiatives, approved member organisations, theme and country pages.
"""

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wipomatch.cooperation.models import Initiative
from wipomatch.listings.models import Kind, Listing
from wipomatch.members.models import Organisation
from wipomatch.reference.models import Country, VocabularyTerm
from wipomatch.stories.models import Story


class _I18nSitemap(Sitemap):
    i18n = True  # one <url> per interface language...
    alternates = True  # ...each naming the other five with hreflang
    x_default = True


class StaticPagesSitemap(_I18nSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return [
            "web:home",
            "listings:need_list",
            "listings:offer_list",
            "stories:list",
            "cooperation:directory",
            "members:directory",
            "members:criteria",
            "web:about",
        ]

    def location(self, item):
        return reverse(item)


class ListingSitemap(_I18nSitemap):
    changefreq = "weekly"

    def items(self):
        return Listing.objects.public().only("pk", "kind", "updated_at").order_by("pk")

    def location(self, item):
        name = "need_detail" if item.kind == Kind.NEED else "offer_detail"
        return reverse(f"listings:{name}", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class StorySitemap(_I18nSitemap):
    changefreq = "monthly"

    def items(self):
        return Story.objects.public().only("pk", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("stories:detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class InitiativeSitemap(_I18nSitemap):
    changefreq = "monthly"

    def items(self):
        return Initiative.objects.public().only("pk", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("cooperation:detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class OrganisationSitemap(_I18nSitemap):
    changefreq = "monthly"

    def items(self):
        return Organisation.objects.approved().only("pk", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("members:organisation_detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class ThemeSitemap(_I18nSitemap):
    changefreq = "daily"

    def items(self):
        return list(
            VocabularyTerm.objects.filter(kind=VocabularyTerm.Kind.THEME, active=True)
            .order_by("position")
            .values_list("slug", flat=True)
        )

    def location(self, item):
        return reverse("web:theme_page", args=[item])


class CountrySitemap(_I18nSitemap):
    changefreq = "weekly"

    def items(self):
        return list(Country.objects.order_by("iso2").values_list("iso2", flat=True))

    def location(self, item):
        return reverse("web:country_page", args=[item])


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "needs-offers": ListingSitemap,
    "stories": StorySitemap,
    "initiatives": InitiativeSitemap,
    "organisations": OrganisationSitemap,
    "themes": ThemeSitemap,
    "countries": CountrySitemap,
}


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /*/accounts/",
        "Disallow: /*/admin/",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
