"""Writes for needs and offers: creation, editing and the whole lifecycle.

draft → submitted → published (a facilitator checks it) → closed (fulfilled / withdrawn) or
expired; a facilitator may instead ask for changes or reject. Every transition is audited, the
people concerned are e-mailed after commit, and `listing_changed` is sent after commit so that
search embeddings and match suggestions refresh in the background.
"""

from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wipomatch.core.audit import audit_record
from wipomatch.core.mail import email_after_commit
from wipomatch.core.permissions import is_facilitator, require_facilitator
from wipomatch.core.text import clean_plain_text
from wipomatch.members.models import Organisation, User
from wipomatch.members.selectors import facilitator_contacts, focal_point_emails
from wipomatch.reference.models import Country

from .models import (
    DIRECT_FIELDS,
    ClosedReason,
    Kind,
    Listing,
    ListingRevision,
    ListingTerm,
    RevisionStatus,
    Status,
)
from .permissions import (
    STANDING_REFUSAL,
    can_create_listing_for,
    can_edit_listing,
    organisation_in_good_standing,
    require_listing_action,
    revision_allowed_actions,
)
from .signals import send_listing_changed
from .validation import (
    CleanListing,
    ListingData,
    changed_fields,
    listing_data_from_json,
    listing_data_of,
    listing_data_to_json,
    validate_listing,
)


def listing_validity() -> timedelta:
    return timedelta(days=settings.LISTING_VALIDITY_DAYS)


def _language_index(values: dict) -> str:
    codes = sorted({values["language"], *values["delivery_languages"]})
    return "|" + "|".join(codes) + "|"


def _store(listing: Listing, clean: CleanListing) -> None:
    for name, value in clean.values.items():
        setattr(listing, name, value)
    listing.language_index = _language_index(clean.values)
    listing.worldwide = listing.kind == Kind.OFFER and not clean.countries and not clean.regions
    listing.full_clean(exclude=["organisation", "created_by"])
    listing.save()
    listing.listing_terms.all().delete()
    ListingTerm.objects.bulk_create([ListingTerm(listing=listing, term=t) for t in clean.terms])
    countries = clean.countries
    if listing.kind == Kind.NEED and not countries:
        countries = [listing.organisation.country]
    listing.countries.set(countries)
    listing.regions.set(clean.regions)
    listing.sdg_goals.set(clean.sdg_goals)
    listing.sdg_targets.set(clean.sdg_targets)
    coverage = {c.pk for c in countries}
    if clean.regions:
        codes = [r.code for r in clean.regions]
        coverage |= set(Country.objects.filter(region__code__in=codes).values_list("pk", flat=True))
        coverage |= set(
            Country.objects.filter(subregion__code__in=codes).values_list("pk", flat=True)
        )
        coverage |= set(
            Country.objects.filter(intermediate_region__code__in=codes).values_list("pk", flat=True)
        )
    listing.coverage.set(coverage)


def _transition(
    listing: Listing, *, actor, to: str, action: str, reason: str = "", fields=(), data=None
) -> None:
    previous = listing.status
    listing.status = to
    listing.save(update_fields=["status", "updated_at", *fields])
    audit_record(
        target=listing,
        actor=actor,
        action=action,
        from_state=previous,
        to_state=to,
        reason=reason,
        data=data or {},
    )
    send_listing_changed(listing, action)


def _email_owners(listing: Listing, template: str, **extra) -> None:
    context = {
        "title": listing.title,
        "kind": listing.kind,
        "url": listing.get_absolute_url(),
        **extra,
    }
    for address, language in focal_point_emails(listing.organisation):
        email_after_commit(template=template, to=[address], language=language, context=context)
    if listing.created_by_id and listing.created_by.email not in {
        a for a, _lang in focal_point_emails(listing.organisation)
    }:
        email_after_commit(
            template=template,
            to=[listing.created_by.email],
            language=listing.created_by.preferred_language,
            context=context,
        )


