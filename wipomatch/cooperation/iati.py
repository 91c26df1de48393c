"""Published initiatives as an IATI 2.03 activity file (the mapping is in docs/iati.md).

Codes come from the IATI codelists shipped in reference/data/iati/codelists; the file validates
against the official schema in reference/data/iati/schema (`validate`).
"""

from functools import lru_cache

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from lxml import etree

from .codelists import SCHEMA_DIR
from .models import Indicator, IndicatorActual, Initiative, Party, ProgressReport, Result

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Platform role → IATI OrganisationRole (1 Funding, 2 Accountable, 3 Extending, 4 Implementing).
ROLE_CODES = {
    "funder": "1",
    "beneficiary": "2",
    "facilitator": "3",
    "provider": "4",
    "implementing_partner": "4",
}
# Platform organisation type → IATI OrganisationType (the codes of taxonomy.json).
ORGANISATION_TYPE_CODES = {
    "ip-office": "10",
    "government": "10",
    "public-body": "15",
    "academia": "80",
    "business": "70",
    "industry-association": "22",
    "innovation-hub": "80",
    "ngo": "21",
    "foundation": "60",
    "igo": "40",
    "ppp": "30",
    "other": "90",
}
# Modality → IATI CollaborationType (IATI has no South-South code; 8 is triangular co-operation).
COLLABORATION_TYPES = {"south-south": "1", "north-south": "1", "triangular": "8"}
MULTILATERAL_OUTFLOWS = "4"
TAG_VOCABULARY_SDG_GOALS = "2"
TAG_VOCABULARY_SDG_TARGETS = "3"
REGION_VOCABULARY_UN = "2"
DESCRIPTION_GENERAL = "1"
DATE_TYPES = {"planned_start": "1", "actual_start": "2", "planned_end": "3", "actual_end": "4"}
INDICATOR_MEASURE_UNIT = "1"
INDICATOR_MEASURE_PERCENTAGE = "2"
ISO_LANGUAGES = {"ar", "zh", "en", "fr", "ru", "es"}


def reporting_org_ref() -> str:
    return getattr(settings, "IATI_REPORTING_ORG_REF", "XI-IATI-WIPOMATCH")


def iati_identifier(initiative: Initiative) -> str:
    return f"{reporting_org_ref()}-{initiative.pk}"


def export_queryset():
    accepted = ProgressReport.State.ACCEPTED
    return (
        Initiative.objects.public()
        .order_by("pk")
        .prefetch_related(
            "sdg_goals",
            "sdg_targets",
            "countries",
            "regions",
            Prefetch("parties", queryset=Party.objects.select_related("organisation", "country")),
            Prefetch(
                "results",
                queryset=Result.objects.prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=Indicator.objects.prefetch_related(
                            Prefetch(
                                "actuals",
                                queryset=IndicatorActual.objects.filter(
                                    report__state=accepted
                                ).select_related("report"),
                            )
                        ),
                    )
                ),
            ),
        )
    )


def _narrative(parent, tag: str, text: str, lang: str | None = None, **attrs):
    element = etree.SubElement(parent, tag, **attrs)
    narrative = etree.SubElement(element, "narrative")
    narrative.text = text
    if lang:
        narrative.set(XML_LANG, lang)
    return element


def _number(value) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def _activity(root, initiative: Initiative, now) -> None:
    lang = initiative.language if initiative.language in ISO_LANGUAGES else "en"
    activity = etree.SubElement(
        root,
        "iati-activity",
        {"last-updated-datetime": initiative.updated_at.isoformat(timespec="seconds")},
    )
    activity.set(XML_LANG, lang)
    if initiative.budget is not None and initiative.budget_currency:
        activity.set("default-currency", initiative.budget_currency)
    etree.SubElement(activity, "iati-identifier").text = iati_identifier(initiative)
    _narrative(
        activity,
        "reporting-org",
        getattr(settings, "SITE_NAME", "WIPO Match"),
        ref=reporting_org_ref(),
        type="40",
    )
    _narrative(activity, "title", initiative.title)
    text = initiative.summary
    if initiative.description:
        text = f"{initiative.summary}\n\n{initiative.description}"
    _narrative(activity, "description", text, type=DESCRIPTION_GENERAL)
    parties = list(initiative.parties.all())
    for party in parties:
        _narrative(
            activity,
            "participating-org",
            party.display_name,
            role=ROLE_CODES[party.role],
            type=ORGANISATION_TYPE_CODES.get(party.organisation_type, "90"),
        )
    if not parties:  # the schema wants at least one; the platform itself then reports
        _narrative(
            activity,
            "participating-org",
            getattr(settings, "SITE_NAME", "WIPO Match"),
            role="3",
            type="40",
        )
    etree.SubElement(activity, "activity-status", code=initiative.status)
    dates = 0
    for name, code in DATE_TYPES.items():
        value = getattr(initiative, name)
        if value:
            etree.SubElement(
                activity, "activity-date", type=code, **{"iso-date": value.isoformat()}
            )
            dates += 1
    if not dates:
        day = (initiative.published_at or initiative.created_at).date()
        etree.SubElement(activity, "activity-date", type="1", **{"iso-date": day.isoformat()})
    for country in initiative.countries.all():
        etree.SubElement(activity, "recipient-country", code=country.iso2)
    for region in initiative.regions.all():
        etree.SubElement(
            activity, "recipient-region", code=region.code, vocabulary=REGION_VOCABULARY_UN
        )
    for goal in initiative.sdg_goals.all():
        etree.SubElement(
            activity, "tag", code=str(goal.number), vocabulary=TAG_VOCABULARY_SDG_GOALS
        )
    for target in initiative.sdg_targets.all():
        etree.SubElement(activity, "tag", code=target.code, vocabulary=TAG_VOCABULARY_SDG_TARGETS)
    collaboration = COLLABORATION_TYPES.get(initiative.modality)
    if initiative.modality == "north-south" and not any(
        p.country_id for p in parties if p.role in ("provider", "funder")
    ):
        collaboration = MULTILATERAL_OUTFLOWS
    if collaboration:
        etree.SubElement(activity, "collaboration-type", code=collaboration)
    _budget(activity, initiative)
    for result in initiative.results.all():
        _result(activity, result, initiative)


