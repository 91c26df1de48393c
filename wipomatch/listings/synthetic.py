"""Generated needs and offers for measuring scale (`manage.py seed_synthetic`).

Texts are composed from the matching engine's phrase banks in the six UN languages (topic, kind
of help, organisation, numbers), so that search and facets see realistic variety: every
thematic area, IP area, assistance and resource type, modality, country and region appears.
Some listings carry a translation of their title and summary into another UN language.

Speed: rows are written with bulk_create in batches. Embedding is the slow part (the USE model
embeds roughly 20-200 paragraph-length texts per second on one core depending on the machine),
so each kind draws its texts from a pool of distinct texts that is embedded once; every listing
still has its own organisation, facets, countries, dates and budget. `embedder="hashing"` makes
the whole run take seconds, at the price of a lexical-only semantic signal.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from wipomatch.matching.engine import synthetic as bank
from wipomatch.members.models import Organisation
from wipomatch.reference.models import Country, Region, SdgGoal, VocabularyTerm

from .embeddings import encode, get_embedder, listing_text, to_bytes
from .models import LANGUAGE_CODES, Kind, Listing, ListingTerm, Status

SYNTHETIC_EMAIL_DOMAIN = "synthetic.wipomatch.invalid"
BATCH = 1000
# Themes → SDG goals a member would tick.
THEME_SDGS = {
    "food-security-agriculture": (2, 15),
    "public-health": (3,),
    "green-innovation": (7, 13, 6),
    "ip-management": (9, 16),
    "creative-industries": (8, 11),
    "other": (9, 17),
}
LANGUAGE_WEIGHTS = {"en": 0.3, "fr": 0.16, "es": 0.16, "ru": 0.12, "ar": 0.12, "zh": 0.14}
MODALITIES = ("south-south", "north-south", "triangular", "public-private", "other")
RESOURCES = ("technical", "human", "financial", "in-kind")
ORG_TYPES = ("ip-office", "government", "academia", "business", "ngo", "igo", "innovation-hub")


class ProgressBar:
    """A one-line progress bar on stderr: `label [#####.....] 1200/20000 3.1s`."""

    def __init__(self, label: str, total: int, stream=None, width: int = 30) -> None:
        self.label = label
        self.total = max(total, 0)
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.perf_counter()
        self._last = -1.0

    def __call__(self, done: int, total: int | None = None) -> None:
        total = self.total if total is None else total
        now = time.perf_counter()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = int(self.width * done / total) if total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = now - self.started
        line = f"\r{self.label} [{bar}] {done}/{total} {elapsed:.1f}s"
        self._write(line + ("\n" if done >= total else ""))

    def _write(self, text: str) -> None:
        if hasattr(self.stream, "style_func"):  # a management command's OutputWrapper
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()


@dataclass(frozen=True)
class SyntheticText:
    title: str
    summary: str
    description: str
    language: str
    themes: tuple[str, ...]
    ip_areas: tuple[str, ...]
    assistance_types: tuple[str, ...]
    translations: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return listing_text(self.title, self.summary, self.description, self.translations)


def _render(kind: str, language: str, topic: int, extra: int | None, kinds, org: int, n, m):
    templates = bank.NEED_TEMPLATES if kind == Kind.NEED else bank.OFFER_TEMPLATES
    title_t, first_t, also_t, last_t = templates[language]
    activity = bank.ACTIVITIES[kinds[0]][language]
    orgs = bank.ORGS[language]
    values = {
        "a": activity,
        "A": activity[:1].upper() + activity[1:],
        "t": bank.TOPICS[topic][2][language],
        "o": orgs[org % len(orgs)],
        "n": n,
        "m": m,
    }
    first = first_t.format(**values)
    sentences = [first]
    for other in kinds[1:]:
        sentences.append(also_t.format(a=bank.ACTIVITIES[other][language]))
    if extra is not None:
        sentences.append(first_t.format(**{**values, "t": bank.TOPICS[extra][2][language]}))
    sentences.append(last_t.format(**values))
    joiner = "" if language == "zh" else " "
    return title_t.format(**values)[:200], first[:500], joiner.join(sentences)


def compose_text(rng: random.Random, kind: str, language: str) -> SyntheticText:
    """One listing text in `language`, with the facets a member would give it."""
    topic = rng.randrange(len(bank.TOPICS))
    extra = rng.randrange(len(bank.TOPICS)) if rng.random() < 0.3 else None
    kinds = tuple(rng.sample(sorted(bank.ACTIVITIES), k=rng.choice((1, 1, 2, 2, 3))))
    org, n, m = rng.randrange(5), rng.randrange(5, 300), rng.randrange(2, 25)
    title, summary, description = _render(kind, language, topic, extra, kinds, org, n, m)
    translations = {}
    if rng.random() < 0.25:
        other = rng.choice([x for x in LANGUAGE_CODES if x != language])
        t_title, t_summary, _ = _render(kind, other, topic, extra, kinds, org, n, m)
        translations[other] = {"title": t_title, "summary": t_summary}
    theme, areas, _ = bank.TOPICS[topic]
    themes, ip_areas = [theme], list(areas)
    if extra is not None and rng.random() < 0.7:
        themes.append(bank.TOPICS[extra][0])
        ip_areas.extend(bank.TOPICS[extra][1])
    if rng.random() < 0.1:
        ip_areas = ip_areas[:1]
    return SyntheticText(
        title=title,
        summary=summary,
        description=description,
        language=language,
        themes=tuple(dict.fromkeys(themes)),
        ip_areas=tuple(dict.fromkeys(ip_areas)),
        assistance_types=kinds,
        translations=translations,
    )


@dataclass
class SeedReport:
    needs: int = 0
    offers: int = 0
    organisations_created: int = 0
    embedder: str = ""
    distinct_texts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


class _Reference:
    """Reference rows the generator needs, loaded once."""

    def __init__(self) -> None:
        self.terms = {(t.kind, t.slug): t.pk for t in VocabularyTerm.objects.all()}
        self.countries = {c.iso2: c for c in Country.objects.all()}
        self.countries_by_pk = {c.pk: c for c in self.countries.values()}
        self.regions = {r.code: r.pk for r in Region.objects.all()}
        self.region_members: dict[str, list[int]] = {}
        for c in self.countries.values():
            for region_id in (c.region_id, c.subregion_id, c.intermediate_region_id):
                if region_id:
                    self.region_members.setdefault(region_id, []).append(c.pk)
        self.goals = {g.number: g.pk for g in SdgGoal.objects.all()}
        self.area_countries = {
            lang: [c for c in bank.COUNTRIES[lang] if c in self.countries]
            for lang in LANGUAGE_CODES
        }
        if not self.terms or not self.countries or not self.regions:
            raise RuntimeError("Reference data is missing: run `manage.py load_reference` first.")

    def term(self, kind: str, slug: str) -> int | None:
        return self.terms.get((kind, slug))


def _organisations(ref: _Reference, rng: random.Random) -> tuple[dict[str, list], int]:
    """Approved synthetic organisations per country (created once, reused by later runs)."""
    existing = list(
        Organisation.objects.filter(contact_email__endswith="@" + SYNTHETIC_EMAIL_DOMAIN)
    )
    by_country: dict[str, list] = {}
    for org in existing:
        by_country.setdefault(org.country_id, []).append(org)
    wanted = sorted({iso for codes in ref.area_countries.values() for iso in codes})
    new = []
    for iso in wanted:
        country = ref.countries[iso]
        have = len(by_country.get(country.pk, []))
        for i in range(have, 2):
            org_type = rng.choice(ORG_TYPES)
            new.append(
                Organisation(
                    name=f"Synthetic {org_type} {iso}-{i + 1}",
                    org_type=org_type,
                    country=country,
                    description="Generated for load measurements.",
                    contact_email=f"{iso.lower()}-{i + 1}@{SYNTHETIC_EMAIL_DOMAIN}",
                    themes=[],
                    status=Organisation.Status.APPROVED,
                    approved_at=timezone.now(),
                )
            )
    Organisation.objects.bulk_create(new)
    result: dict[str, list] = {}
    for org in [*existing, *new]:
        result.setdefault(ref.countries_by_pk[org.country_id].iso2, []).append(org)
    return result, len(new)


def seed_synthetic(
    *,
    needs: int,
    offers: int,
    seed: int = 0,
    embedder_name: str | None = None,
    pool: int = 400,
    log: Callable[[str], None] = lambda message: None,
    progress: bool = True,
    stream=None,
) -> SeedReport:
    """Write `needs` + `offers` published listings with facets, coverage and embeddings."""
    rng = random.Random(seed)
    ref = _Reference()
    embedder = get_embedder(embedder_name)
    report = SeedReport(embedder=embedder.name)
    started = time.perf_counter()
    with transaction.atomic():
        orgs, report.organisations_created = _organisations(ref, rng)
    for kind, count in ((Kind.NEED, needs), (Kind.OFFER, offers)):
        if count <= 0:
            continue
        size = max(1, min(pool, count))
        languages = list(LANGUAGE_WEIGHTS)
        weights = list(LANGUAGE_WEIGHTS.values())
        # every language appears in the pool, then the mix follows the weights
        texts = [compose_text(rng, kind, lang) for lang in languages[:size]]
        texts += [
            compose_text(rng, kind, rng.choices(languages, weights)[0])
            for _ in range(size - len(texts))
        ]
        t0 = time.perf_counter()
        bar = ProgressBar(f"embedding {size} {kind} texts", size, stream) if progress else None
        vectors = encode(embedder, [t.text for t in texts], progress=bar)
        report.seconds[f"embed_{kind}"] = time.perf_counter() - t0
        report.distinct_texts[kind] = size
        t0 = time.perf_counter()
        blobs = [to_bytes(v) for v in vectors]
        bar = ProgressBar(f"writing {count} {kind}s", count, stream) if progress else None
        for start in range(0, count, BATCH):
            n = min(BATCH, count - start)
            with transaction.atomic():
                _write_batch(rng, ref, orgs, kind, texts, blobs, embedder.name, n)
            if bar:
                bar(start + n)
        report.seconds[f"write_{kind}"] = time.perf_counter() - t0
        setattr(report, f"{kind}s", count)
    t0 = time.perf_counter()
    _analyze()
    report.seconds["analyze"] = time.perf_counter() - t0
    report.seconds["total"] = time.perf_counter() - started
    return report


def _analyze() -> None:
    """Refresh the planner statistics after a bulk load: without them PostgreSQL picks plans
    for empty tables (a page of cards took 90 ms instead of 5 ms at 10,000 listings)."""
    tables = [
        Listing._meta.db_table,
        ListingTerm._meta.db_table,
        Listing.countries.through._meta.db_table,
        Listing.regions.through._meta.db_table,
        Listing.coverage.through._meta.db_table,
        Listing.sdg_goals.through._meta.db_table,
        Organisation._meta.db_table,
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute("ANALYZE " + connection.ops.quote_name(table))


def _write_batch(rng, ref: _Reference, orgs, kind, texts, blobs, model: str, n: int) -> None:
    now = timezone.now()
    T = VocabularyTerm.Kind
    listings, extras = [], []
    for _ in range(n):
        i = rng.randrange(len(texts))
        text = texts[i]
        area = ref.area_countries[text.language]
        home = rng.choice(area)
        org = rng.choice(orgs[home])
        term_ids = [ref.term(T.THEME, s) for s in text.themes]
        term_ids += [ref.term(T.IP_AREA, s) for s in text.ip_areas]
        term_ids += [ref.term(T.ASSISTANCE_TYPE, s) for s in text.assistance_types]
        for slug in rng.sample(MODALITIES, k=rng.choice((0, 1, 1, 2))):
            term_ids.append(ref.term(T.MODALITY, slug))
        countries: list[int] = []
        regions: list[int] = []
        budget = (None, None, "")
        if kind == Kind.NEED:
            countries = [ref.countries[home].pk]
            if rng.random() < 0.15:
                countries.append(ref.countries[rng.choice(area)].pk)
            delivery = [text.language] + (
                [rng.choice(LANGUAGE_CODES)] if rng.random() < 0.3 else []
            )
        else:
            resources = set(rng.sample(RESOURCES, k=rng.choice((1, 1, 2))))
            if "funding" in text.assistance_types:
                resources.add("financial")
            term_ids += [ref.term(T.RESOURCE_TYPE, s) for s in sorted(resources)]
            scope = rng.random()
            if scope < 0.25:
                regions = [ref.regions[c] for c in rng.sample(bank.REGIONS, k=rng.choice((1, 2)))]
            elif scope < 0.4:
                pool = sorted(ref.countries)
                countries = [ref.countries[c].pk for c in rng.sample(pool, k=rng.randrange(2, 12))]
            delivery = [text.language] + rng.sample(LANGUAGE_CODES, k=rng.choice((0, 1, 2)))
            if "financial" in resources:
                low = rng.choice((5_000, 10_000, 25_000, 50_000))
                budget = (low, low * rng.choice((2, 4, 10)), rng.choice(("USD", "EUR", "CHF")))
        delivery = list(dict.fromkeys(delivery))
        countries = list(dict.fromkeys(countries))
        coverage = set(countries)
        for region in regions:
            coverage.update(ref.region_members.get(region, ()))
        published = now - timedelta(days=rng.randrange(0, 330), minutes=rng.randrange(1440))
        start = (published + timedelta(days=rng.randrange(0, 120))).date()
        goals = [
            ref.goals[g]
            for theme in text.themes
            for g in THEME_SDGS.get(theme, ())[: rng.choice((0, 1, 2))]
            if g in ref.goals
        ]
        listings.append(
            Listing(
                kind=kind,
                organisation=org,
                title=text.title,
                summary=text.summary,
                description=text.description,
                language=text.language,
                translations=text.translations,
                worldwide=kind == Kind.OFFER and not countries and not regions,
                delivery_languages=delivery,
                language_index="|" + "|".join(sorted({text.language, *delivery})) + "|",
                start_date=start if rng.random() < 0.6 else None,
                end_date=start + timedelta(days=rng.randrange(30, 700))
                if rng.random() < 0.4
                else None,
                budget_min=budget[0],
                budget_max=budget[1],
                budget_currency=budget[2],
                status=Status.PUBLISHED,
                submitted_at=published - timedelta(days=1),
                published_at=published,
                expires_at=published + timedelta(days=365),
                content_updated_at=published,
                embedding=blobs[i],
                embedding_model=model,
            )
        )
        extras.append(([t for t in term_ids if t], countries, regions, coverage, set(goals)))
    Listing.objects.bulk_create(listings)
    through = {
        "terms": [],
        "countries": [],
        "regions": [],
        "coverage": [],
        "goals": [],
    }
    CountryThrough = Listing.countries.through
    RegionThrough = Listing.regions.through
    CoverageThrough = Listing.coverage.through
    GoalThrough = Listing.sdg_goals.through
    for listing, (term_ids, countries, regions, coverage, goals) in zip(
        listings, extras, strict=True
    ):
        lid = listing.pk
        through["terms"] += [ListingTerm(listing_id=lid, term_id=t) for t in set(term_ids)]
        through["countries"] += [CountryThrough(listing_id=lid, country_id=c) for c in countries]
        through["regions"] += [RegionThrough(listing_id=lid, region_id=r) for r in regions]
        through["coverage"] += [CoverageThrough(listing_id=lid, country_id=c) for c in coverage]
        through["goals"] += [GoalThrough(listing_id=lid, sdggoal_id=g) for g in goals]
    ListingTerm.objects.bulk_create(through["terms"], batch_size=5000)
    CountryThrough.objects.bulk_create(through["countries"], batch_size=5000)
    RegionThrough.objects.bulk_create(through["regions"], batch_size=5000)
    CoverageThrough.objects.bulk_create(through["coverage"], batch_size=5000)
    GoalThrough.objects.bulk_create(through["goals"], batch_size=5000)
