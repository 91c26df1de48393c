"""Writes for match cases: interest, proposals, answers, mutual consent, closure, ratings, and
the periodic reminders, lapse and follow-ups.

Every transition locks the case row (`select_for_update` inside `transaction.atomic`), reads its
state again and asks `case_allowed_actions` on the locked row: of two concurrent transitions one
wins, the other gets a ValidationError saying what happened. Each transition is audited with
structured data; people are told in the app and by e-mail (after commit).

Contacts (names and e-mail addresses of the focal points) appear only in the introduction sent on
mutual interest, never in an earlier text.
"""

from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wipomatch.core.audit import audit_record
from wipomatch.core.permissions import is_facilitator, require_facilitator
from wipomatch.core.text import clean_plain_text
from wipomatch.listings.models import Kind, Listing
from wipomatch.members.models import Organisation
from wipomatch.messaging.services import conversation_open

from . import permissions as perms
from .models import (
    AWAITING_ANSWER_STATES,
    CaseKind,
    CaseNote,
    CaseRating,
    CaseState,
    DeclineReason,
    InitiatedBy,
    MatchCase,
    Outcome,
)
from .notifications import facilitators, notify_people, organisation_people

MESSAGE_MAX = 2000
NOTE_MAX = 4000
REMINDER_DAYS = (7, 21)
LAPSE_DAYS = 30
RATING_SALT = "wipomatch.brokering.rating"
RATING_MAX_AGE = 60 * 60 * 24 * 90


# --- helpers -------------------------------------------------------------------------------


def _clean_message(value: str, *, field: str = "message", limit: int = MESSAGE_MAX) -> str:
    text = clean_plain_text(value or "")
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(limit)d characters (now %(count)d).")
                % {"limit": limit, "count": len(text)}
            }
        )
    return text


def case_url(case: MatchCase) -> str:
    return reverse("brokering:case_detail", args=[case.pk])


def _lock(case: MatchCase) -> MatchCase:
    """The case row, locked until the end of the transaction, with its current state."""
    return (
        MatchCase.objects.select_for_update(of=("self",))
        .select_related("need", "offer", "requesting_organisation", "receiving_organisation")
        .get(pk=case.pk)
    )


def _refuse(case: MatchCase, action: str) -> None:
    """A clear message for an action that the current state (or the user's role) forbids."""
    if action in (perms.ACCEPT, perms.DECLINE) and case.state not in AWAITING_ANSWER_STATES:
        raise ValidationError(
            _("This case is no longer waiting for an answer: it is now “%(state)s”.")
            % {"state": CaseState(case.state).label}
        )
    raise ValidationError(
        _("This action is not possible on this case now (it is “%(state)s”).")
        % {"state": CaseState(case.state).label}
    )


def _require(user, case: MatchCase, action: str) -> None:
    allowed = perms.case_allowed_actions(user, case)
    if perms.VIEW not in allowed:
        raise PermissionDenied
    if action not in allowed:
        _refuse(case, action)


def _audit(case: MatchCase, *, actor, action: str, from_state: str, data: dict | None = None):
    audit_record(
        target=case,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=case.state,
        data={"case": case.pk, **(data or {})},
    )


def _side_label_for(user, case: MatchCase) -> str:
    if is_facilitator(user) and not perms.case_sides_of(user, case):
        return "facilitator"
    return perms.listing_side_of(user, case) or (
        "requesting" if "requesting" in perms.case_sides_of(user, case) else "receiving"
    )


def _titles(case: MatchCase) -> dict:
    if case.kind == CaseKind.MATCH:
        return {"need_title": case.need.title, "offer_title": case.offer.title}
    return {"subject_title": str(case.subject) if case.subject else ""}


def _other(case: MatchCase, organisation_id: int) -> Organisation:
    if organisation_id == case.requesting_organisation_id:
        return case.receiving_organisation
    return case.requesting_organisation


