"""Writes for cooperation initiatives: creation, parties, the review lifecycle, the modality and
its override, results, progress reports and the reporting cycle.

draft → submitted → published (a facilitator checks it) or changes requested → submitted …
Every change of state is audited with structured data; people are e-mailed after commit.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wipomatch.core.audit import audit_record
from wipomatch.core.mail import email_after_commit
from wipomatch.core.permissions import is_facilitator, require_facilitator
from wipomatch.core.text import clean_plain_text
from wipomatch.members.models import Membership, Organisation
from wipomatch.members.permissions import STANDING_REFUSAL, membership_of
from wipomatch.members.selectors import facilitator_contacts
from wipomatch.reference.models import (
    Country,
    Region,
    SdgGoal,
    SdgTarget,
    VocabularyTerm,
)

from . import permissions as perms
from .codelists import currency_codes
from .modality import ModalityResult, PartyInput, derive_modality
from .models import (
    CADENCE_MONTHS,
    REPORTING_STATUSES,
    ActivityStatus,
    Cadence,
    Indicator,
    IndicatorActual,
    Initiative,
    Modality,
    OrganisationType,
    Party,
    ProgressReport,
    Result,
    ReviewStatus,
    Role,
)

# ---------------------------------------------------------------------------------------------
# Modality


def party_inputs(parties) -> list[PartyInput]:
    """Parties as the pure rule sees them (country, Global South flag, type, role)."""
    return [
        PartyInput(
            role=p.role,
            organisation_type=p.organisation_type,
            country=p.country.iso2 if p.country_id else None,
            southern=bool(p.country_id and p.country.global_south),
            name=p.display_name,
        )
        for p in parties
    ]


def initiative_recompute_modality(*, initiative: Initiative, actor=None, cause: str = "") -> bool:
    """Derive the modality and the public-private flag from the stored parties; store and audit
    them when they change. Returns True when something changed."""
    parties = list(
        Party.objects.filter(initiative=initiative).select_related("country", "organisation")
    )
    result = derive_modality(party_inputs(parties))
    reason = result.reason.as_dict()
    before = (initiative.modality_derived, initiative.ppp, initiative.modality)
    initiative.modality_derived = result.modality
    initiative.ppp = result.ppp
    initiative.modality_reason = reason
    initiative.modality = initiative.modality_override or result.modality
    after = (initiative.modality_derived, initiative.ppp, initiative.modality)
    Initiative.objects.filter(pk=initiative.pk).update(
        modality_derived=initiative.modality_derived,
        ppp=initiative.ppp,
        modality_reason=reason,
        modality=initiative.modality,
        updated_at=timezone.now(),
    )
    if before == after:
        return False
    audit_record(
        target=initiative,
        actor=actor,
        action="modality_derived",
        from_state=before[0],
        to_state=after[0],
        data={
            "derived": after[0],
            "previous_derived": before[0],
            "ppp": after[1],
            "previous_ppp": before[1],
            "effective": after[2],
            "cause": cause,
            "reason": reason,
        },
    )
    return True


def initiatives_recompute_for_country(*, country: Country, actor=None) -> int:
    """The Global South grouping of `country` changed: recompute every initiative with a party
    there. Returns the number of initiatives whose modality or flag changed."""
    changed = 0
    ids = Party.objects.filter(country=country).values_list("initiative_id", flat=True).distinct()
    for initiative in Initiative.objects.filter(pk__in=list(ids)):
        if initiative_recompute_modality(
            initiative=initiative, actor=actor, cause="global_south_changed"
        ):
            changed += 1
    return changed


@transaction.atomic
def initiative_override_modality(
    *, actor, initiative: Initiative, modality: str, reason: str
) -> Initiative:
    """A facilitator sets the modality by hand, with a reason; an empty modality removes the
    override (the derived modality applies again)."""
    require_facilitator(actor)
    if perms.OVERRIDE_MODALITY not in perms.initiative_allowed_actions(actor, initiative):
        raise PermissionDenied
    reason = clean_plain_text(reason or "")
    if modality and modality not in Modality.values:
        raise ValidationError({"modality": _("Choose a modality from the list.")})
    if modality and not reason:
        raise ValidationError({"reason": _("Say why the derived modality does not apply.")})
    previous = initiative.modality
    previous_override = initiative.modality_override
    initiative.modality_override = modality or ""
    initiative.modality_override_reason = reason if modality else ""
    initiative.modality = modality or initiative.modality_derived
    initiative.save(
        update_fields=["modality_override", "modality_override_reason", "modality", "updated_at"]
    )
    audit_record(
        target=initiative,
        actor=actor,
        action="modality_overridden" if modality else "modality_override_removed",
        from_state=previous,
        to_state=initiative.modality,
        reason=reason,
        data={
            "override": initiative.modality_override,
            "previous_override": previous_override,
            "derived": initiative.modality_derived,
        },
    )
    return initiative


# ---------------------------------------------------------------------------------------------
# Content


@dataclass
class PartyData:
    role: str
    organisation_type: str = ""
    organisation: int | None = None  # a member organisation's id, or None for an external one
    name: str = ""
    country: str | None = None  # ISO alpha-2; None for an intergovernmental organisation


@dataclass
class IndicatorData:
    title: str
    unit: str
    baseline_value: Decimal | None = None
    baseline_year: int | None = None
    target_value: Decimal | None = None
    target_date: date | None = None


@dataclass
class ResultData:
    result_type: str
    title: str
    indicators: list[IndicatorData] = field(default_factory=list)


@dataclass
class InitiativeData:
    title: str
    summary: str
    description: str = ""
    language: str = "en"
    status: str = ActivityStatus.PIPELINE
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    themes: list[str] = field(default_factory=list)
    ip_areas: list[str] = field(default_factory=list)
    sdg_goals: list[int] = field(default_factory=list)
    sdg_targets: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    budget: Decimal | None = None
    budget_currency: str = ""
    budget_funder: str = ""
    reporting_cadence: str = Cadence.SIX_MONTHLY


def _resolve(model, field_name: str, values, *, error_field: str, message: str, **extra):
    values = list(dict.fromkeys(values))
    if not values:
        return []
    found = {
        getattr(o, field_name): o
        for o in model.objects.filter(**{f"{field_name}__in": values}, **extra)
    }
    missing = [str(v) for v in values if v not in found]
    if missing:
        raise ValidationError({error_field: message % {"values": ", ".join(missing)}})
    return [found[v] for v in values]


def _clean_content(data: InitiativeData) -> dict:
    errors: dict[str, list[str]] = {}
    title = clean_plain_text(data.title or "")
    summary = clean_plain_text(data.summary or "")
    if not title:
        errors.setdefault("title", []).append(_("Give the initiative a title."))
    if not summary:
        errors.setdefault("summary", []).append(_("Summarise the initiative in a sentence or two."))
    currency = (data.budget_currency or "").strip().upper()
    budget = data.budget
    if budget is not None and not isinstance(budget, Decimal):
        try:
            budget = Decimal(str(budget).strip())
        except ArithmeticError:
            errors.setdefault("budget", []).append(_("The budget must be a number."))
            budget = None
    if budget is not None and not budget.is_finite():
        errors.setdefault("budget", []).append(_("The budget must be a number."))
        budget = None
    if budget is not None:
        if budget < 0:
            errors.setdefault("budget", []).append(_("The budget cannot be negative."))
        if not currency:
            errors.setdefault("budget_currency", []).append(
                _("Give the currency of the budget (ISO 4217, e.g. USD).")
            )
    if currency and currency not in currency_codes():
        errors.setdefault("budget_currency", []).append(
            _("“%(value)s” is not an ISO 4217 currency code.") % {"value": currency[:8]}
        )
    for start, end, name in (
        (data.planned_start, data.planned_end, "planned_end"),
        (data.actual_start, data.actual_end, "actual_end"),
    ):
        if start and end and end < start:
            errors.setdefault(name, []).append(_("The end cannot be before the start."))
    if errors:
        raise ValidationError(errors)
    resolved = {
        "themes": _resolve(
            VocabularyTerm,
            "slug",
            data.themes,
            error_field="themes",
            message=_("Unknown thematic area: %(values)s."),
            kind=VocabularyTerm.Kind.THEME,
        ),
        "ip_areas": _resolve(
            VocabularyTerm,
            "slug",
            data.ip_areas,
            error_field="ip_areas",
            message=_("Unknown IP area: %(values)s."),
            kind=VocabularyTerm.Kind.IP_AREA,
        ),
        "sdg_goals": _resolve(
            SdgGoal,
            "number",
            [int(g) for g in data.sdg_goals],
            error_field="sdg_goals",
            message=_("Unknown SDG goal: %(values)s."),
        ),
        "sdg_targets": _resolve(
            SdgTarget,
            "code",
            data.sdg_targets,
            error_field="sdg_targets",
            message=_("Unknown SDG target: %(values)s."),
        ),
        "countries": _resolve(
            Country,
            "iso2",
            [c.upper() for c in data.countries],
            error_field="countries",
            message=_("Unknown country code: %(values)s."),
        ),
        "regions": _resolve(
            Region,
            "code",
            data.regions,
            error_field="regions",
            message=_("Unknown region code: %(values)s."),
        ),
    }
    values = {
        "title": title[:200],
        "summary": summary[:500],
        "description": (data.description or "").strip()[:10000],
        "language": data.language,
        "status": data.status,
        "planned_start": data.planned_start,
        "planned_end": data.planned_end,
        "actual_start": data.actual_start,
        "actual_end": data.actual_end,
        "budget": budget,
        "budget_currency": currency,
        "budget_funder": clean_plain_text(data.budget_funder or "")[:200],
        "reporting_cadence": data.reporting_cadence,
    }
    return {"values": values, "relations": resolved}


def _clean_parties(parties: list[PartyData]) -> list[dict]:
    cleaned = []
    errors = []
    for index, p in enumerate(parties, start=1):
        if p.role not in Role.values:
            errors.append(
                _("Party %(n)s: unknown role “%(value)s”.")
                % {"n": index, "value": str(p.role)[:40]}
            )
            continue
        if p.organisation:
            org = Organisation.objects.filter(pk=p.organisation).select_related("country").first()
            if org is None or not org.is_approved:
                errors.append(
                    _("Party %(n)s: choose an approved member organisation.") % {"n": index}
                )
                continue
            org_type = (
                org.org_type if org.org_type in OrganisationType.values else OrganisationType.OTHER
            )
            cleaned.append(
                {
                    "organisation": org,
                    "name": "",
                    "country": org.country,
                    "organisation_type": p.organisation_type or org_type,
                    "role": p.role,
                }
            )
            continue
        name = clean_plain_text(p.name or "")[:200]
        if not name:
            errors.append(
                _("Party %(n)s: choose a member organisation or give a name.") % {"n": index}
            )
            continue
        if p.organisation_type not in OrganisationType.values:
            errors.append(
                _("Party %(n)s: unknown organisation type “%(value)s”.")
                % {"n": index, "value": str(p.organisation_type)[:40]}
            )
            continue
        country = None
        if p.country:
            country = Country.objects.filter(iso2=str(p.country).upper()).first()
            if country is None:
                errors.append(
                    _("Party %(n)s: unknown country code “%(value)s”.")
                    % {"n": index, "value": str(p.country)[:8]}
                )
                continue
        cleaned.append(
            {
                "organisation": None,
                "name": name,
                "country": country,
                "organisation_type": p.organisation_type,
                "role": p.role,
            }
        )
    if errors:
        raise ValidationError({"parties": errors})
    if len(cleaned) > MAX_PARTIES:
        raise ValidationError({"parties": [_("At most %(n)s parties.") % {"n": MAX_PARTIES}]})
    return cleaned


MAX_PARTIES = 30


def _store_content(initiative: Initiative, clean: dict) -> None:
    for name, value in clean["values"].items():
        setattr(initiative, name, value)
    initiative.full_clean(exclude=["organisation", "created_by", "modality_reason"])
    initiative.save()
    for name, objects in clean["relations"].items():
        getattr(initiative, name).set(objects)


def _snapshot_parties(initiative: Initiative) -> list[dict]:
    return [
        {
            "organisation": p.organisation_id,
            "name": p.display_name,
            "country": p.country.iso2 if p.country_id else None,
            "organisation_type": p.organisation_type,
            "role": p.role,
        }
        for p in initiative.parties.select_related("organisation", "country")
    ]


def _replace_parties(initiative: Initiative, cleaned: list[dict]) -> None:
    initiative.parties.all().delete()
    Party.objects.bulk_create(
        [Party(initiative=initiative, position=i, **p) for i, p in enumerate(cleaned)]
    )


@transaction.atomic
def initiative_create(
    *,
    actor,
    data: InitiativeData,
    parties: list[PartyData],
    organisation: Organisation | None = None,
    submit: bool = False,
) -> Initiative:
    """A draft initiative with its parties (a member's own organisation is responsible for it;
    facilitators may create one for any organisation or none)."""
    if not perms.can_create_initiative(actor):
        raise PermissionDenied
    if organisation is None and not is_facilitator(actor):
        membership = (
            Membership.objects.filter(user=actor, organisation__status=Organisation.Status.APPROVED)
            .select_related("organisation")
            .first()
        )
        organisation = membership.organisation
    elif (
        organisation is not None
        and not is_facilitator(actor)
        and not Membership.objects.filter(user=actor, organisation=organisation).exists()
    ):
        raise PermissionDenied
    clean = _clean_content(data)
    cleaned_parties = _clean_parties(parties)
    initiative = Initiative(organisation=organisation, created_by=actor)
    _store_content(initiative, clean)
    _replace_parties(initiative, cleaned_parties)
    initiative_recompute_modality(initiative=initiative, actor=actor, cause="created")
    audit_record(
        target=initiative,
        actor=actor,
        action="created",
        to_state=initiative.review_status,
        data={"parties": _snapshot_parties(initiative)},
    )
    if submit:
        initiative_submit(actor=actor, initiative=initiative)
    return initiative


def _require(actor, initiative: Initiative, action: str) -> None:
    actions = perms.initiative_allowed_actions(actor, initiative)
    if (
        action not in actions
        and not initiative.owner_in_good_standing
        and membership_of(actor, initiative.organisation) is not None
    ):
        raise PermissionDenied(STANDING_REFUSAL)
    if perms.VIEW not in actions:
        raise PermissionDenied
    if action not in actions:
        raise PermissionDenied


@transaction.atomic
def initiative_update(*, actor, initiative: Initiative, data: InitiativeData) -> Initiative:
    _require(actor, initiative, perms.EDIT)
    previous_status = initiative.status
    _store_content(initiative, _clean_content(data))
    audit_record(
        target=initiative,
        actor=actor,
        action="edited",
        from_state=previous_status,
        to_state=initiative.status,
        data={"status": initiative.status, "previous_status": previous_status},
    )
    return initiative


@transaction.atomic
def initiative_set_parties(
    *, actor, initiative: Initiative, parties: list[PartyData]
) -> Initiative:
    """Replace the parties; the modality is derived again."""
    _require(actor, initiative, perms.EDIT)
    cleaned = _clean_parties(parties)
    before = _snapshot_parties(initiative)
    _replace_parties(initiative, cleaned)
    after = _snapshot_parties(initiative)
    if before != after:
        audit_record(
            target=initiative,
            actor=actor,
            action="parties_changed",
            data={"before": before, "after": after},
        )
    initiative_recompute_modality(initiative=initiative, actor=actor, cause="parties_changed")
    initiative.refresh_from_db()
    return initiative


@transaction.atomic
def initiative_set_results(*, actor, initiative: Initiative, results: list[ResultData]) -> None:
    """Add results with their indicators (existing ones are kept: reports refer to them)."""
    _require(actor, initiative, perms.EDIT)
    position = initiative.results.count()
    for item in results:
        if item.result_type not in Result.Type.values:
            raise ValidationError({"result_type": _("Choose output, outcome or impact.")})
        title = clean_plain_text(item.title or "")[:300]
        if not title:
            raise ValidationError({"title": _("Give the result a title.")})
        result = Result.objects.create(
            initiative=initiative, result_type=item.result_type, title=title, position=position
        )
        position += 1
        for i, ind in enumerate(item.indicators):
            indicator = Indicator(
                result=result,
                title=clean_plain_text(ind.title or "")[:300] or title,
                unit=clean_plain_text(ind.unit or "")[:50],
                baseline_value=ind.baseline_value,
                baseline_year=ind.baseline_year,
                target_value=ind.target_value,
                target_date=ind.target_date,
                position=i,
            )
            indicator.full_clean(exclude=["result"])
            indicator.save()
        audit_record(
            target=initiative,
            actor=actor,
            action="result_added",
            data={
                "result": result.pk,
                "type": result.result_type,
                "indicators": len(item.indicators),
            },
        )


def _people_emails(initiative: Initiative) -> list[tuple[str, str]]:
    """E-mail addresses (and languages) of the initiative's people: focal points of every member
    organisation involved, and the person who created it."""
    org_ids = perms.initiative_organisation_ids(initiative)
    people = list(
        Membership.objects.filter(
            organisation_id__in=org_ids, role=Membership.Role.FOCAL_POINT, user__is_active=True
        ).values_list("user__email", "user__preferred_language")
    )
    if initiative.created_by_id and initiative.created_by.is_active:
        people.append((initiative.created_by.email, initiative.created_by.preferred_language))
    seen: dict[str, str] = {}
    for email, language in people:
        seen.setdefault(email, language)
    return list(seen.items())


def _email_people(initiative: Initiative, template: str, **extra) -> None:
    context = {
        "title": initiative.title,
        "url": reverse("cooperation:detail", args=[initiative.pk]),
        **extra,
    }
    for email, language in _people_emails(initiative):
        email_after_commit(
            template=f"cooperation/{template}", to=[email], language=language, context=context
        )


def _people_users(initiative: Initiative) -> list:
    org_ids = perms.initiative_organisation_ids(initiative)
    users = [
        m.user
        for m in Membership.objects.filter(
            organisation_id__in=org_ids, role=Membership.Role.FOCAL_POINT
        ).select_related("user")
    ]
    if initiative.created_by_id:
        users.append(initiative.created_by)
    return users


# Titles of in-app notifications, translated when shown (messaging renders them).
REMINDER_TITLES = {
    "report_due": gettext_noop("Progress report due: %(title)s"),
    "report_overdue": gettext_noop("Progress report overdue: %(title)s"),
    "initiative_inactive": gettext_noop("Marked inactive: %(title)s"),
}


def _remind_people(initiative: Initiative, template: str, **extra) -> None:
    """A reminder of the reporting cycle: an in-app notification for each of the initiative's
    people, and the e-mail at once or in their digest as each prefers (category reminders)."""
    from wipomatch.messaging.models import Category
    from wipomatch.messaging.services import notify

    url = reverse("cooperation:detail", args=[initiative.pk])
    notify(
        recipients=_people_users(initiative),
        category=Category.REMINDERS,
        kind=template if template.startswith("initiative_") else f"initiative_{template}",
        title=REMINDER_TITLES[template],
        params={"title": initiative.title},
        url=url,
        target=initiative,
        email_template=f"cooperation/{template}",
        email_context={"title": initiative.title, "url": url, **extra},
    )


def _transition(
    initiative: Initiative, *, actor, to: str, action: str, reason: str = "", fields=()
) -> None:
    previous = initiative.review_status
    initiative.review_status = to
    initiative.save(update_fields=["review_status", "updated_at", *fields])
    audit_record(
        target=initiative,
        actor=actor,
        action=action,
        from_state=previous,
        to_state=to,
        reason=reason,
        data={"review_status": to, "previous_review_status": previous},
    )


@transaction.atomic
def initiative_submit(*, actor, initiative: Initiative) -> Initiative:
    _require(actor, initiative, perms.SUBMIT)
    if not initiative.parties.exclude(role=Role.FACILITATOR).exists():
        raise ValidationError(
            {"parties": [_("Add at least one party besides facilitators before submitting.")]}
        )
    initiative.submitted_at = timezone.now()
    _transition(
        initiative,
        actor=actor,
        to=ReviewStatus.SUBMITTED,
        action="submitted",
        fields=["submitted_at"],
    )
    context = {
        "title": initiative.title,
        "url": reverse("cooperation:detail", args=[initiative.pk]),
    }
    for email, language in facilitator_contacts():
        email_after_commit(
            template="cooperation/initiative_to_review",
            to=[email],
            language=language,
            context=context,
        )
    return initiative


def initiative_mark_submitted(*, actor, initiative: Initiative) -> Initiative:
    """Staff importing initiatives skip the members' submission step (audited, no e-mail)."""
    require_facilitator(actor)
    initiative.submitted_at = timezone.now()
    _transition(
        initiative,
        actor=actor,
        to=ReviewStatus.SUBMITTED,
        action="submitted",
        fields=["submitted_at"],
    )
    return initiative


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cadence_months(initiative: Initiative) -> int:
    return CADENCE_MONTHS.get(initiative.reporting_cadence, 6)


