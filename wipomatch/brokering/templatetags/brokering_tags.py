"""Template helpers: case events worded in the reader's language, and the "Express interest"
entry points that other apps' pages include."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from wipomatch.listings.models import Kind

from ..models import CaseState, DeclineReason, Outcome
from ..permissions import user_organisation_ids
from ..selectors import open_case_for_pair, own_listings_for

register = template.Library()


def _side(by: str) -> str:
    return {
        "need": _("The need’s organisation"),
        "offer": _("The offer’s organisation"),
        "requesting": _("The requesting organisation"),
        "receiving": _("The receiving organisation"),
        "facilitator": _("A facilitator"),
        "system": _("The platform"),
    }.get(by, by)


@register.filter
def side_label(by: str) -> str:
    return _side(by)


@register.filter
def state_label(state: str) -> str:
    try:
        return CaseState(state).label
    except ValueError:
        return state


@register.simple_tag
def event_text(event: dict) -> str:
    """One sentence for an audit event, from its structured data."""
    data = event.get("data") or {}
    action = event["action"]
    if action == "interest_expressed":
        return _("Interest expressed.")
    if action == "match_proposed":
        return _("Match proposed by a facilitator.")
    if action == "contact_requested":
        return _("Contact requested.")
    if action == "side_accepted":
        return _("Accepted; waiting for the other side.")
    if action == "accepted":
        return _("Accepted: mutual interest, contacts released.")
    if action == "declined":
        reason = data.get("reason", "")
        label = DeclineReason(reason).label if reason in DeclineReason.values else reason
        return _("Declined (%(reason)s).") % {"reason": label}
    if action == "withdrawn":
        return _("Withdrawn.")
    if action == "closed":
        outcome = data.get("outcome", "")
        label = Outcome(outcome).label if outcome in Outcome.values else outcome
        if data.get("expected_start"):
            return _("Closed: %(outcome)s, expected start %(start)s.") % {
                "outcome": label,
                "start": data["expected_start"],
            }
        return _("Closed: %(outcome)s.") % {"outcome": label}
    if action == "reopened":
        return _("Re-opened by a facilitator.")
    if action == "reminded":
        return _("Reminder sent after %(days)s days without an answer.") % {
            "days": data.get("days")
        }
    if action == "lapsed":
        return _("Lapsed after %(days)s days without an answer.") % {"days": data.get("days")}
    if action == "rated":
        return _("Rated %(score)s out of 5.") % {"score": data.get("score")}
    if action == "assigned":
        return _("Assignment changed.")
    if action == "follow_up_set":
        return _("Follow-up date set to %(date)s.") % {"date": data.get("to") or "–"}
    if action == "note_added":
        return _("Internal note added.")
    return action


@register.inclusion_tag("brokering/_interest_panel.html", takes_context=True)
def interest_panel(context, listing):
    """On a published need or offer page: "Express interest" for members of another
    organisation with a published listing of the opposite kind; the open case if one exists."""
    request = context.get("request")
    user = getattr(request, "user", None)
    result = {"show": False, "listing": listing}
    if (
        user is None
        or not user.is_authenticated
        or not listing.is_public
        or listing.organisation_id in user_organisation_ids(user)
    ):
        return result
    mine = own_listings_for(user, listing)
    result.update(show=bool(user_organisation_ids(user)), mine=mine)
    if mine:
        pairs = [
            (listing, own) if listing.kind == Kind.NEED else (own, listing) for own in mine[:20]
        ]
        for need, offer in pairs:
            case = open_case_for_pair(need.pk, offer.pk)
            if case is not None:
                result["open_case"] = case
                break
        result["url"] = reverse("brokering:express_interest", args=[listing.kind, listing.pk])
    return result


@register.simple_tag
def interest_url(own, other) -> str:
    """From a suggestion (`other`) shown on one's own listing (`own`)."""
    url = reverse("brokering:express_interest", args=[other.kind, other.pk])
    return f"{url}?mine={own.pk}"


@register.simple_tag
def open_case_between(own, other):
    need, offer = (own, other) if own.kind == Kind.NEED else (other, own)
    return open_case_for_pair(need.pk, offer.pk)


@register.inclusion_tag("brokering/_responsiveness_panel.html", takes_context=True)
def responsiveness_panel(context, organisation):
    """Share of interests answered and median answer time, for members and facilitators."""
    from wipomatch.listings.permissions import is_member

    from ..selectors import organisation_responsiveness

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not is_member(user) or not organisation.is_approved:
        return {"show": False}
    stats = organisation_responsiveness(organisation.pk)
    share = stats.share_answered
    return {
        "show": True,
        "stats": stats,
        "percent": round(share * 100) if share is not None else None,
        "median_days": round(stats.median_days, 1) if stats.median_days is not None else None,
    }