def _tell_side(
    case: MatchCase,
    organisation: Organisation,
    *,
    kind: str,
    title: str,
    template: str,
    actor=None,
    extra: dict | None = None,
    transactional: bool = False,
    category: str = "cases",
) -> None:
    """Notify every member of one side, naming the other side's organisation (never a person)."""
    other = _other(case, organisation.pk)
    params = {"organisation": other.name, "case": case.pk}
    context = {
        "case_url": case_url(case),
        "organisation": other.name,
        "case_id": case.pk,
        "kind": case.kind,
        **_titles(case),
        **(extra or {}),
    }
    notify_people(
        users=organisation_people(organisation),
        kind=kind,
        title=title,
        params=params,
        url=case_url(case),
        target=case,
        actor=actor,
        email_template=f"brokering/{template}",
        email_context=context,
        transactional=transactional,
        category=category,
    )


# --- opening a case -----------------------------------------------------------------------


def _check_pair(need: Listing, offer: Listing) -> None:
    if need.kind != Kind.NEED:
        raise ValidationError({"need": _("The need must be a need, not an offer.")})
    if offer.kind != Kind.OFFER:
        raise ValidationError({"offer": _("The offer must be an offer, not a need.")})
    if not need.is_public:
        raise ValidationError({"need": _("The need is not published.")})
    if not offer.is_public:
        raise ValidationError({"offer": _("The offer is not published.")})
    if need.organisation_id == offer.organisation_id:
        raise ValidationError(_("The need and the offer belong to the same organisation."))
    if MatchCase.objects.open().filter(need=need, offer=offer).exists():
        raise ValidationError(_("There is already an open case for this need and this offer."))


def _create(**fields) -> MatchCase:
    try:
        with transaction.atomic():
            return MatchCase.objects.create(**fields)
    except IntegrityError:
        # Another request opened the same pair between our check and our insert.
        raise ValidationError(
            _("There is already an open case for this need and this offer.")
        ) from None


@transaction.atomic
def match_express_interest(*, user, need: Listing, offer: Listing, message: str) -> MatchCase:
    """A member of the need's (or the offer's) organisation expresses interest in the other."""
    org_ids = perms.user_organisation_ids(user)
    if not org_ids:
        raise PermissionDenied
    if need.organisation_id in org_ids and offer.organisation_id in org_ids:
        raise ValidationError(_("The need and the offer belong to the same organisation."))
    if need.organisation_id in org_ids:
        side, mine, theirs = InitiatedBy.NEED, need, offer
    elif offer.organisation_id in org_ids:
        side, mine, theirs = InitiatedBy.OFFER, offer, need
    else:
        raise ValidationError(
            _("You can express interest only for a need or an offer of your own organisation.")
        )
    _check_pair(need, offer)
    text = _clean_message(message)
    if not text:
        raise ValidationError({"message": _("Write a short message to the other organisation.")})
    now = timezone.now()
    case = _create(
        kind=CaseKind.MATCH,
        need=need,
        offer=offer,
        requesting_organisation_id=mine.organisation_id,
        receiving_organisation_id=theirs.organisation_id,
        state=CaseState.INTEREST,
        initiated_by=side,
        initiator=user,
        message=text,
        opened_at=now,
    )
    _audit(case, actor=user, action="interest_expressed", from_state="", data={"side": side})
    _tell_side(
        case,
        case.receiving_organisation,
        kind="interest",
        title=gettext_noop("%(organisation)s is interested in working with you"),
        template="interest_received",
        actor=user,
        extra={"message": text, "side": side},
    )
    return case


@transaction.atomic
def match_propose(*, facilitator, need: Listing, offer: Listing, message: str) -> MatchCase:
    """A facilitator proposes a need and an offer to each other; both sides must consent."""
    require_facilitator(facilitator)
    _check_pair(need, offer)
    text = _clean_message(message)
    case = _create(
        kind=CaseKind.MATCH,
        need=need,
        offer=offer,
        requesting_organisation_id=need.organisation_id,
        receiving_organisation_id=offer.organisation_id,
        state=CaseState.PROPOSED,
        initiated_by=InitiatedBy.FACILITATOR,
        initiator=facilitator,
        assigned_to=facilitator,
        message=text,
        opened_at=timezone.now(),
    )
    _audit(case, actor=facilitator, action="match_proposed", from_state="")
    for organisation in (case.requesting_organisation, case.receiving_organisation):
        _tell_side(
            case,
            organisation,
            kind="proposal",
            title=gettext_noop("A facilitator proposes that you meet %(organisation)s"),
            template="match_proposed",
            actor=facilitator,
            extra={"message": text},
        )
    return case


