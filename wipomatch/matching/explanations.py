"""Plain-language reasons for a suggestion, in the reader's language.

The engine stores its explanation as data (slugs, codes, phrases); the words are chosen here,
at display time, so that each reader gets them in their own language.
"""

from django.utils.translation import gettext as _

from wipomatch.listings.models import LISTING_LANGUAGES, Kind, Listing
from wipomatch.reference.models import Country, Region, VocabularyTerm

MAX_PHRASES = 4


def explanation_names() -> dict:
    """Labels and place names in the active language, read once per page (three queries)."""
    return {
        "terms": {(t.kind, t.slug): t.display_label for t in VocabularyTerm.objects.all()},
        "regions": {r.code: r.name for r in Region.objects.all()},
        "countries": {c.iso2: c.name for c in Country.objects.all()},
    }


def _isolate(text: str) -> str:
    return f"\u2068{text}\u2069"


def _join(items) -> str:
    return ", ".join(str(i) for i in items if i)


def _language_names(codes) -> str:
    names = dict(LISTING_LANGUAGES)
    return _join(str(names.get(code, code)) for code in codes)


def explain(explanation: dict, *, reader: str, names: dict, country_iso2: str = "") -> list[str]:
    """Sentences for the reader: `reader` is "need" (a seeker) or "offer" (a provider).

    `names` comes from `explanation_names()`; `country_iso2` is the seeker's country.
    """
    if not explanation:
        return []
    reasons = []
    labels = names["terms"]
    if explanation.get("language_mismatch"):
        # first, because it may rule the suggestion out for the reader
        requested = _language_names(explanation.get("requested_languages") or [])
        delivered = _language_names(explanation.get("delivery_languages") or [])
        if reader == "need":
            reasons.append(
                _("Delivered in %(languages)s only, not in a language you asked for")
                % {"languages": delivered}
            )
        else:
            reasons.append(
                _("Asks for delivery in %(languages)s, which this offer does not list")
                % {"languages": requested}
            )

    def terms(kind: str, slugs) -> str:
        return _join(labels.get((kind, slug), slug) for slug in slugs)

    themes = explanation.get("shared_themes") or []
    if themes:
        reasons.append(
            _("Same thematic area: %(themes)s")
            % {"themes": terms(VocabularyTerm.Kind.THEME, themes)}
        )
    ip_areas = explanation.get("shared_ip_areas") or []
    if ip_areas:
        reasons.append(
            _("Same IP area: %(areas)s") % {"areas": terms(VocabularyTerm.Kind.IP_AREA, ip_areas)}
        )
    assistance = explanation.get("matching_assistance_types") or []
    if assistance:
        types = terms(VocabularyTerm.Kind.ASSISTANCE_TYPE, assistance)
        if reader == "need":
            reasons.append(_("Offers %(types)s, which you asked for") % {"types": types})
        else:
            reasons.append(_("Asks for %(types)s, which you offer") % {"types": types})
    resources = explanation.get("serving_resource_types") or []
    if resources:
        reasons.append(
            _("Can contribute: %(resources)s")
            % {"resources": terms(VocabularyTerm.Kind.RESOURCE_TYPE, resources)}
        )
    languages = explanation.get("shared_languages") or []
    if languages:
        reasons.append(_("Delivered in %(languages)s") % {"languages": _language_names(languages)})
    eligibility = explanation.get("eligibility") or {}
    status = eligibility.get("status")
    if status == "worldwide":
        reasons.append(_("Available worldwide"))
    elif status == "country" and country_iso2 in names["countries"]:
        reasons.append(_("Available in %(place)s") % {"place": names["countries"][country_iso2]})
    elif status == "region":
        places = [names["regions"].get(code) for code in eligibility.get("regions") or []]
        if any(places):
            reasons.append(_("Available in %(place)s") % {"place": _join(places)})
    elif status == "excluded":
        reasons.append(_("Not available in the seeker's country"))
    if explanation.get("south_south"):
        reasons.append(_("South-South cooperation, as requested"))
    if explanation.get("cross_lingual"):
        written = explanation.get("offer_language" if reader == "need" else "need_language")
        reasons.append(
            _("Written in %(language)s, matched across languages")
            % {"language": _language_names([written])}
        )
    phrases = explanation.get("matched_phrases") or []
    if phrases:
        shown = []
        for phrase in phrases[:MAX_PHRASES]:
            mine, theirs = (
                (phrase["need"], phrase["offer"])
                if reader == "need"
                else (phrase["offer"], phrase["need"])
            )
            # each quote isolated (FSI … PDI): an English phrase inside an Arabic sentence keeps
            # its own direction and punctuation
            mine, theirs = _isolate(mine), _isolate(theirs)
            shown.append(mine if mine == theirs else f"{mine} ↔ {theirs}")
        reasons.append(_("Matched phrases: %(phrases)s") % {"phrases": "; ".join(shown)})
    return reasons


def seeker_country(listing: Listing, other: Listing) -> str:
    """The ISO code of the seeker's country in a need/offer pair (for eligibility wording)."""
    need = listing if listing.kind == Kind.NEED else other
    countries = list(need.countries.all())
    return countries[0].iso2 if countries else need.organisation.country.iso2
