"""Where the measures read cases (brokering) and initiatives (cooperation) from.

Each function turns the other app's public records into the plain records of `measures.py`;
insights never writes to those apps. While an app has no models yet, its functions return
nothing, and the measures that depend on it are empty (None or 0).
"""

from __future__ import annotations

from collections import Counter
from importlib import import_module


def _model(app: str, name: str):
    try:
        return getattr(import_module(f"wipomatch.{app}.models"), name)
    except (ImportError, AttributeError):
        return None


def match_case_model():
    return _model("brokering", "MatchCase")


def initiative_model():
    return _model("cooperation", "Initiative")


def case_records(period, breakdown) -> list:
    """Cases opened within the period (narrowed by theme), as `CaseRecord`s."""
    return []


def case_listing_pairs():
    """A queryset of cases for the need and offer of an outer `Suggestion` (for Exists), or
    None when there are no cases."""
    return None


def initiative_records(period, breakdown) -> list:
    """Published initiatives created within the period (narrowed by theme and region), as
    `InitiativeRecord`s."""
    return []


def initiative_theme_counts(initiative_ids: list[int]) -> Counter:
    return Counter()


def data_version_parts() -> list:
    return []


def case_rows(cases: list) -> list[dict]:
    """Cases for the facilitator drill-down: id, organisations, state, dates, link."""
    return []


def initiative_rows(initiatives: list) -> list[dict]:
    """Initiatives for the facilitator drill-down: id, title, modality, link."""
    return []


def initiative_breakdowns(initiatives: list) -> dict[str, list[tuple[str, int]]]:
    """Initiatives counted by modality (slug), theme and region (labels), most first."""
    counts = Counter(i.modality for i in initiatives)
    return {"modality": sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


def selected_stories(period, *, limit: int = 6) -> list[dict]:
    """Published stories of the period for the report: title, summary, url, language."""
    return []