@transaction.atomic
def contact_request_create(*, user, organisation: Organisation, subject, message: str) -> MatchCase:
    """A member asks another organisation to get in touch about `subject` (a story, an
    initiative...). Same answer flow as a match: accept or decline, contacts released and a
    conversation opened on mutual interest."""
    org_ids = perms.user_organisation_ids(user)
    if not org_ids:
        raise PermissionDenied
    if not organisation.is_approved:
        raise ValidationError(_("This organisation is not a member of the platform."))
    if organisation.pk in org_ids:
        raise ValidationError(_("You cannot ask your own organisation to get in touch."))
    text = _clean_message(message)
    if not text:
        raise ValidationError({"message": _("Write a short message to the other organisation.")})
    requesting_id = min(org_ids)
    content_type = ContentType.objects.get_for_model(subject)
    if (
        MatchCase.objects.open()
        .filter(
            kind=CaseKind.CONTACT,
            requesting_organisation_id=requesting_id,
            subject_content_type=content_type,
            subject_object_id=str(subject.pk),
        )
        .exists()
    ):
        raise ValidationError(_("Your organisation already has an open request about this."))
    try:
        with transaction.atomic():
            case = MatchCase.objects.create(
                kind=CaseKind.CONTACT,
                subject_content_type=content_type,
                subject_object_id=str(subject.pk),
                requesting_organisation_id=requesting_id,
                receiving_organisation=organisation,
                state=CaseState.INTEREST,
                initiated_by=InitiatedBy.NEED,
                initiator=user,
                message=text,
                opened_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(
            _("Your organisation already has an open request about this.")
        ) from None
    _audit(
        case,
        actor=user,
        action="contact_requested",
        from_state="",
        data={"subject_type": content_type.model, "subject_id": str(subject.pk)},
    )
    _tell_side(
        case,
        organisation,
        kind="contact_request",
        title=gettext_noop("%(organisation)s would like to get in touch with you"),
        template="contact_request",
        actor=user,
        extra={"message": text},
    )
    return case


# --- answers ------------------------------------------------------------------------------


def case_contacts(case: MatchCase) -> list[dict]:
    """Both sides' focal points. Only call where `contacts_released(case)` holds."""
    contacts = []
    for organisation in (case.requesting_organisation, case.receiving_organisation):
        for person in organisation_people(organisation, focal_points_only=True):
            contacts.append(
                {
                    "organisation": organisation.name,
                    "organisation_id": organisation.pk,
                    "name": person.full_name or person.display_name,
                    "email": person.email,
                }
            )
    return contacts


def _make_mutual(case: MatchCase, *, actor, now) -> None:
    case.state = CaseState.MUTUAL
    case.mutual_at = now
    case.answered_at = case.answered_at or now
    conversation_open(
        subject=case,
        organisations=[case.requesting_organisation, case.receiving_organisation],
    )
    contacts = case_contacts(case)
    for organisation in (case.requesting_organisation, case.receiving_organisation):
        other = _other(case, organisation.pk)
        _tell_side(
            case,
            organisation,
            kind="mutual",
            title=gettext_noop("Mutual interest with %(organisation)s: you can now talk"),
            template="introduction",
            actor=actor,
            transactional=True,
            extra={
                "other_country": other.country.name if other.country_id else "",
                "other_website": other.website,
                "other_contacts": [
                    {"name": c["name"], "email": c["email"]}
                    for c in contacts
                    if c["organisation_id"] == other.pk
                ],
                "own_contacts": [
                    {"name": c["name"], "email": c["email"]}
                    for c in contacts
                    if c["organisation_id"] == organisation.pk
                ],
            },
        )


@transaction.atomic
def match_accept(*, user, case: MatchCase, message: str = "") -> MatchCase:
    """The asked side accepts; for a proposal, each side accepts and the second makes it mutual."""
    case = _lock(case)
    _require(user, case, perms.ACCEPT)
    text = _clean_message(message)
    now = timezone.now()
    previous = case.state
    sides = perms.case_sides_of(user, case)
    fields = ["state", "answered_at", "answered_by", "answer_message", "mutual_at", "updated_at"]
    if case.state == CaseState.PROPOSED:
        if "requesting" in sides and case.need_side_accepted_at is None:
            case.need_side_accepted_at = now
        if "receiving" in sides and case.offer_side_accepted_at is None:
            case.offer_side_accepted_at = now
        fields += ["need_side_accepted_at", "offer_side_accepted_at"]
        if case.need_side_accepted_at and case.offer_side_accepted_at:
            case.answered_by = user
            if text:
                case.answer_message = text
            _make_mutual(case, actor=user, now=now)
        else:
            if text:
                case.answer_message = text
            case.save(update_fields=fields)
            side = _side_label_for(user, case)
            _audit(
                case, actor=user, action="side_accepted", from_state=previous, data={"side": side}
            )
            answered_org = (
                case.requesting_organisation
                if "requesting" in sides
                else case.receiving_organisation
            )
            _tell_side(
                case,
                _other(case, answered_org.pk),
                kind="side_accepted",
                title=gettext_noop("%(organisation)s accepted the proposed match"),
                template="proposal_accepted",
                actor=user,
                extra={"message": text},
            )
            return case
    else:
        case.answered_by = user
        case.answer_message = text
        _make_mutual(case, actor=user, now=now)
    case.save(update_fields=fields)
    _audit(
        case,
        actor=user,
        action="accepted",
        from_state=previous,
        data={"side": _side_label_for(user, case), "with_message": bool(text)},
    )
    return case


@transaction.atomic
def match_decline(*, user, case: MatchCase, reason: str, comment: str = "") -> MatchCase:
    case = _lock(case)
    _require(user, case, perms.DECLINE)
    if reason not in DeclineReason.values:
        raise ValidationError(
            {"reason": _("Choose a reason: not relevant, no capacity now, not eligible or other.")}
        )
    text = _clean_message(comment, field="comment")
    if reason == DeclineReason.OTHER and not text:
        raise ValidationError({"comment": _("Say in a few words why you decline.")})
    previous = case.state
    case.state = CaseState.DECLINED
    case.answered_at = timezone.now()
    case.answered_by = user
    case.decline_reason = reason
    case.decline_comment = text
    case.save(
        update_fields=[
            "state",
            "answered_at",
            "answered_by",
            "decline_reason",
            "decline_comment",
            "updated_at",
        ]
    )
    side = _side_label_for(user, case)
    _audit(
        case,
        actor=user,
        action="declined",
        from_state=previous,
        data={"reason": reason, "side": side},
    )
    sides = perms.case_sides_of(user, case)
    declining = (
        case.requesting_organisation if "requesting" in sides else case.receiving_organisation
    )
    _tell_side(
        case,
        _other(case, declining.pk),
        kind="declined",
        title=gettext_noop("%(organisation)s declined"),
        template="declined",
        actor=user,
        extra={"reason": reason, "comment": text},
    )
    return case


@transaction.atomic
def match_withdraw(*, user, case: MatchCase) -> MatchCase:
    case = _lock(case)
    _require(user, case, perms.WITHDRAW)
    previous = case.state
    case.state = CaseState.WITHDRAWN
    case.closed_at = timezone.now()
    case.closed_by = user
    case.save(update_fields=["state", "closed_at", "closed_by", "updated_at"])
    _audit(
        case,
        actor=user,
        action="withdrawn",
        from_state=previous,
        data={"side": _side_label_for(user, case)},
    )
    if previous == CaseState.PROPOSED:
        told = [case.requesting_organisation, case.receiving_organisation]
    else:
        told = [case.receiving_organisation]
    for organisation in told:
        _tell_side(
            case,
            organisation,
            kind="withdrawn",
            title=gettext_noop("The case with %(organisation)s was withdrawn"),
            template="withdrawn",
            actor=user,
        )
    return case


def rating_token(case: MatchCase, organisation_id: int, user) -> str:
    return signing.dumps({"c": case.pk, "o": organisation_id, "u": user.pk}, salt=RATING_SALT)


def rating_from_token(token: str) -> dict:
    """{"c": case id, "o": organisation id, "u": user id}; ValidationError for a bad link."""
    try:
        return signing.loads(token, salt=RATING_SALT, max_age=RATING_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(_("This rating link is not valid or has expired.")) from None


def _ask_for_ratings(case: MatchCase, *, actor) -> None:
    for organisation in (case.requesting_organisation, case.receiving_organisation):
        other = _other(case, organisation.pk)
        for person in organisation_people(organisation):
            token = rating_token(case, organisation.pk, person)
            with translation.override(person.preferred_language):
                links = [
                    {"score": score, "url": reverse("brokering:rate_link", args=[token, score])}
                    for score in range(1, 6)
                ]
            title = (
                gettext_noop("The case with %(organisation)s ended with an agreement")
                if case.state == CaseState.AGREEMENT
                else gettext_noop("The case with %(organisation)s ended without agreement")
            )
            notify_people(
                users=[person],
                kind="closed",
                title=title,
                params={"organisation": other.name, "case": case.pk},
                url=case_url(case),
                target=case,
                actor=actor,
                email_template="brokering/closed_rate",
                email_context={
                    "case_url": case_url(case),
                    "organisation": other.name,
                    "case_id": case.pk,
                    "kind": case.kind,
                    "outcome": case.state,
                    **_titles(case),
                    "rating_links": links,
                },
                transactional=True,
            )


@transaction.atomic
def match_close(
    *,
    user,
    case: MatchCase,
    outcome: str,
    note: str = "",
    expected_start: date | None = None,
) -> MatchCase:
    """Close a case that reached mutual interest: agreement (what and when) or no agreement."""
    case = _lock(case)
    _require(user, case, perms.CLOSE)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose agreement or no agreement.")})
    text = _clean_message(note, field="note", limit=NOTE_MAX)
    if not text:
        raise ValidationError(
            {
                "note": _("Describe the agreement in a few words.")
                if outcome == Outcome.AGREEMENT
                else _("Say in a few words why there was no agreement.")
            }
        )
    if outcome != Outcome.AGREEMENT:
        expected_start = None
    previous = case.state
    case.state = outcome
    case.outcome_note = text
    case.expected_start = expected_start
    case.closed_at = timezone.now()
    case.closed_by = user
    case.save(
        update_fields=[
            "state",
            "outcome_note",
            "expected_start",
            "closed_at",
            "closed_by",
            "updated_at",
        ]
    )
    _audit(
        case,
        actor=user,
        action="closed",
        from_state=previous,
        data={
            "outcome": outcome,
            "expected_start": expected_start.isoformat() if expected_start else None,
            "side": _side_label_for(user, case),
        },
    )
    _ask_for_ratings(case, actor=user)
    return case


@transaction.atomic
def match_reopen(*, facilitator, case: MatchCase, message: str = "") -> MatchCase:
    """A facilitator re-opens a lapsed or declined case: it waits for an answer again."""
    require_facilitator(facilitator)
    case = _lock(case)
    _require(facilitator, case, perms.REOPEN)
    if (
        case.kind == CaseKind.MATCH
        and MatchCase.objects.open().filter(need=case.need, offer=case.offer).exists()
    ):
        raise ValidationError(_("There is already an open case for this need and this offer."))
    previous = case.state
    now = timezone.now()
    case.state = (
        CaseState.PROPOSED if case.initiated_by == InitiatedBy.FACILITATOR else CaseState.INTEREST
    )
    case.answered_at = None
    case.answered_by = None
    case.decline_reason = ""
    case.decline_comment = ""
    case.need_side_accepted_at = None
    case.offer_side_accepted_at = None
    case.reminded_7_at = None
    case.reminded_21_at = None
    case.lapsed_at = None
    case.opened_at = now
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise ValidationError(
            _("There is already an open case for this need and this offer.")
        ) from None
    _audit(case, actor=facilitator, action="reopened", from_state=previous)
    text = _clean_message(message)
    told = (
        [case.requesting_organisation, case.receiving_organisation]
        if case.state == CaseState.PROPOSED
        else [case.receiving_organisation]
    )
    for organisation in told:
        _tell_side(
            case,
            organisation,
            kind="reopened",
            title=gettext_noop("A facilitator re-opened the case with %(organisation)s"),
            template="reopened",
            actor=facilitator,
            extra={"message": text},
        )
    return case


# --- facilitator work ---------------------------------------------------------------------


@transaction.atomic
def match_assign(*, facilitator, case: MatchCase, assignee) -> MatchCase:
    """Assign the case to a facilitator (or to nobody with `assignee=None`)."""
    require_facilitator(facilitator)
    case = _lock(case)
    _require(facilitator, case, perms.ASSIGN)
    if assignee is not None and not is_facilitator(assignee):
        raise ValidationError({"assignee": _("Cases can only be assigned to facilitators.")})
    previous_id = case.assigned_to_id
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    _audit(
        case,
        actor=facilitator,
        action="assigned",
        from_state=case.state,
        data={"from": previous_id, "to": assignee.pk if assignee else None},
    )
    if assignee is not None and assignee.pk != facilitator.pk:
        notify_people(
            users=[assignee],
            kind="assigned",
            title=gettext_noop("You were assigned case #%(case)s"),
            params={"case": case.pk},
            url=case_url(case),
            target=case,
            actor=facilitator,
            email_template="brokering/assigned",
            email_context={"case_url": case_url(case), "case_id": case.pk, **_titles(case)},
            category="reminders",
        )
    return case


@transaction.atomic
def match_set_follow_up(*, facilitator, case: MatchCase, on: date | None) -> MatchCase:
    require_facilitator(facilitator)
    case = _lock(case)
    _require(facilitator, case, perms.FOLLOW_UP)
    previous = case.follow_up_on
    case.follow_up_on = on
    case.follow_up_reminded_on = None
    case.save(update_fields=["follow_up_on", "follow_up_reminded_on", "updated_at"])
    _audit(
        case,
        actor=facilitator,
        action="follow_up_set",
        from_state=case.state,
        data={
            "from": previous.isoformat() if previous else None,
            "to": on.isoformat() if on else None,
        },
    )
    return case


@transaction.atomic
def case_note_add(*, facilitator, case: MatchCase, body: str) -> CaseNote:
    require_facilitator(facilitator)
    _require(facilitator, case, perms.NOTE)
    text = _clean_message(body, field="body", limit=NOTE_MAX)
    if not text:
        raise ValidationError({"body": _("The note is empty.")})
    note = CaseNote.objects.create(case=case, author=facilitator, body=text)
    _audit(
        case, actor=facilitator, action="note_added", from_state=case.state, data={"note": note.pk}
    )
    return note


@transaction.atomic
def case_rate(
    *, user, case: MatchCase, score: int, comment: str = "", organisation_id: int | None = None
) -> CaseRating:
    """One rating per side and case (rating again replaces it). `organisation_id` comes from a
    signed e-mail link; otherwise the user's side."""
    case = _lock(case)
    _require(user, case, perms.RATE)
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("Give a score from 1 to 5.")})
    text = _clean_message(comment, field="comment")
    org_ids = perms.user_organisation_ids(user) & case.organisation_ids
    if organisation_id is not None:
        if organisation_id not in org_ids:
            raise PermissionDenied
    else:
        organisation_id = min(org_ids)
    rating, created = CaseRating.objects.update_or_create(
        case=case,
        organisation_id=organisation_id,
        defaults={"user": user, "score": score, "comment": text},
    )
    _audit(
        case,
        actor=user,
        action="rated",
        from_state=case.state,
        data={"score": score, "side": _side_label_for(user, case), "updated": not created},
    )
    return rating


