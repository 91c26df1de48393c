"""Writes for membership: applying, reviewing, joining, inviting, managing members.

Every state change is audited and every person affected is told by e-mail, in their language,
after the transaction commits.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wipomatch.core.audit import audit_record
from wipomatch.core.mail import email_after_commit
from wipomatch.core.permissions import require_facilitator
from wipomatch.core.text import clean_plain_text, clean_single_line
from wipomatch.reference.models import Country, VocabularyTerm

from .criteria import CRITERIA, CRITERIA_BY_SLUG
from .models import (
    CriterionAssessment,
    Invitation,
    JoinRequest,
    Membership,
    MembershipApplication,
    Organisation,
    User,
)
from .permissions import can_manage_organisation, membership_allowed_actions
from .selectors import facilitator_contacts, focal_point_emails

LAST_FOCAL_POINT = gettext_lazy(
    "An organisation needs at least one focal point. Appoint another focal point first."
)

INVITATION_VALIDITY = timedelta(days=14)
ORGANISATION_TEXT_FIELDS = ("name", "acronym", "description")
# What a focal point (or the admin) may change on an organisation's profile.
ORGANISATION_PROFILE_FIELDS = (
    "name",
    "acronym",
    "org_type",
    "country",
    "website",
    "description",
    "contact_email",
    "themes",
)


def _clean_org_text(key: str, value):
    """Names are one line without invisible control characters; the description keeps lines."""
    if key in ("name", "acronym"):
        return clean_single_line(value)
    return clean_plain_text(value) if key in ORGANISATION_TEXT_FIELDS else value


def _normalised_name(name: str) -> str:
    return " ".join(name.casefold().split())


def _validate_org_fields(*, org_type: str, themes: list[str] | None) -> None:
    errors = {}
    if not VocabularyTerm.objects.filter(
        kind=VocabularyTerm.Kind.ORGANISATION_TYPE, slug=org_type, active=True
    ).exists():
        errors["org_type"] = _("Choose a valid organisation type.")
    if themes:
        known = set(
            VocabularyTerm.objects.filter(kind=VocabularyTerm.Kind.THEME).values_list(
                "slug", flat=True
            )
        )
        unknown = sorted(set(themes) - known)
        if unknown:
            errors["themes"] = _("Unknown thematic area: %(slugs)s.") % {
                "slugs": ", ".join(unknown)
            }
    if errors:
        raise ValidationError(errors)


def _user_has_organisation(user) -> bool:
    return (
        Membership.objects.filter(user=user).exists()
        or MembershipApplication.objects.filter(
            applicant=user, status__in=MembershipApplication.OPEN_STATUSES
        ).exists()
    )


def _email(user: User, template: str, context: dict) -> None:
    email_after_commit(
        template=template,
        to=[user.email],
        language=user.preferred_language,
        context=context,
    )


def _email_many(contacts: list[tuple[str, str]], template: str, context: dict) -> None:
    for address, language in contacts:
        email_after_commit(
            template=template,
            to=[address],
            language=language,
            context=context,
        )


def find_possible_duplicates(*, name: str, country: Country, exclude_pk=None) -> list[Organisation]:
    """Organisations with the same name (ignoring case and spacing) in the same country."""
    wanted = _normalised_name(name)
    candidates = Organisation.objects.filter(country=country).exclude(pk=exclude_pk)
    return [o for o in candidates if _normalised_name(o.name) == wanted]


@transaction.atomic
def application_submit(
    *,
    user: User,
    name: str,
    org_type: str,
    country: Country,
    description: str,
    contact_email: str,
    motivation: str,
    accepted_code_of_conduct: bool,
    website: str = "",
    acronym: str = "",
    themes: list[str] | None = None,
) -> MembershipApplication:
    """Apply for a new organisation's membership. The organisation stays pending until approved."""
    if not accepted_code_of_conduct:
        raise ValidationError(
            {"accepted_code_of_conduct": _("You must accept the code of conduct to apply.")}
        )
    if _user_has_organisation(user):
        raise ValidationError(
            _("You already belong to an organisation or have an application under review.")
        )
    _validate_org_fields(org_type=org_type, themes=themes)
    org = Organisation(
        name=clean_single_line(name),
        acronym=clean_single_line(acronym),
        org_type=org_type,
        country=country,
        website=website,
        description=clean_plain_text(description),
        contact_email=contact_email,
        themes=sorted(set(themes or [])),
    )
    org.full_clean()
    org.save()
    application = MembershipApplication(
        organisation=org,
        applicant=user,
        motivation=clean_plain_text(motivation),
        accepted_code_of_conduct=True,
    )
    application.full_clean()
    application.save()
    duplicates = find_possible_duplicates(name=org.name, country=country, exclude_pk=org.pk)
    if duplicates:
        application.possible_duplicates.set(duplicates)
    audit_record(target=application, actor=user, action="submitted", to_state=application.status)
    url = application.get_absolute_url()
    _email(user, "application_received", {"organisation": org.name, "url": url})
    _email_many(
        facilitator_contacts(),
        "application_to_review",
        {
            "organisation": org.name,
            "country": country.names.get("en", country.iso2),
            "url": reverse("members:review_application", args=[application.pk]),
            "has_duplicates": bool(duplicates),
        },
    )
    return application


