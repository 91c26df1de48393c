"""Writes of the insights app: prepared charts and built reports (never other apps' data)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import charts
from .selectors import Breakdown, Period, default_selections, metrics_for, modality_labels


def insights_prepare_default() -> str:
    """Periodic job: compute the measures of the last 365 days and of the 365 days before, with
    no breakdown and with each single breakdown value, into the shared store (the dashboards
    and the API then answer from it), and draw the default dashboard's charts in every
    language. Idempotent: what is already prepared for the current data is skipped."""
    period = Period.last_days(365)
    selections = default_selections()
    for breakdown in selections:
        metrics_for(period, breakdown)
        metrics_for(period.previous(), breakdown)
    drawn = 0
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            metrics = metrics_for(period, Breakdown())
            for chart in charts.metrics_charts(metrics, modality_labels()):
                if chart.has_data and chart.svg is None:
                    charts.prepare(chart)
                    drawn += 1
    return f"measures of {len(selections)} selections ready, {drawn} charts drawn"


def report_request(*, user, period: Period, language: str, formats: list[str]):
    """A facilitator asks for a report: recorded, then built by the worker after commit."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from wipomatch.core.permissions import require_facilitator

    from .models import Report
    from .report import FORMATS
    from .tasks import report_build_task

    require_facilitator(user)
    formats = [f for f in FORMATS if f in formats]
    if not formats:
        raise ValidationError({"formats": [_("Choose HTML, PDF or both.")]})
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the platform's languages.")]})
    report = Report.objects.create(
        period_start=period.start,
        period_end=period.end,
        language=language,
        formats=formats,
        requested_by=user,
    )
    transaction.on_commit(lambda: report_build_task.enqueue(report_id=report.pk))
    return report


def report_build(*, report_id: int):
    """Build a requested report into MEDIA_ROOT/reports/<id>-<secret>/, recording progress;
    idempotent (a report already built or being built is left alone). The web server serves
    MEDIA_ROOT to anyone, so the folder name carries a secret: only the facilitators' download
    view, which reads the path from the report, leads to the files."""
    import secrets
    from pathlib import Path

    from django.utils import timezone

    from .models import Report
    from .report import report_render

    claimed = Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
        status=Report.Status.RUNNING, progress=1, step="start"
    )
    report = Report.objects.get(pk=report_id)
    if not claimed:
        return report

    def progress(percent: int, step: str) -> None:
        Report.objects.filter(pk=report_id).update(progress=percent, step=step)

    root = Path(settings.MEDIA_ROOT)
    try:
        written = report_render(
            period=Period(report.period_start, report.period_end),
            language=report.language,
            formats=tuple(report.formats),
            output_dir=root / "reports" / f"{report.pk}-{secrets.token_hex(16)}",
            progress=progress,
        )
    except Exception as error:  # recorded on the report page, and logged for the team
        import logging

        logging.getLogger(__name__).exception("report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=Report.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
    else:
        Report.objects.filter(pk=report_id).update(
            status=Report.Status.DONE,
            progress=100,
            step="done",
            files={fmt: str(path.relative_to(root)) for fmt, path in written.items()},
            finished_at=timezone.now(),
        )
    report.refresh_from_db()
    return report
