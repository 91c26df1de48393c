"""Small builders of listings for tests (sensible defaults, override what matters)."""

from wipomatch.matching.engine.documents import NeedDoc, OfferDoc


def offer(ref: str, **fields) -> OfferDoc:
    defaults = {
        "title": "Training for patent examiners",
        "description": "We train patent examiners.",
        "language": "en",
        "country": "CH",
        "themes": ("ip-management",),
        "ip_areas": ("patents",),
        "assistance_types": ("training",),
        "resource_types": ("human",),
        "delivery_languages": ("en",),
    }
    return OfferDoc(ref=ref, **{**defaults, **fields})


def need(ref: str, **fields) -> NeedDoc:
    defaults = {
        "title": "Training of patent examiners",
        "description": "Our office needs training for patent examiners.",
        "language": "en",
        "country": "KE",
        "themes": ("ip-management",),
        "ip_areas": ("patents",),
        "assistance_types": ("training",),
    }
    return NeedDoc(ref=ref, **{**defaults, **fields})
