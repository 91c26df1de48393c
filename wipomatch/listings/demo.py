"""Demo needs and offers for `manage.py seed_demo_listings` (run at the end of `seed_demo`).

The texts are in `demo_data/<language>.json`, one file per UN language, each written in that
language (not translated from another), with the organisation that posts each listing (a key of
`wipomatch/members/demo_data/organisations.yml`) and its facets. Seekers in developing countries and LDCs
post the needs; IP offices, donors, universities, companies and IGOs post the offers.

Every listing goes through the services as a member's would: created by the organisation's focal
point (or contributor@ for some of the demo focal point's organisation), submitted, and published
by the demo facilitator, so each one has its audit trail. The timestamps of a published listing
and of its audit events are then moved back by a few days to a few months (a stable amount per
listing) so that "newest" and "expiring soon" mean something in the demo; none is old enough to
trigger expiry reminders or the six-month staleness prompt. A few listings stay in draft,
submitted (the facilitator's validation queue) or changes requested, and one is closed as
fulfilled.

Background work: e-mails the services queue are dropped (demo addresses). The tasks that
`listing_changed` enqueues on every transition (embedding, suggestion refresh: about six per
listing) are held back too and replaced, once everything is created, by one embedding task per new
listing followed by one run of the periodic suggestion refresh, enqueued in one transaction after
commit. Without this the worker would face ~1,900 tasks and seeding would write each of them in its
own transaction; with an immediate task backend (tests) each would run inline.

Idempotent: a listing exists when its organisation already has one with the same title.

Data format (`demo_data/<language>.json` = {"needs": [...], "offers": [...]}), per listing:
`org`, `title`, `summary`, `description`, `themes`, `ip_areas`, `assistance_types`,
`resource_types` (offers), `modalities`, `countries` (ISO alpha-2), `regions` (M49), `languages`
(of delivery; default: the file's language), `sdg` (goal numbers), `targets` (SDG target codes),
`months` (duration; dates start at the next month), `budget` ([min, max, currency]; financial
offers), and optionally `status` (draft, submitted, changes_requested, closed), `comment` (the
facilitator's, for changes_requested) and `by` ("contributor").
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wipomatch.core.demo import background_work_held_back
from wipomatch.core.models import AuditEvent
from wipomatch.core.tasks import run_periodic_job_task
from wipomatch.members.demo import (
    CONTRIBUTOR_EMAIL,
    DEMO_DOMAIN,
    FACILITATOR_EMAIL,
    load_demo_data,
)
from wipomatch.members.models import Membership, Organisation, User
from wipomatch.reference.models import Country

from . import services
from .models import LANGUAGE_CODES, ClosedReason, Kind, Listing, Status
from .tasks import embed_listing
from .validation import ListingData

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
STATUSES = ("published", "draft", "submitted", "changes_requested", "closed")
# Published listings are spread over this many days before the seeding (under the 182 days after
# which an owner is prompted to update a listing, and far from expiry).
MAX_AGE_DAYS = 150


class DemoPrerequisiteMissing(Exception):
    """The demo organisations or the demo facilitator are not there: run seed_demo first."""


@dataclass(frozen=True)
class DemoListing:
    kind: str
    language: str
    org: str
    title: str
    summary: str
    description: str
    themes: tuple[str, ...]
    ip_areas: tuple[str, ...]
    assistance_types: tuple[str, ...]
    resource_types: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sdg: tuple[int, ...] = ()
    targets: tuple[str, ...] = ()
    months: int | None = None
    budget: tuple | None = None
    status: str = "published"
    comment: str = ""
    by: str = ""

    @property
    def age_days(self) -> int:
        """A stable age for the listing: the same on every database."""
        return 1 + zlib.crc32(self.title.encode("utf-8")) % MAX_AGE_DAYS

    def data(self, today: date) -> ListingData:
        start = end = None
        if self.months:
            offset = zlib.crc32(self.org.encode("utf-8")) % 4
            first = date(today.year, today.month, 1)
            start = _add_months(first, 1 + offset)
            end = _add_months(start, self.months) - timedelta(days=1)
        budget_min, budget_max, currency = self.budget or (None, None, "")
        return ListingData(
            title=self.title,
            summary=self.summary,
            description=self.description,
            language=self.language,
            themes=list(self.themes),
            ip_areas=list(self.ip_areas),
            assistance_types=list(self.assistance_types),
            resource_types=list(self.resource_types),
            modalities=list(self.modalities),
            countries=list(self.countries),
            regions=list(self.regions),
            delivery_languages=list(self.languages or (self.language,)),
            start_date=start,
            end_date=end,
            budget_min=budget_min,
            budget_max=budget_max,
            budget_currency=currency,
            sdg_goals=list(self.sdg),
            sdg_targets=list(self.targets),
        )


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


_TUPLE_FIELDS = (
    "themes",
    "ip_areas",
    "assistance_types",
    "resource_types",
    "modalities",
    "countries",
    "regions",
    "languages",
    "sdg",
    "targets",
)


def load_demo_listings(data_dir: Path = DATA_DIR) -> list[DemoListing]:
    """Every demo listing of the six files, needs first then offers, in file order."""
    listings = []
    for language in LANGUAGE_CODES:
        content = json.loads((data_dir / f"{language}.json").read_text(encoding="utf-8"))
        for kind, key in ((Kind.NEED, "needs"), (Kind.OFFER, "offers")):
            for entry in content[key]:
                values = dict(entry)
                for name in _TUPLE_FIELDS:
                    if name in values:
                        values[name] = tuple(values[name])
                if "budget" in values:
                    values["budget"] = tuple(values["budget"])
                listing = DemoListing(kind=kind.value, language=language, **values)
                if listing.status not in STATUSES:
                    raise ValueError(f"{language}.json: unknown status {listing.status!r}")
                listings.append(listing)
    return listings


@dataclass
class ListingSeedReport:
    created: Counter = field(default_factory=Counter)  # (kind, status) → count
    skipped: int = 0
    figures: dict[str, int] = field(default_factory=dict)
    created_ids: list[int] = field(default_factory=list)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())


def _demo_people() -> tuple[dict[str, tuple[Organisation, User]], User, User | None]:
    """(organisation key → (organisation, focal point)), the facilitator, contributor@."""
    key_of = {org.email: org.key for org in load_demo_data().organisations}
    people = {}
    memberships = Membership.objects.filter(
        user__email__in=[*key_of, CONTRIBUTOR_EMAIL],
        organisation__status=Organisation.Status.APPROVED,
    ).select_related("organisation", "user")
    contributor = None
    for membership in memberships:
        if membership.user.email == CONTRIBUTOR_EMAIL:
            contributor = membership.user
        elif membership.role == Membership.Role.FOCAL_POINT:
            people[key_of[membership.user.email]] = (membership.organisation, membership.user)
    facilitator = User.objects.filter(email=FACILITATOR_EMAIL).first()
    return people, facilitator, contributor


def _enqueue_follow_up(listing_ids: list[int]) -> None:
    """Embed each new listing, then refresh the suggestions of the stale ones (in that order)."""
    with transaction.atomic():
        for listing_id in listing_ids:
            embed_listing.enqueue(listing_id=listing_id)
        run_periodic_job_task.enqueue(name="suggestions-refresh")


def seed_demo_listings(
    *,
    log: Callable[[str], None] = lambda message: None,
    listings: list[DemoListing] | None = None,
) -> ListingSeedReport:
    """Create the demo listings that are missing; return what was created.

    Call it outside any transaction (as the command does): each listing is committed on its own,
    so the e-mails its services queue on commit are dropped inside the hold-back.
    """
    listings = load_demo_listings() if listings is None else listings
    report = ListingSeedReport()
    people, facilitator, contributor = _demo_people()
    missing = sorted({item.org for item in listings} - set(people))
    if facilitator is None or missing:
        raise DemoPrerequisiteMissing(
            "The demo organisations are missing"
            + (f" ({', '.join(missing[:5])}…)" if missing else "")
            + ". Run `manage.py seed_demo` first."
        )
    existing = set(
        Listing.objects.filter(
            organisation__in=[org for org, _user in people.values()]
        ).values_list("organisation_id", "title")
    )
    todo = [item for item in listings if (people[item.org][0].pk, item.title) not in existing]
    report.skipped = len(listings) - len(todo)
    if not todo:
        return report

    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Listing)
    with background_work_held_back(keep_other_tasks=False) as held_back:
        _create_all(todo, people, contributor, facilitator, now, content_type, report, log)
    if held_back.dropped:
        log(f"  {held_back.dropped} notification e-mails were not sent (demo addresses).")
    created_ids = report.created_ids
    # After commit: inside a test's transaction (immediate task backend) nothing runs.
    transaction.on_commit(lambda: _enqueue_follow_up(created_ids))
    log(
        f"  {held_back.held} background tasks of the transitions replaced by "
        f"{len(created_ids) + 1} (embeddings, then one suggestion refresh)."
    )
    report.figures = demo_listing_figures()
    return report


def _create_all(todo, people, contributor, facilitator, now, content_type, report, log) -> None:
    """Each listing in its own transaction, so that its on-commit hooks run inside the hold-backs."""
    for number, item in enumerate(todo, start=1):
        organisation, author = people[item.org]
        if item.by == "contributor" and contributor is not None:
            author = contributor
        with transaction.atomic():
            listing = services.listing_create(
                user=author,
                organisation=organisation,
                kind=item.kind,
                data=item.data(timezone.localdate(now)),
            )
            _take_through_lifecycle(listing, item, author=author, facilitator=facilitator)
            _backdate(listing, item, now=now, content_type=content_type)
        report.created[(item.kind, listing.status)] += 1
        report.created_ids.append(listing.pk)
        if number % 50 == 0:
            log(f"  {number} of {len(todo)} listings…")


def _take_through_lifecycle(listing: Listing, item: DemoListing, *, author, facilitator) -> None:
    if item.status == "draft":
        return
    services.listing_submit(user=author, listing=listing)
    if item.status == "submitted":
        return
    if item.status == "changes_requested":
        services.listing_request_changes(
            facilitator=facilitator, listing=listing, comment=item.comment
        )
        return
    services.listing_publish(facilitator=facilitator, listing=listing)
    if item.status == "closed":
        services.listing_close(
            user=author,
            listing=listing,
            reason=ClosedReason.FULFILLED,
            note=item.comment,
        )


def _backdate(listing: Listing, item: DemoListing, *, now, content_type) -> None:
    """Move the listing's history back in time, keeping its order (created → … → published)."""
    age = item.age_days if item.status in ("published", "closed") else 1 + item.age_days % 5
    moments = {}
    if listing.published_at:
        moments["published"] = now - timedelta(days=age)
        moments["submitted"] = moments["published"] - timedelta(days=2, hours=3)
        moments["created"] = moments["submitted"] - timedelta(days=1, hours=5)
        if item.status == "closed":
            moments["closed_fulfilled"] = moments["published"] + timedelta(days=age // 2)
    else:
        moments["changes_requested"] = now - timedelta(hours=6)
        moments["submitted"] = now - timedelta(days=age - 1 if age > 1 else 0, hours=20)
        moments["created"] = now - timedelta(days=age, hours=3)
    fields = {"created_at": moments["created"], "content_updated_at": moments["created"]}
    if listing.submitted_at:
        fields["submitted_at"] = moments["submitted"]
    if listing.published_at:
        fields["published_at"] = moments["published"]
        fields["expires_at"] = moments["published"] + services.listing_validity()
    if listing.closed_at:
        fields["closed_at"] = moments["closed_fulfilled"]
    Listing.objects.filter(pk=listing.pk).update(**fields)
    for name, value in fields.items():
        setattr(listing, name, value)
    events = AuditEvent.objects.filter(content_type=content_type, object_id=str(listing.pk))
    for action, moment in moments.items():
        events.filter(action=action).update(created_at=moment)


def demo_listing_figures() -> dict[str, int]:
    demo = Listing.objects.filter(
        organisation__memberships__user__email__endswith=f"@{DEMO_DOMAIN}"
    ).distinct()
    published = demo.filter(status=Status.PUBLISHED)
    figures = {
        "needs": published.filter(kind=Kind.NEED).count(),
        "offers": published.filter(kind=Kind.OFFER).count(),
        "languages": published.values("language").distinct().count(),
        "countries": Country.objects.filter(covering_listings__in=published).distinct().count(),
        "under_review": demo.filter(status=Status.SUBMITTED).count(),
        "unpublished": demo.exclude(status=Status.PUBLISHED).count(),
    }
    return figures