@transaction.atomic
def application_update(*, user: User, application: MembershipApplication, **fields) -> None:
    """The applicant answers a request for more information; the application goes back to review."""
    if application.applicant_id != user.pk:
        raise PermissionDenied
    if application.status != MembershipApplication.Status.MORE_INFO:
        raise ValidationError(
            _("This application can only be changed when more information is requested.")
        )
    org = application.organisation
    _validate_org_fields(org_type=fields.get("org_type", org.org_type), themes=fields.get("themes"))
    for key in (
        "name",
        "acronym",
        "org_type",
        "country",
        "website",
        "description",
        "contact_email",
    ):
        if key in fields:
            value = fields[key]
            setattr(org, key, _clean_org_text(key, value))
    if "themes" in fields:
        org.themes = sorted(set(fields["themes"] or []))
    org.full_clean()
    org.save()
    if "motivation" in fields:
        application.motivation = clean_plain_text(fields["motivation"])
    previous = application.status
    application.status = MembershipApplication.Status.SUBMITTED
    application.full_clean()
    application.save()
    application.possible_duplicates.set(
        find_possible_duplicates(name=org.name, country=org.country, exclude_pk=org.pk)
    )
    audit_record(
        target=application,
        actor=user,
        action="resubmitted",
        from_state=previous,
        to_state=application.status,
        reason=clean_plain_text(fields.get("response", "")),
    )
    _email_many(
        facilitator_contacts(),
        "application_to_review",
        {
            "organisation": org.name,
            "country": org.country.names.get("en", org.country.iso2),
            "url": reverse("members:review_application", args=[application.pk]),
            "has_duplicates": application.possible_duplicates.exists(),
        },
    )


@transaction.atomic
def application_assess(
    *,
    facilitator: User,
    application: MembershipApplication,
    assessments: dict[str, tuple[bool, str]],
) -> None:
    """Record, per published criterion, whether it is met and why."""
    require_facilitator(facilitator)
    if not application.is_open:
        raise ValidationError(_("This application has already been decided."))
    unknown = set(assessments) - set(CRITERIA_BY_SLUG)
    if unknown:
        raise ValidationError(_("Unknown criterion: %(c)s.") % {"c": ", ".join(sorted(unknown))})
    for slug, (met, note) in assessments.items():
        CriterionAssessment.objects.update_or_create(
            application=application,
            criterion=slug,
            defaults={"met": bool(met), "note": clean_plain_text(note), "assessed_by": facilitator},
        )
    audit_record(
        target=application,
        actor=facilitator,
        action="assessed",
        data={"assessments": {slug: bool(met) for slug, (met, _note) in assessments.items()}},
    )


