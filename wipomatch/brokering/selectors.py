"""Reads of match cases, always scoped to the reader (404 for a case one may not see)."""

import statistics
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from wipomatch.core.audit import audit_trail_for
from wipomatch.core.permissions import is_facilitator
from wipomatch.listings.models import Kind, Listing
from wipomatch.members.models import Organisation
from wipomatch.reference.models import VocabularyTerm

from . import permissions as perms
from .models import (
    AWAITING_ANSWER_STATES,
    OPEN_STATES,
    CaseKind,
    CaseState,
    MatchCase,
)

STAGES = [
    CaseState.PROPOSED,
    CaseState.INTEREST,
    CaseState.MUTUAL,
    CaseState.AGREEMENT,
    CaseState.NO_AGREEMENT,
    CaseState.DECLINED,
    CaseState.WITHDRAWN,
    CaseState.LAPSED,
]


def case_queryset() -> QuerySet[MatchCase]:
    return MatchCase.objects.select_related(
        "need",
        "offer",
        "need__organisation",
        "offer__organisation",
        "requesting_organisation",
        "requesting_organisation__country",
        "receiving_organisation",
        "receiving_organisation__country",
        "assigned_to",
        "subject_content_type",
    )


def cases_for_user(user) -> QuerySet[MatchCase]:
    """Every case for facilitators; the cases of the user's organisation(s) for members."""
    if not getattr(user, "is_authenticated", False):
        return MatchCase.objects.none()
    if is_facilitator(user):
        return case_queryset()
    org_ids = perms.user_organisation_ids(user)
    return case_queryset().filter(
        Q(requesting_organisation_id__in=org_ids) | Q(receiving_organisation_id__in=org_ids)
    )


def get_case_for_user(user, pk: int) -> MatchCase:
    case = case_queryset().filter(pk=pk).first()
    if case is None or perms.VIEW not in perms.case_allowed_actions(user, case):
        raise Http404
    return case


def my_cases_by_stage(user) -> tuple[list[MatchCase], list[tuple[str, str, list[MatchCase]]]]:
    """(cases awaiting the user's answer, [(stage, label, cases)] for the rest)."""
    org_ids = perms.user_organisation_ids(user)
    cases = list(
        case_queryset()
        .filter(
            Q(requesting_organisation_id__in=org_ids) | Q(receiving_organisation_id__in=org_ids)
        )
        .order_by("-updated_at", "-id")
    )
    awaiting = [
        c
        for c in cases
        if c.state in AWAITING_ANSWER_STATES and perms.case_waiting_for(c) & org_ids
    ]
    awaiting_ids = {c.pk for c in awaiting}
    stages = []
    for stage in STAGES:
        rows = [c for c in cases if c.state == stage and c.pk not in awaiting_ids]
        if rows:
            stages.append((stage.value, stage.label, rows))
    return awaiting, stages


@dataclass
class BoardFilters:
    state: str = ""
    theme: str = ""
    region: str = ""
    country: str = ""
    ldc: bool = False
    org_type: str = ""
    assigned: str = ""  # facilitator id, "me" or "none"
    overdue: bool = False
    q: str = ""


def case_board(user, filters: BoardFilters) -> QuerySet[MatchCase]:
    """The facilitator case board: every case, filtered. Geography and theme filters match
    either side (the need's or the offer's listing, or either organisation)."""
    qs = case_queryset()
    f = filters
    if f.state:
        qs = qs.filter(state=f.state)
    if f.theme:
        listings = Listing.objects.with_term(VocabularyTerm.Kind.THEME, f.theme).values("pk")
        qs = qs.filter(Q(need__in=listings) | Q(offer__in=listings))
    org_q = {}
    if f.country:
        org_q["country__iso2"] = f.country.upper()
    if f.org_type:
        org_q["org_type"] = f.org_type
    if f.ldc:
        org_q["country__ldc"] = True
    if org_q:
        orgs = Organisation.objects.filter(**org_q).values("pk")
        qs = qs.filter(Q(requesting_organisation__in=orgs) | Q(receiving_organisation__in=orgs))
    if f.region:
        orgs = Organisation.objects.filter(
            Q(country__region__code=f.region)
            | Q(country__subregion__code=f.region)
            | Q(country__intermediate_region__code=f.region)
        ).values("pk")
        qs = qs.filter(Q(requesting_organisation__in=orgs) | Q(receiving_organisation__in=orgs))
    if f.assigned == "me":
        qs = qs.filter(assigned_to=user)
    elif f.assigned == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif f.assigned.isdigit():
        qs = qs.filter(assigned_to_id=int(f.assigned))
    if f.overdue:
        qs = qs.filter(follow_up_on__lt=timezone.localdate(), state__in=OPEN_STATES)
    if f.q:
        qs = qs.filter(
            Q(need__title__icontains=f.q)
            | Q(offer__title__icontains=f.q)
            | Q(requesting_organisation__name__icontains=f.q)
            | Q(receiving_organisation__name__icontains=f.q)
        )
    return qs.order_by("follow_up_on", "-updated_at", "-id")


def board_stage_counts(qs: QuerySet[MatchCase]) -> dict[str, int]:
    from django.db.models import Count

    rows = qs.order_by().values("state").annotate(n=Count("pk"))
    counts = {stage.value: 0 for stage in STAGES}
    counts.update({r["state"]: r["n"] for r in rows})
    return counts


