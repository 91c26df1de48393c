"""Writes of the messaging app: notifications, preferences, conversations, messages and digests."""

import logging
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from wipomatch.core.mail import email_after_commit, links_in_language
from wipomatch.core.text import clean_plain_text
from wipomatch.members.models import Membership, Organisation, User

from . import digest
from .models import (
    DEFAULT_FREQUENCY,
    MESSAGE_MAX_LENGTH,
    Category,
    Conversation,
    DigestDelivery,
    Frequency,
    Message,
    Notification,
    NotificationPreference,
)
from .permissions import can_post_message, participating_organisation_ids
from .selectors import frequencies_for, preferences_for
from .unsubscribe import unsubscribe_url

logger = logging.getLogger(__name__)


def _unique_active(recipients) -> list[User]:
    seen, users = set(), []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def _render(title: str, params: dict) -> str:
    text = gettext(title)
    try:
        return text % params if params else text
    except (KeyError, TypeError, ValueError):
        return title


def notify(
    *,
    recipients,
    category: str,
    kind: str,
    title: str,
    params: dict | None = None,
    url: str = "",
    actor=None,
    target=None,
    email_template: str | None = None,
    email_context: dict | None = None,
    transactional: bool = False,
) -> list[Notification]:
    """One in-app notification per recipient (duplicates and inactive users dropped). With an
    e-mail template: recipients whose preference for the category is `immediate` (or every
    recipient when `transactional=True`) get the e-mail at once through
    core.mail.email_after_commit, in their own language, with a signed one-click `unsubscribe_url`
    in the context unless transactional; `daily`/`weekly` recipients get it in their digest; `off`
    gets no e-mail (the in-app notification still exists).

    The e-mail context also holds `url` (the notification's link, unless given),
    `notification_title` (the title in the recipient's language) and `preferences_url`. A
    non-transactional e-mail gets the unsubscribe footer appended to the caller's body template
    (`emails/messaging/_footer.txt`), so caller templates need not include it.
    """
    if category not in Category.values:
        raise ValueError(f"Unknown notification category: {category!r}")
    params = dict(params or {})
    users = _unique_active(recipients)
    if not users:
        return []
    frequencies = frequencies_for(users, category)
    content_type = ContentType.objects.get_for_model(target) if target is not None else None
    now = timezone.now()
    notifications = []
    for user in users:
        send_now = bool(email_template) and (
            transactional or frequencies[user.pk] == Frequency.IMMEDIATE
        )
        notification = Notification.objects.create(
            recipient=user,
            category=category,
            kind=kind,
            title=title,
            params=params,
            url=url,
            actor=actor,
            content_type=content_type,
            object_id=str(target.pk) if target is not None else "",
            # An e-mail sent at once stands for the digest too (it is never listed there).
            emailed_at=now if send_now else None,
        )
        notifications.append(notification)
        if send_now:
            language = user.preferred_language
            with translation.override(language):
                context = {
                    "url": url,
                    "notification_title": _render(title, params),
                    "preferences_url": reverse("messaging:preferences"),
                    **(email_context or {}),
                }
                template = email_template
                if not transactional:
                    context["unsubscribe_url"] = unsubscribe_url(user=user, category=category)
                    # The caller's template inside one that adds the unsubscribe footer.
                    context["inner_subject_template"] = f"emails/{email_template}_subject.txt"
                    context["inner_body_template"] = f"emails/{email_template}_body.txt"
                    template = "messaging/with_unsubscribe"
            email_after_commit(
                template=template, to=[user.email], language=language, context=context
            )
    return notifications


def notification_mark_read(*, user, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, user, category: str, frequency: str) -> None:
    if category not in Category.values:
        raise ValidationError({"category": _("Unknown notification category.")})
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose one of the offered frequencies.")})
    NotificationPreference.objects.update_or_create(
        user=user, category=category, defaults={"frequency": frequency}
    )


def conversation_open(*, subject, organisations) -> Conversation:
    """The conversation about `subject` between `organisations`: created once, then reused (an
    organisation not yet in it is added)."""
    content_type = ContentType.objects.get_for_model(subject)
    lookup = {"content_type": content_type, "object_id": str(subject.pk)}
    conversation = Conversation.objects.filter(**lookup).first()
    if conversation is None:
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(**lookup)
        except IntegrityError:
            # Opened by a concurrent request in the meantime.
            conversation = Conversation.objects.get(**lookup)
    conversation.organisations.add(*organisations)
    return conversation


def _participants(conversation: Conversation, *, exclude: User) -> list[User]:
    """Members of the participating organisations and the facilitators who wrote in it."""
    member_ids = Membership.objects.filter(
        organisation__in=conversation.organisations.all()
    ).values_list("user_id", flat=True)
    writer_ids = conversation.messages.filter(organisation__isnull=True).values_list(
        "author_id", flat=True
    )
    return list(
        User.objects.filter(Q(pk__in=member_ids) | Q(pk__in=writer_ids), is_active=True)
        .exclude(pk=exclude.pk)
        .order_by("pk")
    )


