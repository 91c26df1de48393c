"""`manage.py bench_listings`: latency of browse, search and detail on the current database.

Run it after `seed_synthetic --needs 10000 --offers 10000`. Every request goes through Django's
test Client in this one process (one worker, no network), so the figures include URL routing,
middleware, the view, the templates and every SQL query. While a page does not answer 200 yet,
the scenario measures the function behind it instead (`listing_search`, `get_listing_for_user`)
and says so in the "via" column.

Each search request embeds its query (the per-process cache of query vectors is emptied before
it), so the figures include the embedding. The per-process search index is built before the
measurements; the time that takes (a cold start) is reported separately.
"""

import json
import os
import random
import statistics
import time
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from wipomatch.listings.embeddings import get_embedder, query_vectors
from wipomatch.listings.filters import BrowseFilters
from wipomatch.listings.models import Kind, Listing, Status
from wipomatch.listings.search import clear_search_cache, listing_index, listing_search
from wipomatch.listings.selectors import get_listing_for_user

PAGE_SIZE = 20
# (scenario, kind, query parameters); search scenarios rotate through several queries so that
# each request embeds a query it has not seen just before.
BROWSE = [
    ("browse needs", Kind.NEED, [{}]),
    ("browse offers", Kind.OFFER, [{}]),
    ("browse offers, theme + country", Kind.OFFER, [{"theme": "public-health", "country": "KE"}]),
    ("browse needs, IP area + language", Kind.NEED, [{"ip_area": "patents", "language": "fr"}]),
    ("browse offers, region, expiring", Kind.OFFER, [{"region": "002", "sort": "expiring"}]),
    ("browse offers, LDC, page 5", Kind.OFFER, [{"ldc": "1", "page": "5"}]),
]
SEARCH = [
    (
        "search offers (en, fr, es)",
        Kind.OFFER,
        [
            {"q": "patent examination training"},
            {"q": "formation des examinateurs de brevets"},
            {"q": "indicaciones geográficas para productores de café"},
            {"q": "collective management of music royalties"},
            {"q": "transfert de technologie universitaire"},
            {"q": "protección de diseños industriales"},
        ],
    ),
    (
        "search needs (ru, ar, zh)",
        Kind.NEED,
        [
            {"q": "охрана товарных знаков"},
            {"q": "المؤشرات الجغرافية"},
            {"q": "商标注册系统"},
            {"q": "авторское право в музыке"},
            {"q": "حماية الأسرار التجارية"},
            {"q": "专利审查培训"},
        ],
    ),
    (
        "search offers + filters",
        Kind.OFFER,
        [
            {"q": "propiedad intelectual", "sort": "newest", "ldc": "1"},
            {"q": "solar energy licensing", "theme": "green-innovation"},
            {"q": "العلامات التجارية", "region": "002"},
            {"q": "plant variety protection", "country": "KE"},
        ],
    ),
    (
        "search, nothing matches",
        Kind.OFFER,
        [{"q": "quantum chromodynamics of black holes"}, {"q": "recette de gâteau au chocolat"}],
    ),
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * pct / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _filters(params: dict) -> BrowseFilters:
    lists = {"theme", "ip_area", "assistance_type", "resource_type", "modality"}
    values = {k: ([v] if k in lists else v) for k, v in params.items() if k != "page"}
    if "ldc" in values:
        values["ldc"] = True
    return BrowseFilters(**values)


class Command(BaseCommand):
    help = (
        "Measure p50/p95/p99 latency and SQL queries of the browse, search and detail pages of "
        "needs and offers on the current database (through the test Client, one process)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--requests", type=int, default=60, help="Measured requests per scenario."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print JSON instead of a table."
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--via",
            choices=("auto", "page", "function"),
            default="auto",
            help="Measure the pages (auto: when they answer 200) or the search and detail "
            "functions behind them (listing_search, get_listing_for_user) without the views.",
        )

    def handle(self, *args, requests: int, as_json: bool, seed: int, via: str, **options):
        if requests < 1:
            raise CommandError("--requests must be at least 1.")
        counts = {
            kind: Listing.objects.filter(kind=kind, status=Status.PUBLISHED).count()
            for kind in Kind.values
        }
        if not all(counts.values()):
            raise CommandError("No published needs or offers: run seed_synthetic first.")
        rng = random.Random(seed)
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        translation.activate("en")
        embedder = get_embedder()

        # Cold start: load the embedding model and build both search indexes.
        cold = {}
        clear_search_cache()
        started = time.perf_counter()
        embedder.encode(["warm up"])
        cold["embedder_load_s"] = round(time.perf_counter() - started, 2)
        for kind in Kind.values:
            started = time.perf_counter()
            listing_index(kind).refresh()
            cold[f"{kind}_index_build_s"] = round(time.perf_counter() - started, 2)

        scenarios = [(name, kind, params, "browse") for name, kind, params in BROWSE]
        scenarios += [(name, kind, params, "search") for name, kind, params in SEARCH]
        details = {
            kind: list(
                Listing.objects.filter(kind=kind, status=Status.PUBLISHED)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for kind in Kind.values
        }
        for kind in Kind.values:
            sample = rng.sample(details[kind], min(200, len(details[kind])))
            scenarios.append((f"detail {kind}", kind, sample, "detail"))

        results = []
        for name, kind, variants, group in scenarios:
            results.append(self._measure(client, name, kind, variants, group, requests, via))

        report = {
            "database": connection.vendor,
            "published": counts,
            "embedder": embedder.name,
            "requests_per_scenario": requests,
            "cold_start": cold,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
            "via": via,
            "scenarios": results,
            "summary": self._summary(results),
        }
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self._table(report)

    # ------------------------------------------------------------------ measuring
    def _measure(self, client, name, kind, variants, group, requests, via) -> dict:
        if group == "detail":
            url = reverse(f"listings:{kind}_detail", args=[variants[0]])
        else:
            url = reverse(f"listings:{kind}_list")
        if via == "auto":
            probe = client.get(_url(url, {} if group == "detail" else variants[0]))
            via = "page" if probe.status_code == 200 else "function"

        def one(i: int):
            if group == "detail":
                pk = variants[i % len(variants)]
                if via == "page":
                    response = client.get(reverse(f"listings:{kind}_detail", args=[pk]))
                    assert response.status_code == 200, (url, response.status_code)
                else:
                    get_listing_for_user(AnonymousUser(), pk, kind=kind)
                return
            params = variants[i % len(variants)]
            if via == "page":
                response = client.get(_url(url, params))
                assert response.status_code == 200, (url, params, response.status_code)
            else:
                listing_search(
                    kind=kind,
                    filters=_filters(params),
                    page=int(params.get("page", 1)),
                    page_size=PAGE_SIZE,
                )

        for i in range(min(3, requests)):  # warm-up: templates, connections, caches
            one(i)
        times, cpu, queries, totals = [], [], [], []
        for i in range(requests):
            query_vectors.clear()
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                one(i)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            queries.append(len(captured.captured_queries))
        if group != "detail":
            for params in variants:
                page = listing_search(kind=kind, filters=_filters(params), page=1, page_size=1)
                totals.append(page.total)
        return {
            "scenario": name,
            "group": group,
            "via": via,
            "n": len(times),
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "p99_ms": round(percentile(times, 99), 1),
            "max_ms": round(max(times), 1),
            "mean_ms": round(statistics.fmean(times), 1),
            # CPU time of this process: on SQLite (in-process) the latency on an idle core
            "cpu_p50_ms": round(percentile(cpu, 50), 1),
            "cpu_p95_ms": round(percentile(cpu, 95), 1),
            "queries": sorted(set(queries)),
            "results": totals,
        }

    @staticmethod
    def _summary(results: list[dict]) -> dict:
        out = {}
        for group in ("browse", "search", "detail"):
            rows = [r for r in results if r["group"] == group]
            out[group] = {
                "worst_p95_ms": max(r["p95_ms"] for r in rows),
                "worst_cpu_p95_ms": max(r["cpu_p95_ms"] for r in rows),
                "worst_p99_ms": max(r["p99_ms"] for r in rows),
                "max_queries": max(max(r["queries"]) for r in rows),
            }
        return out

    def _table(self, report: dict) -> None:
        w = self.stdout.write
        w(
            f"{report['database']}: {report['published']['need']} needs, "
            f"{report['published']['offer']} offers published; embedder {report['embedder']}; "
            f"load average {report['load_average']}; OPENBLAS_NUM_THREADS="
            f"{report['openblas_threads']}"
        )
        w(f"cold start: {report['cold_start']}")
        header = (
            f"{'scenario':36} {'via':8} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}"
            f" {'cpu50':>7} {'cpu95':>7}  queries  results"
        )
        w(header)
        w("-" * len(header))
        for r in report["scenarios"]:
            w(
                f"{r['scenario']:36} {r['via']:8} {r['n']:>4} {r['p50_ms']:>7.1f} "
                f"{r['p95_ms']:>7.1f} {r['p99_ms']:>7.1f} {r['max_ms']:>7.1f} "
                f"{r['cpu_p50_ms']:>7.1f} {r['cpu_p95_ms']:>7.1f}  "
                f"{','.join(map(str, r['queries'])):7}  {','.join(map(str, r['results']))}"
            )
        for group, s in report["summary"].items():
            w(
                f"{group}: worst p95 {s['worst_p95_ms']} ms (CPU {s['worst_cpu_p95_ms']} ms), "
                f"worst p99 {s['worst_p99_ms']} ms, "
                f"at most {s['max_queries']} SQL queries"
            )


def _url(path: str, params: dict) -> str:
    return f"{path}?{urlencode(params)}" if params else path
