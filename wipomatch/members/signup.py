"""What allauth's sign-up form asks besides e-mail and password (ACCOUNT_SIGNUP_FORM_CLASS)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wipomatch.core.text import clean_plain_text


class SignupNameForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        help_text=_("Shown to facilitators and to the members of your organisation."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )

    def clean_full_name(self) -> str:
        name = clean_plain_text(self.cleaned_data["full_name"])
        if not name:
            raise forms.ValidationError(_("Please give your name."))
        return name

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
