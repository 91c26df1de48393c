"""Charts: Vega-Lite specs written with altair, drawn to SVG offline by vl-convert.

Drawing takes about a second the first time in a process and a tenth of a second later, so a
page never draws: it reads an SVG prepared earlier, cached on disk under
MEDIA_ROOT/insights/charts/ by the hash of the spec (which holds the data and the translated
labels, hence the language). A missing chart is queued for the worker (`charts_prepare_task`)
and the page shows its data table meanwhile; the periodic job `insights-prepare` prepares the
default dashboard in every language. Every chart comes with a text alternative and its table.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# "WM Sans" and "WM Chinese" are the fonts shipped for the PDF report (see fonts/README.md);
# browsers skip them and use their own.
FONT = "WM Sans, WM Chinese, Noto Sans, DejaVu Sans, Noto Sans CJK SC, sans-serif"


@dataclass
class Chart:
    """A horizontal bar chart of labelled values, with what a reader needs without the image."""

    key: str
    title: str
    value_title: str
    rows: list[tuple[str, float | int | None]]
    percent: bool = False
    rtl: bool = False
    spec: dict = field(init=False)
    digest: str = field(init=False)

    def __post_init__(self):
        self.spec = bar_spec(self)
        self.digest = _digest(json.dumps(self.spec, sort_keys=True, ensure_ascii=False))

    @property
    def has_data(self) -> bool:
        return any(v for _label, v in self.rows)

    def formatted(self, value) -> str:
        if value is None:
            return "—"
        if self.percent:
            return f"{number_format(value * 100, 1)} %"
        return number_format(value)

    @property
    def table(self) -> list[tuple[str, str]]:
        return [(label, self.formatted(v)) for label, v in self.rows]

    @property
    def alt_text(self) -> str:
        """One sentence a screen reader reads in place of the picture."""
        if not self.has_data:
            return _("%(title)s: no data for this period.") % {"title": self.title}
        parts = "; ".join(f"{label}: {self.formatted(v)}" for label, v in self.rows)
        return f"{self.title}. {parts}."

    @property
    def svg(self) -> str | None:
        return cached_svg(self.digest)


@lru_cache(maxsize=1024)
def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def bar_spec(chart: Chart, *, validate: bool = False) -> dict:
    """The Vega-Lite spec of a chart (built once per distinct content in a process: altair's
    objects validate themselves as they are built, which costs tens of milliseconds)."""
    if validate:
        return _bar_spec(
            chart.title, chart.value_title, tuple(chart.rows), chart.percent, chart.rtl, True
        )
    return _cached_bar_spec(
        chart.title, chart.value_title, tuple(chart.rows), chart.percent, chart.rtl
    )


@lru_cache(maxsize=1024)
def _cached_bar_spec(title, value_title, rows, percent, rtl) -> dict:
    return _bar_spec(title, value_title, rows, percent, rtl, False)


def _bar_spec(title, value_title, rows, percent, rtl, validate) -> dict:
    import altair as alt

    values = [
        {"label": label, "value": (value or 0) * (100 if percent else 1)} for label, value in rows
    ]
    x = alt.X(
        "value:Q",
        title=value_title,
        scale=alt.Scale(reverse=rtl, domainMin=0),
        axis=alt.Axis(format=".0f" if percent else "~s", tickMinStep=1),
    )
    y = alt.Y(
        "label:N",
        sort=None,
        title=None,
        axis=alt.Axis(orient="right" if rtl else "left", labelLimit=220),
    )
    spec = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color="#0d6efd")
        .encode(x=x, y=y, tooltip=[alt.Tooltip("label:N"), alt.Tooltip("value:Q")])
        .properties(width=420, height=alt.Step(26), title=title)
        .configure(font=FONT)
        .configure_title(anchor="end" if rtl else "start", fontSize=14)
        # Validated against the Vega-Lite JSON schema in the tests, not on every page view.
        .to_dict(validate=validate)
    )
    spec.pop("$schema", None)
    return spec


def _chart_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "insights" / "charts"


def cached_svg(digest: str) -> str | None:
    path = _chart_dir() / f"{digest}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


_SVG_ROOT = re.compile(r"^<svg\b")


def render_svg(spec: dict) -> str:
    """Draw a spec (slow: only in the worker, the periodic job or the report builder)."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec)
    # The picture is decorative for assistive technology: its text alternative and table are
    # next to it. Its coordinates are laid out left to right (the mirroring for Arabic is in
    # the spec), so it must not inherit the right-to-left direction of an Arabic page, which
    # would move every label; Arabic words are still shaped and read right to left.
    return _SVG_ROOT.sub('<svg aria-hidden="true" focusable="false" direction="ltr"', svg, count=1)


