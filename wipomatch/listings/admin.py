"""Needs and offers in the admin, for looking things up. Writing, reviewing, closing and renewing
happen in the platform's own pages, where every change is validated, audited and e-mailed; here
listings are read-only."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wipomatch.core.admin import ReadOnlyAdmin
from wipomatch.core.audit import audit_trail_for

from .models import Listing, ListingRevision


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "kind",
        "organisation",
        "status",
        "language",
        "published_at",
        "expires_at",
    )
    list_filter = ("kind", "status", "language", "worldwide")
    search_fields = ("title", "summary", "organisation__name", "organisation__acronym")
    list_select_related = ("organisation",)
    date_hierarchy = "created_at"
    ordering = ("-updated_at",)
    fieldsets = (
        (
            None,
            {"fields": ("page", "kind", "organisation", "created_by", "status", "closed_reason")},
        ),
        (_("Content"), {"fields": ("title", "summary", "description", "language", "translations")}),
        (
            _("Facets"),
            {
                "fields": (
                    "term_list",
                    "countries",
                    "regions",
                    "worldwide",
                    "delivery_languages",
                    "sdg_goals",
                    "sdg_targets",
                )
            },
        ),
        (
            _("Time frame and budget"),
            {"fields": ("start_date", "end_date", "budget_min", "budget_max", "budget_currency")},
        ),
        (
            _("Lifecycle"),
            {
                "fields": (
                    "review_comment",
                    "submitted_at",
                    "published_at",
                    "expires_at",
                    "closed_at",
                    "content_updated_at",
                    "history",
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        return [name for fieldset in self.fieldsets for name in fieldset[1]["fields"]]

    @admin.display(description=_("page on the platform"))
    def page(self, obj: Listing) -> str:
        url = obj.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description=_("vocabulary terms"))
    def term_list(self, obj: Listing) -> str:
        terms = obj.terms.order_by("kind", "position")
        return format_html_join(
            ", ", "{} ({})", ((t.display_label, t.get_kind_display()) for t in terms)
        )

    @admin.display(description=_("history"))
    def history(self, obj: Listing) -> str:
        rows = (
            (
                event.created_at.strftime("%Y-%m-%d %H:%M"),
                event.actor or _("System"),
                event.action,
                event.from_state or "–",
                event.to_state or "–",
                event.reason,
            )
            for event in audit_trail_for(obj).order_by("created_at", "id")
        )
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{} · {} · {}: {} → {} {}</li>", rows),
        )


@admin.register(ListingRevision)
class ListingRevisionAdmin(ReadOnlyAdmin):
    """Changes proposed to published listings; facilitators decide on the review page."""

    list_display = ("listing", "status", "created_by", "created_at", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("listing__title", "listing__organisation__name")
    list_select_related = ("listing", "created_by", "decided_by")
    ordering = ("-created_at",)
