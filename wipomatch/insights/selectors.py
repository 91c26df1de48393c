"""Reads behind the insights: every measure over a period, with breakdowns.

Only public records are counted (approved organisations, published listings, published
initiatives, cases as the public matches API shows them anonymised), so that anyone can
recompute a figure from the public API. Cases (brokering) and initiatives (cooperation) are read
through `sources.py`, which returns plain records; the arithmetic is in `measures.py`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wipomatch.listings.models import Kind, Listing, ListingTerm
from wipomatch.matching.models import Dismissal, Suggestion
from wipomatch.members.models import Organisation
from wipomatch.reference.models import Country, Region, VocabularyTerm

from . import measures, sources
from .measures import CaseRecord, Collaboration, InitiativeRecord, OrgRecord

COUNTRY_GROUPS = ("ldc", "lldc", "sids")
MAX_PERIOD_DAYS = 366 * 20
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Period:
    """Calendar days from `start` to `end`, both included, in the platform's time zone."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """[start of the first day, start of the day after the last day)."""
        tz = timezone.get_default_timezone()
        first = datetime.combine(self.start, time.min, tzinfo=tz)
        after = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz)
        return first, after

    def contains(self, moment: datetime | None) -> bool:
        if moment is None:
            return False
        first, after = self.bounds()
        return first <= moment < after

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    @classmethod
    def last_days(cls, days: int, *, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(today - timedelta(days=days - 1), today)


@dataclass(frozen=True)
class Breakdown:
    """Optional narrowing: a theme slug, an M49 region code, a country group (ldc, lldc, sids),
    a modality slug and an organisation type slug; empty means all."""

    theme: str = ""
    region: str = ""
    country_group: str = ""
    modality: str = ""
    organisation_type: str = ""

    def as_query(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


def parse_period(start: str | None, end: str | None, *, default_days: int = 365) -> Period:
    """The period of `?from=YYYY-MM-DD&to=YYYY-MM-DD`; a missing bound defaults to the last
    `default_days` days ending today. Raises ValidationError saying what is wrong."""
    errors: dict[str, list[str]] = {}
    parsed: dict[str, date | None] = {}
    for name, value in (("from", start), ("to", end)):
        value = (value or "").strip()
        if not value:
            parsed[name] = None
            continue
        try:
            parsed[name] = date.fromisoformat(value[:10]) if len(value) == 10 else None
        except ValueError:
            parsed[name] = None
        if parsed[name] is None:
            errors[name] = [
                _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31.")
                % {"value": value[:40]}
            ]
    if errors:
        raise ValidationError(errors)
    to_date = parsed["to"] or timezone.localdate()
    from_date = parsed["from"] or (to_date - timedelta(days=default_days - 1))
    if from_date > to_date:
        raise ValidationError(
            {
                "to": [
                    _("The period ends (%(to)s) before it starts (%(from)s).")
                    % {"to": to_date.isoformat(), "from": from_date.isoformat()}
                ]
            }
        )
    if (to_date - from_date).days > MAX_PERIOD_DAYS:
        raise ValidationError({"from": [_("The period may not be longer than 20 years.")]})
    return Period(from_date, to_date)


def breakdown_choices() -> dict[str, list[tuple[str, str]]]:
    """The values each breakdown accepts, with their labels in the active language."""
    terms = VocabularyTerm.objects.filter(active=True).order_by("position", "slug")
    return {
        "theme": [(t.slug, t.display_label) for t in terms if t.kind == VocabularyTerm.Kind.THEME],
        "region": [(r.code, r.name) for r in Region.objects.filter(level=Region.Level.REGION)],
        "country_group": [
            ("ldc", _("Least developed countries (LDC)")),
            ("lldc", _("Landlocked developing countries (LLDC)")),
            ("sids", _("Small island developing States (SIDS)")),
        ],
        "modality": [
            (t.slug, t.display_label)
            for t in terms
            if t.kind == VocabularyTerm.Kind.MODALITY and t.slug in measures.MODALITIES
        ],
        "organisation_type": [
            (t.slug, t.display_label)
            for t in terms
            if t.kind == VocabularyTerm.Kind.ORGANISATION_TYPE
        ],
    }


def parse_breakdown(params) -> Breakdown:
    """Validate breakdown query parameters against the reference data (400 on unknown values)."""
    choices = breakdown_choices()
    values = {}
    errors = {}
    for name in ("theme", "region", "country_group", "modality", "organisation_type"):
        value = (params.get(name) or "").strip()
        if value and value not in {code for code, _label in choices[name]}:
            errors[name] = [
                _("Unknown value “%(value)s”. Use one of: %(choices)s.")
                % {"value": value[:40], "choices": ", ".join(c for c, _l in choices[name])}
            ]
        values[name] = value
    if errors:
        raise ValidationError(errors)
    return Breakdown(**values)


# --- Records in scope ------------------------------------------------------------------------


def organisations_in_scope(breakdown: Breakdown) -> dict[int, OrgRecord]:
    """Approved organisations (the public directory) narrowed by region, country group and
    organisation type. Theme and modality narrow the activities, not the organisations."""
    qs = Organisation.objects.approved()
    if breakdown.region:
        qs = qs.filter(
            Q(country__region__code=breakdown.region)
            | Q(country__subregion__code=breakdown.region)
            | Q(country__intermediate_region__code=breakdown.region)
        )
    if breakdown.country_group in COUNTRY_GROUPS:
        qs = qs.filter(**{f"country__{breakdown.country_group}": True})
    if breakdown.organisation_type:
        qs = qs.filter(org_type=breakdown.organisation_type)
    rows = qs.values_list(
        "id", "name", "country__iso2", "country__region__code", "org_type", "country__ldc"
    )
    return {
        pk: OrgRecord(pk, name, iso2 or "", region or "", org_type or "", bool(ldc))
        for pk, name, iso2, region, org_type, ldc in rows
    }


def published_listings(period: Period, breakdown: Breakdown, org_ids=None):
    """Listings the public API shows (`Listing.objects.public`) first published within the
    period."""
    first, after = period.bounds()
    qs = Listing.objects.public().filter(published_at__gte=first, published_at__lt=after)
    if org_ids is not None:
        qs = qs.filter(organisation_id__in=org_ids)
    for param, vocab in (
        ("theme", VocabularyTerm.Kind.THEME),
        ("modality", VocabularyTerm.Kind.MODALITY),
    ):
        slug = getattr(breakdown, param)
        if slug:
            qs = qs.filter(
                pk__in=ListingTerm.objects.filter(term__kind=vocab, term__slug=slug).values(
                    "listing"
                )
            )
    return qs


def _org_filter_applies(breakdown: Breakdown) -> bool:
    return bool(breakdown.region or breakdown.country_group or breakdown.organisation_type)


@dataclass
class Scope:
    period: Period
    breakdown: Breakdown
    orgs: dict[int, OrgRecord]
    cases: list[CaseRecord]
    initiatives: list[InitiativeRecord]


def scope_for(period: Period, breakdown: Breakdown) -> Scope:
    orgs = organisations_in_scope(breakdown)
    org_ids = set(orgs) if _org_filter_applies(breakdown) else None
    cases = [c for c in sources.case_records(period, breakdown) if period.contains(c.created)]
    if org_ids is not None:
        cases = [c for c in cases if c.need_org in org_ids or c.offer_org in org_ids]
    initiatives = [
        i for i in sources.initiative_records(period, breakdown) if period.contains(i.created)
    ]
    if breakdown.modality:
        initiatives = [i for i in initiatives if i.modality == breakdown.modality]
    # An initiative is in a region (country group) when a counted party or a benefiting country
    # is; of a type when a counted party is.
    if breakdown.region:
        initiatives = [i for i in initiatives if breakdown.region in i.regions]
    if breakdown.country_group:
        initiatives = [i for i in initiatives if breakdown.country_group in i.groups]
    if breakdown.organisation_type:
        initiatives = [i for i in initiatives if breakdown.organisation_type in i.org_types]
    return Scope(period, breakdown, orgs, cases, initiatives)


# --- The measures ----------------------------------------------------------------------------


def _reach(scope: Scope, listing_orgs: set[int]) -> dict:
    active = set(listing_orgs)
    for c in scope.cases:
        active.update({c.need_org, c.offer_org})
    for i in scope.initiatives:
        active.update(i.orgs)
    active &= set(scope.orgs)
    countries = {scope.orgs[o].country for o in active if scope.orgs[o].country}
    ldcs = {scope.orgs[o].country for o in active if scope.orgs[o].ldc}
    first, after = scope.period.bounds()
    new_orgs = (
        Organisation.objects.approved()
        .filter(pk__in=list(scope.orgs), approved_at__gte=first, approved_at__lt=after)
        .count()
    )
    return {
        "active_organisations": len(active),
        "countries": len(countries),
        "ldcs": len(ldcs),
        "new_organisations": new_orgs,
    }, active


def _suggestion_figures(listings_qs) -> tuple[int, int, int]:
    """Suggested pairs touching a listing of the period (both sides public), and how many of
    them were dismissed by either side and acted upon (a case opened for the pair)."""
    ids = listings_qs.values("pk")
    pairs = Suggestion.objects.filter(
        Q(need_id__in=ids) | Q(offer_id__in=ids),
        need__in=Listing.objects.public(),
        offer__in=Listing.objects.public(),
    ).filter(Q(need_rank__isnull=False) | Q(offer_rank__isnull=False))
    dismissed = Dismissal.objects.filter(
        Q(listing_id=OuterRef("need_id"), other_id=OuterRef("offer_id"))
        | Q(listing_id=OuterRef("offer_id"), other_id=OuterRef("need_id"))
    )
    suggested = pairs.count()
    if not suggested:
        return 0, 0, 0
    n_dismissed = pairs.filter(Exists(dismissed)).count()
    acted_pairs = sources.case_listing_pairs()
    n_acted = 0 if acted_pairs is None else pairs.filter(Exists(acted_pairs)).count()
    return suggested, n_dismissed, n_acted


def _funnel(scope: Scope, listings_qs) -> dict:
    kinds = {
        row["kind"]: row["n"]
        for row in listings_qs.order_by().values("kind").annotate(n=Count("pk"))
    }
    cases = [c for c in scope.cases if c.state != "proposed" or c.answered is not None]
    mutual = [c for c in cases if measures.reached_mutual(c)]
    agreed = [c for c in cases if c.state == "agreement"]
    case_closed = {c.id: c.closed for c in scope.cases if c.state == "agreement" and c.closed}
    suggested, _dismissed, _acted = _suggestion_figures(listings_qs)
    return {
        "published_needs": kinds.get(Kind.NEED, 0),
        "published_offers": kinds.get(Kind.OFFER, 0),
        "suggested": suggested,
        "interest": len(cases),
        "mutual": len(mutual),
        "agreement": len(agreed),
        "initiatives": len(scope.initiatives),
        "completed_with_results": sum(1 for i in scope.initiatives if i.completed_with_results),
        "median_days": {
            "interest_to_mutual": measures.median_days(
                (c.created, c.mutual) for c in mutual if c.mutual
            ),
            "mutual_to_agreement": measures.median_days(
                (c.mutual, c.closed) for c in agreed if c.mutual and c.closed
            ),
            "agreement_to_initiative": measures.median_days(
                (case_closed[i.case_id], i.created)
                for i in scope.initiatives
                if i.case_id in case_closed
            ),
            "initiative_to_completed": measures.median_days(
                (i.created, i.completed) for i in scope.initiatives if i.completed
            ),
        },
    }, (suggested, _dismissed, _acted)


def _diversity(scope: Scope, active: set[int]) -> dict:
    regions = Counter(scope.orgs[o].region for o in active if scope.orgs[o].region)
    types = Counter(scope.orgs[o].org_type for o in active)
    themes = Counter()
    for row in Organisation.objects.filter(pk__in=list(active)).values_list("themes", flat=True):
        themes.update(set(row or []))
    themes.update(sources.initiative_theme_counts([i.id for i in scope.initiatives]))
    n_regions = Region.objects.filter(level=Region.Level.REGION).count()
    vocab = Counter(
        VocabularyTerm.objects.filter(active=True).values_list("kind", flat=True).order_by()
    )
    return {
        "regions": measures.shannon_evenness(regions, n_regions),
        "organisation_types": measures.shannon_evenness(
            types, vocab[VocabularyTerm.Kind.ORGANISATION_TYPE]
        ),
        "themes": measures.shannon_evenness(themes, vocab[VocabularyTerm.Kind.THEME]),
    }


def _connectedness(scope: Scope) -> dict:
    collabs = [
        Collaboration("case", c.id, (c.need_org, c.offer_org))
        for c in scope.cases
        if measures.reached_mutual(c) and c.need_org != c.offer_org
    ]
    collabs += [Collaboration("initiative", i.id, i.orgs) for i in scope.initiatives]
    # Organisations outside the breakdown still count as partners: read their regions too.
    known = {o: r.region for o, r in scope.orgs.items()}
    missing = {o for c in collabs for o in c.orgs} - set(known)
    if missing:
        known.update(
            Organisation.objects.filter(pk__in=missing).values_list("pk", "country__region__code")
        )
    result = measures.connectedness(collabs, {k: v or "" for k, v in known.items()})
    names = dict(
        Organisation.objects.approved()
        .filter(pk__in=[r["id"] for r in result["bridging_organisations"]])
        .values_list("pk", "name")
    )
    result["bridging_organisations"] = [
        {**row, "name": names[row["id"]]}
        for row in result["bridging_organisations"]
        if row["id"] in names
    ][:20]
    return result


def compute_metrics(period: Period, breakdown: Breakdown = Breakdown()) -> dict:
    """Every measure of the period, in the shape of GET /api/v1/insights/metrics/."""
    scope = scope_for(period, breakdown)
    org_ids = set(scope.orgs) if _org_filter_applies(breakdown) else None
    listings_qs = published_listings(period, breakdown, org_ids)
    listing_orgs = set(listings_qs.order_by().values_list("organisation_id", flat=True).distinct())
    reach, active = _reach(scope, listing_orgs)
    funnel, (suggested, dismissed, acted) = _funnel(scope, listings_qs)
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "reach": reach,
        "funnel": funnel,
        "responsiveness": measures.responsiveness(scope.cases),
        "diversity": _diversity(scope, active),
        "connectedness": _connectedness(scope),
        "modality_share": measures.modality_share(scope.initiatives),
        "ppp_share": measures.ppp_share(scope.initiatives),
        "ldc_beneficiary_share": measures.ldc_beneficiary_share(scope.initiatives),
        "satisfaction": measures.satisfaction(
            [c for c in scope.cases if c.closed is None or period.contains(c.closed)]
        ),
        "suggestions": {
            "dismissed_share": measures.share(dismissed, suggested),
            "acted_share": measures.share(acted, suggested),
        },
    }


_VERSION_MEMO: dict[str, tuple[float, str]] = {}
VERSION_MEMO_SECONDS = 5.0


def data_version() -> str:
    """Changes whenever a record behind the measures changes (cheap aggregates). Remembered
    for a few seconds in the process, so that one page asking for several periods reads it
    once; a change shows on the dashboards within that delay."""
    import time as _time

    now = _time.monotonic()
    memo = _VERSION_MEMO.get("v")
    if memo and now - memo[0] < VERSION_MEMO_SECONDS:
        return memo[1]
    value = _data_version()
    _VERSION_MEMO["v"] = (now, value)
    return value


def _data_version() -> str:
    parts = [
        Listing.objects.aggregate(m=Max("updated_at"))["m"],
        Organisation.objects.aggregate(m=Max("updated_at"))["m"],
        Country.objects.filter(ldc=True).count(),
        Dismissal.objects.aggregate(m=Max("id"))["m"],
        Suggestion.objects.aggregate(m=Max("computed_at"))["m"],
        *sources.data_version_parts(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def measure_store():
    """Where computed measures are kept: files under MEDIA_ROOT/insights/measures, shared by
    the web processes and the worker (whose periodic job prepares the default selections)."""
    from pathlib import Path

    from django.conf import settings
    from django.core.cache.backends.filebased import FileBasedCache

    location = str(Path(settings.MEDIA_ROOT) / "insights" / "measures")
    store = _STORES.get(location)
    if store is None:
        store = FileBasedCache(location, {"TIMEOUT": CACHE_SECONDS, "MAX_ENTRIES": 5000})
        _STORES[location] = store
    return store


_STORES: dict = {}


def clear_measure_cache() -> None:
    cache.clear()
    measure_store().clear()


def _metrics_key(period: Period, breakdown: Breakdown) -> str:
    payload = [period.start.isoformat(), period.end.isoformat(), asdict(breakdown), data_version()]
    return "insights:metrics:" + hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def metrics_for(period: Period, breakdown: Breakdown = Breakdown()) -> dict:
    """`compute_metrics`, cached until a record behind it changes: in the process's cache,
    then in the shared store, computed only when neither has it."""
    key = _metrics_key(period, breakdown)
    result = cache.get(key)
    if result is None:
        store = measure_store()
        result = store.get(key)
        if result is None:
            result = compute_metrics(period, breakdown)
            store.set(key, result)
        cache.set(key, result, CACHE_SECONDS)
    return result


def default_selections() -> list[Breakdown]:
    """No breakdown, and each single breakdown value: what the periodic job prepares."""
    selections = [Breakdown()]
    for name, values in breakdown_choices().items():
        selections += [Breakdown(**{name: code}) for code, _label in values]
    return selections


def change(current: float | int | None, previous: float | int | None) -> float | None:
    """Relative change from the previous period (0.25 = +25 %); None when not comparable."""
    if current is None or previous in (None, 0):
        return None
    return round((current - previous) / previous, 4)


def key_figures(current: dict, previous: dict) -> list[dict]:
    """The headline figures of a period next to the previous period's, for dashboards and the
    report."""
    rows = [
        ("active_organisations", _("Active organisations"), ("reach", "active_organisations")),
        ("countries", _("Countries"), ("reach", "countries")),
        ("ldcs", _("Least developed countries"), ("reach", "ldcs")),
        ("new_organisations", _("New member organisations"), ("reach", "new_organisations")),
        ("published_needs", _("Needs published"), ("funnel", "published_needs")),
        ("published_offers", _("Offers published"), ("funnel", "published_offers")),
        ("interest", _("Expressions of interest"), ("funnel", "interest")),
        ("agreement", _("Agreements"), ("funnel", "agreement")),
        ("initiatives", _("Initiatives"), ("funnel", "initiatives")),
    ]
    out = []
    for key, label, (group, name) in rows:
        now, before = current[group][name], previous[group][name]
        out.append(
            {
                "key": key,
                "label": label,
                "value": now,
                "previous": before,
                "change": change(now, before),
            }
        )
    return out


def with_breakdown(breakdown: Breakdown, **changes) -> Breakdown:
    return replace(breakdown, **changes)


def modality_labels() -> dict[str, str]:
    """Modality slugs → short labels in the active language (cooperation's modality choices,
    else the modality vocabulary)."""
    labels = {
        # "South-South: all partners are developing countries" → "South-South"
        t.slug: re.split(r"\s*[:：]", t.display_label, maxsplit=1)[0]
        for t in VocabularyTerm.objects.filter(kind=VocabularyTerm.Kind.MODALITY)
    }
    modality = sources._model("cooperation", "Modality")
    if modality is not None:
        from django.utils import translation

        for value, label in modality.choices:
            with translation.override("en"):
                english = str(label)
            # Use it once translated (or in English); the vocabulary's label otherwise.
            if str(label) != english or (translation.get_language() or "en").startswith("en"):
                labels[value] = str(label)
    return {m: labels.get(m, m) for m in measures.MODALITIES}


# --- Drill-down (facilitators) ---------------------------------------------------------------

DRILL_FIGURES = (
    "active_organisations",
    "new_organisations",
    "published_needs",
    "published_offers",
    "interest",
    "mutual",
    "agreement",
    "unanswered",
    "initiatives",
    "bridging_organisations",
)


def drill_down(period: Period, breakdown: Breakdown, figure: str) -> dict:
    """The records behind one figure of the facilitator dashboard: {"kind", "rows"}.

    kind is "organisations", "listings", "cases" or "initiatives"; rows are plain dicts."""
    if figure not in DRILL_FIGURES:
        raise ValueError(figure)
    scope = scope_for(period, breakdown)
    org_ids = set(scope.orgs) if _org_filter_applies(breakdown) else None
    listings_qs = published_listings(period, breakdown, org_ids)
    if figure in ("published_needs", "published_offers"):
        kind = Kind.NEED if figure == "published_needs" else Kind.OFFER
        rows = list(
            listings_qs.filter(kind=kind)
            .order_by("-published_at", "-id")
            .values("id", "kind", "title", "organisation__name", "published_at")[:500]
        )
        return {"kind": "listings", "rows": rows}
    if figure in ("active_organisations", "new_organisations", "bridging_organisations"):
        if figure == "active_organisations":
            listing_orgs = set(
                listings_qs.order_by().values_list("organisation_id", flat=True).distinct()
            )
            _figures, ids = _reach(scope, listing_orgs)
        elif figure == "new_organisations":
            first, after = period.bounds()
            ids = set(
                Organisation.objects.approved()
                .filter(pk__in=list(scope.orgs), approved_at__gte=first, approved_at__lt=after)
                .values_list("pk", flat=True)
            )
        else:
            ids = {r["id"] for r in _connectedness(scope)["bridging_organisations"]}
        rows = list(
            Organisation.objects.approved()
            .filter(pk__in=ids)
            .order_by("name", "pk")
            .values("id", "name", "org_type", "country__iso2", "approved_at")
        )
        return {"kind": "organisations", "rows": rows}
    if figure == "initiatives":
        return {"kind": "initiatives", "rows": sources.initiative_rows(scope.initiatives)}
    cases = [c for c in scope.cases if c.state != "proposed" or c.answered is not None]
    if figure == "mutual":
        cases = [c for c in cases if measures.reached_mutual(c)]
    elif figure == "agreement":
        cases = [c for c in cases if c.state == "agreement"]
    elif figure == "unanswered":
        cases = [
            c
            for c in cases
            if c.awaits_answer and c.answered is None and c.state in ("interest", "lapsed")
        ]
    return {"kind": "cases", "rows": sources.case_rows(cases)}