def store_svg(digest: str, svg: str) -> None:
    directory = _chart_dir()
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".{digest}.tmp"
    tmp.write_text(svg, encoding="utf-8")
    tmp.replace(directory / f"{digest}.svg")


def prepare(chart: Chart) -> str:
    """The chart's SVG, drawn and stored if it was not already."""
    svg = chart.svg
    if svg is None:
        svg = render_svg(chart.spec)
        store_svg(chart.digest, svg)
    return svg


def ensure_prepared(charts: list[Chart]) -> None:
    """Queue the drawing of the charts that are not prepared yet (the page does not wait)."""
    from django.core.cache import cache

    # Queue each missing chart once (for a few minutes), not on every page view.
    missing = [
        c
        for c in charts
        if c.has_data and c.svg is None and cache.add(f"insights:chart-queued:{c.digest}", 1, 300)
    ]
    if not missing:
        return
    from .tasks import charts_prepare_task

    try:
        charts_prepare_task.enqueue(specs={c.digest: c.spec for c in missing})
    except Exception:  # a queue that is down must not break a page that has its tables
        logger.exception("could not queue %d charts", len(missing))


# --- The charts of a set of measures ---------------------------------------------------------


def metrics_charts(metrics: dict, labels: dict[str, str]) -> list[Chart]:
    """The dashboard's and report's charts for one result of `compute_metrics`."""
    rtl = get_language_bidi()
    funnel = metrics["funnel"]
    charts = [
        Chart(
            "funnel",
            _("From publication to results"),
            _("Number"),
            [
                (_("Needs published"), funnel["published_needs"]),
                (_("Offers published"), funnel["published_offers"]),
                (_("Suggested pairs"), funnel["suggested"]),
                (_("Expressions of interest"), funnel["interest"]),
                (_("Mutual interest"), funnel["mutual"]),
                (_("Agreements"), funnel["agreement"]),
                (_("Initiatives"), funnel["initiatives"]),
                (_("Completed with results"), funnel["completed_with_results"]),
            ],
            rtl=rtl,
        ),
        Chart(
            "modality",
            _("Initiatives by modality"),
            _("Share of initiatives (%)"),
            [(labels.get(m, m), v) for m, v in metrics["modality_share"].items()],
            percent=True,
            rtl=rtl,
        ),
        Chart(
            "diversity",
            _("Diversity of the network (Shannon evenness)"),
            _("Evenness (%)"),
            [
                (_("Regions"), metrics["diversity"]["regions"]),
                (_("Organisation types"), metrics["diversity"]["organisation_types"]),
                (_("Themes"), metrics["diversity"]["themes"]),
            ],
            percent=True,
            rtl=rtl,
        ),
        Chart(
            "satisfaction",
            _("Satisfaction ratings"),
            _("Number of ratings"),
            [
                (_("%(n)s of 5") % {"n": n}, count)
                for n, count in metrics["satisfaction"]["distribution"].items()
            ],
            rtl=rtl,
        ),
    ]
    return charts


def distribution_chart(key: str, title: str, value_title: str, rows) -> Chart:
    return Chart(key, title, value_title, list(rows), rtl=get_language_bidi())
