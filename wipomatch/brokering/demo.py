"""Demo brokering content, run at the end of `manage.py seed_demo` (idempotent).

1. The demo provider: provider@demo.wipomatch.org (password as the other demo accounts), focal
   point of a technology transfer office in Argentina (`demo_data/provider.json`) whose three
   published offers answer the published needs of focal@demo.wipomatch.org's organisation in
   Kenya, so that they appear among that organisation's suggestions. The pair "licence
   negotiation mentoring" (focal@'s need ↔ provider@'s first offer) is left without a case, to
   walk the journey by hand: express interest from the suggestion, answer, talk.
2. About forty cases between the demo organisations, over every state (interest, proposed,
   mutual, agreement, no agreement, declined, withdrawn, lapsed), made through the services
   (so each has its audit trail and notifications) with the messages, answers, notes,
   follow-ups, conversations and ratings of `demo_data/cases.json` (several UN languages), then
   moved back in time (a stable number of days per case) so that answer times, reminders and
   lapses look like months of real use. Four involve focal@ and provider@: one waits for
   focal@'s answer, one for provider@'s, one is mutual with a conversation, one ended in an
   agreement.

E-mails the services queue are dropped (demo addresses).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wipomatch.core.demo import background_work_held_back
from wipomatch.core.models import AuditEvent
from wipomatch.listings import services as listing_services
from wipomatch.listings.demo import DemoListing, _backdate
from wipomatch.listings.models import Kind, Listing, Status
from wipomatch.members.demo import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    FACILITATOR_EMAIL,
    FOCAL_EMAIL,
    DemoOrganisation,
    _admit,
    _create_user,
)
from wipomatch.members.models import Membership, Organisation, User
from wipomatch.messaging.models import Message
from wipomatch.messaging.services import conversation_open, message_post
from wipomatch.reference.models import Country

from . import services
from .models import MatchCase

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
PROVIDER_EMAIL = f"provider@{DEMO_DOMAIN}"

# How many generic cases of each state (the four cases of focal@ and provider@ come on top).
PLAN = (
    ("interest", 6),
    ("proposed", 4),
    ("mutual", 6),
    ("agreement", 5),
    ("no_agreement", 3),
    ("declined", 5),
    ("withdrawn", 3),
    ("lapsed", 4),
)
# Age range (days) of a case of each state when seeded.
AGES = {
    "interest": (1, 20),
    "proposed": (2, 14),
    "mutual": (15, 60),
    "agreement": (60, 170),
    "no_agreement": (50, 140),
    "declined": (10, 90),
    "withdrawn": (5, 60),
    "lapsed": (40, 120),
}


def _load(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _stable(text: str, low: int, high: int) -> int:
    return low + zlib.crc32(text.encode("utf-8")) % (high - low + 1)


def _focal_point(organisation: Organisation) -> User | None:
    membership = (
        Membership.objects.filter(organisation=organisation, role=Membership.Role.FOCAL_POINT)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


# --- the provider -------------------------------------------------------------------------


def _seed_provider(facilitator: User, log) -> tuple[User, Organisation, list[Listing]]:
    data = _load("provider.json")
    org_data = data["organisation"]
    user = User.objects.filter(email=PROVIDER_EMAIL).first()
    if user is None:
        with transaction.atomic():
            user = _create_user(
                email=PROVIDER_EMAIL,
                full_name=org_data["person"],
                language=org_data["language"],
                password=DEMO_PASSWORD,
            )
            demo_org = DemoOrganisation(
                key=org_data["key"],
                name=org_data["name"],
                acronym=org_data["acronym"],
                org_type=org_data["org_type"],
                country=org_data["country"],
                language=org_data["language"],
                person=org_data["person"],
                description=org_data["description"],
                themes=tuple(org_data["themes"]),
                focal_email=PROVIDER_EMAIL,
            )
            countries = {c.iso2: c for c in Country.objects.filter(iso2=org_data["country"])}
            _admit(demo_org, user, facilitator, countries)
        log(f"  + account {PROVIDER_EMAIL} (focal point of {org_data['name']})")
    organisation = Membership.objects.get(user=user).organisation
    offers = []
    today = timezone.localdate()
    for item in data["offers"]:
        listing = Listing.objects.filter(organisation=organisation, title=item["title"]).first()
        if listing is None:
            demo = DemoListing(
                kind=Kind.OFFER,
                language=item["language"],
                org=org_data["key"],
                title=item["title"],
                summary=item["summary"],
                description=item["description"],
                themes=tuple(item["themes"]),
                ip_areas=tuple(item["ip_areas"]),
                assistance_types=tuple(item["assistance_types"]),
                resource_types=tuple(item["resource_types"]),
                modalities=tuple(item["modalities"]),
                regions=tuple(item["regions"]),
                languages=tuple(item["languages"]),
                sdg=tuple(item["sdg"]),
                months=item["months"],
            )
            with transaction.atomic():
                listing = listing_services.listing_create(
                    user=user, organisation=organisation, kind=Kind.OFFER, data=demo.data(today)
                )
                listing_services.listing_submit(user=user, listing=listing)
                listing_services.listing_publish(facilitator=facilitator, listing=listing)
                # Its history moved back like the other demo listings' (created → published).
                _backdate(
                    listing,
                    demo,
                    now=timezone.now(),
                    content_type=ContentType.objects.get_for_model(Listing),
                )
            log(f"  + offer “{listing.title}”")
        offers.append(listing)
    return user, organisation, offers


# --- cases --------------------------------------------------------------------------------


class _Texts:
    """Cycles through the demo texts so each case gets a different one."""

    def __init__(self, data: dict):
        self.data = data
        self.interest = [t for texts in data["interest"].values() for t in texts]
        self.answers = [t for texts in data["answers"].values() for t in texts]
        self.counters: dict[str, int] = {}

    def next(self, name: str, items: list):
        index = self.counters.get(name, 0)
        self.counters[name] = index + 1
        return items[index % len(items)]


def _candidate_pairs(exclude_orgs: set[int]) -> list[tuple[Listing, Listing]]:
    """Published demo need ↔ offer pairs of different organisations sharing a theme, in a stable
    order, each listing used at most twice."""
    demo_orgs = Organisation.objects.filter(
        memberships__user__email__endswith=f"@{DEMO_DOMAIN}"
    ).exclude(pk__in=exclude_orgs)
    published = Listing.objects.filter(status=Status.PUBLISHED, organisation__in=demo_orgs)
    needs = list(published.filter(kind=Kind.NEED).prefetch_related("terms").order_by("pk"))
    offers = list(published.filter(kind=Kind.OFFER).prefetch_related("terms").order_by("pk"))
    used: dict[int, int] = {}
    pairs = []
    for need in needs:
        themes = set(need.themes)
        for offer in offers:
            if offer.organisation_id == need.organisation_id or not themes & set(offer.themes):
                continue
            if used.get(need.pk, 0) >= 2 or used.get(offer.pk, 0) >= 2:
                continue
            pairs.append((need, offer))
            used[need.pk] = used.get(need.pk, 0) + 1
            used[offer.pk] = used.get(offer.pk, 0) + 1
            break
    # A second round lets a listing take part in a second case.
    for need in needs:
        themes = set(need.themes)
        for offer in reversed(offers):
            if offer.organisation_id == need.organisation_id or not themes & set(offer.themes):
                continue
            if (need, offer) in pairs or used.get(need.pk, 0) >= 2 or used.get(offer.pk, 0) >= 2:
                continue
            pairs.append((need, offer))
            used[need.pk] = used.get(need.pk, 0) + 1
            used[offer.pk] = used.get(offer.pk, 0) + 1
            break
    return pairs


def _shift(case: MatchCase, *, age: int, answer_after: int, close_after: int) -> None:
    """Move the case back in time: opened `age` days ago, answered `answer_after` days later,
    closed `close_after` days after opening; its audit events and messages follow."""
    now = timezone.now()
    opened = now - timedelta(days=age, hours=_stable(str(case.pk), 0, 20))
    answered = opened + timedelta(days=answer_after, hours=3)
    closed = opened + timedelta(days=close_after, hours=5)
    updates = {"created_at": opened, "opened_at": opened}
    for field, when in (
        ("answered_at", answered),
        ("mutual_at", answered),
        ("need_side_accepted_at", answered),
        ("offer_side_accepted_at", answered),
        ("closed_at", closed),
    ):
        if getattr(case, field):
            updates[field] = when
    MatchCase.objects.filter(pk=case.pk).update(**updates)
    answer_actions = ("accepted", "side_accepted", "declined")
    close_actions = ("closed", "rated", "withdrawn")
    events = AuditEvent.objects.filter(
        content_type__app_label="brokering", content_type__model="matchcase", object_id=str(case.pk)
    )
    events.exclude(action__in=answer_actions + close_actions).update(created_at=opened)
    events.filter(action__in=answer_actions).update(created_at=answered)
    events.filter(action__in=close_actions).update(created_at=closed)
    for number, message in enumerate(
        Message.objects.filter(conversation__object_id=str(case.pk)).order_by("pk")
    ):
        Message.objects.filter(pk=message.pk).update(
            created_at=answered + timedelta(days=number + 1, hours=number * 2)
        )


def _make_case(state: str, need, offer, *, texts: _Texts, facilitator, initiator_side=None):
    """One case brought to `state` through the services."""
    need_user = _focal_point(need.organisation)
    offer_user = _focal_point(offer.organisation)
    if state == "proposed":
        case = services.match_propose(
            facilitator=facilitator,
            need=need,
            offer=offer,
            message=texts.next("proposal", texts.data["proposal"]),
        )
        if texts.next("proposal_side", [True, False]):
            case = services.match_accept(user=offer_user, case=case)
        return case
    side = initiator_side or texts.next("side", ["need", "offer", "need"])
    initiator, answerer = (need_user, offer_user) if side == "need" else (offer_user, need_user)
    case = services.match_express_interest(
        user=initiator, need=need, offer=offer, message=texts.next("interest", texts.interest)
    )
    if state in ("interest", "lapsed"):
        return case
    if state == "withdrawn":
        return services.match_withdraw(user=initiator, case=case)
    if state == "declined":
        reason, comment = texts.next("decline", texts.data["declines"])
        return services.match_decline(user=answerer, case=case, reason=reason, comment=comment)
    case = services.match_accept(
        user=answerer, case=case, message=texts.next("answer", texts.answers)
    )
    users = {"requesting": initiator, "receiving": answerer}
    conversation = conversation_open(
        subject=case, organisations=[case.requesting_organisation, case.receiving_organisation]
    )
    lines = texts.data["conversation"][: 2 + texts.next("conversation", [0, 1, 2])]
    for who, body in lines:
        message_post(conversation=conversation, author=users[who], body=body)
    if state == "mutual":
        return case
    if state == "agreement":
        note, start_in = texts.next("agreement", texts.data["agreements"])
        case = services.match_close(
            user=facilitator,
            case=case,
            outcome="agreement",
            note=note,
            expected_start=timezone.localdate() + timedelta(days=start_in),
        )
    else:
        case = services.match_close(
            user=initiator,
            case=case,
            outcome="no_agreement",
            note=texts.next("no_agreement", texts.data["no_agreements"]),
        )
    for user in (initiator, answerer)[: 1 + texts.next("raters", [1, 1, 0])]:
        score, comment = texts.next("rating", texts.data["ratings"])
        services.case_rate(user=user, case=case, score=score, comment=comment)
    return case


def _facilitator_work(case: MatchCase, facilitator: User, texts: _Texts, index: int) -> None:
    if index % 3 == 0:
        services.match_assign(facilitator=facilitator, case=case, assignee=facilitator)
    if index % 2 == 0:
        services.case_note_add(
            facilitator=facilitator, case=case, body=texts.next("note", texts.data["notes"])
        )
    if case.is_open and index % 3 != 2:
        # Some follow-ups are already overdue, so the board's filter shows something.
        days = -3 if index % 4 == 0 else _stable(f"f{case.pk}", 2, 20)
        services.match_set_follow_up(
            facilitator=facilitator, case=case, on=timezone.localdate() + timedelta(days=days)
        )


def _seed_cases(focal_org, provider_org, provider_offers, facilitator, log) -> int:
    texts = _Texts(_load("cases.json"))
    focal_needs = list(
        Listing.objects.filter(organisation=focal_org, kind=Kind.NEED, status=Status.PUBLISHED)
    )
    focal_offers = list(
        Listing.objects.filter(organisation=focal_org, kind=Kind.OFFER, status=Status.PUBLISHED)
    )
    pairs = _candidate_pairs({focal_org.pk, provider_org.pk})
    plan: list[tuple[str, Listing, Listing, str | None]] = []
    # The cases of focal@ and provider@ (the pair focal need ↔ first offer stays free).
    if focal_needs and len(provider_offers) > 1:
        plan.append(("interest", focal_needs[0], provider_offers[1], "offer"))
    others_needs = [n for n, _o in pairs if n.organisation_id not in (focal_org.pk,)]
    if others_needs and len(provider_offers) > 2:
        plan.append(("interest", others_needs[0], provider_offers[2], "need"))
    if len(others_needs) > 1 and len(provider_offers) > 1:
        plan.append(("agreement", others_needs[1], provider_offers[1], "need"))
    if focal_offers and len(others_needs) > 2:
        plan.append(("mutual", others_needs[2], focal_offers[0], "offer"))
    taken = {(n.pk, o.pk) for _s, n, o, _side in plan}
    generic = [(n, o) for n, o in pairs if (n.pk, o.pk) not in taken]
    states = [state for state, count in PLAN for _i in range(count)]
    plan += [(state, n, o, None) for state, (n, o) in zip(states, generic, strict=False)]

    created = []
    for index, (state, need, offer, side) in enumerate(plan):
        with transaction.atomic():
            case = _make_case(
                state, need, offer, texts=texts, facilitator=facilitator, initiator_side=side
            )
            _facilitator_work(case, facilitator, texts, index)
            low, high = AGES[state]
            age = _stable(f"{need.pk}-{offer.pk}", low, high)
            answer_after = _stable(f"a{need.pk}-{offer.pk}", 1, 9)
            close_after = min(age - 1, answer_after + _stable(f"c{offer.pk}", 10, 40))
            case.refresh_from_db()
            _shift(case, age=age, answer_after=answer_after, close_after=max(close_after, 1))
        created.append((state, case.pk))
    # Lapse the old unanswered ones on the day they reached 30 days, oldest first; then the
    # reminders the younger ones are due today.
    lapsing = MatchCase.objects.filter(pk__in=[pk for state, pk in created if state == "lapsed"])
    for case in lapsing.order_by("opened_at"):
        when = case.opened_at + timedelta(days=services.LAPSE_DAYS, hours=1)
        services.cases_send_reminders_and_lapse(now=when)
        AuditEvent.objects.filter(
            object_id=str(case.pk), content_type__model="matchcase", action__in=["lapsed"]
        ).update(created_at=when)
    services.cases_send_reminders_and_lapse()
    log(f"  + {len(created)} demo cases over {len({s for s, _pk in created})} states")
    return len(created)


def seed_demo_provider(*, log: Callable[[str], None] = lambda message: None) -> int:
    """The demo provider and its offers (run before the demo listings, so that theirs stay the
    newest rows); returns how many offers it has."""
    facilitator = User.objects.filter(email=FACILITATOR_EMAIL).first()
    if facilitator is None:
        return 0
    with background_work_held_back():
        _user, _org, offers = _seed_provider(facilitator, log)
    return len(offers)


def seed_demo_brokering(*, log: Callable[[str], None] = lambda message: None) -> dict:
    """Create the demo provider, its offers and the demo cases that are missing."""
    facilitator = User.objects.filter(email=FACILITATOR_EMAIL).first()
    focal = User.objects.filter(email=FOCAL_EMAIL).first()
    if facilitator is None or focal is None:
        log("  Demo brokering skipped: run seed_demo first (no demo facilitator or focal point).")
        return {"cases": 0}
    focal_org = Membership.objects.get(user=focal).organisation
    with background_work_held_back() as backend:
        provider, provider_org, offers = _seed_provider(facilitator, log)
        demo_cases = MatchCase.objects.filter(
            Q(requesting_organisation__memberships__user__email__endswith=f"@{DEMO_DOMAIN}")
        )
        cases = 0
        if not demo_cases.exists():
            cases = _seed_cases(focal_org, provider_org, offers, facilitator, log)
        else:
            log("  Demo cases: already there.")
        if backend.dropped:
            log(f"  {backend.dropped} notification e-mails were not sent (demo addresses).")
    return {"cases": cases, "provider": provider.email, "offers": len(offers)}
