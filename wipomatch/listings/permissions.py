"""Who may see and change needs and offers, and the lifecycle policy: which actions a user may
take on a listing now (`listing_allowed_actions`). Services enforce it; pages and the API show it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from wipomatch.core.permissions import is_facilitator
from wipomatch.members.models import Membership, Organisation
from wipomatch.members.permissions import STANDING_REFUSAL, organisation_in_good_standing

from .models import EDITABLE_STATUSES, Listing, ListingRevision, RevisionStatus, Status

# Every action of the lifecycle policy, as `listing_allowed_actions` names them.
LISTING_ACTIONS = (
    "edit",
    "submit",
    "renew",
    "close",
    "review",
    "publish",
    "request_changes",
    "reject",
)


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
    """Published listings of organisations in good standing are public (summary); others only
    for their organisation and staff."""
    if listing.is_public:
        return True
    return can_edit_listing(user, listing)


def editable_organisation_ids(user) -> set[int]:
    """Ids of the organisations whose listings the user may change (one query): pass it to
    `listing_allowed_actions` when showing many listings."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def listing_allowed_actions(
    user, listing: Listing, *, organisation_ids: set[int] | None = None
) -> dict[str, bool]:
    """What the user may do with the listing now, given its status: the one lifecycle policy.

    `organisation_ids` (from `editable_organisation_ids`) saves the membership query per
    listing when a page shows many."""
    facilitator = is_facilitator(user)
    if organisation_ids is None:
        editor = can_edit_listing(user, listing)
    else:
        editor = facilitator or listing.organisation_id in organisation_ids
    status = listing.status
    under_review = status == Status.SUBMITTED
    if not facilitator and not organisation_in_good_standing(listing.organisation):
        # A suspended (or withdrawn) organisation's members can change nothing.
        editor = False
    return {
        "edit": editor and (status in EDITABLE_STATUSES or facilitator),
        "submit": editor and status in (Status.DRAFT, Status.CHANGES_REQUESTED),
        "renew": editor and status in (Status.PUBLISHED, Status.EXPIRED),
        "close": editor and status not in (Status.CLOSED, Status.REJECTED),
        "review": facilitator and under_review,
        "publish": facilitator and under_review,
        "request_changes": facilitator and under_review,
        "reject": facilitator and status in (Status.SUBMITTED, Status.CHANGES_REQUESTED),
    }


def revision_allowed_actions(user, revision: ListingRevision) -> dict[str, bool]:
    """What the user may do with a revision: facilitators accept or reject a pending one; the
    listing's organisation (in good standing) may withdraw it."""
    pending = revision.status == RevisionStatus.PENDING
    facilitator = is_facilitator(user)
    owner = can_edit_listing(user, revision.listing) and organisation_in_good_standing(
        revision.listing.organisation
    )
    return {
        "view": facilitator or can_edit_listing(user, revision.listing),
        "accept": facilitator and pending,
        "reject": facilitator and pending,
        "withdraw": owner and pending,
    }


def require_listing_action(user, listing: Listing, action: str, refusal) -> None:
    """Raise unless the policy allows `action`: PermissionDenied for whoever may not change the
    listing at all, ValidationError(`refusal`) when its status does not allow the action."""
    if listing_allowed_actions(user, listing)[action]:
        return
    if not can_edit_listing(user, listing):
        raise PermissionDenied
    if not organisation_in_good_standing(listing.organisation):
        raise PermissionDenied(STANDING_REFUSAL)
    raise ValidationError(refusal)


def organisation_for_new_listing(user, organisation_id: int | None = None) -> Organisation:
    """The organisation a new listing belongs to, for the pages and the API alike: the one named,
    or else the user's only approved organisation. PermissionDenied when the user belongs to
    none; ValidationError when the named one is unknown or when the user must choose."""
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            raise ValidationError({"organisation": [_("Unknown organisation.")]})
        return organisation
    memberships = list(
        Membership.objects.filter(
            user=user, organisation__status=Organisation.Status.APPROVED
        ).select_related("organisation")[:2]
    )
    if not memberships:
        raise PermissionDenied(
            _("Only members of an approved organisation can publish needs and offers.")
        )
    if len(memberships) > 1:
        raise ValidationError(
            {"organisation": [_("You belong to several organisations: say which one.")]}
        )
    return memberships[0].organisation
