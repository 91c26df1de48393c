"""`manage.py bench_matching --offers N [--refresh-db R]`: build time, memory, query latency
and the refresh that follows a listing change.

Builds an engine index over a synthetic multilingual catalogue (nothing touches the database)
and times top-20 queries with eligibility and facet filters, and the refresh after an offer
changes (index update + 1 + k searches); all of that is in `wipomatch.matching.engine.cli`.
`--refresh-db R` also times the refresh as production runs it,
`suggestions_refresh_for_listing` on R published listings of the database (index catch-up,
1 + k searches and the database writes), reported separately.
"""

import json
import time

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wipomatch.listings.models import Listing, Status
from wipomatch.matching.engine.cli import bench_json, format_bench, run_bench
from wipomatch.matching.engine.config import ConfigError
from wipomatch.matching.services import suggestions_refresh_for_listing


class Command(BaseCommand):
    help = (
        "Speed benchmark of the matching engine on a synthetic catalogue of N offers and M "
        "needs: build seconds, peak memory, p50/p95/p99 latency of filtered top-20 queries and of "
        "the refresh after a change. "
        "Measure on one core: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--offers", type=int, required=True, help="number of offers")
        parser.add_argument("--needs", type=int, help="number of needs (default: offers / 10)")
        parser.add_argument("--queries", type=int, default=200, help="number of timed queries")
        parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic catalogue")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--refresh-db",
            type=int,
            default=0,
            metavar="R",
            help="also time the full refresh (with database writes) of R published listings",
        )

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
        database = _refresh_from_database(options["refresh_db"]) if options["refresh_db"] else None
        if options["json"]:
            self.stdout.write(json.dumps({**bench_json(result), "refresh_db": database}))
            return
        self.stdout.write(format_bench(result))
        if database is not None:
            self.stdout.write(_format_database(database))


def _refresh_from_database(count: int) -> dict:
    """Time `suggestions_refresh_for_listing` on published listings of the database: what a
    change costs the worker, writes included (the first, which builds the index, is apart)."""
    listings = list(
        Listing.objects.filter(status=Status.PUBLISHED)
        .order_by("?")
        .values_list("pk", flat=True)[: count + 1]
    )
    if not listings:
        return {"listings": 0, "published": 0}
    started = time.perf_counter()
    suggestions_refresh_for_listing(listing_id=listings[0])
    first = time.perf_counter() - started
    timings, lists = [], []
    for pk in listings[1:]:
        started = time.perf_counter()
        lists.append(suggestions_refresh_for_listing(listing_id=pk))
        timings.append((time.perf_counter() - started) * 1000)
    p50, p95, p99 = np.percentile(timings, [50, 95, 99]) if timings else (0, 0, 0)
    return {
        "listings": len(timings),
        "published": Listing.objects.filter(status=Status.PUBLISHED).count(),
        "first_with_index_build_seconds": round(first, 2),
        "refresh_ms": {"p50": round(p50, 1), "p95": round(p95, 1), "p99": round(p99, 1)},
        "mean_lists_refreshed": round(float(np.mean(lists)), 1) if lists else 0.0,
    }


def _format_database(database: dict) -> str:
    if not database["listings"]:
        return "refresh with database writes: no published listing in the database to time"
    ms = database["refresh_ms"]
    return (
        f"refresh with database writes ({database['listings']} listings of "
        f"{database['published']} published; {database['mean_lists_refreshed']} lists each): "
        f"p50 {ms['p50']:.0f} ms, p95 {ms['p95']:.0f} ms, p99 {ms['p99']:.0f} ms "
        f"(first, building the index: {database['first_with_index_build_seconds']:.1f} s)"
    )
