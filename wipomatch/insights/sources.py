"""Where the measures read cases (brokering), initiatives (cooperation) and stories from.

Each function turns the other app's records into the plain records of `measures.py`; insights
never writes to those apps. An app without models yields nothing, and the measures that depend
on it are empty (None or 0).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, time
from importlib import import_module

from django.db.models import Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from wipomatch.stories.selectors import stories_published_between

from .measures import CaseRecord, InitiativeRecord


def _model(app: str, name: str):
    try:
        return getattr(import_module(f"wipomatch.{app}.models"), name)
    except (ImportError, AttributeError):
        return None


def match_case_model():
    return _model("brokering", "MatchCase")


def initiative_model():
    return _model("cooperation", "Initiative")


# --- Cases -----------------------------------------------------------------------------------


def _term_filter(prefix: str, vocab_kind: str, slug: str) -> Q:
    from wipomatch.listings.models import ListingTerm

    listings = ListingTerm.objects.filter(term__kind=vocab_kind, term__slug=slug).values("listing")
    return Q(**{f"{prefix}need_id__in": listings}) | Q(**{f"{prefix}offer_id__in": listings})


def case_queryset(period, breakdown):
    """Match cases (need ↔ offer) opened within the period, narrowed by theme and modality of
    their need or offer."""
    MatchCase = match_case_model()
    if MatchCase is None:
        return None
    from wipomatch.reference.models import VocabularyTerm

    first, after = period.bounds()
    qs = MatchCase.objects.filter(kind="match", created_at__gte=first, created_at__lt=after)
    if breakdown.theme:
        qs = qs.filter(_term_filter("", VocabularyTerm.Kind.THEME, breakdown.theme))
    if breakdown.modality:
        qs = qs.filter(_term_filter("", VocabularyTerm.Kind.MODALITY, breakdown.modality))
    return qs


def case_records(period, breakdown) -> list[CaseRecord]:
    qs = case_queryset(period, breakdown)
    if qs is None:
        return []
    rows = list(
        qs.values_list(
            "id",
            "need__organisation_id",
            "offer__organisation_id",
            "created_at",
            "state",
            "answered_at",
            "mutual_at",
            "closed_at",
            "initiated_by",
        )
    )
    ratings: dict[int, list[int]] = defaultdict(list)
    CaseRating = _model("brokering", "CaseRating")
    if CaseRating is not None and rows:
        for case_id, score in CaseRating.objects.filter(case__in=qs).values_list(
            "case_id", "score"
        ):
            ratings[case_id].append(score)
    return [
        CaseRecord(
            id=pk,
            need_org=need_org,
            offer_org=offer_org,
            created=created,
            state=state,
            answered=answered,
            mutual=mutual,
            closed=closed,
            ratings=tuple(ratings.get(pk, ())),
            awaits_answer=initiated_by != "facilitator",
        )
        for pk, need_org, offer_org, created, state, answered, mutual, closed, initiated_by in rows
    ]


def case_listing_pairs():
    """Cases for the need and offer of an outer `Suggestion` (for Exists); None without cases."""
    MatchCase = match_case_model()
    if MatchCase is None:
        return None
    return MatchCase.objects.filter(
        kind="match", need_id=OuterRef("need_id"), offer_id=OuterRef("offer_id")
    )


def case_rows(cases: list[CaseRecord]) -> list[dict]:
    """Cases for the facilitator drill-down: organisations, stage, dates, link to the case."""
    MatchCase = match_case_model()
    if MatchCase is None or not cases:
        return []
    qs = (
        MatchCase.objects.filter(pk__in=[c.id for c in cases])
        .select_related("need__organisation", "offer__organisation")
        .order_by("-created_at", "-id")
    )
    return [
        {
            "id": case.pk,
            "url": reverse("brokering:case_detail", args=[case.pk]),
            "need_organisation": case.need.organisation.name,
            "offer_organisation": case.offer.organisation.name,
            "state": case.state,
            "state_label": case.get_state_display(),
            "created": case.created_at,
        }
        for case in qs[:500]
    ]


# --- Initiatives -----------------------------------------------------------------------------

COMPLETED_STATUSES = ("3", "4")  # IATI ActivityStatus: finalisation, closed


def _case_field(Initiative) -> str | None:
    """The name of the initiative's link to the case it came from, if cooperation has one."""
    MatchCase = match_case_model()
    for f in Initiative._meta.get_fields():
        forward = getattr(f, "many_to_one", False) or (
            getattr(f, "one_to_one", False) and getattr(f, "concrete", False)
        )
        if forward and f.related_model is MatchCase:
            return f.name
    return None


def initiative_queryset(period, breakdown):
    """Published initiatives created within the period, narrowed by theme and modality."""
    Initiative = initiative_model()
    if Initiative is None:
        return None
    first, after = period.bounds()
    qs = Initiative.objects.public().filter(created_at__gte=first, created_at__lt=after)
    if breakdown.theme:
        qs = qs.filter(themes__slug=breakdown.theme)
    if breakdown.modality:
        qs = qs.filter(modality=breakdown.modality)
    return qs


def _places(countries) -> tuple[set[str], set[str]]:
    """M49 codes of every grouping of the countries, and their groups (ldc, lldc, sids)."""
    regions: set[str] = set()
    groups: set[str] = set()
    for c in countries:
        regions.update(code for code in c[1:4] if code)
        groups.update(
            name for name, flag in zip(("ldc", "lldc", "sids"), c[4:7], strict=True) if flag
        )
    return regions, groups


