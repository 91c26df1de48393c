from django.db.models import Count, Q

from wipomatch.members.models import Organisation


def home_figures() -> dict[str, int]:
    """Headline figures of the network shown on the home page (each links to its list)."""
    from wipomatch.listings.models import Kind, Listing, Status

    figures = Organisation.objects.approved().aggregate(
        organisations=Count("pk"),
        countries=Count("country", distinct=True),
        ldc_organisations=Count("pk", filter=Q(country__ldc=True)),
    )
    figures.update(
        Listing.objects.filter(status=Status.PUBLISHED).aggregate(
            needs=Count("pk", filter=Q(kind=Kind.NEED)),
            offers=Count("pk", filter=Q(kind=Kind.OFFER)),
        )
    )
    return figures


def recent_listings(kind: str, limit: int = 4):
    """The latest published needs or offers, for the home page."""
    from wipomatch.listings.models import Status
    from wipomatch.listings.selectors import listing_card_queryset

    return list(
        listing_card_queryset()
        .filter(status=Status.PUBLISHED, kind=kind)
        .order_by("-published_at", "-pk")[:limit]
    )


# A facilitator is expected to decide within this many days; older items are shown as overdue.
REVIEW_TARGET_DAYS = 5


def staff_work(*, now=None, recent: int = 12) -> dict:
    """What waits for facilitators: applications and listings to review (oldest first, with
    their age in days and whether they are overdue), and the latest recorded changes."""
    from django.conf import settings
    from django.utils import timezone

    from wipomatch.core.models import AuditEvent
    from wipomatch.listings.models import Listing, Status
    from wipomatch.members.selectors import applications_for_review

    now = now or timezone.now()
    target = int(getattr(settings, "STAFF_REVIEW_TARGET_DAYS", REVIEW_TARGET_DAYS))

    def aged(obj, since):
        days = (now - since).days if since else 0
        return {"object": obj, "since": since, "days": days, "overdue": days > target}

    applications = [aged(a, a.created_at) for a in applications_for_review()]
    listings = [
        aged(x, x.submitted_at or x.updated_at)
        for x in Listing.objects.filter(status=Status.SUBMITTED)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    ]
    events = list(
        AuditEvent.objects.select_related("actor", "content_type").order_by("-created_at", "-id")[
            :recent
        ]
    )
    return {
        "applications": applications,
        "listings": listings,
        "overdue": sum(item["overdue"] for item in applications + listings),
        "target_days": target,
        "events": events,
    }
