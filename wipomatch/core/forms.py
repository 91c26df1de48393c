"""Form pieces every app shares: Bootstrap styling with accessible error marking, and putting a
service's ValidationError onto the form that caused it.

Every form renders with Bootstrap classes and marks invalid fields (`is-invalid`; Django adds
`aria-invalid` and `aria-describedby` pointing at the error) through `StyledBoundField`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

_CHECK_WIDGETS = ("checkbox", "radioselect", "checkboxselectmultiple")


class StyledBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.widget_type in _CHECK_WIDGETS:
            css = "form-check-input"
        elif self.widget_type in ("select", "selectmultiple"):
            css = "form-select"
        else:
            css = "form-control"
        classes = [widget.attrs.get("class", ""), attrs.get("class", ""), css]
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs


class StyledForm(forms.Form):
    bound_field_class = StyledBoundField


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: next to the field it names, or on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        for message in error.messages:
            form.add_error(None, message)