@transaction.atomic
def initiative_publish(*, actor, initiative: Initiative) -> Initiative:
    require_facilitator(actor)
    _require(actor, initiative, perms.PUBLISH)
    initiative.published_at = timezone.now()
    initiative.review_comment = ""
    fields = ["published_at", "review_comment"]
    if initiative.next_report_due is None:
        initiative.next_report_due = add_months(timezone.localdate(), cadence_months(initiative))
        fields.append("next_report_due")
    _transition(
        initiative, actor=actor, to=ReviewStatus.PUBLISHED, action="published", fields=fields
    )
    _email_people(initiative, "initiative_published", due=initiative.next_report_due.isoformat())
    return initiative


@transaction.atomic
def initiative_request_changes(*, actor, initiative: Initiative, reason: str) -> Initiative:
    require_facilitator(actor)
    _require(actor, initiative, perms.REQUEST_CHANGES)
    reason = clean_plain_text(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Say what should change.")})
    initiative.review_comment = reason
    _transition(
        initiative,
        actor=actor,
        to=ReviewStatus.CHANGES_REQUESTED,
        action="changes_requested",
        reason=reason,
        fields=["review_comment"],
    )
    _email_people(initiative, "initiative_changes_requested", reason=reason)
    return initiative


@transaction.atomic
def initiative_delete(*, actor, initiative: Initiative) -> None:
    _require(actor, initiative, perms.DELETE)
    audit_record(
        target=initiative,
        actor=actor,
        action="deleted",
        from_state=initiative.review_status,
        data={"title": initiative.title},
    )
    initiative.delete()


# ---------------------------------------------------------------------------------------------
# Progress reports and the reporting cycle


@dataclass
class ReportData:
    period_start: date
    period_end: date
    narrative: str
    challenges: str = ""
    next_steps: str = ""
    status_change: str = ""
    actuals: dict[int, Decimal] = field(default_factory=dict)  # indicator id → value


def _clean_report(initiative: Initiative, data: ReportData) -> dict:
    errors: dict[str, list[str]] = {}
    narrative = (data.narrative or "").strip()[:6000]
    if not narrative:
        errors["narrative"] = [_("Say what happened during the period.")]
    if data.period_start and data.period_end and data.period_end < data.period_start:
        errors["period_end"] = [_("The end cannot be before the start.")]
    if data.status_change and data.status_change not in ActivityStatus.values:
        errors["status_change"] = [_("Choose a status from the list.")]
    indicators = set(
        Indicator.objects.filter(result__initiative=initiative).values_list("pk", flat=True)
    )
    unknown = [str(k) for k in data.actuals if k not in indicators]
    if unknown:
        errors["actuals"] = [_("Unknown indicator: %(values)s.") % {"values": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    return {
        "period_start": data.period_start,
        "period_end": data.period_end,
        "narrative": narrative,
        "challenges": (data.challenges or "").strip()[:3000],
        "next_steps": (data.next_steps or "").strip()[:3000],
        "status_change": data.status_change or "",
    }


def _store_actuals(report: ProgressReport, actuals: dict[int, Decimal]) -> None:
    report.actuals.all().delete()
    IndicatorActual.objects.bulk_create(
        [
            IndicatorActual(report=report, indicator_id=k, value=v)
            for k, v in actuals.items()
            if v is not None
        ]
    )


@transaction.atomic
def report_submit(*, actor, initiative: Initiative, data: ReportData) -> ProgressReport:
    """The initiative's people report progress. The reporting clock restarts: the next report is
    due one cadence after the due date this report answers (or stays as it is when an overdue
    report arrives late), and missed reports and the inactive flag are cleared."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    _require(actor, initiative, perms.REPORT)
    values = _clean_report(initiative, data)
    report = ProgressReport(initiative=initiative, submitted_by=actor, **values)
    report.full_clean(exclude=["initiative", "submitted_by", "reviewer"])
    report.save()
    _store_actuals(report, data.actuals)
    fields = ["updated_at"]
    was_inactive, was_overdue = initiative.inactive, initiative.overdue_since
    if initiative.overdue_since:
        initiative.overdue_since = None
    else:
        base = initiative.next_report_due or timezone.localdate()
        initiative.next_report_due = add_months(base, cadence_months(initiative))
    initiative.missed_reports = 0
    initiative.inactive = False
    fields += ["overdue_since", "next_report_due", "missed_reports", "inactive"]
    initiative.save(update_fields=fields)
    audit_record(
        target=initiative,
        actor=actor,
        action="report_submitted",
        to_state=ProgressReport.State.SUBMITTED,
        data={
            "report": report.pk,
            "period_start": report.period_start.isoformat(),
            "period_end": report.period_end.isoformat(),
            "was_overdue_since": was_overdue.isoformat() if was_overdue else None,
            "was_inactive": was_inactive,
            "next_report_due": initiative.next_report_due.isoformat()
            if initiative.next_report_due
            else None,
        },
    )
    context = {"title": initiative.title, "url": reverse("cooperation:report", args=[report.pk])}
    for email, language in facilitator_contacts():
        email_after_commit(
            template="cooperation/report_to_review", to=[email], language=language, context=context
        )
    return report


@transaction.atomic
def report_resubmit(*, actor, report: ProgressReport, data: ReportData) -> ProgressReport:
    if perms.EDIT_REPORT not in perms.report_allowed_actions(actor, report):
        raise PermissionDenied
    values = _clean_report(report.initiative, data)
    for name, value in values.items():
        setattr(report, name, value)
    previous = report.state
    report.state = ProgressReport.State.SUBMITTED
    report.full_clean(exclude=["initiative", "submitted_by", "reviewer"])
    report.save()
    _store_actuals(report, data.actuals)
    audit_record(
        target=report.initiative,
        actor=actor,
        action="report_resubmitted",
        from_state=previous,
        to_state=report.state,
        data={"report": report.pk},
    )
    return report


def _report_review(actor, report: ProgressReport, action: str) -> None:
    require_facilitator(actor)
    if action not in perms.report_allowed_actions(actor, report):
        raise PermissionDenied


@transaction.atomic
def report_accept(*, actor, report: ProgressReport, comment: str = "") -> ProgressReport:
    """A facilitator accepts a report; a status change it proposes is applied."""
    _report_review(actor, report, perms.ACCEPT_REPORT)
    previous = report.state
    report.state = ProgressReport.State.ACCEPTED
    report.reviewer = actor
    report.reviewed_at = timezone.now()
    report.review_comment = clean_plain_text(comment or "")
    report.save(update_fields=["state", "reviewer", "reviewed_at", "review_comment", "updated_at"])
    initiative = report.initiative
    data = {"report": report.pk}
    if report.status_change and report.status_change != initiative.status:
        data.update(status=report.status_change, previous_status=initiative.status)
        initiative.status = report.status_change
        initiative.save(update_fields=["status", "updated_at"])
    audit_record(
        target=initiative,
        actor=actor,
        action="report_accepted",
        from_state=previous,
        to_state=report.state,
        reason=report.review_comment,
        data=data,
    )
    _email_submitter(report, "report_accepted")
    return report


@transaction.atomic
def report_request_changes(*, actor, report: ProgressReport, comment: str) -> ProgressReport:
    _report_review(actor, report, perms.REQUEST_REPORT_CHANGES)
    comment = clean_plain_text(comment or "")
    if not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    previous = report.state
    report.state = ProgressReport.State.CHANGES_REQUESTED
    report.reviewer = actor
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    report.save(update_fields=["state", "reviewer", "reviewed_at", "review_comment", "updated_at"])
    audit_record(
        target=report.initiative,
        actor=actor,
        action="report_changes_requested",
        from_state=previous,
        to_state=report.state,
        reason=comment,
        data={"report": report.pk},
    )
    _email_submitter(report, "report_changes_requested", comment=comment)
    return report


def _email_submitter(report: ProgressReport, template: str, **extra) -> None:
    user = report.submitted_by
    if user is None or not user.is_active:
        return
    email_after_commit(
        template=f"cooperation/{template}",
        to=[user.email],
        language=user.preferred_language,
        context={
            "title": report.initiative.title,
            "url": reverse("cooperation:report", args=[report.pk]),
            **extra,
        },
    )


REMINDER_DAYS = (14, 3)
INACTIVE_AFTER_MISSED = 2


def reporting_cycle_run(*, today: date | None = None) -> dict[str, int]:
    """The periodic job of the reporting cycle (idempotent).

    - 14 and 3 days before a report is due, the initiative's people are reminded (once per due
      date: `reminded_14_for` / `reminded_3_for` hold the due date reminded);
    - when the due date passes without a report, the report is overdue: the people are told,
      `overdue_since` is set, the missed count goes up and the next due date moves one cadence on
      (so each missed period is counted once);
    - two missed reports in a row flag the initiative inactive (facilitators see it).
    """
    today = today or timezone.localdate()
    summary = {"reminded_14": 0, "reminded_3": 0, "overdue": 0, "inactive": 0}
    active = (
        Initiative.objects.published()
        .filter(status__in=REPORTING_STATUSES, next_report_due__isnull=False)
        .select_related("created_by")
    )
    for initiative in active.filter(next_report_due__lt=today):
        with transaction.atomic():
            locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
            summary_for = _process_missed(locked, today)
            summary["overdue"] += summary_for["overdue"]
            summary["inactive"] += summary_for["inactive"]
    for days, field_name, key in (
        (3, "reminded_3_for", "reminded_3"),
        (14, "reminded_14_for", "reminded_14"),
    ):
        window = active.filter(
            next_report_due__gte=today,
            next_report_due__lte=add_days(today, days),
        )
        for initiative in window:
            due = initiative.next_report_due
            if getattr(initiative, field_name) == due:
                continue
            with transaction.atomic():
                updated = {field_name: due}
                if days == 3:
                    # A 3-day reminder makes the 14-day one pointless.
                    updated["reminded_14_for"] = due
                Initiative.objects.filter(pk=initiative.pk).update(**updated)
                _remind_people(
                    initiative, "report_due", days=(due - today).days, due=due.isoformat()
                )
            summary[key] += 1
            initiative.reminded_14_for = due  # the 14-day pass skips it
    return summary


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def _process_missed(initiative: Initiative, today: date) -> dict[str, int]:
    result = {"overdue": 0, "inactive": 0}
    while initiative.next_report_due and initiative.next_report_due < today:
        missed_due = initiative.next_report_due
        initiative.missed_reports += 1
        initiative.overdue_since = initiative.overdue_since or missed_due
        initiative.next_report_due = add_months(missed_due, cadence_months(initiative))
        became_inactive = (
            initiative.missed_reports >= INACTIVE_AFTER_MISSED and not initiative.inactive
        )
        if became_inactive:
            initiative.inactive = True
        initiative.save(
            update_fields=[
                "missed_reports",
                "overdue_since",
                "next_report_due",
                "inactive",
                "updated_at",
            ]
        )
        audit_record(
            target=initiative,
            actor=None,
            action="report_missed",
            data={
                "due": missed_due.isoformat(),
                "missed_in_a_row": initiative.missed_reports,
                "next_report_due": initiative.next_report_due.isoformat(),
            },
        )
        result["overdue"] += 1
        if became_inactive:
            audit_record(
                target=initiative,
                actor=None,
                action="flagged_inactive",
                from_state="active",
                to_state="inactive",
                data={"missed_in_a_row": initiative.missed_reports},
            )
            result["inactive"] += 1
            _remind_people(initiative, "initiative_inactive", missed=initiative.missed_reports)
        else:
            _remind_people(initiative, "report_overdue", due=missed_due.isoformat())
    return result


def modality_preview(*, parties: list[dict]) -> ModalityResult:
    """The modality a set of planned parties would have ({country, organisation_type, role,
    name}; codes already validated). Reads the Global South grouping, stores nothing."""
    codes = {p["country"] for p in parties if p.get("country")}
    southern = dict(Country.objects.filter(iso2__in=codes).values_list("iso2", "global_south"))
    return derive_modality(
        [
            PartyInput(
                role=p["role"],
                organisation_type=p["organisation_type"],
                country=p.get("country") or None,
                southern=bool(southern.get(p.get("country"))),
                name=p.get("name", ""),
            )
            for p in parties
        ]
    )


# ---------------------------------------------------------------------------------------------
# From an agreed case


def _term_slugs(listing, kind: str) -> list[str]:
    if listing is None:
        return []
    return [t.slug for t in listing.terms.all() if t.kind == kind]


@transaction.atomic
def initiative_from_case(*, actor, case) -> Initiative:
    """Turn a match case closed with an agreement into a draft initiative, pre-filled from the
    need and the offer: the need's organisation benefits, the offer's provides; themes, IP areas,
    SDGs and countries from both. One initiative per case (the existing one is returned)."""
    from wipomatch.brokering.models import CaseState
    from wipomatch.brokering.permissions import case_sides_of

    if case.state != CaseState.AGREEMENT:
        raise ValidationError(_("Only a case closed with an agreement becomes an initiative."))
    if not (is_facilitator(actor) or case_sides_of(actor, case)):
        raise PermissionDenied
    existing = Initiative.objects.filter(source_case=case).first()
    if existing is not None:
        return existing
    need, offer = case.need, case.offer
    parties = []
    if need is not None:
        parties.append(PartyData(role=Role.BENEFICIARY, organisation=need.organisation_id))
    if offer is not None:
        parties.append(PartyData(role=Role.PROVIDER, organisation=offer.organisation_id))
    listings = [x for x in (need, offer) if x is not None]
    title = (need or offer).title if listings else _("Initiative from an agreed case")
    summary = (need.summary if need else "") or (offer.summary if offer else "") or title

    def merged(kind):
        return list(dict.fromkeys(s for x in listings for s in _term_slugs(x, kind)))

    countries = list(dict.fromkeys(c.iso2 for x in listings[:1] for c in x.countries.all()))
    data = InitiativeData(
        title=title,
        summary=summary,
        description=case.outcome_note or "",
        language=(need or offer).language if listings else "en",
        planned_start=getattr(case, "expected_start", None),
        themes=merged(VocabularyTerm.Kind.THEME),
        ip_areas=merged(VocabularyTerm.Kind.IP_AREA),
        sdg_goals=list(dict.fromkeys(g.number for x in listings for g in x.sdg_goals.all())),
        countries=countries,
    )
    organisation = need.organisation if need is not None else case.requesting_organisation
    if not is_facilitator(actor):
        mine = set(Membership.objects.filter(user=actor).values_list("organisation_id", flat=True))
        for candidate in (need, offer):
            if candidate is not None and candidate.organisation_id in mine:
                organisation = candidate.organisation
                break
    initiative = initiative_create(
        actor=actor, data=data, parties=parties, organisation=organisation
    )
    Initiative.objects.filter(pk=initiative.pk).update(source_case=case)
    initiative.source_case = case
    audit_record(
        target=initiative,
        actor=actor,
        action="created_from_case",
        data={
            "case": case.pk,
            "need": getattr(need, "pk", None),
            "offer": getattr(offer, "pk", None),
        },
    )
    return initiative
