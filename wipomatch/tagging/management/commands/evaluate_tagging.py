"""`manage.py evaluate_tagging PATH [--json]`: SDG suggestion accuracy on a benchmark file.

The file is a JSON list of {"text", "language", "sdg"} objects (docs/tagging.md). The command
prints how often the labelled goal is the first suggestion (top-1) and among the first three
(top-3), overall and per language (and per goal with --per-goal). Nothing is written anywhere.
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from wipomatch.tagging import get_suggester
from wipomatch.tagging.evaluation import BenchmarkError, evaluate, load_benchmark


class Command(BaseCommand):
    help = (
        "Suggest SDGs for every text of a benchmark file (a JSON list of {text, language, sdg}) "
        "and report top-1 and top-3 accuracy overall and per language."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="benchmark JSON file")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--per-goal", action="store_true", help="also report each goal")

    def handle(self, *args, **options):
        try:
            items = load_benchmark(options["path"])
        except BenchmarkError as exc:
            raise CommandError(str(exc)) from exc
        suggester = get_suggester()
        started = time.monotonic()

        def rank_goals(text: str, language: str) -> list[int]:
            return [goal for goal, _score in suggester.suggest(text, language).sdgs]

        report = evaluate(rank_goals, items)
        report["seconds"] = round(time.monotonic() - started, 1)
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(self._format(options["path"], report, options["per_goal"]))

    @staticmethod
    def _format(path: str, report: dict, per_goal: bool) -> str:
        def row(name: str, rates: dict) -> str:
            return f"{name:<10}{rates['n']:>6}{rates['top1']:>9.1%}{rates['top3']:>9.1%}"

        lines = [
            f"SDG suggestions on {path} ({report['seconds']} s)",
            "",
            f"{'':<10}{'texts':>6}{'top-1':>9}{'top-3':>9}",
            row("overall", report["overall"]),
        ]
        lines += [row(lang, rates) for lang, rates in report["languages"].items()]
        if per_goal:
            lines.append("")
            lines += [row(f"SDG {goal}", rates) for goal, rates in report["goals"].items()]
        return "\n".join(lines)
