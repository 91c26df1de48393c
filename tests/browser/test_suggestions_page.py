"""A seeker opens a published need and reads explained suggestions, in English and in French."""

import pytest

from .helpers import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def published_pair(live_reference, settings):
    from wipomatch.listings.tests.factories import (
        PATENT_COURSE_OFFER,
        PATENT_TRAINING_NEED,
        NeedFactory,
        OfferFactory,
    )

    settings.LISTING_EMBEDDER = "hashing"
    # No surrounding transaction here: on_commit runs at once, and with the immediate task
    # backend the suggestions are computed as they would be by the worker.
    need = NeedFactory(status="published", **PATENT_TRAINING_NEED)
    offer = OfferFactory(status="published", **PATENT_COURSE_OFFER)
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