# --- periodic -----------------------------------------------------------------------------


def _waiting_organisations(case: MatchCase) -> list[Organisation]:
    waiting = perms.case_waiting_for(case)
    return [
        org
        for org in (case.requesting_organisation, case.receiving_organisation)
        if org.pk in waiting
    ]


def cases_send_reminders_and_lapse(*, now: datetime | None = None) -> dict[str, int]:
    """Unanswered cases: reminders to the side that has not answered after 7 and 21 days; after
    30 days the case lapses and both sides are told. Idempotent (timestamps are the keys)."""
    now = now or timezone.now()
    done = {"7": 0, "21": 0, "lapsed": 0}
    waiting = MatchCase.objects.filter(state__in=AWAITING_ANSWER_STATES)
    for case_id in waiting.filter(opened_at__lte=now - timedelta(days=LAPSE_DAYS)).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            case = _lock(MatchCase(pk=case_id))
            if case.state not in AWAITING_ANSWER_STATES:
                continue  # answered meanwhile
            previous = case.state
            case.state = CaseState.LAPSED
            case.lapsed_at = now
            case.save(update_fields=["state", "lapsed_at", "updated_at"])
            _audit(
                case, actor=None, action="lapsed", from_state=previous, data={"days": LAPSE_DAYS}
            )
            for organisation in (case.requesting_organisation, case.receiving_organisation):
                _tell_side(
                    case,
                    organisation,
                    kind="lapsed",
                    title=gettext_noop("The case with %(organisation)s lapsed without an answer"),
                    template="lapsed",
                    extra={"days": LAPSE_DAYS},
                )
            done["lapsed"] += 1
    for days, field in ((21, "reminded_21_at"), (7, "reminded_7_at")):
        due = waiting.filter(
            opened_at__lte=now - timedelta(days=days),
            opened_at__gt=now - timedelta(days=LAPSE_DAYS),
            **{f"{field}__isnull": True},
        )
        for case_id in due.values_list("pk", flat=True):
            with transaction.atomic():
                case = _lock(MatchCase(pk=case_id))
                if case.state not in AWAITING_ANSWER_STATES or getattr(case, field):
                    continue
                setattr(case, field, now)
                if days == 21 and case.reminded_7_at is None:
                    case.reminded_7_at = now  # a late run sends one reminder, not two
                case.save(update_fields=["reminded_7_at", "reminded_21_at"])
                _audit(
                    case, actor=None, action="reminded", from_state=case.state, data={"days": days}
                )
                left = LAPSE_DAYS - days
                for organisation in _waiting_organisations(case):
                    _tell_side(
                        case,
                        organisation,
                        kind="reminder",
                        title=gettext_noop("Reminder: %(organisation)s is waiting for your answer"),
                        template="reminder",
                        extra={"days": days, "days_left": left, "message": case.message},
                    )
                done[str(days)] += 1
    return done


