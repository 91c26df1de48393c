"""Forms of the cooperation pages. They only collect and shape input; services validate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wipomatch.core.forms import StyledForm
from wipomatch.members.models import Organisation
from wipomatch.reference.models import Country, Region, SdgGoal, VocabularyTerm

from .models import LANGUAGES, ActivityStatus, Cadence, Modality, OrganisationType, Result, Role
from .services import IndicatorData, InitiativeData, PartyData, ReportData, ResultData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _country_choices():
    return sorted(((c.iso2, c.name) for c in Country.objects.all()), key=lambda c: c[1])


def _term_choices(kind):
    return [
        (t.slug, t.display_label) for t in VocabularyTerm.objects.filter(kind=kind, active=True)
    ]


class InitiativeForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: paragraphs, lists, links, emphasis. HTML is removed."),
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=LANGUAGES)
    status = forms.ChoiceField(label=_("Activity status"), choices=ActivityStatus.choices)
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DATE)
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DATE)
    actual_end = forms.DateField(label=_("Actual end"), required=False, widget=DATE)
    themes = forms.MultipleChoiceField(
        label=_("Thematic areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    ip_areas = forms.MultipleChoiceField(
        label=_("IP areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("SDG goals"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries that benefit"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions that benefit"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    budget = forms.DecimalField(
        label=_("Budget"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    budget_currency = forms.CharField(label=_("Currency (ISO 4217)"), required=False, max_length=3)
    budget_funder = forms.CharField(label=_("Funded by"), required=False, max_length=200)
    reporting_cadence = forms.ChoiceField(label=_("Progress reports"), choices=Cadence.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = _term_choices(VocabularyTerm.Kind.THEME)
        self.fields["ip_areas"].choices = _term_choices(VocabularyTerm.Kind.IP_AREA)
        self.fields["sdg_goals"].choices = [(g.number, str(g)) for g in SdgGoal.objects.all()]
        self.fields["countries"].choices = _country_choices()
        self.fields["regions"].choices = [(r.code, r.name) for r in Region.objects.all()]

    def to_data(self) -> InitiativeData:
        d = self.cleaned_data
        return InitiativeData(
            **{
                name: d.get(name)
                for name in self.fields
                if name in InitiativeData.__dataclass_fields__
            }
        )

    @staticmethod
    def initial_from(initiative) -> dict:
        initial = {
            name: getattr(initiative, name)
            for name in (
                "title",
                "summary",
                "description",
                "language",
                "status",
                "planned_start",
                "planned_end",
                "actual_start",
                "actual_end",
                "budget",
                "budget_currency",
                "budget_funder",
                "reporting_cadence",
            )
        }
        initial["themes"] = [t.slug for t in initiative.themes.all()]
        initial["ip_areas"] = [t.slug for t in initiative.ip_areas.all()]
        initial["sdg_goals"] = [g.number for g in initiative.sdg_goals.all()]
        initial["countries"] = [c.iso2 for c in initiative.countries.all()]
        initial["regions"] = [r.code for r in initiative.regions.all()]
        return initial


class PartyForm(StyledForm):
    organisation = forms.ModelChoiceField(
        label=_("Member organisation"),
        required=False,
        queryset=Organisation.objects.approved().order_by("name"),
        help_text=_("Or leave empty and describe an organisation that is not a member."),
    )
    name = forms.CharField(label=_("Name (if not a member)"), required=False, max_length=200)
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        help_text=_("None for an intergovernmental organisation."),
    )
    organisation_type = forms.ChoiceField(
        label=_("Organisation type"), required=False, choices=[("", "—"), *OrganisationType.choices]
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", _("No country (intergovernmental)")),
            *_country_choices(),
        ]

    def clean(self):
        data = super().clean()
        filled = data.get("organisation") or data.get("name")
        if filled and not data.get("role"):
            self.add_error("role", _("Choose the role of this party."))
        if data.get("name") and not data.get("organisation") and not data.get("organisation_type"):
            self.add_error("organisation_type", _("Choose the type of organisation."))
        return data

    def to_data(self) -> PartyData | None:
        d = self.cleaned_data
        if not d or d.get("DELETE") or not (d.get("organisation") or d.get("name")):
            return None
        return PartyData(
            role=d["role"],
            organisation_type=d.get("organisation_type") or "",
            organisation=d["organisation"].pk if d.get("organisation") else None,
            name=d.get("name") or "",
            country=d.get("country") or None,
        )


PartyFormSet = forms.formset_factory(
    PartyForm, extra=3, can_delete=True, max_num=30, validate_max=True
)


def parties_of(formset) -> list[PartyData]:
    return [p for p in (f.to_data() for f in formset.forms) if p is not None]


def party_initial(initiative) -> list[dict]:
    return [
        {
            "organisation": p.organisation_id,
            "name": p.name,
            "country": p.country.iso2 if p.country_id and not p.organisation_id else "",
            "organisation_type": p.organisation_type,
            "role": p.role,
        }
        for p in initiative.parties.all()
    ]


class OverrideForm(StyledForm):
    modality = forms.ChoiceField(
        label=_("Modality"),
        required=False,
        choices=[("", _("Derived from the parties (no override)")), *Modality.choices],
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("What should change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResultForm(StyledForm):
    result_type = forms.ChoiceField(label=_("Type of result"), choices=Result.Type.choices)
    title = forms.CharField(label=_("Result"), max_length=300)
    indicator = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=50)
    baseline_value = forms.DecimalField(
        label=_("Baseline value"), required=False, max_digits=14, decimal_places=2
    )
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), required=False, min_value=1990, max_value=2100
    )
    target_value = forms.DecimalField(
        label=_("Target value"), required=False, max_digits=14, decimal_places=2
    )
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)

    def to_data(self) -> ResultData:
        d = self.cleaned_data
        return ResultData(
            result_type=d["result_type"],
            title=d["title"],
            indicators=[
                IndicatorData(
                    title=d["indicator"],
                    unit=d["unit"],
                    baseline_value=d.get("baseline_value"),
                    baseline_year=d.get("baseline_year"),
                    target_value=d.get("target_value"),
                    target_date=d.get("target_date"),
                )
            ],
        )


class ReportForm(StyledForm):
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period until"), widget=DATE)
    narrative = forms.CharField(
        label=_("What happened"), max_length=6000, widget=forms.Textarea(attrs={"rows": 5})
    )
    challenges = forms.CharField(
        label=_("Challenges"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status_change = forms.ChoiceField(
        label=_("New activity status"),
        required=False,
        choices=[("", _("No change")), *ActivityStatus.choices],
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"actual_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.title} ({indicator.unit})",
                required=False,
                max_digits=14,
                decimal_places=2,
            )

    def to_data(self) -> ReportData:
        d = self.cleaned_data
        return ReportData(
            period_start=d["period_start"],
            period_end=d["period_end"],
            narrative=d["narrative"],
            challenges=d.get("challenges", ""),
            next_steps=d.get("next_steps", ""),
            status_change=d.get("status_change", ""),
            actuals={
                i.pk: d.get(f"actual_{i.pk}")
                for i in self.indicators
                if d.get(f"actual_{i.pk}") is not None
            },
        )


class ReportReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept the report")), ("changes", _("Ask for changes"))],
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DirectoryFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = forms.ChoiceField(label=_("Thematic area"), required=False)
    modality = forms.ChoiceField(
        label=_("Modality"), required=False, choices=[("", _("Any")), *Modality.choices]
    )
    ppp = forms.ChoiceField(
        label=_("Public-private"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Public-private partnerships")), ("no", _("Others"))],
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    ldc = forms.BooleanField(label=_("Least developed countries"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *ActivityStatus.choices]
    )
    sdg = forms.TypedChoiceField(label=_("SDG"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(
        label=_("Running in year"), required=False, min_value=1990, max_value=2100
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Any")), *_term_choices(VocabularyTerm.Kind.THEME)]
        self.fields["country"].choices = [("", _("Any")), *_country_choices()]
        self.fields["region"].choices = [
            ("", _("Any")),
            *[(r.code, r.name) for r in Region.objects.filter(level="region")],
        ]
        self.fields["sdg"].choices = [
            ("", _("Any")),
            *[(g.number, str(g)) for g in SdgGoal.objects.all()],
        ]


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("File (CSV or XLSX, from the template)"),
        help_text=_("At most 1,000 rows and 2 MB."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check every row but create nothing"), required=False, initial=True
    )
