"""Demo needs and offers (`seed_demo_listings`, run at the end of `seed_demo`).

Written natively in the six UN languages, spread over every thematic area and region, created
through the services (so audited), with work left for the demo accounts, idempotent and quick on
a second run.
"""

import re
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from wipomatch.core.audit import audit_trail_for
from wipomatch.core.models import AuditEvent
from wipomatch.listings.demo import MAX_AGE_DAYS, load_demo_listings, seed_demo_listings
from wipomatch.listings.models import LANGUAGE_CODES, Kind, Listing, ListingTerm, Status
from wipomatch.listings.selectors import listings_for_review
from wipomatch.listings.validation import validate_listing
from wipomatch.members.demo import (
    CONTRIBUTOR_EMAIL,
    FACILITATOR_EMAIL,
    FOCAL_EMAIL,
    load_demo_data,
    seed_demo,
)
from wipomatch.members.models import Membership
from wipomatch.reference.models import Country, VocabularyTerm
from wipomatch.reference.tests.taxonomy import THEMES

pytestmark = pytest.mark.django_db

M49_REGIONS = {"002", "019", "142", "150", "009"}
SCRIPTS = {
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
}
# Words that only occur in one of the Latin-script languages of the demo texts.
LATIN_MARKERS = {
    "en": re.compile(r"\b(the|and|our|we|for|with|of)\b"),
    "fr": re.compile(r"\b(les|des|nous|pour|une|du|avec|et)\b"),
    "es": re.compile(r"\b(los|las|para|una|nuestra|nuestros|del|con|sobre|y)\b"),
}


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """A transactional test elsewhere in the process may have flushed the session's data."""


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, force=True, **options)
    return out.getvalue()


# --- The data files, without seeding ------------------------------------------------------------


def test_demo_texts_are_valid_listings_of_demo_organisations():
    listings = load_demo_listings()
    organisations = {o.key: o for o in load_demo_data().organisations}
    south = set(Country.objects.filter(global_south=True).values_list("iso2", flat=True))
    seen = Counter()
    for item in listings:
        assert item.org in organisations, item.title
        validate_listing(item.kind, item.data(date(2026, 1, 15)))  # raises on any bad value
        seen[(item.org, item.title)] += 1
        if item.kind == Kind.NEED:
            # Seekers are organisations of developing countries.
            assert organisations[item.org].country in south, (item.org, item.title)
    assert max(seen.values()) == 1, "a title appears twice for one organisation"


def test_each_text_is_written_in_the_language_it_declares():
    for item in load_demo_listings():
        text = f"{item.title} {item.summary} {item.description}"
        if item.language in SCRIPTS:
            assert SCRIPTS[item.language].search(item.title), (item.language, item.title)
            others = [p for lang, p in SCRIPTS.items() if lang != item.language]
            assert not any(p.search(text) for p in others), item.title
        else:
            assert not any(p.search(text) for p in SCRIPTS.values()), item.title
            lowered = text.lower()
            assert LATIN_MARKERS[item.language].search(lowered), (item.language, item.title)


def test_demo_texts_cover_every_language_theme_and_kind():
    listings = load_demo_listings()
    per_language = Counter((item.language, item.kind) for item in listings)
    for language in LANGUAGE_CODES:
        for kind in Kind.values:
            assert per_language[(language, kind)] >= 20, (language, kind)
        themes = {t for item in listings if item.language == language for t in item.themes}
        assert themes == THEMES, language
    # Roughly equal shares of the six languages.
    assert max(per_language.values()) <= 1.2 * min(per_language.values())


# --- Seeding ---------------------------------------------------------------------------------------


def test_demo_catalogue_is_large_multilingual_and_spread_over_themes_and_regions():
    output = seed()
    demo = Listing.objects.filter(created_by__email__endswith="@demo.wipomatch.org")
    published = demo.filter(status=Status.PUBLISHED)
    needs, offers = published.filter(kind=Kind.NEED), published.filter(kind=Kind.OFFER)
    assert needs.count() >= 150
    assert offers.count() >= 150
    for kind_qs in (needs, offers):
        languages = Counter(kind_qs.values_list("language", flat=True))
        assert set(languages) == set(LANGUAGE_CODES)
        assert min(languages.values()) >= 20, languages
        themes = set(
            ListingTerm.objects.filter(
                listing__in=kind_qs, term__kind=VocabularyTerm.Kind.THEME
            ).values_list("term__slug", flat=True)
        )
        assert themes == THEMES
        regions = set(
            Country.objects.filter(covering_listings__in=kind_qs).values_list(
                "region__code", flat=True
            )
        )
        assert regions >= M49_REGIONS, regions
    # Needs come from developing countries, LDCs among them.
    assert set(needs.values_list("organisation__country__global_south", flat=True)) == {True}
    assert needs.filter(coverage__ldc=True).distinct().count() >= 30
    # Coherent facets: every offer says what it offers, only financial offers carry a budget,
    # and most listings name SDGs and IP areas.
    with_resources = ListingTerm.objects.filter(term__kind=VocabularyTerm.Kind.RESOURCE_TYPE)
    assert not offers.exclude(pk__in=with_resources.values("listing")).exists()
    budgets = offers.filter(budget_min__isnull=False)
    assert budgets.exists()
    for offer in budgets:
        assert "financial" in offer.resource_types
    assert published.filter(sdg_goals__isnull=False).distinct().count() >= 0.9 * published.count()
    assert "Demo listings ready" in output


