"""Pages of cooperation initiatives: directory, initiative page, forms, reports, review lists.

Thin views: reads through the scoped selectors, writes through services, the allowed actions
from the one lifecycle policy.
"""

import nh3
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from markdown_it import MarkdownIt

from wipomatch.core.audit import audit_trail_for
from wipomatch.core.forms import apply_service_errors
from wipomatch.core.permissions import is_facilitator, require_facilitator
from wipomatch.listings.models import ui_to_listing_language

from . import importer, services
from . import permissions as perms
from .forms import (
    DirectoryFilterForm,
    ImportForm,
    InitiativeForm,
    OverrideForm,
    PartyFormSet,
    ReasonForm,
    ReportForm,
    ReportReviewForm,
    ResultForm,
    parties_of,
    party_initial,
)
from .models import (
    ActivityStatus,
    Cadence,
    Indicator,
    Modality,
    OrganisationType,
    ProgressReport,
    ReviewStatus,
)
from .selectors import (
    InitiativeFilters,
    agreed_cases_without_initiative,
    get_initiative_for_user,
    get_report_for_user,
    initiatives_for_review,
    initiatives_of_user,
    overdue_initiatives,
    public_initiatives,
    render_reason,
    reports_for_review,
)
from .serializers import latest_actual

_markdown = MarkdownIt("commonmark", {"html": False})


def render_markdown(text: str) -> str:
    return nh3.clean(_markdown.render(text or ""), link_rel="nofollow noopener")


def _page(request, qs, per_page=20):
    paginator = Paginator(qs, per_page)
    page = paginator.get_page(request.GET.get("page"))
    return page, paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = InitiativeFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = InitiativeFilters(
            q=d.get("q") or "",
            theme=[d["theme"]] if d.get("theme") else [],
            modality=[d["modality"]] if d.get("modality") else [],
            ppp={"yes": True, "no": False}.get(d.get("ppp") or ""),
            country=d.get("country") or "",
            region=d.get("region") or "",
            ldc=bool(d.get("ldc")),
            status=[d["status"]] if d.get("status") else [],
            sdg=[d["sdg"]] if d.get("sdg") else [],
            year=d.get("year"),
        )
    qs = (
        public_initiatives(filters)
        .select_related("organisation")
        .prefetch_related("themes", "countries", "parties__country")
        .order_by("-published_at", "-id")
    )
    page, page_range = _page(request, qs)
    return render(
        request,
        "cooperation/directory.html",
        {
            "form": form,
            "page_obj": page,
            "initiatives": page.object_list,
            "page_range": page_range,
            "can_create": perms.can_create_initiative(request.user),
        },
    )


def _chart_rows(initiative) -> list[dict]:
    rows = []
    for result in initiative.results.all():
        for indicator in result.indicators.all():
            actual = latest_actual(indicator)
            target = indicator.target_value
            scale = max(
                [v for v in (target, actual, indicator.baseline_value) if v is not None] or [0]
            )
            rows.append(
                {
                    "result": result,
                    "indicator": indicator,
                    "actual": actual,
                    "target": target,
                    "target_pct": int(target / scale * 100) if target and scale else 0,
                    "actual_pct": int(actual / scale * 100) if actual and scale else 0,
                }
            )
    return rows


ACTION_LABELS = {
    "created": gettext_lazy("Created"),
    "created_from_case": gettext_lazy("Created from an agreed case"),
    "edited": gettext_lazy("Edited"),
    "parties_changed": gettext_lazy("Parties changed"),
    "modality_derived": gettext_lazy("Modality derived again"),
    "modality_overridden": gettext_lazy("Modality set by a facilitator"),
    "modality_override_removed": gettext_lazy("Modality override removed"),
    "submitted": gettext_lazy("Submitted for review"),
    "published": gettext_lazy("Published"),
    "changes_requested": gettext_lazy("Changes requested"),
    "result_added": gettext_lazy("Result added"),
    "report_submitted": gettext_lazy("Progress report submitted"),
    "report_resubmitted": gettext_lazy("Progress report submitted again"),
    "report_accepted": gettext_lazy("Progress report accepted"),
    "report_changes_requested": gettext_lazy("Changes to a progress report requested"),
    "report_missed": gettext_lazy("Progress report missed"),
    "flagged_inactive": gettext_lazy("Marked inactive"),
}


def _state_labels() -> dict:
    return {
        **dict(ActivityStatus.choices),
        **dict(ProgressReport.State.choices),
        **dict(ReviewStatus.choices),
        **dict(Modality.choices),
        "active": gettext_lazy("active"),
        "inactive": gettext_lazy("inactive"),
    }


def _event_details(event) -> str:
    data = event.data or {}
    if event.action == "report_missed":
        return _("Due on %(due)s; %(n)s missed in a row.") % {
            "due": data.get("due", ""),
            "n": data.get("missed_in_a_row", ""),
        }
    if event.action == "modality_derived" and data.get("reason"):
        return render_reason(data["reason"])
    return ""