def _budget(activity, initiative: Initiative) -> None:
    if initiative.budget is None or not initiative.budget_currency:
        return
    start = initiative.actual_start or initiative.planned_start
    end = initiative.actual_end or initiative.planned_end
    if not (start and end):
        return
    budget = etree.SubElement(activity, "budget", type="1", status="1")
    etree.SubElement(budget, "period-start", **{"iso-date": start.isoformat()})
    etree.SubElement(budget, "period-end", **{"iso-date": end.isoformat()})
    value = etree.SubElement(
        budget,
        "value",
        currency=initiative.budget_currency,
        **{"value-date": start.isoformat()},
    )
    value.text = _number(initiative.budget)


def _result(activity, result: Result, initiative: Initiative) -> None:
    indicators = list(result.indicators.all())
    if not indicators:  # a result needs at least one indicator in IATI
        return
    element = etree.SubElement(activity, "result", type=result.result_type)
    _narrative(element, "title", result.title)
    for indicator in indicators:
        measure = INDICATOR_MEASURE_PERCENTAGE if "%" in indicator.unit else INDICATOR_MEASURE_UNIT
        ind = etree.SubElement(element, "indicator", measure=measure)
        _narrative(ind, "title", f"{indicator.title} ({indicator.unit})")
        if indicator.baseline_year:
            attrs = {"year": str(indicator.baseline_year)}
            if indicator.baseline_value is not None:
                attrs["value"] = _number(indicator.baseline_value)
            etree.SubElement(ind, "baseline", **attrs)
        actuals = sorted(indicator.actuals.all(), key=lambda a: a.report.period_start)
        for actual in actuals:
            period = etree.SubElement(ind, "period")
            etree.SubElement(
                period, "period-start", **{"iso-date": actual.report.period_start.isoformat()}
            )
            etree.SubElement(
                period, "period-end", **{"iso-date": actual.report.period_end.isoformat()}
            )
            if indicator.target_value is not None:
                etree.SubElement(period, "target", value=_number(indicator.target_value))
            etree.SubElement(period, "actual", value=_number(actual.value))
        if not actuals and indicator.target_value is not None and indicator.target_date:
            start = initiative.actual_start or initiative.planned_start or indicator.target_date
            start = min(start, indicator.target_date)
            period = etree.SubElement(ind, "period")
            etree.SubElement(period, "period-start", **{"iso-date": start.isoformat()})
            etree.SubElement(
                period, "period-end", **{"iso-date": indicator.target_date.isoformat()}
            )
            etree.SubElement(period, "target", value=_number(indicator.target_value))


def build_activities(initiatives=None) -> etree._Element:
    """The <iati-activities> tree of the given (default: all published) initiatives."""
    now = timezone.now()
    root = etree.Element(
        "iati-activities",
        {"version": IATI_VERSION, "generated-datetime": now.isoformat(timespec="seconds")},
    )
    for initiative in initiatives if initiatives is not None else export_queryset():
        _activity(root, initiative, now)
    return root


def activities_xml(initiatives=None) -> bytes:
    return etree.tostring(
        build_activities(initiatives), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))  # noqa: S320


def validate(document: bytes) -> list[str]:
    """Schema errors of an activity file (empty when valid)."""
    xsd = schema()
    tree = etree.fromstring(document)  # noqa: S320 (our own output)
    if xsd.validate(tree):
        return []
    return [f"{e.line}: {e.message}" for e in xsd.error_log]