def test_demo_listings_went_through_review_and_leave_work_for_the_demo_accounts():
    seed()
    published = list(
        Listing.objects.filter(status=Status.PUBLISHED).select_related("created_by")[:40]
    )
    for listing in published:
        events = list(audit_trail_for(listing).order_by("created_at", "id"))
        assert [e.action for e in events] == ["created", "submitted", "published"]
        assert events[-1].actor.email == FACILITATOR_EMAIL
        assert events[0].actor == listing.created_by
        # The history was moved back in time consistently: created ≤ submitted ≤ published.
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        assert events[-1].created_at == listing.published_at
        assert listing.expires_at > timezone.now() + timedelta(days=180)
    dates = Listing.objects.filter(status=Status.PUBLISHED).values_list("published_at", flat=True)
    oldest = timezone.now() - timedelta(days=MAX_AGE_DAYS + 1)
    assert all(d >= oldest for d in dates)
    assert len({d.date() for d in dates}) >= 60  # spread out, so "newest" means something
    # Nothing was e-mailed to the invented addresses.
    assert mail.outbox == []

    # Work waits for the demo accounts: the focal point's organisation has a draft (by the
    # contributor) and a listing under review; the facilitator has a validation queue.
    focal_org = Membership.objects.get(user__email=FOCAL_EMAIL).organisation
    own = Listing.objects.filter(organisation=focal_org)
    statuses = set(own.values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED, Status.CLOSED} <= statuses
    assert own.filter(created_by__email=CONTRIBUTOR_EMAIL).exists()
    queue = listings_for_review()
    assert queue.count() >= 4
    assert len({listing.language for listing in queue}) >= 3
    sent_back = Listing.objects.get(status=Status.CHANGES_REQUESTED)
    assert sent_back.review_comment
    assert audit_trail_for(sent_back).filter(action="changes_requested").exists()


def test_second_run_creates_nothing_quickly_and_restores_what_is_missing(
    django_assert_max_num_queries,
):
    seed()
    counts = (Listing.objects.count(), AuditEvent.objects.count(), ListingTerm.objects.count())
    out = StringIO()
    with django_assert_max_num_queries(5):
        call_command("seed_demo_listings", force=True, stdout=out)
    assert "nothing new to create" in out.getvalue()
    assert (
        Listing.objects.count(),
        AuditEvent.objects.count(),
        ListingTerm.objects.count(),
    ) == counts

    # A demo listing that was deleted comes back, and only that one.
    listing = Listing.objects.filter(status=Status.PUBLISHED).order_by("pk").last()
    title = listing.title
    listing.delete()
    out = StringIO()
    call_command("seed_demo_listings", force=True, stdout=out)
    assert Listing.objects.count() == counts[0]
    assert Listing.objects.get(title=title).status == Status.PUBLISHED
    assert "Created 1 demo listings" in out.getvalue()


def test_refused_when_debug_is_off_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo_listings", stdout=StringIO())


def test_refused_before_the_demo_organisations_exist():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_demo_listings", force=True, stdout=StringIO())
    assert not Listing.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_background_work_is_replaced_by_one_embedding_per_listing(settings):
    # Transactional, so that commits happen as under `make run` and the (immediate, in tests)
    # task backend runs what seeding enqueues. A handful of listings keeps it quick.
    settings.LISTING_EMBEDDER = "hashing"
    seed_demo()
    sample = [item for item in load_demo_listings() if item.status == "published"][::40]
    messages = []
    report = seed_demo_listings(log=messages.append, listings=sample)
    assert report.created_total == len(sample)
    assert mail.outbox == []
    assert any("background tasks of the transitions replaced by" in m for m in messages)
    # The follow-up ran after commit: every new listing has its embedding.
    created = Listing.objects.filter(pk__in=report.created_ids)
    assert created.count() == len(sample)
    assert set(created.values_list("embedding_model", flat=True)) == {"hashing"}
