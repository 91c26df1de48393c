"""One index story across processes (docs/index-freshness.md), tested with two processes.

This test process and a peer process (a second Python interpreter with its own search cache
and matching index, on the same PostgreSQL database) each change listings through the services;
each change must show in the other's results within the documented time: at the other's next
search, and at the next use of its matching index. PostgreSQL only (run with
DATABASE_URL=postgres://...): on SQLite the test database is in memory and a second process
cannot see it.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from wipomatch.listings import services
from wipomatch.listings.filters import BrowseFilters
from wipomatch.listings.models import Kind, Listing
from wipomatch.listings.search import clear_search_cache, listing_search
from wipomatch.listings.tests.factories import OfferFactory, publish
from wipomatch.matching import index_store
from wipomatch.members.tests.factories import FacilitatorFactory

ROOT = Path(__file__).resolve().parent.parent

PEER = """
import json, os, sys
import django
django.setup()
from wipomatch.listings import services
from wipomatch.listings.filters import BrowseFilters
from wipomatch.listings.models import Listing
from wipomatch.listings.search import listing_search
from wipomatch.matching import index_store

for line in sys.stdin:
    command, *args = line.split()
    if command == "search":
        page = listing_search(kind=args[0], filters=BrowseFilters(), page_size=100)
        answer = sorted(x.pk for x in page.items)
    elif command == "index":
        index = index_store.current_index()
        answer = sorted(int(ref) for ref in index.offers.slot_of)
    elif command == "close":
        listing = Listing.objects.select_related("created_by").get(pk=int(args[0]))
        services.listing_close(user=listing.created_by, listing=listing, reason="withdrawn")
        answer = "closed"
    print(json.dumps(answer), flush=True)
"""

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="two processes need a shared database: PostgreSQL (DATABASE_URL)",
    ),
]


class Peer:
    def __init__(self) -> None:
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONPATH": str(ROOT),
        }
        self.process = subprocess.Popen(  # noqa: S603  (our interpreter and our script)
            [sys.executable, "-c", PEER],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, command: str):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the peer process stopped"
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def peer():
    call_command("load_reference", verbosity=0)  # a transactional test starts from empty tables
    clear_search_cache()
    index_store.reset()
    process = Peer()
    yield process
    process.close()
    clear_search_cache()
    index_store.reset()


def _search_ids() -> list[int]:
    page = listing_search(kind=Kind.OFFER, filters=BrowseFilters(), page_size=100)
    return sorted(x.pk for x in page.items)


def test_changes_made_in_one_process_show_in_the_other_at_its_next_search(peer):
    facilitator = FacilitatorFactory()
    first = OfferFactory(status="published")
    second = OfferFactory(status="published")
    assert peer.ask("search offer") == sorted([first.pk, second.pk])  # the peer's cache loads
    assert peer.ask("index") == sorted([first.pk, second.pk])

    # here -> peer: close one, publish a new one; no waiting
    started = time.monotonic()
    services.listing_close(user=first.created_by, listing=first, reason="withdrawn")
    third = publish(OfferFactory(), facilitator)
    assert peer.ask("search offer") == sorted([second.pk, third.pk])
    assert peer.ask("index") == sorted([second.pk, third.pk])
    assert time.monotonic() - started < 10  # visible at once, not after some expiry

    # peer -> here: this process's cache and index were loaded before the peer's change
    assert _search_ids() == sorted([second.pk, third.pk])
    index_store.current_index()
    assert peer.ask(f"close {second.pk}") == "closed"
    assert _search_ids() == [third.pk]
    # A change made here afterwards does not hide the peer's: the index catches up with both.
    fourth = publish(OfferFactory(), facilitator)  # runs the refresh, hence apply_change, here
    held = sorted(int(ref) for ref in index_store.current_index().offers.slot_of)
    assert held == sorted([third.pk, fourth.pk])
    assert not Listing.objects.filter(pk=second.pk, status="published").exists()
