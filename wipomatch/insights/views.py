"""Pages: the public dashboard, the methodology, the facilitator dashboard with drill-down."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from wipomatch.core.permissions import is_facilitator, require_facilitator

from . import charts
from .forms import PeriodForm
from .selectors import (
    DRILL_FIGURES,
    drill_down,
    key_figures,
    metrics_for,
    modality_labels,
)

DRILL_TITLES = {
    "active_organisations": _("Active organisations"),
    "new_organisations": _("New member organisations"),
    "published_needs": _("Needs published"),
    "published_offers": _("Offers published"),
    "interest": _("Expressions of interest"),
    "mutual": _("Mutual interest"),
    "agreement": _("Agreements"),
    "unanswered": _("Interests not answered"),
    "initiatives": _("Initiatives"),
    "bridging_organisations": _("Organisations bridging regions"),
}


def _dashboard_context(request: HttpRequest, *, facilitator: bool) -> dict:
    form = PeriodForm(request.GET or None)
    period, breakdown = form.period_and_breakdown()
    metrics = metrics_for(period, breakdown)
    previous = metrics_for(period.previous(), breakdown)
    chart_list = charts.metrics_charts(metrics, modality_labels())
    charts.ensure_prepared(chart_list)
    query = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    query.update(breakdown.as_query())
    return {
        "form": form,
        "period": period,
        "previous_period": period.previous(),
        "metrics": metrics,
        "figures": key_figures(metrics, previous),
        "charts": chart_list,
        "modality_labels": modality_labels(),
        "query": query,
        "facilitator": facilitator,
        "drill_figures": DRILL_FIGURES,
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Aggregates only: no person, no listing, nothing that is not public."""
    return render(
        request, "insights/dashboard.html", _dashboard_context(request, facilitator=False)
    )


@login_required
@require_GET
def facilitator_dashboard(request: HttpRequest) -> HttpResponse:
    require_facilitator(request.user)
    return render(request, "insights/dashboard.html", _dashboard_context(request, facilitator=True))


@login_required
@require_GET
def figure_detail(request: HttpRequest, figure: str) -> HttpResponse:
    """The organisations, listings, cases or initiatives behind one figure."""
    require_facilitator(request.user)
    if figure not in DRILL_FIGURES:
        raise Http404
    form = PeriodForm(request.GET or None)
    period, breakdown = form.period_and_breakdown()
    detail = drill_down(period, breakdown, figure)
    query = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    query.update(breakdown.as_query())
    return render(
        request,
        "insights/figure_detail.html",
        {
            "form": form,
            "figure": figure,
            "title": DRILL_TITLES[figure],
            "period": period,
            "detail": detail,
            "query": query,
        },
    )


@require_GET
def methodology(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/methodology.html")


@require_GET
def export(request: HttpRequest, dataset: str, fmt: str):
    """CSV or XLSX of a list page with its current filters, or of the measures."""
    from . import exports

    if fmt not in exports.FORMATS:
        raise Http404
    if dataset == "measures":
        period, breakdown = PeriodForm(request.GET or None).period_and_breakdown()
        table = exports.measures_table(period, breakdown)
    else:
        builder = exports.DATASETS.get(dataset)
        if builder is None:
            raise Http404
        table = builder(request, facilitator=is_facilitator(request.user))
    return exports.respond(table, fmt)


# --- Reports (facilitators) ------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """Start a report in the background; list the reports built, for download."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from wipomatch.core.forms import apply_service_errors

    from .forms import ReportForm
    from .models import Report
    from .services import report_request

    require_facilitator(request.user)
    form = ReportForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            report = report_request(
                user=request.user,
                period=form.cleaned_data["period"],
                language=form.cleaned_data["language"],
                formats=form.cleaned_data["formats"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The report is being built; this page shows progress."))
            return redirect("insights:report_detail", pk=report.pk)
    reports = Report.objects.select_related("requested_by")[:100]
    return render(request, "insights/report_list.html", {"form": form, "reports": reports})


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of one report (htmx polls the progress part until it is ready)."""
    from django.shortcuts import get_object_or_404

    from .models import Report

    require_facilitator(request.user)
    report = get_object_or_404(Report, pk=pk)
    template = "insights/_report_progress.html"
    if not getattr(request, "htmx", None):
        template = "insights/report_detail.html"
    return render(request, template, {"report": report})


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int, fmt: str):
    from pathlib import Path

    from django.conf import settings
    from django.http import FileResponse
    from django.shortcuts import get_object_or_404

    from .models import Report

    require_facilitator(request.user)
    report = get_object_or_404(Report, pk=pk, status=Report.Status.DONE)
    relative = report.files.get(fmt)
    if not relative:
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
