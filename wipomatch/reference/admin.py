"""Staff maintain the reference data here. Country codes, names and M49 regions come from the
data files (`load_reference`); only the groupings are edited, through an audited service."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wipomatch.core.audit import audit_trail_for

from .models import Country, IatiCode, Region, SdgGoal, SdgTarget, VocabularyTerm
from .services import GROUPING_ACTION, GROUPING_FLAGS, country_update_groupings


class CountryAdminForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Recorded in the audit trail together with any change of the groupings."),
    )

    class Meta:
        model = Country
        fields = list(GROUPING_FLAGS)


def _flag_label(value: str) -> str:
    """`global_south=true` -> "Global South: yes" in the active language."""
    flag, _sep, state = value.partition("=")
    if flag not in GROUPING_FLAGS:
        return value
    label = Country._meta.get_field(flag).verbose_name
    return f"{label}: {gettext('yes') if state == 'true' else gettext('no')}"


# Where a country sits, shown read-only: it comes from the loaded M49 data, not from the admin.
_COUNTRY_IDENTITY = (
    "iso2",
    "iso3",
    "m49",
    "country_names",
    "region",
    "subregion",
    "intermediate_region",
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    form = CountryAdminForm
    list_display = (
        "iso2",
        "iso3",
        "country_name",
        "region",
        "subregion",
        "ldc",
        "lldc",
        "sids",
        "global_south",
    )
    list_filter = ("global_south", "ldc", "lldc", "sids", "region")
    list_select_related = ("region", "subregion")
    search_fields = ("iso2", "iso3", "m49", "names")
    readonly_fields = (*_COUNTRY_IDENTITY, "grouping_history")
    fieldsets = (
        (None, {"fields": _COUNTRY_IDENTITY}),
        (_("Groupings"), {"fields": (*GROUPING_FLAGS, "change_reason")}),
        (_("History of the groupings"), {"fields": ("grouping_history",)}),
    )

    @admin.display(description=_("name"))
    def country_name(self, obj: Country) -> str:
        return obj.name

    @admin.display(description=_("names"))
    def country_names(self, obj: Country):
        return format_html_join(
            "",
            "<div><span lang='{}'>{}</span> ({})</div>",
            ((lang, name, lang) for lang, name in sorted(obj.names.items())),
        )

    @admin.display(description=_("audit trail"))
    def grouping_history(self, obj: Country):
        events = list(audit_trail_for(obj))
        if not events:
            return gettext("No change has been recorded.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    event.created_at.strftime("%Y-%m-%d %H:%M"),
                    event.actor or "–",
                    _flag_label(event.from_state),
                    _flag_label(event.to_state),
                    event.reason or "–",
                )
                for event in events
                if event.action == GROUPING_ACTION
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            gettext("When"),
            gettext("Who"),
            gettext("From"),
            gettext("To"),
            gettext("Why"),
            rows,
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        # The groupings are changed by the service, which records who, when, from, to and why.
        country_update_groupings(
            actor=request.user,
            country=obj,
            reason=form.cleaned_data.get("change_reason", ""),
            **{flag: form.cleaned_data[flag] for flag in GROUPING_FLAGS},
        )


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "region_name", "level", "parent")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("code", "names")
    readonly_fields = ("code", "level", "parent", "names")

    @admin.display(description=_("name"))
    def region_name(self, obj: Region) -> str:
        return obj.name

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(VocabularyTerm)
class VocabularyTermAdmin(admin.ModelAdmin):
    list_display = ("slug", "label", "term_label", "kind", "iati_code", "position", "active")
    list_filter = ("kind", "active")
    list_editable = ("position", "active")
    search_fields = ("slug", "label", "translations")
    ordering = ("kind", "position", "slug")

    @admin.display(description=_("label in your language"))
    def term_label(self, obj: VocabularyTerm) -> str:
        return obj.display_label

    def get_readonly_fields(self, request, obj=None):
        # Listings and organisations store the slug: it cannot change once the term exists.
        return ("kind", "slug") if obj else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deactivate a term instead: records that use it keep a valid value.
        return False


class SdgTargetInline(admin.TabularInline):
    model = SdgTarget
    extra = 0
    fields = ("code", "titles")
    show_change_link = True


@admin.register(SdgGoal)
class SdgGoalAdmin(admin.ModelAdmin):
    list_display = ("number", "goal_name")
    search_fields = ("short_names", "titles")
    inlines = [SdgTargetInline]

    @admin.display(description=_("short names"))
    def goal_name(self, obj: SdgGoal) -> str:
        return obj.short_name


@admin.register(SdgTarget)
class SdgTargetAdmin(admin.ModelAdmin):
    list_display = ("code", "goal", "target_title")
    list_filter = ("goal",)
    list_select_related = ("goal",)
    search_fields = ("code", "titles")

    @admin.display(description=_("titles"))
    def target_title(self, obj: SdgTarget) -> str:
        return obj.title


@admin.register(IatiCode)
class IatiCodeAdmin(admin.ModelAdmin):
    list_display = ("codelist", "code", "name", "status")
    list_filter = ("codelist", "status")
    search_fields = ("code", "name")
    ordering = ("codelist", "code")
