"""Atom feeds of newly published stories: per language, per thematic area, per country.

Each feed is announced in the head of the page it follows (`<link rel="alternate">`). The
language feed lists stories written in the language of the URL prefix; the theme and country
feeds list each story once, in the reader's language when it has that version.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from wipomatch.listings.models import LISTING_LANGUAGES
from wipomatch.reference.models import Country, VocabularyTerm

from .models import Story
from .selectors import cards, reader_language, stories_for_country, stories_for_theme

FEED_SIZE = 30


class _StoryFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: Story) -> str:
        return item.title

    def item_description(self, item: Story) -> str:
        return item.summary

    def item_link(self, item: Story) -> str:
        return reverse("stories:detail", args=[item.pk])

    def item_pubdate(self, item: Story):
        return item.published_at

    def item_updateddate(self, item: Story):
        return item.updated_at

    def item_author_name(self, item: Story) -> str:
        return item.organisation.name

    def item_categories(self, item: Story):
        return [t.display_label for t in item.themes]

    def item_extra_kwargs(self, item: Story) -> dict:
        return {}


class LatestStoriesFeed(_StoryFeed):
    def get_object(self, request):
        return reader_language()

    def title(self, language: str) -> str:
        return _("WIPO Match: new stories in %(language)s") % {
            "language": dict(LISTING_LANGUAGES)[language]
        }

    def link(self, language: str) -> str:
        return f"{reverse('stories:list')}?language={language}"

    def subtitle(self, language: str) -> str:
        return _("Success stories, best practices and lessons learned, newest first.")

    def items(self, language: str):
        ids = list(
            Story.objects.public()
            .filter(language=language)
            .order_by("-published_at", "-id")
            .values_list("pk", flat=True)[:FEED_SIZE]
        )
        return cards(ids)


class ThemeStoriesFeed(_StoryFeed):
    def get_object(self, request, slug: str):
        theme = VocabularyTerm.objects.filter(
            kind=VocabularyTerm.Kind.THEME, slug=slug, active=True
        ).first()
        if theme is None:
            raise Http404
        return theme

    def title(self, theme) -> str:
        return _("WIPO Match: new stories on %(theme)s") % {"theme": theme.display_label}

    def link(self, theme) -> str:
        return f"{reverse('stories:list')}?theme={theme.slug}"

    def subtitle(self, theme) -> str:
        return _("Success stories, best practices and lessons learned, newest first.")

    def items(self, theme):
        return stories_for_theme(theme.slug, limit=FEED_SIZE)


class CountryStoriesFeed(_StoryFeed):
    def get_object(self, request, iso2: str):
        country = Country.objects.filter(iso2=iso2.upper()).first()
        if country is None:
            raise Http404
        return country

    def title(self, country) -> str:
        return _("WIPO Match: new stories from %(country)s") % {"country": country.name}

    def link(self, country) -> str:
        return f"{reverse('stories:list')}?country={country.iso2}"

    def subtitle(self, country) -> str:
        return _("Success stories, best practices and lessons learned, newest first.")

    def items(self, country):
        return stories_for_country(country.iso2, limit=FEED_SIZE)
