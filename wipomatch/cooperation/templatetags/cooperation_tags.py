"""Small hooks other apps' pages include: initiatives of a theme, country or organisation, and
the "turn this agreed case into an initiative" panel of a case page."""

from django import template

from ..permissions import can_create_initiative
from ..selectors import InitiativeFilters, public_initiatives

register = template.Library()

ON_HUB_PAGES = 6


def _listed(filters: InitiativeFilters, query: str) -> dict:
    qs = public_initiatives(filters).prefetch_related("countries").order_by("-published_at", "-id")
    items = list(qs[: ON_HUB_PAGES + 1])
    return {
        "initiatives": items[:ON_HUB_PAGES],
        "more": len(items) > ON_HUB_PAGES,
        "query": query,
    }


@register.inclusion_tag("cooperation/_hub.html")
def initiatives_of_theme(slug: str) -> dict:
    return _listed(InitiativeFilters(theme=[slug]), f"theme={slug}")


@register.inclusion_tag("cooperation/_hub.html")
def initiatives_of_country(iso2: str) -> dict:
    return _listed(InitiativeFilters(country=iso2), f"country={iso2}")


@register.inclusion_tag("cooperation/_hub.html")
def initiatives_of_organisation(organisation_id: int) -> dict:
    return _listed(InitiativeFilters(organisation=organisation_id), "")


@register.inclusion_tag("cooperation/_case_panel.html", takes_context=True)
def case_initiative_panel(context, case) -> dict:
    from wipomatch.brokering.models import CaseState

    from ..models import Initiative

    user = context["request"].user
    existing = Initiative.objects.filter(source_case=case).first()
    return {
        "case": case,
        "existing": existing,
        "can_start": case.state == CaseState.AGREEMENT
        and existing is None
        and can_create_initiative(user),
        "csrf_token": context.get("csrf_token"),
    }
