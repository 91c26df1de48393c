"""A searchable multi-select for long lists (249 countries, 169 SDG targets): a filter box over
a scrolling list of checkboxes. Plain HTML works without JavaScript (the list scrolls, every
checkbox is a real form control); `web/picker.js` (static, loaded by base.html) adds filtering as you type, a live count for
screen readers and the list of what is chosen."""

from django import forms


class PickerCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "web/widgets/picker.html"
    option_template_name = "django/forms/widgets/checkbox_option.html"

    class Media:
        js = ("web/picker.js",)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # the filter box and the options list get ids derived from the field's id
        base = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["picker_id"] = base
        return context

    def id_for_label(self, id_, index=None):
        # the <label> of the field points at the filter box, which comes first
        return f"{id_}_filter" if id_ and index is None else super().id_for_label(id_, index)
