"""SDG suggestion benchmark: how often the labelled goal is the first, or among the first three,
suggestions. The file format is described in docs/tagging.md.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .labels import LANGUAGES, normalise_language
from .model import MAX_TEXT_LENGTH

__all__ = ["BenchmarkError", "BenchmarkItem", "evaluate", "load_benchmark"]


class BenchmarkError(ValueError):
    """The benchmark file cannot be read or does not have the documented format."""


@dataclass(frozen=True, slots=True)
class BenchmarkItem:
    text: str
    language: str
    sdg: int


def load_benchmark(path: str | Path) -> list[BenchmarkItem]:
    """Read a JSON list of {"text", "language", "sdg"} objects (other keys are ignored)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BenchmarkError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BenchmarkError(f"{path}: cannot be read ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise BenchmarkError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, list) or not data:
        raise BenchmarkError(f"{path}: expected a non-empty JSON list of items")
    items = []
    for number, entry in enumerate(data, start=1):
        where = f"{path}: item {number}"
        if not isinstance(entry, dict):
            raise BenchmarkError(f"{where}: expected an object with text, language and sdg")
        text, language, sdg = entry.get("text"), entry.get("language"), entry.get("sdg")
        if not isinstance(text, str) or not text.strip():
            raise BenchmarkError(f"{where}: 'text' must be a non-empty string")
        if len(text) > MAX_TEXT_LENGTH:
            raise BenchmarkError(f"{where}: 'text' is longer than {MAX_TEXT_LENGTH} characters")
        code = normalise_language(language) if isinstance(language, str) else None
        if code is None:
            raise BenchmarkError(f"{where}: 'language' must be one of {', '.join(LANGUAGES)}")
        if isinstance(sdg, bool) or not isinstance(sdg, int) or not 1 <= sdg <= 17:
            raise BenchmarkError(f"{where}: 'sdg' must be an integer goal number from 1 to 17")
        items.append(BenchmarkItem(text=text, language=code, sdg=sdg))
    return items


def _rates(hits: Sequence[tuple[bool, bool]]) -> dict:
    n = len(hits)
    return {
        "n": n,
        "top1": round(sum(h1 for h1, _h3 in hits) / n, 4) if n else None,
        "top3": round(sum(h3 for _h1, h3 in hits) / n, 4) if n else None,
    }


def evaluate(
    rank_goals: Callable[[str, str], Sequence[int]], items: Sequence[BenchmarkItem]
) -> dict:
    """Top-1 / top-3 accuracy overall, per language and per goal.

    `rank_goals(text, language)` returns goal numbers, best first.
    """
    hits: list[tuple[bool, bool]] = []
    by_language: dict[str, list] = defaultdict(list)
    by_goal: dict[int, list] = defaultdict(list)
    for item in items:
        ranked = list(rank_goals(item.text, item.language))
        hit = (bool(ranked) and ranked[0] == item.sdg, item.sdg in ranked[:3])
        hits.append(hit)
        by_language[item.language].append(hit)
        by_goal[item.sdg].append(hit)
    return {
        "overall": _rates(hits),
        "languages": {lang: _rates(by_language[lang]) for lang in LANGUAGES if lang in by_language},
        "goals": {str(goal): _rates(by_goal[goal]) for goal in sorted(by_goal)},
    }