def _audit_rows(initiative) -> list[dict]:
    states = _state_labels()
    return [
        {
            "when": e.created_at,
            "actor": e.actor,
            "action": ACTION_LABELS.get(e.action, e.action),
            "from_state": states.get(e.from_state, e.from_state),
            "to_state": states.get(e.to_state, e.to_state),
            "reason": e.reason or _event_details(e),
        }
        for e in audit_trail_for(initiative).order_by("-created_at", "-id")[:50]
    ]


def detail(request, pk):
    initiative = get_initiative_for_user(request.user, pk)
    actions = perms.initiative_allowed_actions(request.user, initiative)
    insider = perms.EDIT in actions or is_facilitator(request.user)
    reports = initiative.reports.select_related("submitted_by").all() if insider else []
    return render(
        request,
        "cooperation/detail.html",
        {
            "initiative": initiative,
            "actions": dict.fromkeys(actions, True),
            "insider": insider,
            "reason": render_reason(initiative.modality_reason),
            "description_html": render_markdown(initiative.description),
            "chart": _chart_rows(initiative),
            "reports": reports,
            "audit": _audit_rows(initiative) if insider else None,
            "override_form": OverrideForm(
                initial={
                    "modality": initiative.modality_override,
                    "reason": initiative.modality_override_reason,
                }
            )
            if perms.OVERRIDE_MODALITY in actions
            else None,
            "changes_form": ReasonForm() if perms.REQUEST_CHANGES in actions else None,
        },
    )


def _preview_context(formset) -> dict:
    parties = []
    for form in formset.forms:
        d = getattr(form, "cleaned_data", None) or {}
        if d.get("DELETE") or not d.get("role"):
            continue
        org = d.get("organisation")
        if org is not None:
            parties.append(
                {
                    "country": org.country.iso2,
                    "organisation_type": org.org_type
                    if org.org_type in OrganisationType.values
                    else "other",
                    "role": d["role"],
                    "name": org.name,
                }
            )
        elif d.get("name") and d.get("organisation_type"):
            parties.append(
                {
                    "country": d.get("country") or None,
                    "organisation_type": d["organisation_type"],
                    "role": d["role"],
                    "name": d["name"],
                }
            )
    result = services.modality_preview(parties=parties)
    return {
        "preview": result,
        "preview_reason": render_reason(result.reason.as_dict()),
        "preview_label": Modality(result.modality).label,
        "preview_count": len(parties),
    }


def modality_preview(request):
    """The htmx call of the form: the modality the parties typed so far would have."""
    formset = PartyFormSet(request.POST or None, prefix="parties")
    formset.is_valid()
    return render(request, "cooperation/_modality_preview.html", _preview_context(formset))


