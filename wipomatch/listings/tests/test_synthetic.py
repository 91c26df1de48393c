"""`seed_synthetic` fills a database with varied published listings for measuring scale, and
`bench_listings` measures the pages on it."""

import json
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from wipomatch.members.models import Organisation

from ..embeddings import from_bytes, get_embedder, text_of
from ..filters import BrowseFilters
from ..models import LANGUAGE_CODES, Kind, Listing, Status
from ..search import clear_search_cache, listing_search
from ..synthetic import SYNTHETIC_EMAIL_DOMAIN, ProgressBar, compose_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_search_cache()
    yield
    clear_search_cache()


def seed(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("seed_synthetic", *args, force=True, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_a_small_run_writes_published_listings_with_every_facet(settings):
    settings.LISTING_EMBEDDER = "hashing"
    out, err = seed(needs=30, offers=30, embedder="hashing")

    assert "Added 30 needs and 30 offers" in out
    assert "Embeddings: hashing" in out
    assert "writing 30 needs" in err and "30/30" in err  # the progress bars
    listings = Listing.objects.prefetch_related("terms", "countries", "coverage", "regions")
    assert listings.filter(kind=Kind.NEED, status=Status.PUBLISHED).count() == 30
    assert listings.filter(kind=Kind.OFFER, status=Status.PUBLISHED).count() == 30
    assert {x.language for x in listings} == set(LANGUAGE_CODES)
    hashing = get_embedder("hashing")
    for listing in listings:
        assert listing.themes and listing.assistance_types, listing.pk
        assert listing.organisation.is_approved
        assert listing.published_at and listing.expires_at > listing.published_at
        assert f"|{listing.language}|" in listing.language_index
        assert listing.embedding_model == "hashing"
        # the stored vector is the embedding of the listing's own text
        vector = from_bytes(listing.embedding, hashing.dim)
        assert vector is not None
        assert abs(float(vector @ hashing.encode([text_of(listing)])[0]) - 1.0) < 1e-5
        if listing.kind == Kind.NEED:
            assert listing.countries.all() and not listing.resource_types
            assert set(listing.coverage.all()) == set(listing.countries.all())
        else:
            assert listing.resource_types
            assert listing.worldwide == (not listing.countries.all() and not listing.regions.all())
            if listing.budget_min is not None:
                assert "financial" in listing.resource_types
    assert Listing.objects.filter(kind=Kind.OFFER, worldwide=False).exists()
    assert Listing.objects.exclude(translations={}).exists()


def test_the_seeded_listings_can_be_browsed_and_searched(settings):
    settings.LISTING_EMBEDDER = "hashing"
    seed(needs=20, offers=40, embedder="hashing")

    browse = listing_search(kind=Kind.OFFER, filters=BrowseFilters(), page_size=10)
    assert browse.total == 40 and len(browse.items) == 10
    assert sum(browse.facets["themes"].values()) >= 40
    found = listing_search(kind=Kind.OFFER, filters=BrowseFilters(q="patent"))
    assert found.total > 0
    assert all("patent" in text_of(x).lower() for x in found.items[:3])


def test_a_second_run_reuses_the_synthetic_organisations():
    seed(needs=5, offers=5, embedder="hashing")
    organisations = Organisation.objects.filter(
        contact_email__endswith="@" + SYNTHETIC_EMAIL_DOMAIN
    ).count()

    out, _err = seed(needs=5, offers=5, embedder="hashing", seed=1)

    assert "0 new synthetic organisations" in out
    assert Listing.objects.count() == 20
    assert (
        Organisation.objects.filter(contact_email__endswith="@" + SYNTHETIC_EMAIL_DOMAIN).count()
        == organisations
    )


def test_texts_are_reproducible_for_a_seed():
    first = [compose_text(random.Random(7), Kind.OFFER, "fr") for _ in range(3)]
    again = [compose_text(random.Random(7), Kind.OFFER, "fr") for _ in range(3)]
    assert first == again
    assert all(len(t.title) <= 200 and len(t.summary) <= 500 for t in first)


def test_seeding_is_refused_on_a_database_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_synthetic", needs=1, offers=1, stdout=StringIO())
    assert not Listing.objects.exists()


def test_the_progress_bar_ends_with_a_full_line():
    stream = StringIO()
    bar = ProgressBar("writing", 4, stream)
    bar(2)
    bar(4)
    last = stream.getvalue().split("\r")[-1]
    assert last.startswith("writing [" + "#" * 30 + "] 4/4 ") and last.endswith("s\n")
    assert "[" + "#" * 15 + "." * 15 + "] 2/4" in stream.getvalue()


def test_the_benchmark_reports_latency_and_queries_of_every_page(settings):
    settings.LISTING_EMBEDDER = "hashing"
    seed(needs=15, offers=15, embedder="hashing")
    out = StringIO()

    call_command("bench_listings", "--json", requests=2, stdout=out)

    report = json.loads(out.getvalue())
    assert report["published"] == {"need": 15, "offer": 15}
    assert report["embedder"] == "hashing"
    groups = {row["group"] for row in report["scenarios"]}
    assert groups == {"browse", "search", "detail"}
    for row in report["scenarios"]:
        assert row["n"] == 2 and row["p95_ms"] >= row["p50_ms"] > 0
        assert row["via"] in ("page", "function")
        assert row["queries"], row
    browse = next(r for r in report["scenarios"] if r["scenario"] == "browse needs")
    assert browse["results"] == [15]
    assert set(report["summary"]) == {"browse", "search", "detail"}


def test_the_benchmark_needs_listings():
    with pytest.raises(CommandError, match="seed_synthetic"):
        call_command("bench_listings", requests=1, stdout=StringIO())
