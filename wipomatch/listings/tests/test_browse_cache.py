"""The browse pages' cache: results rendered once per catalogue version, language and filters,
choices of the form kept per language; a change of the catalogue shows at the next request."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from wipomatch.members.tests.factories import FacilitatorFactory, MembershipFactory

from ..forms import clear_browse_choices
from ..models import Status
from ..search import clear_search_cache
from .factories import NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.LISTING_EMBEDDER = "hashing"
    settings.LISTING_BROWSE_CACHE_SECONDS = 60
    clear_search_cache()
    clear_browse_choices()
    caches[settings.FRAGMENT_CACHE].clear()
    yield
    clear_search_cache()
    clear_browse_choices()
    caches[settings.FRAGMENT_CACHE].clear()


def _results(html: str) -> str:
    return html.split('id="browse-results"', 1)[1].split("</form>", 1)[0]


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_results_are_rendered_once_and_a_new_listing_shows_at_the_next_request():
    facilitator = FacilitatorFactory()
    NeedFactory(status=Status.PUBLISHED, facilitator=facilitator, title="Examiner training")
    client = Client()
    url = reverse("listings:need_list")
    first, first_queries = _get(client, url)
    again, again_queries = _get(client, url)
    assert "Examiner training" in first
    assert _results(again) == _results(first)
    assert again_queries < first_queries  # no search, no cards: the version query only
    assert again_queries <= 3

    NeedFactory(status=Status.PUBLISHED, facilitator=facilitator, title="Copyright registry")
    after, _ = _get(client, url)
    assert "Copyright registry" in after and "Examiner training" in after

    # htmx asks for the same results only
    partial, _ = _get(client, url, HTTP_HX_REQUEST="true")
    assert "Copyright registry" in partial and "<html" not in partial


def test_results_differ_by_filters_language_and_page_and_not_by_visitor():
    facilitator = FacilitatorFactory()
    words = ["alpha", "bravo", "charlie", "delta", "echo"]
    for n in range(25):
        NeedFactory(status=Status.PUBLISHED, facilitator=facilitator, title=f"{words[n % 5]} {n}")
    visitor = Client()
    url = reverse("listings:need_list")
    page1, _ = _get(visitor, url)
    page2, _ = _get(visitor, f"{url}?page=2")
    assert _results(page1) != _results(page2)
    searched, _ = _get(visitor, f"{url}?q=charlie")
    assert "charlie 7" in searched and "delta 8" not in searched

    member = MembershipFactory().user
    signed_in = Client()
    signed_in.force_login(member)
    html, _ = _get(signed_in, url)
    # the shell is the member's (sign-out form), the results are the same
    assert "account_logout" not in html and reverse("account_logout") in html
    assert reverse("account_logout") not in page1
    marker = 'id="browse-results"'
    assert (
        html.split(marker, 1)[1].split("</form>", 1)[0]
        == page1.split(marker, 1)[1].split("</form>", 1)[0]
    )

    with translation.override("fr"):
        french_url = reverse("listings:need_list")
    french, _ = _get(visitor, french_url)
    assert french != page1 and 'lang="fr"' in french


def test_a_closed_listing_leaves_the_cached_results_at_once():
    facilitator = FacilitatorFactory()
    need = NeedFactory(status=Status.PUBLISHED, facilitator=facilitator, title="Soon closed")
    client = Client()
    url = reverse("listings:need_list")
    assert "Soon closed" in _get(client, url)[0]
    need.status = Status.CLOSED
    need.save()
    assert "Soon closed" not in _get(client, url)[0]
