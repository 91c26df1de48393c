"""`manage.py bench_matching --offers N`: index build time, memory and query latency.

Builds an engine index over a synthetic multilingual catalogue (nothing touches the database)
and times top-10 queries with eligibility and facet filters. All the work is in
`wipomatch.matching.engine.cli`.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wipomatch.matching.engine.cli import bench_json, format_bench, run_bench
from wipomatch.matching.engine.config import ConfigError


class Command(BaseCommand):
    help = (
        "Speed benchmark of the matching engine on a synthetic catalogue of N offers and M "
        "needs: build seconds, peak memory, p50/p95/p99 latency of filtered top-10 queries. "
        "Measure on one core: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--offers", type=int, required=True, help="number of offers")
        parser.add_argument("--needs", type=int, help="number of needs (default: offers / 10)")
        parser.add_argument("--queries", type=int, default=200, help="number of timed queries")
        parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic catalogue")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        if options["offers"] < 1 or options["queries"] < 1:
            raise CommandError("--offers and --queries must be at least 1")
        if options["needs"] is not None and options["needs"] < 1:
            raise CommandError("--needs must be at least 1")

        def progress(message: str) -> None:
            if options["verbosity"] >= 1:
                self.stderr.write(message)

        try:
            result = run_bench(
                options["offers"],
                options["needs"],
                options["queries"],
                seed=options["seed"],
                config=settings.MATCHING,
                progress=progress,
            )
        except ConfigError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(bench_json(result)))
        else:
            self.stdout.write(format_bench(result))