@transaction.atomic
def message_post(*, conversation: Conversation, author, body: str) -> Message:
    """Author must be a member of one of the conversation's organisations or a facilitator
    (PermissionDenied otherwise); body stripped, 1..5000 characters (ValidationError otherwise);
    notifies the other participants (category `messages`)."""
    if not can_post_message(author, conversation):
        raise PermissionDenied
    text = clean_plain_text(body or "")
    if not text:
        raise ValidationError({"body": _("Write a message before sending it.")})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("A message can have at most %(max)d characters (this one has %(n)d).")
                % {"max": MESSAGE_MAX_LENGTH, "n": len(text)}
            }
        )
    org_ids = participating_organisation_ids(author, conversation)
    organisation = Organisation.objects.filter(pk__in=org_ids).order_by("pk").first()
    message = Message.objects.create(
        conversation=conversation, author=author, organisation=organisation, body=text
    )
    url = reverse("messaging:conversation", args=[conversation.pk])
    if organisation is not None:
        title = gettext_noop("New message from %(organisation)s")
        params = {"organisation": organisation.name}
    else:
        title = gettext_noop("New message from a WIPO facilitator")
        params = {}
    notify(
        recipients=_participants(conversation, exclude=author),
        category=Category.MESSAGES,
        kind="message_posted",
        title=title,
        params=params,
        url=url,
        actor=author,
        target=conversation,
        email_template="messaging/message_posted",
        email_context={
            "organisation": organisation.name if organisation else "",
            "excerpt": text[:500],
            "truncated": len(text) > 500,
        },
    )
    return message


# Digests -----------------------------------------------------------------------------------------

_PERIOD = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# A scheduler that runs a little early must not skip a period; kept small so that the hour at
# which a person's digest goes out does not creep earlier from one period to the next.
_SLACK = timedelta(minutes=10)
# A digest lists at most this many items per block, then says how many more there are.
DIGEST_BLOCK_LIMIT = 20


def _digest_candidates(frequency: str, now):
    # Those served within the period are skipped here already (and checked again under lock).
    recent = DigestDelivery.objects.filter(
        frequency=frequency, sent_at__gt=now - _PERIOD[frequency] + _SLACK
    ).values("user_id")
    users = User.objects.filter(is_active=True).exclude(pk__in=recent)
    if frequency in DEFAULT_FREQUENCY.values():
        return users.order_by("pk")
    chosen = NotificationPreference.objects.filter(frequency=frequency).values("user_id")
    return users.filter(pk__in=chosen).order_by("pk")


def _digest_one(user: User, frequency: str, now) -> bool:
    """Send `user` their digest of `frequency` if one is due; True when an e-mail was queued."""
    delivery, _created = DigestDelivery.objects.get_or_create(user=user, frequency=frequency)
    delivery = DigestDelivery.objects.select_for_update().get(pk=delivery.pk)
    period = _PERIOD[frequency]
    if delivery.sent_at is not None and now - delivery.sent_at < period - _SLACK:
        return False
    since = delivery.sent_at or now - period
    preferences = preferences_for(user)
    categories = [c for c in Category.values if preferences[c] == frequency]
    delivery.sent_at = now
    delivery.save(update_fields=["sent_at"])
    if not categories:
        return False
    pending = Notification.objects.filter(
        recipient=user, category__in=categories, digested_at__isnull=True, emailed_at__isnull=True
    )
    listed = list(
        pending.filter(read_at__isnull=True, created_at__gte=since).order_by("created_at")
    )
    language = user.preferred_language
    blocks = []
    with translation.override(language):
        chosen_sections = [
            s
            for s in digest.sections()
            if (s.category is None and frequency == Frequency.WEEKLY)
            or (s.category is not None and s.category in categories)
        ]
        covered = {s.category for s in chosen_sections if s.category}
        for category in categories:
            items = [
                {"title": n.rendered_title(), "url": n.url}
                for n in listed
                if n.category == category and category not in covered
            ]
            if items:
                blocks.append({"heading": str(Category(category).label), "items": items})
        for section in chosen_sections:
            try:
                items = [
                    {"title": str(item["title"]), "url": str(item.get("url", ""))}
                    for item in section.provider(user, since)
                ]
            except Exception:
                # One app's broken section must not hold back everybody's digest.
                logger.exception("Digest section %r failed for user %s", section.name, user.pk)
                continue
            if items:
                blocks.append({"heading": gettext(section.name), "items": items})
        for block in blocks:
            block["more"] = max(0, len(block["items"]) - DIGEST_BLOCK_LIMIT)
            block["items"] = [
                links_in_language(item, language) for item in block["items"][:DIGEST_BLOCK_LIMIT]
            ]
        unsubscribe = [
            {
                "category": str(Category(c).label),
                "url": unsubscribe_url(user=user, category=c),
            }
            for c in categories
        ]
    pending.update(digested_at=now)
    if not blocks:
        return False
    email_after_commit(
        template="messaging/digest",
        to=[user.email],
        language=language,
        context={
            "frequency": frequency,
            "blocks": blocks,
            "unsubscribe_links": [links_in_language(u, language) for u in unsubscribe],
            "preferences_url": reverse("messaging:preferences"),
            "notifications_url": reverse("messaging:notifications"),
        },
    )
    return True


def _digests_send(frequency: str) -> dict:
    now = timezone.now()
    sent = checked = 0
    for user in _digest_candidates(frequency, now).iterator():
        checked += 1
        with transaction.atomic():
            sent += _digest_one(user, frequency, now)
    return {"checked": checked, "sent": sent}


def digests_send_daily() -> dict:
    """Periodic job: the daily digest of each person who asked for one (safe to run often)."""
    return _digests_send(Frequency.DAILY)


def digests_send_weekly() -> dict:
    """Periodic job: the weekly digest (new strong suggestions, open cases, news...)."""
    return _digests_send(Frequency.WEEKLY)