def case_events(case: MatchCase, viewer) -> list[dict]:
    """The audit trail of the case, oldest first. Members see which side acted, never who:
    people's names stay private (before mutual interest and in general)."""
    staff = is_facilitator(viewer)
    events = []
    for event in reversed(list(audit_trail_for(case))):
        data = dict(event.data or {})
        if event.action == "note_added" and not staff:
            continue
        if event.action == "assigned" and not staff:
            continue
        if event.action == "follow_up_set" and not staff:
            continue
        by = data.get("side") or ("system" if event.actor_id is None else "facilitator")
        item = {
            "action": event.action,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "at": event.created_at,
            "by": by,
            "data": {k: v for k, v in data.items() if k in _PUBLIC_DATA_KEYS},
        }
        if staff:
            item["actor"] = event.actor.display_name if event.actor_id else None
        events.append(item)
    return events


_PUBLIC_DATA_KEYS = {"side", "reason", "outcome", "expected_start", "score", "days", "from", "to"}


# --- the express-interest form -------------------------------------------------------------


def own_listings_for(user, other: Listing) -> list[Listing]:
    """The user's organisation's published listings of the opposite kind, best fit first
    (stored suggestion score for the pair, then the newest)."""
    from wipomatch.matching.models import Suggestion

    org_ids = perms.user_organisation_ids(user)
    if not org_ids or other.organisation_id in org_ids:
        return []
    kind = Kind.NEED if other.kind == Kind.OFFER else Kind.OFFER
    mine = list(
        Listing.objects.public()
        .filter(organisation_id__in=org_ids, kind=kind)
        .select_related("organisation")
        .order_by("-published_at", "-id")[:200]
    )
    if not mine:
        return []
    if kind == Kind.NEED:
        rows = Suggestion.objects.filter(offer=other, need__in=mine).values_list(
            "need_id", "need_score", "offer_score"
        )
    else:
        rows = Suggestion.objects.filter(need=other, offer__in=mine).values_list(
            "offer_id", "need_score", "offer_score"
        )
    scores = {pk: max(a or 0.0, b or 0.0) for pk, a, b in rows}
    mine.sort(key=lambda listing: -scores.get(listing.pk, -1.0))
    for listing in mine:
        listing.fit_score = scores.get(listing.pk)
    return mine


def open_case_for_pair(need_id: int, offer_id: int) -> MatchCase | None:
    return MatchCase.objects.open().filter(need_id=need_id, offer_id=offer_id).first()


def cases_for_listing(user, listing: Listing) -> list[MatchCase]:
    """Cases about one listing that the user can see (shown on the listing page)."""
    field = "need" if listing.kind == Kind.NEED else "offer"
    return list(cases_for_user(user).filter(**{field: listing}).order_by("-created_at")[:20])


def match_explanation(case: MatchCase) -> dict | None:
    """The stored suggestion of the pair, explained in the active language (None if none)."""
    if case.kind != CaseKind.MATCH:
        return None
    from wipomatch.matching.explanations import explain, explanation_names, seeker_country
    from wipomatch.matching.models import Suggestion

    suggestion = Suggestion.objects.filter(need=case.need, offer=case.offer).first()
    if suggestion is None:
        return None
    reader = "need"
    return {
        "score": suggestion.need_score or suggestion.offer_score,
        "reasons": explain(
            suggestion.explanation,
            reader=reader,
            names=explanation_names(),
            country_iso2=seeker_country(case.need, case.offer),
        ),
    }


# --- responsiveness -----------------------------------------------------------------------


@dataclass
class Responsiveness:
    received: int
    answered: int
    median_hours: float | None

    @property
    def share_answered(self) -> float | None:
        return self.answered / self.received if self.received else None

    @property
    def median_days(self) -> float | None:
        return None if self.median_hours is None else self.median_hours / 24

    @property
    def prior(self) -> float | None:
        """0..1 for the matching engine: mostly the share answered, a little the speed.
        None (no effect on ranking) below three interests received."""
        if self.received < 3:
            return None
        speed = 0.0 if self.median_days is None else max(0.0, 1.0 - self.median_days / 30)
        return round(0.7 * self.share_answered + 0.3 * speed, 3)


def _answer_hours(case) -> float:
    return max(0.0, (case["answered_at"] - case["opened_at"]).total_seconds() / 3600)


def organisation_responsiveness(organisation_id: int) -> Responsiveness:
    """Interests received from members (not facilitators' proposals, not withdrawn before an
    answer) and how quickly they were answered (accepted or declined)."""
    rows = list(
        MatchCase.objects.filter(receiving_organisation_id=organisation_id)
        .exclude(initiated_by="facilitator")
        .exclude(state=CaseState.WITHDRAWN)
        .values("answered_at", "opened_at", "created_at")
    )
    answered = [r for r in rows if r["answered_at"]]
    hours = [
        _answer_hours(
            {"answered_at": r["answered_at"], "opened_at": r["opened_at"] or r["created_at"]}
        )
        for r in answered
    ]
    return Responsiveness(
        received=len(rows),
        answered=len(answered),
        median_hours=statistics.median(hours) if hours else None,
    )


RESPONSIVENESS_CACHE_KEY = "brokering:responsiveness-priors"


def responsiveness_priors() -> dict[int, float]:
    """Organisation id → responsiveness prior, for the matching engine (cached 10 minutes)."""
    priors = cache.get(RESPONSIVENESS_CACHE_KEY)
    if priors is not None:
        return priors
    org_ids = set(
        MatchCase.objects.exclude(initiated_by="facilitator").values_list(
            "receiving_organisation_id", flat=True
        )
    )
    priors = {}
    for org_id in org_ids:
        prior = organisation_responsiveness(org_id).prior
        if prior is not None:
            priors[org_id] = prior
    cache.set(RESPONSIVENESS_CACHE_KEY, priors, 600)
    return priors
