"""Notifications for events of other apps that messaging listens to, and the digest section of
new strong suggestions."""

from datetime import datetime

from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_noop

from wipomatch.listings.models import Listing
from wipomatch.matching.services import strong_suggestion_found
from wipomatch.members.models import User

from .models import Category, Notification
from .services import notify

SUGGESTIONS_SECTION = gettext_noop("New strong suggestions")


@receiver(strong_suggestion_found, dispatch_uid="messaging-strong-suggestion")
def notify_strong_suggestion(sender, *, need_id: int, offer_id: int, side: str, **kwargs) -> None:
    """Tell the members of the organisation whose list got a new strong suggestion."""
    own_id, other_id = (need_id, offer_id) if side == "need" else (offer_id, need_id)
    listings = {
        listing.pk: listing
        for listing in Listing.objects.public()
        .filter(pk__in=[own_id, other_id])
        .select_related("organisation")
    }
    own, other = listings.get(own_id), listings.get(other_id)
    if own is None or other is None:
        return
    members = User.objects.filter(memberships__organisation=own.organisation_id, is_active=True)
    with transaction.atomic():
        notify(
            recipients=list(members.order_by("pk")),
            category=Category.SUGGESTIONS,
            kind="strong_suggestion",
            title=gettext_noop("New strong suggestion for “%(listing)s”: %(other)s"),
            params={"listing": own.title, "other": other.title},
            url=reverse("matching:suggestions", args=[own.pk]),
            target=other,
            email_template="messaging/suggestion_found",
            email_context={
                "listing_title": own.title,
                "other_title": other.title,
                "other_organisation": other.organisation.name,
            },
        )


def strong_suggestions_section(user, since: datetime) -> list[dict]:
    """The digest section: the person's strong-suggestion notifications not yet e-mailed."""
    pending = Notification.objects.filter(
        recipient=user,
        category=Category.SUGGESTIONS,
        read_at__isnull=True,
        digested_at__isnull=True,
        emailed_at__isnull=True,
        created_at__gte=since,
    ).order_by("created_at")
    return [{"title": n.rendered_title(), "url": n.url} for n in pending]
