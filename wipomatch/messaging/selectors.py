"""Reads of notifications, preferences and conversations, always scoped to the person asking."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, QuerySet
from django.http import Http404

from wipomatch.core.permissions import is_facilitator

from .models import (
    DEFAULT_FREQUENCY,
    Category,
    Conversation,
    Message,
    Notification,
    NotificationPreference,
)
from .permissions import can_read_conversation


def notifications_for(user) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first within each group."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .order_by(F("read_at").desc(nulls_first=True), "-created_at", "-id")
    )


def notification_for_user(user, pk) -> Notification:
    """One of the user's own notifications; 404 for anybody else's."""
    notification = notifications_for(user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_for(user) -> dict[str, str]:
    """Frequency per category, the defaults filled in where the user has not chosen."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("category", "frequency")
    )
    return {
        category: chosen.get(category, DEFAULT_FREQUENCY[category]) for category in Category.values
    }


def frequency_for(user, category: str) -> str:
    row = NotificationPreference.objects.filter(user=user, category=category).first()
    return row.frequency if row else DEFAULT_FREQUENCY[category]


def frequencies_for(users, category: str) -> dict[int, str]:
    """Frequency of one category for many users at once (user id → frequency)."""
    ids = [u.pk for u in users]
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, category=category).values_list(
            "user_id", "frequency"
        )
    )
    return {pk: chosen.get(pk, DEFAULT_FREQUENCY[category]) for pk in ids}


def conversation_for(subject) -> Conversation | None:
    """The conversation about `subject`, if one was opened."""
    content_type = ContentType.objects.get_for_model(subject)
    return Conversation.objects.filter(content_type=content_type, object_id=str(subject.pk)).first()


def messages_for(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.select_related("author", "organisation").order_by(
        "created_at", "id"
    )


def conversations_visible_to(user) -> QuerySet[Conversation]:
    """Every conversation for facilitators; those of the user's organisations for members."""
    if not getattr(user, "is_authenticated", False):
        return Conversation.objects.none()
    qs = Conversation.objects.all()
    if not is_facilitator(user):
        qs = qs.filter(organisations__memberships__user=user).distinct()
    return qs.select_related("content_type").prefetch_related("organisations")


def conversation_for_user(user, pk) -> Conversation:
    """A conversation the user may read; 404 otherwise (its existence is not revealed)."""
    conversation = Conversation.objects.filter(pk=pk).first()
    if conversation is None or not can_read_conversation(user, conversation):
        raise Http404
    return conversation
