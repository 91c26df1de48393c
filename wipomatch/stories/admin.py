"""Stories in the admin, for looking things up. Writing and reviewing happen in the platform's
own pages, where every change is validated, sanitised, audited and e-mailed; here stories are
read-only."""

from django.contrib import admin

from .models import Story


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "language", "organisation", "status", "published_at")
    list_filter = ("kind", "status", "language")
    search_fields = ("title", "summary", "organisation__name")
    list_select_related = ("organisation",)
    date_hierarchy = "created_at"
    ordering = ("-updated_at",)
    exclude = ("embedding",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