def _save_form(request, initiative=None):
    form = InitiativeForm(
        request.POST or None,
        initial=InitiativeForm.initial_from(initiative)
        if initiative
        else {
            "language": ui_to_listing_language(get_language()),
            "status": ActivityStatus.PIPELINE,
            "reporting_cadence": Cadence.SIX_MONTHLY,
        },
    )
    formset = PartyFormSet(
        request.POST or None,
        prefix="parties",
        initial=party_initial(initiative) if initiative else None,
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                if initiative is None:
                    initiative = services.initiative_create(
                        actor=request.user,
                        data=form.to_data(),
                        parties=parties_of(formset),
                        submit="submit" in request.POST,
                    )
                else:
                    services.initiative_update(
                        actor=request.user, initiative=initiative, data=form.to_data()
                    )
                    services.initiative_set_parties(
                        actor=request.user, initiative=initiative, parties=parties_of(formset)
                    )
                    if "submit" in request.POST:
                        services.initiative_submit(actor=request.user, initiative=initiative)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The initiative was saved."))
            return redirect("cooperation:detail", initiative.pk)
    preview = (
        _preview_context(formset)
        if formset.is_bound
        else (
            {"preview": None}
            if initiative is None
            else {
                "preview": initiative,
                "preview_reason": render_reason(initiative.modality_reason),
                "preview_label": Modality(initiative.modality_derived).label,
                "preview_count": initiative.parties.count(),
            }
        )
    )
    return render(
        request,
        "cooperation/form.html",
        {"form": form, "formset": formset, "initiative": initiative, **preview},
    )


@login_required
def create(request):
    if not perms.can_create_initiative(request.user):
        raise PermissionDenied
    return _save_form(request)


@login_required
def edit(request, pk):
    initiative = get_initiative_for_user(request.user, pk, write=True)
    return _save_form(request, initiative)


def _action(request, pk, service, **kwargs):
    initiative = get_initiative_for_user(request.user, pk)
    try:
        service(actor=request.user, initiative=initiative, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("cooperation:detail", initiative.pk)


@login_required
@require_POST
def submit(request, pk):
    return _action(request, pk, services.initiative_submit)


@login_required
@require_POST
def publish(request, pk):
    require_facilitator(request.user)
    return _action(request, pk, services.initiative_publish)


@login_required
@require_POST
def request_changes(request, pk):
    require_facilitator(request.user)
    return _action(
        request, pk, services.initiative_request_changes, reason=request.POST.get("reason", "")
    )


@login_required
@require_POST
def override(request, pk):
    require_facilitator(request.user)
    return _action(
        request,
        pk,
        services.initiative_override_modality,
        modality=request.POST.get("modality", ""),
        reason=request.POST.get("reason", ""),
    )


@login_required
def add_result(request, pk):
    initiative = get_initiative_for_user(request.user, pk, write=True)
    form = ResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_set_results(
                actor=request.user, initiative=initiative, results=[form.to_data()]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The result was added."))
            return redirect("cooperation:detail", initiative.pk)
    return render(request, "cooperation/result_form.html", {"form": form, "initiative": initiative})


@login_required
def report_create(request, pk):
    initiative = get_initiative_for_user(request.user, pk)
    if perms.REPORT not in perms.initiative_allowed_actions(request.user, initiative):
        raise PermissionDenied
    indicators = Indicator.objects.filter(result__initiative=initiative)
    form = ReportForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_submit(
                actor=request.user, initiative=initiative, data=form.to_data()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: the report was submitted to a facilitator."))
            return redirect("cooperation:report", report.pk)
    return render(request, "cooperation/report_form.html", {"form": form, "initiative": initiative})


@login_required
def report_detail(request, pk):
    report = get_report_for_user(request.user, pk)
    actions = perms.report_allowed_actions(request.user, report)
    review_form = None
    edit_form = None
    if perms.ACCEPT_REPORT in actions:
        review_form = ReportReviewForm(request.POST or None)
        if request.method == "POST" and review_form.is_valid():
            decision = review_form.cleaned_data["decision"]
            comment = review_form.cleaned_data.get("comment", "")
            try:
                if decision == "accept":
                    services.report_accept(actor=request.user, report=report, comment=comment)
                else:
                    services.report_request_changes(
                        actor=request.user, report=report, comment=comment
                    )
            except ValidationError as error:
                apply_service_errors(review_form, error)
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect("cooperation:report", report.pk)
    elif perms.EDIT_REPORT in actions:
        indicators = Indicator.objects.filter(result__initiative=report.initiative)
        initial = {
            name: getattr(report, name)
            for name in (
                "period_start",
                "period_end",
                "narrative",
                "challenges",
                "next_steps",
                "status_change",
            )
        }
        initial.update({f"actual_{a.indicator_id}": a.value for a in report.actuals.all()})
        edit_form = ReportForm(request.POST or None, indicators=indicators, initial=initial)
        if request.method == "POST" and edit_form.is_valid():
            try:
                services.report_resubmit(
                    actor=request.user, report=report, data=edit_form.to_data()
                )
            except ValidationError as error:
                apply_service_errors(edit_form, error)
            else:
                messages.success(request, _("The report was submitted again."))
                return redirect("cooperation:report", report.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "cooperation/report.html",
        {
            "report": report,
            "initiative": report.initiative,
            "actuals": report.actuals.select_related("indicator"),
            "review_form": review_form,
            "edit_form": edit_form,
        },
    )


@login_required
def mine(request):
    qs = initiatives_of_user(request.user)
    page, page_range = _page(request, qs)
    return render(
        request,
        "cooperation/mine.html",
        {
            "page_obj": page,
            "initiatives": page.object_list,
            "page_range": page_range,
            "agreed_cases": agreed_cases_without_initiative(request.user),
        },
    )


@login_required
def review_queue(request):
    require_facilitator(request.user)
    return render(
        request,
        "cooperation/review_queue.html",
        {
            "initiatives": initiatives_for_review().select_related("organisation"),
            "reports": reports_for_review(),
            "overdue": overdue_initiatives(),
        },
    )


@login_required
@require_POST
def from_case(request, case_pk):
    """Turn an agreed case into a pre-filled draft initiative, then edit it."""
    from wipomatch.brokering.selectors import get_case_for_user

    case = get_case_for_user(request.user, case_pk)
    try:
        initiative = services.initiative_from_case(actor=request.user, case=case)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("brokering:case_detail", case.pk)
    messages.success(
        request,
        _(
            "The initiative is pre-filled from the agreement: check it, add parties, then submit it."
        ),
    )
    return redirect("cooperation:edit", initiative.pk)


@login_required
def import_initiatives(request):
    """Staff upload a CSV / XLSX file; every row is checked, and either all rows are created or
    none (a dry run creates none either way)."""
    require_facilitator(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = importer.read_upload(upload.name, upload.read(importer.MAX_BYTES + 1))
        except importer.UnreadableFile as error:
            file_error = str(error)
        else:
            report = importer.initiatives_import(
                actor=request.user, rows=rows, dry_run=form.cleaned_data["dry_run"]
            )
    return render(
        request,
        "cooperation/import.html",
        {"form": form, "report": report, "file_error": file_error},
    )


@login_required
def import_template(request, fmt):
    require_facilitator(request.user)
    if fmt == "xlsx":
        content = importer.template_xlsx()
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, mime = importer.template_csv(), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="initiatives-template.{fmt}"'
    return response
