"""manage.py bench_insights: p95 of the metrics endpoint and the dashboards, and the time to
build the yearly PDF report, on the current database.

Run it after `seed_synthetic --needs 10000 --offers 10000` and
`seed_synthetic_network --cases 2000 --initiatives 500`. Requests go through Django's test
Client in this process (routing, middleware, view, templates, every SQL query). "warm" is what
visitors get: the measures are cached until a record behind them changes. "cold" clears the
cache before every request, so each one computes every measure from the database.
"""

import statistics
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.test import Client

from wipomatch.insights.report import report_render
from wipomatch.insights.selectors import Period, clear_measure_cache
from wipomatch.insights.services import insights_prepare_default

BREAKDOWNS = [
    {},
    {"theme": "public-health"},
    {"region": "002"},
    {"country_group": "ldc"},
    {"modality": "south-south"},
    {"organisation_type": "ip-office"},
]


def _facilitator():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from wipomatch.members.models import User

    user, created = User.objects.get_or_create(
        email="bench-insights@synthetic.wipomatch.invalid",
        defaults={"staff_role": User.StaffRole.FACILITATOR, "full_name": "Bench"},
    )
    if created:
        user.set_unusable_password()
        user.save()
        TOTP.activate(user, generate_totp_secret())
    return user


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, round(0.95 * len(values)) - 1)]


class Command(BaseCommand):
    help = "p95 of /api/v1/insights/metrics/ and the dashboards; time of the yearly PDF."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=60)
        parser.add_argument("--no-pdf", action="store_true")

    def _measure(self, client, url, params_list, n, *, cold):
        times = []
        for i in range(n):
            params = {**self.period, **params_list[i % len(params_list)]}
            if cold:
                clear_measure_cache()
            started = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return times

    def handle(self, *args, **options):
        n = options["requests"]
        year = Period.last_days(365)
        self.period = {"from": year.start.isoformat(), "to": year.end.isoformat()}
        public, staff = Client(), Client()
        staff.force_login(_facilitator())
        scenarios = [
            ("metrics API", public, "/api/v1/insights/metrics/"),
            ("public dashboard", public, "/en/insights/"),
            ("facilitator dashboard", staff, "/en/insights/facilitator/"),
        ]
        # Warm-up: imports, templates, the charts queued for drawing, and the measures of every
        # breakdown in the cache (what the periodic job and earlier visitors leave there).
        for _label, client, url in scenarios:
            for params in BREAKDOWNS:
                client.get(url, {**self.period, **params})
        # The worker draws the charts a page asks for; this process has no worker: draw them.
        from django.utils import translation

        from wipomatch.insights import charts
        from wipomatch.insights.selectors import metrics_for, modality_labels, parse_breakdown

        with translation.override("en"):
            for params in BREAKDOWNS:
                metrics = metrics_for(year, parse_breakdown(params))
                for chart in charts.metrics_charts(metrics, modality_labels()):
                    if chart.has_data:
                        charts.prepare(chart)
        self.stdout.write(f"{'scenario':28} {'mode':5} {'n':>4} {'median ms':>10} {'p95 ms':>8}")
        for label, client, url in scenarios:
            # The periodic job prepares the default selections (the cold runs of the previous
            # scenario emptied the store).
            started = time.perf_counter()
            summary = insights_prepare_default()
            self.stdout.write(
                f"  (periodic job: {summary} in {time.perf_counter() - started:.1f} s)"
            )
            for cold in (False, True):
                times = self._measure(
                    client, url, BREAKDOWNS, n if not cold else max(6, n // 5), cold=cold
                )
                self.stdout.write(
                    f"{label:28} {'cold' if cold else 'warm':5} {len(times):4d} "
                    f"{statistics.median(times):10.1f} {p95(times):8.1f}"
                )
        if options["no_pdf"]:
            return
        with tempfile.TemporaryDirectory() as tmp:
            clear_measure_cache()
            started = time.perf_counter()
            written = report_render(
                period=year, language="en", formats=("pdf",), output_dir=Path(tmp)
            )
            seconds = time.perf_counter() - started
            size = written["pdf"].stat().st_size // 1024
        self.stdout.write(f"yearly PDF report (en, cold cache): {seconds:.1f} s, {size} KiB")
