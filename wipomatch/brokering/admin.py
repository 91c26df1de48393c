from django.contrib import admin

from .models import CaseNote, CaseRating, MatchCase


@admin.register(MatchCase)
class MatchCaseAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "state", "requesting_organisation", "receiving_organisation")
    list_filter = ("kind", "state", "initiated_by")
    raw_id_fields = (
        "need",
        "offer",
        "requesting_organisation",
        "receiving_organisation",
        "initiator",
        "answered_by",
        "assigned_to",
        "closed_by",
    )


admin.site.register(CaseNote)
admin.site.register(CaseRating)