def _decide(
    *,
    facilitator: User,
    application: MembershipApplication,
    new_status: str,
    reason: str,
    action: str,
) -> str:
    require_facilitator(facilitator)
    if not application.is_open:
        raise ValidationError(_("This application has already been decided."))
    previous = application.status
    application.status = new_status
    application.decision_reason = clean_plain_text(reason)
    application.reviewed_by = facilitator
    if new_status in (MembershipApplication.Status.APPROVED, MembershipApplication.Status.REJECTED):
        application.decided_at = timezone.now()
    application.save(
        update_fields=["status", "decision_reason", "reviewed_by", "decided_at", "updated_at"]
    )
    audit_record(
        target=application,
        actor=facilitator,
        action=action,
        from_state=previous,
        to_state=new_status,
        reason=application.decision_reason,
    )
    return previous


@transaction.atomic
def application_approve(
    *, facilitator: User, application: MembershipApplication, reason: str = ""
) -> Organisation:
    """Admit the organisation: every criterion must have been assessed as met."""
    require_facilitator(facilitator)
    met = dict(application.assessments.values_list("criterion", "met"))
    missing = [c.title for c in CRITERIA if c.slug not in met]
    unmet = [c.title for c in CRITERIA if met.get(c.slug) is False]
    if missing:
        raise ValidationError(
            _("Assess every criterion before approving. Not yet assessed: %(list)s.")
            % {"list": ", ".join(str(t) for t in missing)}
        )
    if unmet:
        raise ValidationError(
            _("An application can only be approved when every criterion is met. Not met: %(list)s.")
            % {"list": ", ".join(str(t) for t in unmet)}
        )
    _decide(
        facilitator=facilitator,
        application=application,
        new_status=MembershipApplication.Status.APPROVED,
        reason=reason,
        action="approved",
    )
    org = application.organisation
    previous = org.status
    org.status = Organisation.Status.APPROVED
    org.approved_at = timezone.now()
    org.save(update_fields=["status", "approved_at", "updated_at"])
    audit_record(
        target=org, actor=facilitator, action="approved", from_state=previous, to_state=org.status
    )
    Membership.objects.get_or_create(
        user=application.applicant,
        organisation=org,
        defaults={"role": Membership.Role.FOCAL_POINT},
    )
    JoinRequest.objects.filter(
        user=application.applicant, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.DECLINED)
    _email(
        application.applicant,
        "application_approved",
        {
            "organisation": org.name,
            "reason": application.decision_reason,
            "url": org.get_absolute_url(),
        },
    )
    return org


@transaction.atomic
def application_request_info(
    *, facilitator: User, application: MembershipApplication, reason: str
) -> None:
    if not clean_plain_text(reason):
        raise ValidationError({"reason": _("Say what information is missing.")})
    _decide(
        facilitator=facilitator,
        application=application,
        new_status=MembershipApplication.Status.MORE_INFO,
        reason=reason,
        action="more_info_requested",
    )
    _email(
        application.applicant,
        "application_more_info",
        {
            "organisation": application.organisation.name,
            "reason": application.decision_reason,
            "url": reverse("members:application_edit", args=[application.pk]),
        },
    )


@transaction.atomic
def application_reject(
    *, facilitator: User, application: MembershipApplication, reason: str
) -> None:
    if not clean_plain_text(reason):
        raise ValidationError({"reason": _("Give the reason for rejecting the application.")})
    _decide(
        facilitator=facilitator,
        application=application,
        new_status=MembershipApplication.Status.REJECTED,
        reason=reason,
        action="rejected",
    )
    org = application.organisation
    previous = org.status
    org.status = Organisation.Status.REJECTED
    org.save(update_fields=["status", "updated_at"])
    audit_record(
        target=org,
        actor=facilitator,
        action="rejected",
        from_state=previous,
        to_state=org.status,
        reason=application.decision_reason,
    )
    _email(
        application.applicant,
        "application_rejected",
        {
            "organisation": org.name,
            "reason": application.decision_reason,
            "criteria_url": reverse("members:criteria"),
        },
    )


