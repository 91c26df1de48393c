"""Synthetic match cases and initiatives for measuring the insights at scale
(`manage.py seed_synthetic_network`), on top of `seed_synthetic`'s needs and offers.

Rows are written with bulk_create (no e-mails, no audit events): they exist to time the
measures, the dashboards and the report, never to demonstrate a workflow. Cases go through
every state with plausible dates and ratings; initiatives have member and external parties in
the South and the North, so every modality, the public-private flag and LDC beneficiaries occur.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wipomatch.listings.models import Kind, Listing, Status
from wipomatch.members.models import Organisation
from wipomatch.reference.models import Country, VocabularyTerm

SYNTHETIC_TITLE = "[synthetic] "
STATES = (
    ("interest", 0.2),
    ("mutual", 0.15),
    ("agreement", 0.2),
    ("no_agreement", 0.1),
    ("declined", 0.15),
    ("withdrawn", 0.05),
    ("lapsed", 0.1),
    ("proposed", 0.05),
)


def _state(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for state, weight in STATES:
        total += weight
        if roll < total:
            return state
    return STATES[-1][0]


@transaction.atomic
def seed_cases(count: int, *, seed: int = 0, days: int = 365) -> int:
    from wipomatch.brokering.models import CaseRating, MatchCase

    rng = random.Random(seed)
    needs = list(
        Listing.objects.filter(kind=Kind.NEED, status=Status.PUBLISHED).values_list(
            "pk", "organisation_id"
        )
    )
    offers = list(
        Listing.objects.filter(kind=Kind.OFFER, status=Status.PUBLISHED).values_list(
            "pk", "organisation_id"
        )
    )
    if not needs or not offers:
        return 0
    now = timezone.now()
    used = set(MatchCase.objects.values_list("need_id", "offer_id"))
    cases = []
    while len(cases) < count:
        (need, need_org), (offer, offer_org) = rng.choice(needs), rng.choice(offers)
        if need_org == offer_org or (need, offer) in used:
            continue
        used.add((need, offer))
        state = _state(rng)
        created = now - timedelta(days=rng.uniform(1, days))
        answered = mutual = closed = None
        if state in ("mutual", "agreement", "no_agreement", "declined"):
            answered = created + timedelta(days=rng.uniform(0.1, 20))
        if state in ("mutual", "agreement", "no_agreement"):
            mutual = answered
        if state in ("agreement", "no_agreement"):
            closed = mutual + timedelta(days=rng.uniform(5, 90))
        need_initiates = rng.random() < 0.5
        cases.append(
            MatchCase(
                kind="match",
                need_id=need,
                offer_id=offer,
                requesting_organisation_id=need_org if need_initiates else offer_org,
                receiving_organisation_id=offer_org if need_initiates else need_org,
                state=state,
                initiated_by="facilitator"
                if state == "proposed"
                else ("need" if need_initiates else "offer"),
                message=SYNTHETIC_TITLE + "interest",
                answered_at=answered,
                mutual_at=mutual,
                closed_at=closed,
                opened_at=created,
                lapsed_at=created + timedelta(days=30) if state == "lapsed" else None,
            )
        )
    created_cases = MatchCase.objects.bulk_create(cases, batch_size=1000)
    # bulk_create sets auto_now_add to now: spread the opening dates over the period.
    for case in created_cases:
        case.created_at = case.opened_at
    MatchCase.objects.bulk_update(created_cases, ["created_at"], batch_size=1000)
    ratings = []
    for case in created_cases:
        if case.state in ("agreement", "no_agreement"):
            for org in (case.requesting_organisation_id, case.receiving_organisation_id):
                if rng.random() < 0.6:
                    base = 4 if case.state == "agreement" else 2
                    score = min(5, max(1, base + rng.choice((-1, 0, 0, 1))))
                    ratings.append(CaseRating(case=case, organisation_id=org, score=score))
    CaseRating.objects.bulk_create(ratings, batch_size=1000)
    return len(created_cases)


@transaction.atomic
def seed_initiatives(count: int, *, seed: int = 0, days: int = 365) -> int:
    from wipomatch.cooperation.models import Initiative, Party

    rng = random.Random(seed + 1)
    orgs = list(Organisation.objects.approved().values_list("pk", "org_type", "country_id"))
    countries = list(Country.objects.values_list("pk", "global_south", "ldc"))
    south = [c for c in countries if c[1]]
    north = [c for c in countries if not c[1]]
    ldcs = [c for c in countries if c[2]]
    themes = list(VocabularyTerm.objects.filter(kind=VocabularyTerm.Kind.THEME))
    if not orgs or not south:
        return 0
    now = timezone.now()
    modalities = ("south-south", "triangular", "north-south", "other")
    items, plans = [], []
    for i in range(count):
        modality = rng.choices(modalities, weights=(0.45, 0.25, 0.2, 0.1))[0]
        created = now - timedelta(days=rng.uniform(1, days))
        status = rng.choices(("1", "2", "3", "4"), weights=(0.1, 0.6, 0.1, 0.2))[0]
        items.append(
            Initiative(
                title=f"{SYNTHETIC_TITLE}initiative {i}",
                summary="Synthetic initiative for measuring the insights at scale.",
                language="en",
                status=status,
                review_status="published",
                published_at=created,
                modality=modality,
                modality_derived=modality,
                ppp=rng.random() < 0.15,
                actual_end=(created + timedelta(days=rng.uniform(30, 300))).date()
                if status == "4"
                else None,
            )
        )
        plans.append((created, modality))
    created_items = Initiative.objects.bulk_create(items, batch_size=500)
    parties, country_links, theme_links = [], [], []
    for item, (created, modality) in zip(created_items, plans, strict=True):
        item.created_at = created
        provider, beneficiary = rng.sample(orgs, 2)
        parties.append(
            Party(
                initiative=item,
                organisation_id=provider[0],
                role="provider",
                organisation_type=provider[1],
                country_id=provider[2],
                position=0,
            )
        )
        parties.append(
            Party(
                initiative=item,
                organisation_id=beneficiary[0],
                role="beneficiary",
                organisation_type=beneficiary[1],
                country_id=beneficiary[2],
                position=1,
            )
        )
        if modality == "triangular" and north:
            funder = rng.choice(north)
            parties.append(
                Party(
                    initiative=item,
                    name="Development agency",
                    role="funder",
                    organisation_type="government",
                    country_id=funder[0],
                    position=2,
                )
            )
        if rng.random() < 0.3:
            partner = rng.choice(orgs)
            parties.append(
                Party(
                    initiative=item,
                    organisation_id=partner[0],
                    role="implementing_partner",
                    organisation_type=partner[1],
                    country_id=partner[2],
                    position=3,
                )
            )
        benefit = rng.choice(ldcs if ldcs and rng.random() < 0.4 else south)
        country_links.append(
            Initiative.countries.through(initiative_id=item.pk, country_id=benefit[0])
        )
        for term in rng.sample(themes, k=min(len(themes), rng.randint(1, 2))):
            theme_links.append(
                Initiative.themes.through(initiative_id=item.pk, vocabularyterm_id=term.pk)
            )
    Initiative.objects.bulk_update(created_items, ["created_at"], batch_size=500)
    Party.objects.bulk_create(parties, batch_size=1000)
    Initiative.countries.through.objects.bulk_create(country_links, batch_size=1000)
    Initiative.themes.through.objects.bulk_create(theme_links, batch_size=1000)
    return len(created_items)