def initiative_records(period, breakdown) -> list[InitiativeRecord]:
    qs = initiative_queryset(period, breakdown)
    if qs is None:
        return []
    from wipomatch.cooperation.models import IndicatorActual, Party

    case_field = _case_field(qs.model)
    fields = ["id", "created_at", "modality", "ppp", "status", "actual_end"]
    if case_field:
        fields.append(f"{case_field}_id")
    rows = list(qs.values_list(*fields))
    ids = [r[0] for r in rows]
    place_fields = (
        "country__iso2",
        "country__region__code",
        "country__subregion__code",
        "country__intermediate_region__code",
        "country__ldc",
        "country__lldc",
        "country__sids",
    )
    parties: dict[int, list] = defaultdict(list)
    for row in Party.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "organisation_id", "role", "organisation_type", *place_fields
    ):
        parties[row[0]].append(row)
    benefiting: dict[int, list] = defaultdict(list)
    through = qs.model.countries.through
    for row in through.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", *place_fields
    ):
        benefiting[row[0]].append(row[1:])
    benefiting_regions: dict[int, set[str]] = defaultdict(set)
    for initiative_id, code in qs.model.regions.through.objects.filter(
        initiative_id__in=ids
    ).values_list("initiative_id", "region__code"):
        benefiting_regions[initiative_id].add(code)
    with_results = set(
        IndicatorActual.objects.filter(
            report__initiative_id__in=ids, report__state="accepted"
        ).values_list("report__initiative_id", flat=True)
    )
    tz = timezone.get_default_timezone()
    records = []
    for row in rows:
        pk, created, modality, ppp, status, actual_end = row[:6]
        case_id = row[6] if case_field else None
        mine = parties.get(pk, [])
        counted = [p for p in mine if p[2] != "facilitator"]
        places = [p[4:] for p in counted] + list(benefiting.get(pk, []))
        regions, groups = _places(places)
        regions |= benefiting_regions.get(pk, set())
        ldc_beneficiary = any(p[2] == "beneficiary" and p[8] for p in counted) or any(
            b[4] for b in benefiting.get(pk, [])
        )
        completed = status in COMPLETED_STATUSES
        records.append(
            InitiativeRecord(
                id=pk,
                created=created,
                modality=modality,
                ppp=ppp,
                orgs=tuple(sorted({p[1] for p in counted if p[1]})),
                ldc_beneficiary=ldc_beneficiary,
                completed_with_results=completed and pk in with_results,
                case_id=case_id,
                completed=(
                    datetime.combine(actual_end, time.min, tzinfo=tz)
                    if completed and actual_end
                    else None
                ),
                regions=frozenset(regions),
                groups=frozenset(groups),
                org_types=frozenset(p[3] for p in counted if p[3]),
            )
        )
    return records


def initiative_theme_counts(initiative_ids: list[int]) -> Counter:
    Initiative = initiative_model()
    if Initiative is None or not initiative_ids:
        return Counter()
    through = Initiative.themes.through
    return Counter(
        through.objects.filter(initiative_id__in=initiative_ids).values_list(
            "vocabularyterm__slug", flat=True
        )
    )


def initiative_breakdowns(initiatives: list[InitiativeRecord]) -> dict[str, list[tuple[str, int]]]:
    """Initiatives counted by modality (slug), theme and M49 region (labels), most first."""

    def ranked(counter: Counter) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))

    from wipomatch.reference.models import Region, VocabularyTerm

    themes = initiative_theme_counts([i.id for i in initiatives])
    theme_labels = {
        t.slug: t.display_label
        for t in VocabularyTerm.objects.filter(kind=VocabularyTerm.Kind.THEME)
    }
    top_regions = {r.code: r.name for r in Region.objects.filter(level=Region.Level.REGION)}
    regions = Counter(
        top_regions[code] for i in initiatives for code in i.regions if code in top_regions
    )
    return {
        "modality": ranked(Counter(i.modality for i in initiatives)),
        "theme": ranked(Counter({theme_labels.get(k, k): v for k, v in themes.items()})),
        "region": ranked(regions),
    }


def initiative_rows(initiatives: list[InitiativeRecord]) -> list[dict]:
    Initiative = initiative_model()
    if Initiative is None or not initiatives:
        return []
    qs = Initiative.objects.filter(pk__in=[i.id for i in initiatives]).order_by("-created_at")
    return [
        {
            "id": item.pk,
            "url": reverse("cooperation:detail", args=[item.pk]),
            "title": item.title,
            "modality": item.modality,
            "modality_label": item.get_modality_display(),
            "created": item.created_at,
        }
        for item in qs[:500]
    ]


# --- Stories ---------------------------------------------------------------------------------


def selected_stories(period, *, limit: int = 6) -> list[dict]:
    """Published stories of the period for the report (one per story, in the active language
    when it has that version): title, summary, language."""
    first, after = period.bounds()
    return [
        {"title": story.title, "summary": story.summary, "language": story.language}
        for story in stories_published_between(first, after, limit=limit)
    ]


def data_version_parts() -> list:
    parts: list = []
    for app, name, field in (
        ("brokering", "MatchCase", "updated_at"),
        ("brokering", "CaseRating", "updated_at"),
        ("cooperation", "Initiative", "updated_at"),
        ("cooperation", "Party", "id"),
        ("cooperation", "ProgressReport", "updated_at"),
    ):
        model = _model(app, name)
        if model is not None:
            parts.append(model.objects.aggregate(m=Max(field))["m"])
            if name == "Party":
                parts.append(model.objects.count())
    return parts
