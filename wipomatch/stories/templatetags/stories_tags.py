"""Stories on other apps' pages, fed by this app's selectors: `{% theme_stories theme %}`,
`{% country_stories country %}`, `{% related_stories listing %}`, and the Atom feed links for
the head of those pages (`{% story_feed_link "theme" theme.slug %}`)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from wipomatch.listings.models import LISTING_LANGUAGES

from ..selectors import (
    stories_for_country,
    stories_for_initiative,
    stories_for_theme,
    stories_related_to_listing,
)

register = template.Library()


@register.filter
def html_lang(code: str) -> str:
    """The BCP 47 tag of a story language for `lang=` ("zh" is written in simplified Chinese)."""
    return "zh-Hans" if code == "zh" else code


@register.filter
def language_label(code: str) -> str:
    return str(dict(LISTING_LANGUAGES).get(code, code))


@register.simple_tag
def story_feed_link(kind: str, key: str = "") -> str:
    if kind == "theme":
        href, title = reverse("stories:theme_feed", args=[key]), _("Stories on this theme")
    elif kind == "country":
        href, title = reverse("stories:country_feed", args=[key]), _("Stories from this country")
    else:
        href, title = reverse("stories:feed"), _("New stories")
    return format_html(
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">', title, href
    )


@register.inclusion_tag("stories/_section.html")
def theme_stories(theme, limit: int = 4):
    return {
        "stories": stories_for_theme(theme.slug, limit=limit),
        "section_id": "stories-heading",
        "section_title": _("Stories and best practices"),
        "more_url": f"{reverse('stories:list')}?theme={theme.slug}",
        "feed_url": reverse("stories:theme_feed", args=[theme.slug]),
    }


@register.inclusion_tag("stories/_section.html")
def country_stories(country, limit: int = 4):
    return {
        "stories": stories_for_country(country.iso2, limit=limit),
        "section_id": "stories-heading",
        "section_title": _("Stories and best practices"),
        "more_url": f"{reverse('stories:list')}?country={country.iso2}",
        "feed_url": reverse("stories:country_feed", args=[country.iso2]),
    }


@register.inclusion_tag("stories/_section.html")
def related_stories(listing, limit: int = 3):
    return {
        "stories": stories_related_to_listing(listing, limit=limit),
        "section_id": "related-stories-heading",
        "section_title": _("How others solved similar problems"),
        "section_intro": _("Stories and best practices close to this listing."),
        "more_url": reverse("stories:list"),
    }


@register.inclusion_tag("stories/_section.html")
def initiative_stories(initiative, limit: int = 6):
    return {
        "stories": stories_for_initiative(initiative, limit=limit),
        "section_id": "stories-heading",
        "section_title": _("Stories from this initiative"),
    }
