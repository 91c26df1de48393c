"""Validation of listing input: every bad value gets a clear, translated error on its field."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wipomatch.core.text import clean_plain_text, clean_single_line
from wipomatch.reference.models import Country, Region, SdgGoal, SdgTarget, VocabularyTerm

from .models import LANGUAGE_CODES, Kind

TERM_FIELDS = {
    "themes": VocabularyTerm.Kind.THEME,
    "ip_areas": VocabularyTerm.Kind.IP_AREA,
    "assistance_types": VocabularyTerm.Kind.ASSISTANCE_TYPE,
    "resource_types": VocabularyTerm.Kind.RESOURCE_TYPE,
    "modalities": VocabularyTerm.Kind.MODALITY,
}
MAX_LENGTHS = {"title": 200, "summary": 500, "description": 6000}
CURRENCIES = ("USD", "EUR", "CHF")
MAX_BUDGET = 10**12  # far above any technical-assistance budget, far below a 64-bit integer
SDG_GOAL_RANGE = (1, 17)


@dataclass
class ListingData:
    """What a member can write on a listing; services validate it and store it."""

    title: str = ""
    summary: str = ""
    description: str = ""
    language: str = ""
    themes: list[str] = field(default_factory=list)
    ip_areas: list[str] = field(default_factory=list)
    assistance_types: list[str] = field(default_factory=list)
    resource_types: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO alpha-2
    regions: list[str] = field(default_factory=list)  # M49 codes
    delivery_languages: list[str] = field(default_factory=list)
    start_date: date | None = None
    end_date: date | None = None
    budget_min: int | None = None
    budget_max: int | None = None
    budget_currency: str = ""
    sdg_goals: list[int] = field(default_factory=list)
    sdg_targets: list[str] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class CleanListing:
    """Validated data with the reference objects resolved."""

    values: dict
    terms: list[VocabularyTerm]
    countries: list[Country]
    regions: list[Region]
    sdg_goals: list[SdgGoal]
    sdg_targets: list[SdgTarget]


def _unknown(values, known) -> list[str]:
    return sorted({str(v) for v in values} - {str(k) for k in known})


def validate_listing(kind: str, data: ListingData) -> CleanListing:
    """Check and clean listing input; raise ValidationError with one message per bad field."""
    errors: dict[str, list[str]] = {}

    def error(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    text = {}
    for name, limit in MAX_LENGTHS.items():
        raw = getattr(data, name) or ""
        value = clean_single_line(raw) if name == "title" else clean_plain_text(raw)
        if not value:
            error(name, _("This field is required."))
        elif len(value) > limit:
            error(
                name,
                _("Keep this under %(limit)d characters (it has %(count)d).")
                % {"limit": limit, "count": len(value)},
            )
        text[name] = value

    if data.language not in LANGUAGE_CODES:
        error("language", _("Choose one of the six UN languages."))

    terms: list[VocabularyTerm] = []
    wanted_slugs = {name: list(dict.fromkeys(getattr(data, name) or [])) for name in TERM_FIELDS}
    all_terms = {
        (t.kind, t.slug): t
        for t in VocabularyTerm.objects.filter(kind__in=TERM_FIELDS.values(), active=True)
    }
    for name, vocab in TERM_FIELDS.items():
        slugs = wanted_slugs[name]
        unknown = [s for s in slugs if (vocab, s) not in all_terms]
        if unknown:
            error(name, _("Unknown value: %(values)s.") % {"values": ", ".join(map(str, unknown))})
        terms.extend(all_terms[(vocab, s)] for s in slugs if (vocab, s) in all_terms)
    if not wanted_slugs["themes"]:
        error("themes", _("Choose at least one thematic area."))
    if not wanted_slugs["assistance_types"]:
        error("assistance_types", _("Choose at least one type of assistance."))
    if kind == Kind.OFFER and not wanted_slugs["resource_types"]:
        error("resource_types", _("Say what kind of resources you offer."))
    if kind == Kind.NEED and wanted_slugs["resource_types"]:
        error("resource_types", _("Resource types describe offers only."))

    codes = [c.strip().upper() for c in data.countries or [] if c and c.strip()]
    countries = list(Country.objects.filter(iso2__in=codes))
    unknown = _unknown(codes, [c.iso2 for c in countries])
    if unknown:
        error("countries", _("Unknown country code: %(values)s.") % {"values": ", ".join(unknown)})
    region_codes = [r.strip() for r in data.regions or [] if r and r.strip()]
    regions = list(Region.objects.filter(code__in=region_codes))
    unknown = _unknown(region_codes, [r.code for r in regions])
    if unknown:
        error("regions", _("Unknown region code: %(values)s.") % {"values": ", ".join(unknown)})
    if kind == Kind.NEED and regions:
        error("regions", _("A need names countries, not regions."))

    languages = list(dict.fromkeys(data.delivery_languages or []))
    unknown = [x for x in languages if x not in LANGUAGE_CODES]
    if unknown:
        error(
            "delivery_languages",
            _("Unknown language: %(values)s.") % {"values": ", ".join(map(str, unknown))},
        )

    if data.start_date and data.end_date and data.end_date < data.start_date:
        error("end_date", _("The end date must be on or after the start date."))

    has_budget = data.budget_min is not None or data.budget_max is not None
    if has_budget:
        if kind != Kind.OFFER or "financial" not in wanted_slugs["resource_types"]:
            error("budget_min", _("A budget can only be given on an offer of financial resources."))
        for name in ("budget_min", "budget_max"):
            value = getattr(data, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                error(name, _("Enter a positive whole amount."))
            elif value is not None and value > MAX_BUDGET:
                error(name, _("Enter an amount of at most %(max)s.") % {"max": f"{MAX_BUDGET:,}"})
        if (
            isinstance(data.budget_min, int)
            and isinstance(data.budget_max, int)
            and data.budget_max < data.budget_min
        ):
            error("budget_max", _("The upper amount must not be lower than the lower amount."))
        if data.budget_currency not in CURRENCIES:
            error("budget_currency", _("Choose a currency."))

    # Only numbers an SDG goal can have reach the query (10**20 would overflow SQLite).
    numbers = [
        g
        for g in data.sdg_goals or []
        if isinstance(g, int) and SDG_GOAL_RANGE[0] <= g <= SDG_GOAL_RANGE[1]
    ]
    goals = list(SdgGoal.objects.filter(number__in=numbers))
    unknown = _unknown(data.sdg_goals or [], [g.number for g in goals])
    if unknown:
        error("sdg_goals", _("Unknown SDG goal: %(values)s.") % {"values": ", ".join(unknown)})
    targets = list(SdgTarget.objects.filter(code__in=data.sdg_targets or []))
    unknown = _unknown(data.sdg_targets or [], [t.code for t in targets])
    if unknown:
        error("sdg_targets", _("Unknown SDG target: %(values)s.") % {"values": ", ".join(unknown)})

    translations = {}
    for lang, parts in (data.translations or {}).items():
        if lang not in LANGUAGE_CODES or not isinstance(parts, dict):
            error("translations", _("Translations must be keyed by a UN language code."))
            continue
        title = clean_plain_text(str(parts.get("title", "")))[: MAX_LENGTHS["title"]]
        summary = clean_plain_text(str(parts.get("summary", "")))[: MAX_LENGTHS["summary"]]
        if title or summary:
            translations[lang] = {"title": title, "summary": summary}

    if errors:
        raise ValidationError(errors)
    values = {
        **text,
        "language": data.language,
        "delivery_languages": languages,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "budget_min": data.budget_min if has_budget else None,
        "budget_max": data.budget_max if has_budget else None,
        "budget_currency": data.budget_currency if has_budget else "",
        "translations": translations,
    }
    return CleanListing(values, terms, countries, regions, goals, targets)
