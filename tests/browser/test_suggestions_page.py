"""A seeker opens a published need and reads explained suggestions, in English and in French."""

import pytest

from .test_listings_journey import sign_in

pytestmark = pytest.mark.browser

NEED = {
    "title": "Formation des examinateurs de brevets pharmaceutiques",
    "summary": "Notre office a besoin d'une formation pour dix examinateurs de brevets.",
    "description": "Nous recevons de plus en plus de demandes de brevets sur des médicaments et "
    "cherchons une formation pratique sur la nouveauté et l'activité inventive.",
    "language": "fr",
    "themes": ["public-health"],
    "ip_areas": ["patents"],
    "assistance_types": ["training"],
    "delivery_languages": ["fr", "en"],
}
OFFER = {
    "title": "Online course on patent examination of medicines",
    "summary": "Places in our online course on the examination of pharmaceutical patents.",
    "description": "Senior examiners teach novelty, inventive step and the examination of "
    "pharmaceutical inventions, with exercises on real files.",
    "language": "en",
    "themes": ["public-health"],
    "ip_areas": ["patents"],
    "assistance_types": ["training"],
    "resource_types": ["human"],
    "delivery_languages": ["en", "fr"],
}


@pytest.fixture
def published_pair(live_reference, settings):
    from wipomatch.listings.tests.factories import NeedFactory, OfferFactory

    settings.LISTING_EMBEDDER = "hashing"
    # No surrounding transaction here: on_commit runs at once, and with the immediate task
    # backend the suggestions are computed as they would be by the worker.
    need = NeedFactory(status="published", **NEED)
    offer = OfferFactory(status="published", **OFFER)
    return need, offer


@pytest.mark.parametrize(
    ("language", "heading", "reason"),
    [
        ("en", "Offers that could answer this need", "Same thematic area: IP and public health"),
        ("fr", None, None),
    ],
)
def test_a_need_page_shows_explained_suggestions(
    page, live_server, axe_check, published_pair, language, heading, reason
):
    from django.utils import translation
    from django.utils.translation import gettext

    need, offer = published_pair
    if heading is None:
        with translation.override(language):
            heading = gettext("Offers that could answer this need")
            reason = gettext("Same thematic area: %(themes)s") % {
                "themes": gettext("IP and public health")
            }
    sign_in(page, live_server, need.created_by)
    page.goto(f"/{language}/needs/{need.pk}/")
    panel = page.locator("section#suggestions")
    panel.wait_for()
    assert heading in panel.locator("h2").inner_text()
    assert offer.title in panel.inner_text()
    assert reason in panel.inner_text()
    axe_check(page)
