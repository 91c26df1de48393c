"""Notifications (in-app, e-mailed at once or in a digest), preferences, conversations and messages.

A notification stores the message id of its title and its parameters, never a rendered sentence:
it is rendered at display time in the reader's language (`gettext(title) % params`).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 5000


class Category(models.TextChoices):
    CASES = "cases", _("Cases (interest, answers, consent, proposals, closure)")
    MESSAGES = "messages", _("New messages in a conversation")
    REMINDERS = "reminders", _("Reminders (follow-ups, deadlines, reports due)")
    SUGGESTIONS = "suggestions", _("New strong suggestions")
    NEWS = "news", _("News (published stories and initiatives)")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("No e-mail")


DEFAULT_FREQUENCY: dict[str, str] = {
    Category.CASES: Frequency.IMMEDIATE,
    Category.MESSAGES: Frequency.IMMEDIATE,
    Category.REMINDERS: Frequency.IMMEDIATE,
    Category.SUGGESTIONS: Frequency.WEEKLY,
    Category.NEWS: Frequency.WEEKLY,
}


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    kind = models.CharField(_("kind"), max_length=64)
    # A message id (marked with gettext_noop by the caller) and its %-parameters.
    title = models.CharField(_("title"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    digested_at = models.DateTimeField(_("sent in a digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            models.Index(
                fields=["recipient", "category"],
                condition=Q(digested_at__isnull=True, emailed_at__isnull=True),
                name="notification_undigested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def rendered_title(self) -> str:
        """The title in the active language; a broken parameter set never breaks a page."""
        text = gettext(self.title)
        if not self.params:
            return text
        try:
            return text % self.params
        except (KeyError, TypeError, ValueError):
            return self.title


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    frequency = models.CharField(_("e-mail"), max_length=16, choices=Frequency.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="unique_preference"),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="preference_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {self.frequency}"


class DigestDelivery(models.Model):
    """The last digest of a frequency sent to a person: the next one covers what came after, and
    a second run within the same period sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    sent_at = models.DateTimeField(null=True, blank=True)  # null until the first run

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(fields=["user", "frequency"], name="unique_digest_delivery")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.frequency}: {self.sent_at}"


class Conversation(models.Model):
    """The conversation between organisations about one subject (a case, an initiative...)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    organisations = models.ManyToManyField(
        "members.Organisation", related_name="conversations", verbose_name=_("organisations")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_conversation_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Null when a facilitator writes (WIPO, not a member organisation).
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.body[:40]}"
