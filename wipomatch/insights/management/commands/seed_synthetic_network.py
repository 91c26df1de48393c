"""manage.py seed_synthetic_network --cases 2000 --initiatives 500: synthetic match cases and
initiatives (bulk-written, no e-mails) over the published listings and approved organisations,
to time the insights at scale. Run `seed_synthetic` first for the needs and offers."""

import time

from django.core.management.base import BaseCommand

from wipomatch.insights.synthetic import seed_cases, seed_initiatives


class Command(BaseCommand):
    help = "Add synthetic match cases and initiatives (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=0)
        parser.add_argument("--initiatives", type=int, default=0)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--days", type=int, default=365, help="Spread over this many days")

    def handle(self, *args, **options):
        started = time.perf_counter()
        cases = seed_cases(options["cases"], seed=options["seed"], days=options["days"])
        initiatives = seed_initiatives(
            options["initiatives"], seed=options["seed"], days=options["days"]
        )
        self.stdout.write(
            f"{cases} cases and {initiatives} initiatives added in "
            f"{time.perf_counter() - started:.1f} s"
        )
