"""Forms of the members pages. They check the shape of the input; the services hold the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wipomatch.core.forms import StyledForm
from wipomatch.reference.models import Country, Region, VocabularyTerm

from .criteria import CRITERIA
from .models import Membership, MembershipApplication, Organisation

# --- Choices read from the reference data (labels in the active language) ---------------------


def _terms(kind: str) -> list[VocabularyTerm]:
    return list(VocabularyTerm.objects.filter(kind=kind, active=True))


def organisation_type_choices() -> list[tuple[str, str]]:
    return [(t.slug, t.display_label) for t in _terms(VocabularyTerm.Kind.ORGANISATION_TYPE)]


def theme_choices() -> list[tuple[str, str]]:
    return [(t.slug, t.display_label) for t in _terms(VocabularyTerm.Kind.THEME)]


def _sorted_by_name(countries) -> list[tuple[str, str]]:
    return sorted(((c.iso2, c.name) for c in countries), key=lambda pair: pair[1].casefold())


def region_choices() -> list[tuple[str, str]]:
    """M49 regions with their sub-regions and intermediate regions indented beneath them."""
    regions = list(Region.objects.all())
    children: dict[int | None, list[Region]] = {}
    for region in regions:
        children.setdefault(region.parent_id, []).append(region)
    choices: list[tuple[str, str]] = []

    def walk(parent_id, depth):
        for region in sorted(children.get(parent_id, []), key=lambda r: r.name.casefold()):
            choices.append((region.code, "\u2003" * depth + region.name))
            walk(region.pk, depth + 1)

    walk(None, 0)
    return choices


# --- Directory ----------------------------------------------------------------------------------


class DirectoryFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    org_type = forms.ChoiceField(label=_("Organisation type"), required=False)
    theme = forms.ChoiceField(label=_("Thematic area"), required=False)

    FILTERS = ("q", "country", "region", "org_type", "theme")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Name, acronym or description")}
        )
        countries = Country.objects.filter(
            organisations__status=Organisation.Status.APPROVED
        ).distinct()
        self.fields["country"].choices = [("", _("All countries")), *_sorted_by_name(countries)]
        self.fields["region"].choices = [("", _("All regions")), *region_choices()]
        self.fields["org_type"].choices = [("", _("All types")), *organisation_type_choices()]
        self.fields["theme"].choices = [("", _("All thematic areas")), *theme_choices()]

    def filters(self) -> dict[str, str]:
        """The valid filters only: a stale or forged value is reported and otherwise ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: (data.get(name) or "").strip() for name in self.FILTERS}


# --- Applying and editing an organisation -------------------------------------------------------


