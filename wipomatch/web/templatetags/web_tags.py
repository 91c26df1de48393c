from urllib.parse import urlencode

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code: str) -> str:
    """The current page's URL in another interface language (/fr/... -> /ar/...)."""
    request = context.get("request")
    if request is None:
        return f"/{language_code}/"
    return translate_url(request.get_full_path(), language_code)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode([(k, v) for k in params for v in params.getlist(k)])
    return f"?{encoded}" if encoded else "?"


@register.filter
def bootstrap(field):
    """Render a bound form field with its Bootstrap class and accessible error state."""
    widget_type = getattr(field, "widget_type", "")
    if widget_type == "checkbox":
        css = "form-check-input"
    elif widget_type in ("select", "selectmultiple"):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": f"{field.field.widget.attrs.get('class', '')} {css}".strip()}
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}-errors"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def can_publish_listings(user) -> bool:
    """Whether to show "Publish a need / an offer": members of an organisation, not staff and
    not applicants still waiting (they would reach a 403)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_facilitator", False):
        return False
    cached = getattr(user, "_can_publish_listings", None)
    if cached is None:
        from wipomatch.listings.permissions import active_membership

        cached = active_membership(user) is not None
        user._can_publish_listings = cached
    return cached


@register.simple_tag
def published_listings_of(organisation) -> dict:
    """An organisation's published needs and offers, for its profile page (members' template;
    web is the layer that may read both members and listings)."""
    from wipomatch.listings.models import Kind, Status
    from wipomatch.listings.selectors import listing_card_queryset, mark_text_language

    rows = list(
        listing_card_queryset()
        .filter(organisation=organisation, status=Status.PUBLISHED)
        .order_by("-published_at", "-pk")
    )
    mark_text_language(rows)
    return {
        "needs": [x for x in rows if x.kind == Kind.NEED],
        "offers": [x for x in rows if x.kind == Kind.OFFER],
    }
