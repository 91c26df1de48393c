"""The periodic report: HTML and PDF (WeasyPrint) of a period's South-South and triangular work.

`report_render` is shared by `manage.py build_report` and the background task behind the
facilitator page. The PDF embeds the fonts shipped in `fonts/` (see its README), so Arabic and
Chinese render on a fresh machine; a table of contents and page numbers come from CSS paged
media (`target-counter`, `counter(page)`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from . import charts, sources
from .selectors import Breakdown, Period, key_figures, metrics_for, modality_labels, scope_for

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FORMATS = ("html", "pdf")

Progress = Callable[[int, str], None]


def _noop(_percent: int, _step: str) -> None:
    return None


def report_context(period: Period) -> dict:
    """Everything the report shows, in the active language."""
    metrics = metrics_for(period, Breakdown())
    previous = metrics_for(period.previous(), Breakdown())
    labels = modality_labels()
    chart_list = charts.metrics_charts(metrics, labels)
    scope = scope_for(period, Breakdown())
    breakdowns = sources.initiative_breakdowns(scope.initiatives)
    tables = [
        (
            _("Initiatives by modality"),
            [(labels.get(k, k), n) for k, n in breakdowns.get("modality", [])],
        ),
        (_("Initiatives by theme"), breakdowns.get("theme", [])),
        (_("Initiatives by region"), breakdowns.get("region", [])),
    ]
    for title, rows in tables[1:]:
        if rows:
            chart_list.append(
                charts.distribution_chart(
                    f"initiatives-{len(chart_list)}", title, _("Initiatives"), rows
                )
            )
    return {
        "title": _("South-South and triangular cooperation on WIPO Match"),
        "period": period,
        "previous_period": period.previous(),
        "metrics": metrics,
        "figures": key_figures(metrics, previous),
        "charts": chart_list,
        "initiative_tables": tables,
        "modality_labels": labels,
        "stories": sources.selected_stories(period, limit=6),
        "generated": timezone.now(),
        "rtl": get_language_bidi(),
    }


def _font_faces() -> str:
    faces = [
        ("WM Sans", "DejaVuSans-subset.woff2", 400),
        ("WM Sans", "DejaVuSans-Bold-subset.woff2", 700),
        ("WM Chinese", "NotoSansSC-GB2312.woff2", 400),
        ("WM Chinese", "NotoSansSC-GB2312.woff2", 700),
    ]
    return "\n".join(
        f"@font-face {{ font-family: '{family}'; src: url('{(FONTS_DIR / name).as_uri()}'); "
        f"font-weight: {weight}; }}"
        for family, name, weight in faces
    )


def report_render(
    *,
    period: Period,
    language: str,
    formats: tuple[str, ...] = FORMATS,
    output_dir: Path,
    progress: Progress = _noop,
) -> dict[str, Path]:
    """Write the report of `period` in `language` into `output_dir`; returns {format: path}."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stem = f"wipomatch-report-{period.start.isoformat()}-{period.end.isoformat()}-{language}"
    written: dict[str, Path] = {}
    with translation.override(language):
        progress(10, "measures")
        context = report_context(period)
        progress(40, "charts")
        for chart in context["charts"]:
            if chart.has_data:
                charts.prepare(chart)
        context["font_faces"] = _font_faces()
        context["language"] = language
        html = render_to_string("insights/report.html", context)
        if "html" in formats:
            path = output_dir / f"{stem}.html"
            path.write_text(html, encoding="utf-8")
            written["html"] = path
        if "pdf" in formats:
            progress(60, "pdf")
            from weasyprint import HTML

            path = output_dir / f"{stem}.pdf"
            HTML(string=html, base_url=str(FONTS_DIR)).write_pdf(path)
            written["pdf"] = path
    progress(100, "done")
    return written
