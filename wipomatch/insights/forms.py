"""The period and breakdown selector of the dashboards, exports and reports."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wipomatch.core.forms import StyledForm

from .selectors import Breakdown, Period, breakdown_choices, parse_breakdown, parse_period


class PeriodForm(StyledForm):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    country_group = forms.ChoiceField(label=_("Country group"), required=False)
    modality = forms.ChoiceField(label=_("Modality"), required=False)
    organisation_type = forms.ChoiceField(label=_("Organisation type"), required=False)

    BREAKDOWNS = ("theme", "region", "country_group", "modality", "organisation_type")

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        choices = breakdown_choices()
        for name in self.BREAKDOWNS:
            self.fields[name].choices = [("", _("All"))] + choices[name]

    def add_prefix(self, field_name):
        # The query string uses the API's names: ?from=...&to=...
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        try:
            data["period"] = parse_period(
                start.isoformat() if start else "", end.isoformat() if end else ""
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error({"from": "start", "to": "end"}.get(field), messages)
        return data

    def period_and_breakdown(self) -> tuple[Period, Breakdown]:
        """The selected period and breakdown; the defaults when the form is invalid."""
        if self.is_valid():
            values = {name: self.cleaned_data.get(name) or "" for name in self.BREAKDOWNS}
            return self.cleaned_data["period"], parse_breakdown(values)
        return parse_period(None, None), Breakdown()


class ReportForm(StyledForm):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    formats = forms.MultipleChoiceField(
        label=_("Formats"),
        choices=[("html", "HTML"), ("pdf", "PDF")],
        initial=["html", "pdf"],
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            try:
                data["period"] = parse_period(start.isoformat(), end.isoformat())
            except ValidationError as error:
                for messages in error.message_dict.values():
                    self.add_error("end", messages)
        return data
