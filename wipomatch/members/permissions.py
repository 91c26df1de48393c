"""Who may do what with organisations. Views and the API ask these questions, never the models."""

from django.utils.translation import gettext_lazy as _

from .models import JoinRequest, Membership, MembershipApplication, Organisation

# Why a member of an organisation not in good standing may change nothing (services, API 403).
STANDING_REFUSAL = _(
    "Your organisation is not in good standing (it is suspended or not admitted): "
    "its needs, offers, stories and initiatives cannot be changed. Contact a facilitator."
)


def organisation_in_good_standing(organisation: Organisation | None) -> bool:
    """Whether the organisation may publish and change anything (`models.good_standing_q`):
    every lifecycle policy of what an organisation owns consults this one helper."""
    return organisation is not None and organisation.in_good_standing


def membership_of(user, organisation: Organisation) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def is_focal_point(user, organisation: Organisation) -> bool:
    m = membership_of(user, organisation)
    return m is not None and m.role == Membership.Role.FOCAL_POINT


def can_manage_organisation(user, organisation: Organisation) -> bool:
    """Focal points manage their own (approved) organisation; facilitators manage any."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_facilitator:
        return True
    return organisation_in_good_standing(organisation) and is_focal_point(user, organisation)


def can_see_organisation(user, organisation: Organisation) -> bool:
    if organisation.is_approved:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user.is_facilitator
        or membership_of(user, organisation) is not None
        or (
            hasattr(organisation, "application")
            and organisation.application.applicant_id == user.pk
        )
    )


def can_see_contact_email(user, organisation: Organisation) -> bool:
    """The contact address is for the organisation's own members and facilitators only."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_facilitator or membership_of(user, organisation) is not None


def can_apply(user) -> bool:
    """One organisation per person: not while a member or while an application is open."""
    if not getattr(user, "is_authenticated", False):
        return False
    return not (
        Membership.objects.filter(user=user).exists()
        or MembershipApplication.objects.filter(
            applicant=user, status__in=MembershipApplication.OPEN_STATUSES
        ).exists()
    )


def can_request_to_join(user, organisation: Organisation) -> bool:
    """Whether to offer "Ask to join": the service has the final word (and says why not)."""
    if not getattr(user, "is_authenticated", False) or not organisation.is_approved:
        return False
    if Membership.objects.filter(user=user).exists():
        return False
    if MembershipApplication.objects.filter(
        applicant=user, status__in=MembershipApplication.OPEN_STATUSES
    ).exists():
        return False
    return not JoinRequest.objects.filter(
        user=user, organisation=organisation, status=JoinRequest.Status.PENDING
    ).exists()


def membership_allowed_actions(
    user, membership: Membership, *, focal_points: int | None = None, manager: bool | None = None
) -> dict[str, bool]:
    """What the user may do with a membership now: the one lifecycle policy of memberships.

    "change_role" to another role, "demote" a focal point to contributor and "remove" the
    person: whoever manages the organisation, except that an organisation keeps at least one
    focal point. `focal_points` (the organisation's number of focal points) and `manager`
    (`can_manage_organisation` of the user) save the queries per row on the team page."""
    organisation = membership.organisation
    if manager is None:
        manager = can_manage_organisation(user, organisation)
    last_focal_point = False
    if manager and membership.role == Membership.Role.FOCAL_POINT:
        if focal_points is None:
            focal_points = organisation.memberships.filter(role=Membership.Role.FOCAL_POINT).count()
        last_focal_point = focal_points <= 1
    return {
        "change_role": manager,
        "demote": manager and not last_focal_point,
        "remove": manager and not last_focal_point,
    }
