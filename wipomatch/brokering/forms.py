"""Forms of the case pages. They only collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wipomatch.core.forms import StyledForm

from .models import DeclineReason, Outcome


class InterestForm(StyledForm):
    mine = forms.TypedChoiceField(
        label=_("Which of your listings is it about?"), coerce=int, choices=()
    )
    message = forms.CharField(
        label=_("Message to the other organisation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Say who you are, what you hope to do together and when. Do not include personal "
            "contact details: they are shared automatically once both sides agree."
        ),
    )

    def __init__(self, *args, listings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mine"].choices = [(listing.pk, listing.title) for listing in listings]


class AcceptForm(StyledForm):
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(StyledForm):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=DeclineReason.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is “Other”."),
    )


class CloseForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What was agreed, or why there was no agreement"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    expected_start = forms.DateField(
        label=_("Expected start (for an agreement)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RatingForm(StyledForm):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with this case?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1: not at all satisfied, 5: very satisfied."),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(StyledForm):
    prefix = "note"  # the conversation's form on the same page has a "body" field too
    body = forms.CharField(
        label=_("Internal note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only facilitators see internal notes."),
    )


class AssignForm(StyledForm):
    assignee = forms.TypedChoiceField(
        label=_("Assigned facilitator"), coerce=int, required=False, empty_value=None, choices=()
    )

    def __init__(self, *args, facilitators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody"))] + [
            (user.pk, user.display_name) for user in facilitators
        ]


class FollowUpForm(StyledForm):
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("You are reminded on that day. Leave empty to clear."),
    )


class ReopenForm(StyledForm):
    prefix = "reopen"
    message = forms.CharField(
        label=_("Message to the sides (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProposeForm(StyledForm):
    need = forms.IntegerField(label=_("Need (number)"), min_value=1)
    offer = forms.IntegerField(label=_("Offer (number)"), min_value=1)
    message = forms.CharField(
        label=_("Why you propose this match"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class BoardFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("Stage"), required=False, choices=())
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=())
    region = forms.ChoiceField(label=_("Region"), required=False, choices=())
    country = forms.ChoiceField(label=_("Country"), required=False, choices=())
    org_type = forms.ChoiceField(label=_("Organisation type"), required=False, choices=())
    assigned = forms.ChoiceField(label=_("Assigned facilitator"), required=False, choices=())
    ldc = forms.BooleanField(label=_("LDC only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue follow-up only"), required=False)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            self.fields[name].choices = [("", _("All"))] + list(options)
