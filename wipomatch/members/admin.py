"""Members in the admin. Decisions (approving, suspending, roles, invitations) are taken in the
platform's own pages, where they are audited and e-mailed; here they are read-only. Profile edits
go through the same service as the focal point's form, so they are audited too."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wipomatch.core.admin import ReadOnlyAdmin

from . import services
from .forms import organisation_type_choices, theme_choices
from .models import (
    CriterionAssessment,
    Invitation,
    JoinRequest,
    Membership,
    MembershipApplication,
    Organisation,
    User,
)


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("organisation", "role", "created_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ("email",)
    list_display = ("email", "full_name", "staff_role", "preferred_language", "is_active")
    list_filter = ("staff_role", "is_active", "is_staff", "is_superuser", "preferred_language")
    search_fields = ("email", "full_name")
    readonly_fields = ("last_login", "date_joined")
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "job_title", "preferred_language")}),
        (
            _("Staff"),
            {
                "fields": (
                    "staff_role",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_inlines(self, request, obj):
        # A new person has no memberships yet; they join through the platform's pages.
        return self.inlines if obj is not None else []


class OrganisationMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OrganisationAdminForm(forms.ModelForm):
    """Type and themes are chosen from the vocabularies, as in the focal point's form."""

    org_type = forms.ChoiceField(label=_("organisation type"))
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    themes = forms.MultipleChoiceField(
        label=_("thematic areas"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Organisation
        fields = services.ORGANISATION_PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_type"].choices = organisation_type_choices()
        self.fields["themes"].choices = theme_choices()


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "acronym", "country", "org_type", "status", "approved_at")
    list_filter = ("status", "org_type", "country__region")
    list_select_related = ("country",)
    search_fields = ("name", "acronym", "contact_email")
    form = OrganisationAdminForm
    readonly_fields = ("status", "approved_at", "created_at", "updated_at", "page_link")
    fields = (
        "page_link",
        "name",
        "acronym",
        "org_type",
        "country",
        "website",
        "description",
        "contact_email",
        "themes",
        "status",
        "approved_at",
        "created_at",
        "updated_at",
    )
    inlines = [OrganisationMembershipInline]

    @admin.display(description=_("page on the platform"))
    def page_link(self, obj: Organisation):
        if not obj.pk:
            return "–"
        url = obj.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)

    def has_add_permission(self, request) -> bool:
        # Organisations enter through an application and its review.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        editable = [name for name in form.changed_data if name in form.base_fields]
        original = Organisation.objects.get(pk=obj.pk)
        services.organisation_update(
            user=request.user,
            organisation=original,
            **{name: form.cleaned_data[name] for name in editable},
        )


class CriterionAssessmentInline(admin.TabularInline):
    model = CriterionAssessment
    extra = 0
    fields = ("criterion", "met", "note", "assessed_by", "updated_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "applicant", "status", "created_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("organisation", "applicant")
    search_fields = ("organisation__name", "applicant__email")
    date_hierarchy = "created_at"
    inlines = [CriterionAssessmentInline]
    readonly_fields = ("review_link",)

    @admin.display(description=_("review page"))
    def review_link(self, obj: MembershipApplication):
        url = reverse("members:review_application", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "organisation")
    search_fields = ("user__email", "organisation__name")


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("user", "organisation")
    search_fields = ("user__email", "organisation__name")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "organisation", "role", "expires_at", "accepted_at", "revoked_at")
    list_select_related = ("organisation",)
    search_fields = ("email", "organisation__name")
    exclude = ("token",)