def _organisation_transition(
    organisation: Organisation, *, facilitator: User, to: str, action: str, reason: str
) -> None:
    """Move an organisation between approved and suspended, audit it and tell its focal points."""
    previous = organisation.status
    organisation.status = to
    organisation.save(update_fields=["status", "updated_at"])
    reason = clean_plain_text(reason)
    audit_record(
        target=organisation,
        actor=facilitator,
        action=action,
        from_state=previous,
        to_state=to,
        reason=reason,
    )
    context = {"organisation": organisation.name, "url": organisation.get_absolute_url()}
    if action == "suspended":
        context["reason"] = reason
    _email_many(focal_point_emails(organisation), f"organisation_{action}", context)


@transaction.atomic
def organisation_suspend(*, facilitator: User, organisation: Organisation, reason: str) -> None:
    require_facilitator(facilitator)
    if not clean_plain_text(reason):
        raise ValidationError({"reason": _("Give the reason for the suspension.")})
    if organisation.status != Organisation.Status.APPROVED:
        raise ValidationError(_("Only an approved organisation can be suspended."))
    _organisation_transition(
        organisation,
        facilitator=facilitator,
        to=Organisation.Status.SUSPENDED,
        action="suspended",
        reason=reason,
    )


@transaction.atomic
def organisation_reinstate(
    *, facilitator: User, organisation: Organisation, reason: str = ""
) -> None:
    require_facilitator(facilitator)
    if organisation.status != Organisation.Status.SUSPENDED:
        raise ValidationError(_("Only a suspended organisation can be reinstated."))
    _organisation_transition(
        organisation,
        facilitator=facilitator,
        to=Organisation.Status.APPROVED,
        action="reinstated",
        reason=reason,
    )


@transaction.atomic
def organisation_update(*, user: User, organisation: Organisation, **fields) -> Organisation:
    """A focal point (or facilitator) edits the profile."""
    if not can_manage_organisation(user, organisation):
        raise PermissionDenied
    _validate_org_fields(
        org_type=fields.get("org_type", organisation.org_type), themes=fields.get("themes")
    )
    changed = []
    for key in ORGANISATION_PROFILE_FIELDS:
        if key not in fields:
            continue
        value = fields[key]
        value = _clean_org_text(key, value)
        if key == "themes":
            value = sorted(set(value or []))
        if getattr(organisation, key) != value:
            setattr(organisation, key, value)
            changed.append(key)
    organisation.full_clean()
    organisation.save()
    if changed:
        audit_record(
            target=organisation, actor=user, action="profile_updated", data={"fields": changed}
        )
    return organisation


# --- Joining an existing organisation ---------------------------------------------------------


@transaction.atomic
def join_request_create(
    *, user: User, organisation: Organisation, message: str = ""
) -> JoinRequest:
    if not organisation.is_approved:
        raise ValidationError(_("Only approved member organisations can be joined."))
    if _user_has_organisation(user):
        raise ValidationError(
            _("You already belong to an organisation or have an application under review.")
        )
    if JoinRequest.objects.filter(
        user=user, organisation=organisation, status=JoinRequest.Status.PENDING
    ).exists():
        raise ValidationError(_("You have already asked to join this organisation."))
    jr = JoinRequest.objects.create(
        user=user, organisation=organisation, message=clean_plain_text(message)
    )
    audit_record(target=jr, actor=user, action="requested", to_state=jr.status)
    _email_many(
        focal_point_emails(organisation),
        "join_request_received",
        {
            "organisation": organisation.name,
            "person": user.display_name,
            "email": user.email,
            "message": jr.message,
            "url": reverse("members:organisation_team", args=[organisation.pk]),
        },
    )
    return jr


