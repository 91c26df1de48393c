"""The audit trail in the admin: read-only, because a record of what happened is never edited.

`ReadOnlyAdmin` is the base of every admin page that only shows what the services wrote."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


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
