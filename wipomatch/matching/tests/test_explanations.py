"""Reasons are worded at display time, in the reader's language, from the engine's data."""

import pytest
from django.utils import translation

from wipomatch.matching.explanations import explain, explanation_names

pytestmark = pytest.mark.django_db

EXPLANATION = {
    "shared_themes": ["green-innovation"],
    "shared_ip_areas": ["patents"],
    "matching_assistance_types": ["training"],
    "serving_resource_types": [],
    "shared_languages": ["fr"],
    "need_language": "ar",
    "offer_language": "zh",
    "cross_lingual": True,
    "eligibility": {"status": "region", "regions": ["011"], "eligible": True},
    "south_south": True,
    "matched_phrases": [
        {"need": "براءات الاختراع", "offer": "专利", "weight": 2.0},
        {"need": "太阳能", "offer": "太阳能", "weight": 1.0},
    ],
}


def test_a_seeker_reads_the_reasons_in_english():
    with translation.override("en"):
        reasons = explain(EXPLANATION, reader="need", names=explanation_names())
    assert "Same thematic area: Green innovation" in reasons
    assert "Offers Training and capacity building, which you asked for" in reasons
    assert "Delivered in French" in reasons
    assert "Available in Western Africa" in reasons
    assert "South-South cooperation, as requested" in reasons
    assert "Written in Chinese, matched across languages" in reasons
    # Phrases are quoted as each side wrote them, Arabic and Chinese included.
    assert (
        "Matched phrases: \u2068براءات الاختراع\u2069 ↔ \u2068专利\u2069; \u2068太阳能\u2069"
        in reasons
    )


def test_a_provider_reads_the_same_pair_from_their_side_in_french():
    with translation.override("fr"):
        reasons = explain(EXPLANATION, reader="offer", names=explanation_names())
        from django.utils.translation import gettext

        asks = gettext("Asks for %(types)s, which you offer") % {
            "types": gettext("Training and capacity building")
        }
    assert asks in reasons
    assert any("\u2068专利\u2069 ↔ \u2068براءات الاختراع\u2069" in r for r in reasons)
    assert any("Afrique occidentale" in r for r in reasons)  # the region in French


def test_an_offer_restricted_elsewhere_says_so():
    names = explanation_names()
    reasons = explain(
        {"eligibility": {"status": "excluded", "regions": []}}, reader="need", names=names
    )
    assert reasons == ["Not available in the seeker's country"]
    assert explain({}, reader="need", names=names) == []