class OrganisationFieldsForm(StyledForm):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    acronym = forms.CharField(label=_("Acronym"), max_length=30, required=False)
    org_type = forms.ChoiceField(label=_("Organisation type"))
    country = forms.ChoiceField(label=_("Country"))
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("For example https://www.example.org"),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the organisation does, in a few sentences. Shown in the directory."),
    )
    themes = forms.MultipleChoiceField(
        label=_("Thematic areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        help_text=_(
            "An institutional address. Only the organisation's members and WIPO facilitators "
            "see it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_type"].choices = [("", _("Choose a type")), *organisation_type_choices()]
        self.fields["country"].choices = [
            ("", _("Choose a country")),
            *_sorted_by_name(Country.objects.all()),
        ]
        self.fields["themes"].choices = theme_choices()

    def clean_country(self) -> Country:
        code = self.cleaned_data["country"]
        country = Country.objects.filter(iso2=code).first()
        if country is None:
            raise ValidationError(_("Choose a valid country."), code="invalid_choice")
        return country

    @staticmethod
    def initial_from(organisation: Organisation) -> dict:
        return {
            "name": organisation.name,
            "acronym": organisation.acronym,
            "org_type": organisation.org_type,
            "country": organisation.country.iso2,
            "website": organisation.website,
            "description": organisation.description,
            "themes": list(organisation.themes),
            "contact_email": organisation.contact_email,
        }

    def organisation_fields(self) -> dict:
        names = ("name", "acronym", "org_type", "country", "website", "description", "themes")
        return {name: self.cleaned_data[name] for name in (*names, "contact_email")}


class ApplicationForm(OrganisationFieldsForm):
    motivation = forms.CharField(
        label=_("Why does your organisation want to join?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you hope to find or to offer, and in which thematic areas."),
    )
    accepted_code_of_conduct = forms.BooleanField(
        label=_("My organisation accepts the WIPO Match code of conduct."),
        error_messages={"required": _("You must accept the code of conduct to apply.")},
    )

    def service_kwargs(self) -> dict:
        return {
            **self.organisation_fields(),
            "motivation": self.cleaned_data["motivation"],
            "accepted_code_of_conduct": self.cleaned_data["accepted_code_of_conduct"],
        }


class ApplicationEditForm(OrganisationFieldsForm):
    motivation = ApplicationForm.base_fields["motivation"]
    response = forms.CharField(
        label=_("Your answer to the facilitator"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what you changed or add the information that was asked for."),
    )

    @classmethod
    def initial_from_application(cls, application: MembershipApplication) -> dict:
        return {
            **cls.initial_from(application.organisation),
            "motivation": application.motivation,
        }

    def service_kwargs(self) -> dict:
        return {
            **self.organisation_fields(),
            "motivation": self.cleaned_data["motivation"],
            "response": self.cleaned_data["response"],
        }


class OrganisationForm(OrganisationFieldsForm):
    """The profile a focal point keeps up to date."""


# --- Joining, inviting, managing the team -----------------------------------------------------


class JoinRequestForm(StyledForm):
    message = forms.CharField(
        label=_("Message to the focal point"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tell the focal point who you are and what you do in the organisation."),
    )


class InvitationForm(StyledForm):
    email = forms.EmailField(label=_("E-mail address of your colleague"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.CONTRIBUTOR
    )


class RoleForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class JoinDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("decline", _("Decline"))]
    )


# --- Review -------------------------------------------------------------------------------------


class AssessmentForm(StyledForm):
    """One form for every published criterion: met or not met, and a note."""

    MET, NOT_MET = "met", "not_met"

    def __init__(self, *args, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = existing or {}
        for criterion in CRITERIA:
            met_name, note_name = self.names(criterion.slug)
            self.fields[met_name] = forms.ChoiceField(
                label=_("Assessment of “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                choices=[(self.MET, _("Met")), (self.NOT_MET, _("Not met"))],
                widget=forms.RadioSelect,
            )
            self.fields[note_name] = forms.CharField(
                label=_("Note on “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if criterion.slug in existing:
                assessment = existing[criterion.slug]
                self.initial[met_name] = self.MET if assessment.met else self.NOT_MET
                self.initial[note_name] = assessment.note

    @staticmethod
    def names(slug: str) -> tuple[str, str]:
        return f"{slug}-met", f"{slug}-note"

    def rows(self):
        """(criterion, met field, note field) for the template, in the published order."""
        for criterion in CRITERIA:
            met_name, note_name = self.names(criterion.slug)
            yield criterion, self[met_name], self[note_name]

    def clean(self):
        data = super().clean()
        for criterion in CRITERIA:
            met_name, note_name = self.names(criterion.slug)
            if data.get(note_name) and not data.get(met_name):
                self.add_error(met_name, _("Say whether this criterion is met."))
        if not any(data.get(self.names(c.slug)[0]) for c in CRITERIA):
            raise ValidationError(_("Assess at least one criterion."))
        return data

    def assessments(self) -> dict[str, tuple[bool, str]]:
        result = {}
        for criterion in CRITERIA:
            met_name, note_name = self.names(criterion.slug)
            value = self.cleaned_data.get(met_name)
            if value:
                result[criterion.slug] = (value == self.MET, self.cleaned_data.get(note_name, ""))
        return result


class DecisionForm(StyledForm):
    APPROVE, MORE_INFO, REJECT = "approve", "more_info", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, _("Approve the organisation as a member")),
            (MORE_INFO, _("Ask the applicant for more information")),
            (REJECT, _("Reject the application")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason, sent to the applicant"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required when asking for more information or rejecting. It is e-mailed to the "
            "applicant in their language and shown on the application's page."
        ),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") in (self.MORE_INFO, self.REJECT)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error(
                "reason",
                _("Say what information is missing.")
                if data["decision"] == self.MORE_INFO
                else _("Give the reason for rejecting the application."),
            )
        return data


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit trail and sent to the organisation's focal points."),
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].help_text = _("Optional. Recorded in the audit trail.")