@transaction.atomic
def listing_create(
    *,
    user: User,
    organisation: Organisation,
    kind: str,
    data: ListingData,
    submit: bool = False,
) -> Listing:
    """Create a draft need or offer for the user's organisation (optionally submit it at once)."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose need or offer.")})
    if not can_create_listing_for(user, organisation):
        if not organisation_in_good_standing(organisation):
            raise PermissionDenied(STANDING_REFUSAL)
        raise PermissionDenied
    clean = validate_listing(kind, data)
    listing = Listing(kind=kind, organisation=organisation, created_by=user)
    _store(listing, clean)
    audit_record(target=listing, actor=user, action="created", to_state=listing.status)
    send_listing_changed(listing, "created")
    if submit:
        listing_submit(user=user, listing=listing)
    return listing


@transaction.atomic
def listing_update(*, user: User, listing: Listing, data: ListingData) -> Listing:
    """Edit the content. On a published listing, a member's substantive change (anything but
    `DIRECT_FIELDS`) becomes a pending `ListingRevision` and the approved version stays public
    until a facilitator accepts it (`pending_revision_of` tells); the direct fields change at
    once. Drafts, expired listings and a facilitator's edits change directly. Audited."""
    require_listing_action(user, listing, "edit", _("This listing can no longer be edited."))
    clean = validate_listing(listing.kind, data)
    if listing.status == Status.PUBLISHED and not is_facilitator(user):
        current = listing_data_of(listing)
        changed = changed_fields(current, data)
        substantive = [name for name in changed if name not in DIRECT_FIELDS]
        direct = [name for name in changed if name in DIRECT_FIELDS]
        if direct:
            live = replace(current, **{name: getattr(data, name) for name in DIRECT_FIELDS})
            _store(listing, validate_listing(listing.kind, live))
            audit_record(
                target=listing,
                actor=user,
                action="edited",
                to_state=listing.status,
                data={"fields": direct},
            )
            send_listing_changed(listing, "edited")
        if substantive:
            _propose_revision(listing, user=user, data=data, fields=substantive)
        return listing
    now = timezone.now()
    listing.content_updated_at = now
    if listing.status == Status.PUBLISHED:
        listing.reviewed_at = now  # a facilitator's own edit is reviewed
    listing.stale_prompted_at = None
    _store(listing, clean)
    audit_record(target=listing, actor=user, action="edited", to_state=listing.status)
    send_listing_changed(listing, "edited")
    return listing


def _propose_revision(listing: Listing, *, user: User, data: ListingData, fields: list[str]):
    revision = (
        ListingRevision.objects.select_for_update()
        .filter(listing=listing, status=RevisionStatus.PENDING)
        .first()
    )
    if revision is None:
        revision = ListingRevision(listing=listing)
    revision.proposed = listing_data_to_json(data)
    revision.fields = fields
    revision.created_by = user
    revision.save()
    audit_record(
        target=listing,
        actor=user,
        action="revision_proposed",
        to_state=listing.status,
        data={"revision": revision.pk, "fields": fields},
    )
    for address, language in facilitator_contacts():
        email_after_commit(
            template="listings/revision_to_review",
            to=[address],
            language=language,
            context={
                "title": listing.title,
                "organisation": listing.organisation.name,
                "url": revision.get_absolute_url(),
            },
        )
    return revision


def pending_revision_of(listing: Listing) -> ListingRevision | None:
    return ListingRevision.objects.filter(listing=listing, status=RevisionStatus.PENDING).first()


def _require_revision_action(user: User, revision: ListingRevision, action: str) -> None:
    allowed = revision_allowed_actions(user, revision)
    if allowed[action]:
        return
    if not allowed["view"]:
        raise PermissionDenied
    if action == "withdraw" and not organisation_in_good_standing(revision.listing.organisation):
        raise PermissionDenied(STANDING_REFUSAL)
    raise ValidationError(_("These changes are no longer awaiting review."))


