"""Formatting of measures in pages and reports."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.formats import number_format

register = template.Library()

MISSING = "—"


@register.filter
def pct(value):
    """A fraction in [0, 1] as a percentage (one decimal), a dash when undefined."""
    if value is None or value == "":
        return MISSING
    return f"{number_format(float(value) * 100, 1)} %"


@register.filter
def num(value, decimals=None):
    if value is None or value == "":
        return MISSING
    if decimals is not None:
        return number_format(value, int(decimals))
    return number_format(value)


@register.filter
def signed_pct(value):
    """A relative change as +12.5 % / −3.0 %; a dash when not comparable."""
    if value is None:
        return MISSING
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{number_format(abs(value) * 100, 1)} %"


@register.simple_tag
def url_with_query(name, query, *args, **extra):
    """reverse(name, args) followed by the query (a dict) updated with `extra`."""
    params = {**query, **{k: v for k, v in extra.items() if v is not None}}
    params = {k: v for k, v in params.items() if v not in ("", None)}
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


@register.simple_tag(takes_context=True)
def export_url(context, dataset, fmt):
    """The export of a list page with the page's current query string (less the page number)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    if hasattr(params, "pop"):
        params.pop("page", None)
    url = reverse("insights:export", args=(dataset, fmt))
    query = params.urlencode() if hasattr(params, "urlencode") else ""
    return f"{url}?{query}" if query else url
