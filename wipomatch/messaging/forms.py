from django import forms
from django.utils.translation import gettext_lazy as _

from wipomatch.core.forms import StyledForm

from .models import DEFAULT_FREQUENCY, MESSAGE_MAX_LENGTH, Category, Frequency


class MessageForm(StyledForm):
    # Length and emptiness are checked by the service (one message for the page and the API);
    # the browser limit only helps the writer.
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH, "dir": "auto"}),
    )


class PreferencesForm(StyledForm):
    """One choice of frequency per category."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for category in Category:
            default_label = Frequency(DEFAULT_FREQUENCY[category]).label
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=Frequency.choices,
                initial=current[category.value],
                widget=forms.RadioSelect,
                help_text=_("Default: %(frequency)s") % {"frequency": default_label},
            )