def _decide_revision(
    revision: ListingRevision, *, actor: User, to: str, action: str, comment: str
) -> None:
    revision.status = to
    revision.decided_by = actor
    revision.decided_at = timezone.now()
    revision.comment = comment
    revision.save(update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"])
    audit_record(
        target=revision.listing,
        actor=actor,
        action=action,
        to_state=revision.listing.status,
        reason=comment,
        data={"revision": revision.pk, "fields": list(revision.fields)},
    )


@transaction.atomic
def listing_revision_accept(
    *, facilitator: User, revision: ListingRevision, comment: str = ""
) -> Listing:
    """The proposed content replaces the live one (validated again); the owners are told."""
    require_facilitator(facilitator)
    revision = ListingRevision.objects.select_for_update().get(pk=revision.pk)
    _require_revision_action(facilitator, revision, "accept")
    listing = revision.listing
    clean = validate_listing(listing.kind, listing_data_from_json(revision.proposed))
    now = timezone.now()
    listing.content_updated_at = listing.reviewed_at = now
    listing.stale_prompted_at = None
    _store(listing, clean)
    _decide_revision(
        revision,
        actor=facilitator,
        to=RevisionStatus.ACCEPTED,
        action="revision_accepted",
        comment=clean_plain_text(comment),
    )
    send_listing_changed(listing, "edited")
    _email_owners(listing, "listings/revision_accepted", comment=revision.comment)
    return listing


@transaction.atomic
def listing_revision_reject(*, facilitator: User, revision: ListingRevision, comment: str) -> None:
    """The live version stays as it is; the owners are told why."""
    require_facilitator(facilitator)
    revision = ListingRevision.objects.select_for_update().get(pk=revision.pk)
    _require_revision_action(facilitator, revision, "reject")
    comment = clean_plain_text(comment)
    if not comment:
        raise ValidationError({"comment": _("Say why the changes are not accepted.")})
    _decide_revision(
        revision,
        actor=facilitator,
        to=RevisionStatus.REJECTED,
        action="revision_rejected",
        comment=comment,
    )
    _email_owners(revision.listing, "listings/revision_rejected", comment=comment)


@transaction.atomic
def listing_revision_withdraw(*, user: User, revision: ListingRevision) -> None:
    """The listing's organisation takes its proposed changes back."""
    revision = ListingRevision.objects.select_for_update().get(pk=revision.pk)
    _require_revision_action(user, revision, "withdraw")
    _decide_revision(
        revision, actor=user, to=RevisionStatus.WITHDRAWN, action="revision_withdrawn", comment=""
    )


@transaction.atomic
def listing_submit(*, user: User, listing: Listing) -> None:
    require_listing_action(user, listing, "submit", _("Only a draft can be submitted for review."))
    listing.submitted_at = timezone.now()
    _transition(
        listing, actor=user, to=Status.SUBMITTED, action="submitted", fields=["submitted_at"]
    )
    _email_facilitators_to_review(listing)


def _email_facilitators_to_review(listing: Listing) -> None:
    for address, language in facilitator_contacts():
        email_after_commit(
            template="listing_to_review",
            to=[address],
            language=language,
            context={
                "title": listing.title,
                "organisation": listing.organisation.name,
                "url": reverse("listings:review_queue"),
            },
        )


def _publish(listing: Listing, *, facilitator: User, comment: str) -> None:
    require_listing_action(
        facilitator, listing, "publish", _("Only a listing submitted for review can be published.")
    )
    if not listing.organisation.is_approved:
        raise ValidationError(_("The organisation is not an approved member."))
    now = timezone.now()
    listing.published_at = listing.published_at or now
    listing.reviewed_at = now
    listing.expires_at = now + listing_validity()
    listing.review_comment = clean_plain_text(comment)
    listing.reminded_30_at = listing.reminded_7_at = None
    _transition(
        listing,
        actor=facilitator,
        to=Status.PUBLISHED,
        action="published",
        reason=listing.review_comment,
        fields=[
            "published_at",
            "reviewed_at",
            "expires_at",
            "review_comment",
            "reminded_30_at",
            "reminded_7_at",
        ],
    )
    _email_owners(listing, "listing_published", expires=listing.expires_at.date().isoformat())


@transaction.atomic
def listing_publish(*, facilitator: User, listing: Listing, comment: str = "") -> None:
    require_facilitator(facilitator)
    _publish(listing, facilitator=facilitator, comment=comment)


@transaction.atomic
def listing_publish_many(*, facilitator: User, listings: list[Listing]) -> tuple[int, list[str]]:
    """Bulk publication from the validation queue; returns (published, problems)."""
    require_facilitator(facilitator)
    published, problems = 0, []
    for listing in listings:
        try:
            with transaction.atomic():
                _publish(listing, facilitator=facilitator, comment="")
            published += 1
        except ValidationError as exc:
            problems.append(f"{listing.title}: {' '.join(exc.messages)}")
    return published, problems


# A facilitator's review outcome other than publication: the status it leads to, the form field
# of the text the facilitator must write (also the e-mail's context key), and the refusals.
REVIEW_OUTCOMES = {
    "request_changes": {
        "to": Status.CHANGES_REQUESTED,
        "field": "comment",
        "missing": gettext_lazy("Say what should change."),
        "refusal": gettext_lazy("Only a listing submitted for review can be sent back."),
    },
    "reject": {
        "to": Status.REJECTED,
        "field": "reason",
        "missing": gettext_lazy("Give the reason for rejecting the listing."),
        "refusal": gettext_lazy("Only a listing under review can be rejected."),
    },
}


def _send_back(listing: Listing, *, facilitator: User, text: str, outcome: str) -> None:
    """Checked by the lifecycle policy, recorded and e-mailed to the owners."""
    rules = REVIEW_OUTCOMES[outcome]
    require_facilitator(facilitator)
    text = clean_plain_text(text)
    if not text:
        raise ValidationError({rules["field"]: rules["missing"]})
    require_listing_action(facilitator, listing, outcome, rules["refusal"])
    listing.review_comment = text
    action = rules["to"].value  # "changes_requested", "rejected"
    _transition(
        listing,
        actor=facilitator,
        to=rules["to"],
        action=action,
        reason=text,
        fields=["review_comment"],
    )
    _email_owners(listing, f"listing_{action}", **{rules["field"]: text})


@transaction.atomic
def listing_request_changes(*, facilitator: User, listing: Listing, comment: str) -> None:
    _send_back(listing, facilitator=facilitator, text=comment, outcome="request_changes")


@transaction.atomic
def listing_reject(*, facilitator: User, listing: Listing, reason: str) -> None:
    _send_back(listing, facilitator=facilitator, text=reason, outcome="reject")


@transaction.atomic
def listing_close(*, user: User, listing: Listing, reason: str, note: str = "") -> None:
    if not can_edit_listing(user, listing):
        raise PermissionDenied
    if reason not in ClosedReason.values:
        raise ValidationError({"reason": _("Say whether the listing was fulfilled or withdrawn.")})
    require_listing_action(user, listing, "close", _("This listing is already closed."))
    listing.closed_reason = reason
    listing.closed_at = timezone.now()
    _transition(
        listing,
        actor=user,
        to=Status.CLOSED,
        action=f"closed_{reason}",
        reason=clean_plain_text(note),
        fields=["closed_reason", "closed_at"],
    )


def content_unchanged_since_review(listing: Listing) -> bool:
    """Whether the content is the one a facilitator last approved (publication or accepted
    revision; `published_at` for listings older than `reviewed_at`)."""
    reviewed = listing.reviewed_at or listing.published_at
    return reviewed is not None and listing.content_updated_at <= reviewed


@transaction.atomic
def listing_renew(*, user: User, listing: Listing) -> None:
    """One click: a published or expired listing runs for another full period, at once when its
    content is unchanged since the last review (and its organisation in good standing, which
    the policy checks); otherwise it goes back to review."""
    require_listing_action(
        user, listing, "renew", _("Only a published or expired listing can be renewed.")
    )
    if not content_unchanged_since_review(listing):
        listing.submitted_at = timezone.now()
        _transition(
            listing,
            actor=user,
            to=Status.SUBMITTED,
            action="submitted",
            fields=["submitted_at"],
            data={"renewal": True},
        )
        _email_facilitators_to_review(listing)
        return
    listing.expires_at = timezone.now() + listing_validity()
    listing.reminded_30_at = listing.reminded_7_at = None
    _transition(
        listing,
        actor=user,
        to=Status.PUBLISHED,
        action="renewed",
        fields=["expires_at", "reminded_30_at", "reminded_7_at"],
    )


@transaction.atomic
def listings_expire_due(*, now=None) -> int:
    """Expire published listings whose time is up (run by the periodic task)."""
    now = now or timezone.now()
    count = 0
    for listing in Listing.objects.filter(status=Status.PUBLISHED, expires_at__lte=now):
        with transaction.atomic():
            _transition(listing, actor=None, to=Status.EXPIRED, action="expired")
            _email_owners(listing, "listing_expired")
        count += 1
    return count


def listings_send_reminders(*, now=None) -> dict[str, int]:
    """Reminders 30 and 7 days before expiry, and a prompt for listings untouched for 6 months.

    Each reminder is sent once: the timestamp it sets is the idempotency key.
    """
    now = now or timezone.now()
    sent = {"30": 0, "7": 0, "stale": 0}
    published = Listing.objects.filter(status=Status.PUBLISHED).select_related(
        "organisation", "created_by"
    )
    for days, field in ((7, "reminded_7_at"), (30, "reminded_30_at")):
        due = published.filter(
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=days),
            **{f"{field}__isnull": True},
        )
        for listing in due:
            with transaction.atomic():
                setattr(listing, field, now)
                if days == 7:
                    listing.reminded_30_at = listing.reminded_30_at or now
                listing.save(update_fields=[field, "reminded_30_at"])
                _email_owners(
                    listing,
                    "listing_expiring",
                    days=days,
                    expires=listing.expires_at.date().isoformat(),
                )
            sent[str(days)] += 1
    stale = published.filter(
        content_updated_at__lte=now - timedelta(days=182), stale_prompted_at__isnull=True
    )
    for listing in stale:
        with transaction.atomic():
            listing.stale_prompted_at = now
            listing.save(update_fields=["stale_prompted_at"])
            _email_owners(listing, "listing_stale")
        sent["stale"] += 1
    return sent
