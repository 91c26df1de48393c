"""Reads of initiatives: scoped access, the public directory's filters, the overdue list.

`initiative_filter` is the one implementation behind the directory page, the theme, country and
organisation pages and the API, so a filter means the same thing everywhere.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from wipomatch.core.permissions import is_facilitator
from wipomatch.members.models import Membership, Organisation
from wipomatch.reference.models import Country

from .modality import Reason
from .models import (
    Indicator,
    IndicatorActual,
    Initiative,
    Party,
    ProgressReport,
    Result,
    ReviewStatus,
)
from .permissions import EDIT, VIEW, initiative_allowed_actions

_COUNTRY_NAMES: dict[str, dict[str, str]] = {}


def country_names(codes=None) -> dict[str, str]:
    """ISO code → name in the active language. All names are read once per language and kept
    (a list of reasons then costs no query); a saved country clears them (receivers.py)."""
    language = get_language() or "en"
    names = _COUNTRY_NAMES.get(language)
    if names is None:
        names = {c.iso2: c.name for c in Country.objects.only("iso2", "names")}
        _COUNTRY_NAMES[language] = names
    return names


def forget_country_names() -> None:
    _COUNTRY_NAMES.clear()


def render_reason(data: dict | None) -> str:
    """A stored modality reason as a sentence in the active language."""
    reason = Reason.from_dict(data)
    codes = [
        p.get("country")
        for group in (reason.decisive, reason.support, reason.ppp_parties)
        for p in group
        if p.get("country")
    ]
    names = country_names(codes)
    return reason.render(lambda code: names.get(code, code))


def initiative_detail_queryset() -> QuerySet[Initiative]:
    return Initiative.objects.select_related("organisation", "created_by").prefetch_related(
        "themes",
        "ip_areas",
        "sdg_goals",
        "sdg_targets",
        "countries",
        "regions",
        Prefetch(
            "parties",
            queryset=Party.objects.select_related(
                "organisation", "organisation__country", "country"
            ),
        ),
        Prefetch(
            "results",
            queryset=Result.objects.prefetch_related(
                Prefetch(
                    "indicators",
                    queryset=Indicator.objects.prefetch_related(
                        Prefetch(
                            "actuals", queryset=IndicatorActual.objects.select_related("report")
                        )
                    ),
                )
            ),
        ),
    )


def _member_org_ids(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(
            user=user, organisation__status=Organisation.Status.APPROVED
        ).values_list("organisation_id", flat=True)
    )


def initiative_list_visible_to(user) -> QuerySet[Initiative]:
    """Published initiatives for everyone; drafts for their people and facilitators."""
    qs = Initiative.objects.all()
    if is_facilitator(user):
        return qs
    orgs = _member_org_ids(user)
    if not orgs:
        return qs.public()
    mine = Q(organisation_id__in=orgs) | Q(
        pk__in=Party.objects.filter(organisation_id__in=orgs).values("initiative_id")
    )
    return qs.filter(Q(pk__in=Initiative.objects.public().values("pk")) | mine)


def initiatives_of_user(user) -> QuerySet[Initiative]:
    orgs = _member_org_ids(user)
    return Initiative.objects.filter(
        Q(organisation_id__in=orgs)
        | Q(pk__in=Party.objects.filter(organisation_id__in=orgs).values("initiative_id"))
    ).order_by("-updated_at")


def get_initiative_for_user(user, pk, *, write: bool = False) -> Initiative:
    """404 when the user may not see it, 403 when they may see but not change it."""
    try:
        initiative = initiative_detail_queryset().get(pk=int(pk))
    except (Initiative.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    actions = initiative_allowed_actions(user, initiative)
    if VIEW not in actions:
        raise Http404
    if write and EDIT not in actions:
        raise PermissionDenied
    return initiative


def get_report_for_user(user, pk) -> ProgressReport:
    try:
        report = ProgressReport.objects.select_related("initiative", "submitted_by").get(pk=int(pk))
    except (ProgressReport.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    actions = initiative_allowed_actions(user, report.initiative)
    if VIEW not in actions:
        raise Http404
    # Reports are read by the initiative's people and facilitators only.
    if EDIT not in actions and not is_facilitator(user):
        raise Http404
    return report


@dataclass
class InitiativeFilters:
    q: str = ""
    theme: list[str] = field(default_factory=list)
    modality: list[str] = field(default_factory=list)
    ppp: bool | None = None
    country: str = ""
    region: str = ""
    ldc: bool = False
    status: list[str] = field(default_factory=list)
    sdg: list[int] = field(default_factory=list)
    year: int | None = None
    organisation: int | None = None


def initiative_filter(qs: QuerySet[Initiative], f: InitiativeFilters) -> QuerySet[Initiative]:
    if f.q:
        words = f.q.split()[:8]
        for word in words:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
                | Q(parties__name__icontains=word)
                | Q(parties__organisation__name__icontains=word)
            )
        qs = qs.distinct()
    if f.theme:
        qs = qs.filter(
            pk__in=Initiative.themes.through.objects.filter(
                vocabularyterm__slug__in=f.theme
            ).values("initiative_id")
        )
    if f.modality:
        qs = qs.filter(modality__in=f.modality)
    if f.ppp is not None:
        qs = qs.filter(ppp=f.ppp)
    countries = Initiative.countries.through.objects
    if f.country:
        code = f.country.upper()
        qs = qs.filter(
            Q(pk__in=countries.filter(country__iso2=code).values("initiative_id"))
            | Q(pk__in=Party.objects.filter(country__iso2=code).values("initiative_id"))
        )
    if f.region:
        in_region = (
            Q(country__region__code=f.region)
            | Q(country__subregion__code=f.region)
            | Q(country__intermediate_region__code=f.region)
        )
        qs = qs.filter(
            Q(pk__in=countries.filter(in_region).values("initiative_id"))
            | Q(pk__in=Party.objects.filter(in_region).values("initiative_id"))
            | Q(
                pk__in=Initiative.regions.through.objects.filter(region__code=f.region).values(
                    "initiative_id"
                )
            )
        )
    if f.ldc:
        qs = qs.filter(pk__in=countries.filter(country__ldc=True).values("initiative_id"))
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.sdg:
        qs = qs.filter(
            pk__in=Initiative.sdg_goals.through.objects.filter(sdggoal__number__in=f.sdg).values(
                "initiative_id"
            )
        )
    if f.year:
        # Running in that year: started by its end and not ended before it began.
        start = Q(actual_start__year__lte=f.year) | (
            Q(actual_start__isnull=True) & Q(planned_start__year__lte=f.year)
        )
        end = (
            Q(actual_end__isnull=True, planned_end__isnull=True)
            | Q(actual_end__year__gte=f.year)
            | (Q(actual_end__isnull=True) & Q(planned_end__year__gte=f.year))
        )
        qs = qs.filter(start & end)
    if f.organisation:
        qs = qs.filter(
            Q(organisation_id=f.organisation)
            | Q(pk__in=Party.objects.filter(organisation_id=f.organisation).values("initiative_id"))
        )
    return qs


def public_initiatives(f: InitiativeFilters | None = None) -> QuerySet[Initiative]:
    qs = Initiative.objects.public()
    if f is not None:
        qs = initiative_filter(qs, f)
    return qs


def initiatives_for_review() -> QuerySet[Initiative]:
    return Initiative.objects.filter(review_status=ReviewStatus.SUBMITTED).order_by("submitted_at")


def reports_for_review() -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(state=ProgressReport.State.SUBMITTED)
        .select_related("initiative", "submitted_by")
        .order_by("created_at")
    )


def overdue_initiatives() -> QuerySet[Initiative]:
    """Published initiatives whose report is overdue or that are flagged inactive."""
    today = timezone.localdate()
    return (
        Initiative.objects.public()
        .filter(Q(overdue_since__isnull=False) | Q(inactive=True) | Q(next_report_due__lt=today))
        .select_related("organisation")
        .order_by("overdue_since", "next_report_due")
    )


def agreed_cases_without_initiative(user) -> list:
    """The user's organisations' cases closed with an agreement that are not an initiative yet."""
    from wipomatch.brokering.models import CaseState, MatchCase

    orgs = _member_org_ids(user)
    if not orgs:
        return []
    return list(
        MatchCase.objects.filter(state=CaseState.AGREEMENT, initiative__isnull=True)
        .filter(Q(requesting_organisation_id__in=orgs) | Q(receiving_organisation_id__in=orgs))
        .select_related("need", "offer")
        .order_by("-closed_at", "-id")[:20]
    )
