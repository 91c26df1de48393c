"""The audit trail in the admin: read-only, because a record of what happened is never edited.

`ReadOnlyAdmin` is the base of every admin page that only shows what the services wrote."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import AuditEvent, OutboxEmail
from .outbox import outbox_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows records; adding, changing and deleting go through the services, not the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


_COLUMNS = ("created_at", "actor", "action", "content_type", "object_id", "from_state", "to_state")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (*_COLUMNS, "short_reason")
    list_filter = ("action", "content_type")
    list_select_related = ("actor", "content_type")
    search_fields = ("object_id", "reason", "actor__email", "action")
    date_hierarchy = "created_at"
    readonly_fields = (*_COLUMNS, "reason", "data")
    fields = readonly_fields

    @admin.display(description=_("reason"))
    def short_reason(self, obj: AuditEvent) -> str:
        return obj.reason if len(obj.reason) <= 80 else f"{obj.reason[:79]}…"


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    """Outgoing e-mails: read-only, with one action to send failed ones again."""

    list_display = ("created_at", "status", "subject", "recipients", "attempts", "next_attempt_at")
    list_filter = ("status", "template")
    search_fields = ("subject", "to", "template")
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = (
        "created_at",
        "updated_at",
        "status",
        "template",
        "language",
        "from_email",
        "to",
        "subject",
        "body",
        "headers",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    fields = readonly_fields

    @admin.display(description=_("to"))
    def recipients(self, obj: OutboxEmail) -> str:
        return ", ".join(obj.to)

    @admin.action(description=_("Send the selected e-mails again"))
    def retry(self, request, queryset) -> None:
        count = outbox_retry(ids=list(queryset.values_list("pk", flat=True)))
        message = ngettext(
            "%(count)d e-mail will be sent again.", "%(count)d e-mails will be sent again.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
