"""`manage.py index_memory [--build] [--json]`: memory of the in-process indexes.

Without `--build` it reports what this (fresh) process holds, which is nothing; with it, it
loads the search cache of both kinds and builds the matching index, as a web process and the
task worker do on first use, and reports the memory each costs (and the build times). The same
figures for a running web process: `/healthz?verbose` signed in as staff.
"""

import json
import time

from django.core.management.base import BaseCommand

from wipomatch.listings.models import Kind
from wipomatch.listings.search import listing_index
from wipomatch.matching import index_store
from wipomatch.web.views import index_memory_report


class Command(BaseCommand):
    help = "Memory of the search cache and the matching index in one process."

    def add_arguments(self, parser):
        parser.add_argument("--build", action="store_true", help="load both indexes first")
        parser.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args, **options):
        seconds = {}
        if options["build"]:
            for kind in (Kind.NEED, Kind.OFFER):
                started = time.perf_counter()
                listing_index(kind).refresh()
                seconds[f"search_cache_{kind}"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            index_store.current_index()
            seconds["matching_index"] = round(time.perf_counter() - started, 2)
        report = {**index_memory_report(), "build_seconds": seconds}
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        for name, cache in report["search_cache"].items():
            self.stdout.write(
                f"search cache {name}: {cache['listings']} listings, {cache['bytes'] / 2**20:.1f} MiB"
            )
        matching = report["matching_index"]
        if matching is None:
            self.stdout.write("matching index: not built in this process")
        else:
            self.stdout.write(
                f"matching index: {matching['offers']} offers + {matching['needs']} needs, "
                f"{matching['bytes'] / 2**20:.1f} MiB"
            )
        for name, value in seconds.items():
            self.stdout.write(f"built {name} in {value} s")
