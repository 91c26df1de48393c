"""Who may see and change needs and offers."""

from wipomatch.members.models import Membership, Organisation

from .models import Listing, Status


def active_membership(user) -> Membership | None:
    """The user's membership of an approved organisation, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, organisation__status=Organisation.Status.APPROVED)
        .select_related("organisation")
        .first()
    )


def is_member(user) -> bool:
    """Members of approved organisations (and staff) see full listing details."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_facilitator or active_membership(user) is not None


def can_create_listing_for(user, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or not organisation.is_approved:
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def can_edit_listing(user, listing: Listing) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_facilitator:
        return True
    return Membership.objects.filter(user=user, organisation_id=listing.organisation_id).exists()


def can_see_listing(user, listing: Listing) -> bool:
    """Published listings are public (summary) ; others only for their organisation and staff."""
    if listing.status == Status.PUBLISHED:
        return True
    return can_edit_listing(user, listing)