def cases_follow_up_reminders(*, now: datetime | None = None) -> int:
    """On (or after) a case's follow-up day, remind its facilitator (all facilitators when the
    case is unassigned), once per follow-up date."""
    today = timezone.localdate(now or timezone.now())
    count = 0
    due = MatchCase.objects.filter(follow_up_on__isnull=False, follow_up_on__lte=today).exclude(
        follow_up_reminded_on__isnull=False, follow_up_reminded_on__gte=F("follow_up_on")
    )
    for case_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            case = _lock(MatchCase(pk=case_id))
            if case.follow_up_on is None or (
                case.follow_up_reminded_on and case.follow_up_reminded_on >= case.follow_up_on
            ):
                continue
            case.follow_up_reminded_on = case.follow_up_on
            case.save(update_fields=["follow_up_reminded_on"])
            users = [case.assigned_to] if case.assigned_to_id else list(facilitators())
            notify_people(
                users=users,
                kind="follow_up",
                title=gettext_noop("Follow up today: case #%(case)s"),
                params={"case": case.pk},
                url=case_url(case),
                target=case,
                email_template="brokering/follow_up",
                email_context={
                    "case_url": case_url(case),
                    "case_id": case.pk,
                    "state": case.state,
                    "follow_up_on": case.follow_up_on.isoformat(),
                    **_titles(case),
                },
                category="reminders",
            )
            count += 1
    return count
