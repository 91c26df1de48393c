"""Reads of organisations, applications and memberships, always scoped to the reader."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import (
    Invitation,
    JoinRequest,
    Membership,
    MembershipApplication,
    Organisation,
    User,
)
from .permissions import can_manage_organisation, can_see_organisation, membership_of


def organisation_directory(
    *,
    q: str = "",
    country: str = "",
    region: str = "",
    org_type: str = "",
    theme: str = "",
) -> QuerySet[Organisation]:
    """Approved organisations, filtered as in the directory (UI and API share this)."""
    qs = Organisation.objects.approved().select_related(
        "country", "country__region", "country__subregion"
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(acronym__icontains=q) | Q(description__icontains=q))
    if country:
        qs = qs.filter(country__iso2=country.upper())
    if region:
        qs = qs.filter(
            Q(country__region__code=region)
            | Q(country__subregion__code=region)
            | Q(country__intermediate_region__code=region)
        )
    if org_type:
        qs = qs.filter(org_type=org_type)
    if theme:
        # JSON containment is not portable to SQLite; the list is short so a text match is exact
        # enough when the slug is quoted.
        qs = qs.filter(themes__icontains=f'"{theme}"')
    return qs.order_by("name", "pk")


def get_organisation_for_user(user, pk: int, *, write: bool = False) -> Organisation:
    """404 for what the user may not see, 403 for what they may see but not change."""
    org = Organisation.objects.select_related("country", "country__region").filter(pk=pk).first()
    if org is None or not can_see_organisation(user, org):
        raise Http404
    if write and not can_manage_organisation(user, org):
        raise PermissionDenied
    return org


def applications_for_review() -> QuerySet[MembershipApplication]:
    return (
        MembershipApplication.objects.filter(status__in=MembershipApplication.OPEN_STATUSES)
        .select_related("organisation", "organisation__country", "applicant")
        .prefetch_related("possible_duplicates")
        .order_by("created_at")
    )


def get_application_for_user(user, pk: int) -> MembershipApplication:
    app = (
        MembershipApplication.objects.select_related(
            "organisation", "organisation__country", "applicant", "reviewed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if app is None or not user.is_authenticated:
        raise Http404
    if not (user.is_facilitator or app.applicant_id == user.pk):
        raise Http404
    return app


def _check_team_access(user, organisation: Organisation, *, write: bool, owner_id=None) -> None:
    """Team objects are seen by the organisation's members (and facilitators), changed by those
    who manage it; anyone else gets a 404, as if the object did not exist."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    manager = can_manage_organisation(user, organisation)
    if not (
        manager
        or (owner_id is not None and owner_id == user.pk)
        or membership_of(user, organisation) is not None
    ):
        raise Http404
    if write and not manager:
        raise PermissionDenied


def get_join_request_for_user(user, pk: int, *, write: bool = False) -> JoinRequest:
    join_request = JoinRequest.objects.select_related("organisation", "user").filter(pk=pk).first()
    if join_request is None:
        raise Http404
    _check_team_access(user, join_request.organisation, write=write, owner_id=join_request.user_id)
    return join_request


def get_membership_for_user(user, pk: int, *, write: bool = False) -> Membership:
    membership = Membership.objects.select_related("organisation", "user").filter(pk=pk).first()
    if membership is None:
        raise Http404
    _check_team_access(user, membership.organisation, write=write)
    return membership


def get_invitation_for_user(user, pk: int, *, write: bool = False) -> Invitation:
    invitation = Invitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None:
        raise Http404
    _check_team_access(user, invitation.organisation, write=write)
    return invitation


def get_invitation_by_token(token: str) -> Invitation:
    """The token is the secret: whoever holds the link may see which organisation invites them."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by").filter(token=token).first()
    )
    if invitation is None:
        raise Http404
    return invitation


def memberships_of_user(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("role", "user__email")


def pending_join_requests(organisation: Organisation) -> QuerySet[JoinRequest]:
    return organisation.join_requests.filter(status=JoinRequest.Status.PENDING).select_related(
        "user"
    )


def open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def focal_point_emails(organisation: Organisation) -> list[tuple[str, str]]:
    return list(
        organisation.memberships.filter(role=Membership.Role.FOCAL_POINT).values_list(
            "user__email", "user__preferred_language"
        )
    )


def facilitator_contacts() -> list[tuple[str, str]]:
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(staff_role__in=["facilitator", "admin"]) | Q(is_superuser=True))
        .values_list("email", "preferred_language")
    )
