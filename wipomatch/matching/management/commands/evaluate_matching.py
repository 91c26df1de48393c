"""`manage.py evaluate_matching PATH`: matching quality on a benchmark file, next to BM25.

The listings of the file are loaded into an isolated in-memory index; nothing is written to the
database. All the work is in `wipomatch.matching.engine.cli`.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wipomatch.matching.engine.benchmark import BenchmarkError
from wipomatch.matching.engine.cli import ENGINES, format_report, json_result, run_evaluation
from wipomatch.matching.engine.config import ConfigError


class Command(BaseCommand):
    help = (
        "Rank every offer for every need of a benchmark file (bench/README.md format) and report "
        "nDCG@k, MRR, Recall@k and Recall@50 overall, per need language and cross-lingual, with "
        "the BM25 baseline computed in the same run."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="benchmark JSON file")
        parser.add_argument("--k", type=int, default=10, help="cut-off for nDCG and recall")
        parser.add_argument(
            "--engine",
            default="hybrid",
            choices=sorted(ENGINES),
            help="hybrid (default), semantic (embeddings only) or bm25 (the baseline alone)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        def progress(message: str) -> None:
            if options["verbosity"] >= 1 and not options["json"]:
                self.stderr.write(message)

        try:
            result = run_evaluation(
                options["path"],
                k=options["k"],
                engine=options["engine"],
                config=settings.MATCHING,
                progress=progress,
            )
        except (BenchmarkError, ConfigError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(json_result(result)))
        else:
            self.stdout.write(format_report(result))
