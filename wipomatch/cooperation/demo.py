"""Demo cooperation initiatives, run at the end of `manage.py seed_demo` (idempotent).

1. The initiatives of `demo_data/initiatives.json` (forty, over the six themes, more than twenty
   countries of which many LDCs, every modality, several public-private partnerships), made
   through the services (create, results, submit, publish, progress reports accepted by the
   demo facilitator), so each has its audit trail; dates moved back so that the reporting cycle
   looks like months of use. Some reports are overdue and one initiative is inactive (two
   reports missed in a row), as the periodic job finds them.
2. Several of the agreed demo cases of brokering become initiatives ("turn an agreement into an
   initiative"), published with a result.

E-mails the services queue are dropped (demo addresses).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from wipomatch.core.demo import background_work_held_back
from wipomatch.members.demo import (
    FACILITATOR_EMAIL,
    load_demo_data,
)
from wipomatch.members.models import Membership, Organisation, User

from . import services
from .models import Initiative, ReviewStatus
from .services import IndicatorData, InitiativeData, PartyData, ReportData, ResultData

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "initiatives.json"
FROM_CASES = 4  # agreed demo cases turned into initiatives


def _organisation(key: str) -> Organisation | None:
    names = {o.key: o.name for o in load_demo_data().organisations}
    name = names.get(key)
    return Organisation.objects.filter(name=name).first() if name else None


def _parties(entry: dict) -> tuple[list[PartyData], Organisation | None]:
    parties, responsible = [], None
    for item in entry["parties"]:
        role = item[0]
        if item[1] is not None:  # a member organisation key
            org = _organisation(item[1])
            if org is None:
                continue
            responsible = responsible or (org if role != "facilitator" else None)
            parties.append(PartyData(role=role, organisation=org.pk))
        else:
            _role, _none, org_type, name, *country = item
            parties.append(
                PartyData(
                    role=role,
                    organisation_type=org_type,
                    name=name,
                    country=country[0] if country else None,
                )
            )
    return parties, responsible


def _reporter(initiative: Initiative, facilitator: User) -> User:
    membership = (
        Membership.objects.filter(organisation=initiative.organisation)
        .select_related("user")
        .first()
        if initiative.organisation_id
        else None
    )
    return membership.user if membership else facilitator


def _seed_one(entry: dict, index: int, facilitator: User, today: date) -> Initiative | None:
    parties, responsible = _parties(entry)
    start = date.fromisoformat(entry["start"])
    months = {"quarterly": 3, "six-monthly": 6, "yearly": 12}[entry["cadence"]]
    data = InitiativeData(
        title=entry["title"],
        summary=entry["summary"],
        description=entry.get("description", ""),
        language=entry["language"],
        status=entry["status"],
        planned_start=start,
        planned_end=services.add_months(start, 24),
        actual_start=start if entry["status"] in ("2", "3", "4") else None,
        themes=entry["themes"],
        ip_areas=entry["ip_areas"],
        sdg_goals=entry["sdg_goals"],
        countries=entry["countries"],
        budget=Decimal(20000 + 15000 * (index % 9)) if index % 3 else None,
        budget_currency="USD" if index % 3 else "",
        budget_funder="",
        reporting_cadence=entry["cadence"],
    )
    initiative = services.initiative_create(
        actor=facilitator, data=data, parties=parties, organisation=responsible
    )
    result = entry.get("result")
    if result:
        services.initiative_set_results(
            actor=facilitator,
            initiative=initiative,
            results=[
                ResultData(
                    result_type={"output": "1", "outcome": "2", "impact": "3"}.get(
                        result["type"], result["type"]
                    ),
                    title=result["title"],
                    indicators=[
                        IndicatorData(
                            title=result["indicator"],
                            unit=result["unit"],
                            baseline_value=Decimal(result["baseline"]),
                            baseline_year=start.year - 1,
                            target_value=Decimal(result["target"]),
                            target_date=services.add_months(start, 24),
                        )
                    ],
                )
            ],
        )
    if entry["state"] in ("submitted", "published"):
        services.initiative_mark_submitted(actor=facilitator, initiative=initiative)
    if entry["state"] != "published":
        return initiative
    services.initiative_publish(actor=facilitator, initiative=initiative)
    indicator = (
        initiative.results.first().indicators.first() if initiative.results.exists() else None
    )
    actuals = (result or {}).get("actuals", [])
    reporter = _reporter(initiative, facilitator)
    period_start = start
    for number in range(entry.get("reports", 0)):
        period_end = services.add_months(period_start, months) - timedelta(days=1)
        value = actuals[number] if number < len(actuals) else None
        report = services.report_submit(
            actor=reporter,
            initiative=initiative,
            data=ReportData(
                period_start=period_start,
                period_end=period_end,
                narrative=f"{entry['summary']} ({period_start:%B %Y} – {period_end:%B %Y})",
                challenges="Travel and availability of experts." if number % 2 else "",
                next_steps="Continue as planned.",
                actuals={indicator.pk: Decimal(value)} if indicator and value is not None else {},
            ),
        )
        # The latest report of every fourth initiative still waits for a facilitator.
        if not (number == entry["reports"] - 1 and index % 4 == 0):
            services.report_accept(actor=facilitator, report=report)
        period_start = period_end + timedelta(days=1)
    # Where the reporting clock stands today.
    if entry.get("inactive"):
        initiative.reporting_cadence = "quarterly"
        due = today - timedelta(days=100)
    elif entry.get("overdue"):
        due = today - timedelta(days=5 + index % 20)
    else:
        due = today + timedelta(days=10 + (index * 11) % 150)
    Initiative.objects.filter(pk=initiative.pk).update(
        next_report_due=due,
        reporting_cadence=initiative.reporting_cadence,
        published_at=timezone.make_aware(datetime.combine(start, time(10))),
        submitted_at=timezone.make_aware(datetime.combine(start, time(9))),
    )
    if entry.get("override"):
        modality, reason = entry["override"]
        services.initiative_override_modality(
            actor=facilitator, initiative=initiative, modality=modality, reason=reason
        )
    return initiative


def _seed_from_cases(facilitator: User, log) -> int:
    from wipomatch.brokering.models import CaseState, MatchCase

    made = 0
    if Initiative.objects.filter(source_case__isnull=False).exists():
        return 0  # already done on an earlier run
    cases = MatchCase.objects.filter(state=CaseState.AGREEMENT, initiative__isnull=True)
    for case in cases.order_by("pk")[:FROM_CASES]:
        if case.need is None and case.offer is None:
            continue
        with transaction.atomic():
            initiative = services.initiative_from_case(actor=facilitator, case=case)
            services.initiative_set_results(
                actor=facilitator,
                initiative=initiative,
                results=[
                    ResultData(
                        result_type="1",
                        title=initiative.title[:300],
                        indicators=[
                            IndicatorData(
                                title="Activities delivered",
                                unit="activities",
                                baseline_value=Decimal(0),
                                target_value=Decimal(4),
                            )
                        ],
                    )
                ],
            )
            services.initiative_mark_submitted(actor=facilitator, initiative=initiative)
            services.initiative_publish(actor=facilitator, initiative=initiative)
        made += 1
    if made:
        log(f"  {made} agreed cases became initiatives.")
    return made


def seed_demo_cooperation(*, log: Callable[[str], None] = lambda message: None) -> dict:
    """Create the demo initiatives that are missing (matched by title)."""
    facilitator = User.objects.filter(email=FACILITATOR_EMAIL).first()
    if facilitator is None:
        log("  Demo initiatives skipped: run seed_demo first (no demo facilitator).")
        return {"initiatives": 0}
    entries = json.loads(DATA_FILE.read_text(encoding="utf-8"))["initiatives"]
    today = timezone.localdate()
    created = 0
    with background_work_held_back() as backend:
        existing = set(Initiative.objects.values_list("title", flat=True))
        for index, entry in enumerate(entries):
            if entry["title"] in existing:
                continue
            with transaction.atomic():
                _seed_one(entry, index, facilitator, today)
            created += 1
        from_cases = _seed_from_cases(facilitator, log)
        cycle = services.reporting_cycle_run(today=today)
        if backend.dropped:
            log(f"  {backend.dropped} notification e-mails were not sent (demo addresses).")
    published = Initiative.objects.filter(review_status=ReviewStatus.PUBLISHED).count()
    log(
        f"  Demo initiatives: {created} created, {from_cases} from agreed cases; "
        f"{published} published; reporting cycle: {cycle}."
    )
    return {"initiatives": created, "from_cases": from_cases, "cycle": cycle}