def _decide_join_request(*, actor: User, join_request: JoinRequest, approve: bool) -> None:
    if not can_manage_organisation(actor, join_request.organisation):
        raise PermissionDenied
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    new_status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.status = new_status
    join_request.decided_by = actor
    join_request.save(update_fields=["status", "decided_by", "updated_at"])
    audit_record(
        target=join_request,
        actor=actor,
        action="approved" if approve else "declined",
        from_state=JoinRequest.Status.PENDING,
        to_state=new_status,
    )


@transaction.atomic
def join_request_approve(*, actor: User, join_request: JoinRequest) -> Membership:
    if Membership.objects.filter(user=join_request.user).exists():
        raise ValidationError(_("This person already belongs to an organisation."))
    _decide_join_request(actor=actor, join_request=join_request, approve=True)
    membership = Membership.objects.create(
        user=join_request.user,
        organisation=join_request.organisation,
        role=Membership.Role.CONTRIBUTOR,
    )
    audit_record(
        target=join_request.organisation,
        actor=actor,
        action="member_added",
        reason=join_request.user.email,
    )
    _email(
        join_request.user,
        "join_request_approved",
        {
            "organisation": join_request.organisation.name,
            "url": join_request.organisation.get_absolute_url(),
        },
    )
    return membership


@transaction.atomic
def join_request_decline(*, actor: User, join_request: JoinRequest) -> None:
    _decide_join_request(actor=actor, join_request=join_request, approve=False)
    _email(
        join_request.user, "join_request_declined", {"organisation": join_request.organisation.name}
    )


# --- Invitations and team management ----------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, actor: User, organisation: Organisation, email: str, role: str
) -> Invitation:
    if not can_manage_organisation(actor, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    invitation.full_clean()
    invitation.save()
    audit_record(target=organisation, actor=actor, action="invited", reason=email)
    email_after_commit(
        template="invitation",
        to=[email],
        language=actor.preferred_language,
        context={
            "organisation": organisation.name,
            "inviter": actor.display_name,
            "role": role,
            "url": reverse("members:invitation_accept", args=[invitation.token]),
            "expires": invitation.expires_at.date().isoformat(),
        },
    )
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, token: str) -> Membership:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token=token)
        .select_related("organisation")
        .first()
    )
    if invitation is None or invitation.revoked_at or invitation.accepted_at:
        raise ValidationError(_("This invitation is no longer valid."))
    if invitation.expires_at < timezone.now():
        raise ValidationError(_("This invitation has expired. Ask the focal point for a new one."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address. Sign in with that address to accept it."
            )
        )
    if not invitation.organisation.is_approved:
        raise ValidationError(_("This organisation is not an active member at the moment."))
    if Membership.objects.filter(user=user).exists():
        raise ValidationError(_("You already belong to an organisation."))
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    membership = Membership.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    audit_record(
        target=invitation.organisation, actor=user, action="invitation_accepted", reason=user.email
    )
    return membership


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    if not can_manage_organisation(actor, invitation.organisation):
        raise PermissionDenied
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation has already been used or revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        target=invitation.organisation,
        actor=actor,
        action="invitation_revoked",
        reason=invitation.email,
    )


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove a person from an organisation; the last focal point cannot be removed."""
    org = membership.organisation
    allowed = membership_allowed_actions(actor, membership)
    if not allowed["change_role"]:
        raise PermissionDenied
    if not allowed["remove"]:
        raise ValidationError(LAST_FOCAL_POINT)
    user = membership.user
    membership.delete()
    audit_record(target=org, actor=actor, action="member_removed", reason=user.email)
    _email(user, "membership_removed", {"organisation": org.name})


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> None:
    org = membership.organisation
    allowed = membership_allowed_actions(actor, membership)
    if not allowed["change_role"]:
        raise PermissionDenied
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if role != membership.role and role != Membership.Role.FOCAL_POINT and not allowed["demote"]:
        raise ValidationError(LAST_FOCAL_POINT)
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        target=org,
        actor=actor,
        action="role_changed",
        from_state=previous,
        to_state=role,
        reason=membership.user.email,
    )
