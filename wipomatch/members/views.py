"""Pages of the membership capability: directory, profiles, applying, reviewing, team.

Views stay thin: they read through the scoped selectors (404 for what the user may not see, 403
for what they may see but not change), call one service per write, and put a service's
ValidationError on the form the user sent.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from wipomatch.core.forms import apply_service_errors
from wipomatch.core.pages import audit_rows, page_range, render_page_or_partial
from wipomatch.core.permissions import require_facilitator
from wipomatch.reference.models import VocabularyTerm

from . import services
from .criteria import CRITERIA, CRITERIA_BY_SLUG
from .forms import (
    ApplicationEditForm,
    ApplicationForm,
    AssessmentForm,
    DecisionForm,
    DirectoryFilterForm,
    InvitationForm,
    JoinDecisionForm,
    JoinRequestForm,
    OrganisationForm,
    ReasonForm,
    RoleForm,
)
from .models import JoinRequest, Membership, MembershipApplication, Organisation
from .permissions import (
    can_apply,
    can_manage_organisation,
    can_request_to_join,
    can_see_contact_email,
    membership_allowed_actions,
    membership_of,
)
from .selectors import (
    applications_for_review,
    get_application_for_user,
    get_invitation_by_token,
    get_invitation_for_user,
    get_join_request_for_user,
    get_membership_for_user,
    get_organisation_for_user,
    open_invitations,
    organisation_directory,
    organisation_members,
    pending_join_requests,
)

PAGE_SIZE = 25
GET_POST = require_http_methods(["GET", "POST"])

# --- Presentation helpers -------------------------------------------------------------------

AUDIT_ACTION_LABELS = {
    "submitted": gettext_lazy("Application submitted"),
    "resubmitted": gettext_lazy("Application completed and sent back for review"),
    "assessed": gettext_lazy("Criteria assessed"),
    "approved": gettext_lazy("Approved"),
    "more_info_requested": gettext_lazy("More information requested"),
    "rejected": gettext_lazy("Rejected"),
    "suspended": gettext_lazy("Suspended"),
    "reinstated": gettext_lazy("Reinstated"),
    "profile_updated": gettext_lazy("Profile updated"),
    "member_added": gettext_lazy("Member added"),
    "member_removed": gettext_lazy("Member removed"),
    "role_changed": gettext_lazy("Role changed"),
    "invited": gettext_lazy("Colleague invited"),
    "invitation_accepted": gettext_lazy("Invitation accepted"),
    "invitation_revoked": gettext_lazy("Invitation revoked"),
    "requested": gettext_lazy("Asked to join"),
    "declined": gettext_lazy("Declined"),
}


def _describe(event) -> dict:
    """The assessment an "assessed" event records (`data["assessments"]`: slug -> met)."""
    assessments = event.data.get("assessments")
    if event.action != "assessed" or not assessments:
        return {}
    rows = [
        {"title": CRITERIA_BY_SLUG[slug].title, "met": bool(met)}
        for slug, met in sorted(assessments.items())
        if slug in CRITERIA_BY_SLUG
    ]
    return {"assessment": rows, "reason": ""}


def _audit_rows(target, state_labels: dict) -> list[dict]:
    """The audit trail of an object, newest first, with translated actions and states."""
    return audit_rows(
        target, action_labels=AUDIT_ACTION_LABELS, state_labels=state_labels, describe=_describe
    )


ORGANISATION_STATE_LABELS = {**dict(Organisation.Status.choices), **dict(Membership.Role.choices)}
_APPLICATION_STATES = dict(MembershipApplication.Status.choices)


def _vocabulary() -> tuple[dict, dict]:
    """Organisation types and themes by slug, in one query (labels follow the language)."""
    types, themes = {}, {}
    kinds = (VocabularyTerm.Kind.ORGANISATION_TYPE, VocabularyTerm.Kind.THEME)
    for term in VocabularyTerm.objects.filter(kind__in=kinds):
        bucket = types if term.kind == VocabularyTerm.Kind.ORGANISATION_TYPE else themes
        bucket[term.slug] = term
    return types, themes


def _label(organisations, vocabulary=None) -> None:
    """Attach the display labels of type and themes to each organisation for the templates."""
    types, themes = vocabulary or _vocabulary()
    for org in organisations:
        term = types.get(org.org_type)
        org.type_label = term.display_label if term else org.org_type
        org.theme_labels = [themes[s].display_label for s in org.themes if s in themes]


# --- Visitors: directory, profile, criteria ---------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def directory(request: HttpRequest) -> HttpResponse:
    """One view for the page and, when htmx asks, only the results list."""
    form = DirectoryFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(organisation_directory(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    organisations = list(page.object_list)
    _label(organisations)
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "organisations": organisations,
        "filtered": any(filters.values()),
    }
    return render_page_or_partial(
        request, "members/directory.html", "members/_directory_results.html", context
    )


@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for_user(request.user, pk)
    _label([org])
    user = request.user
    can_manage = can_manage_organisation(user, org)
    membership = membership_of(user, org)
    context = {
        "organisation": org,
        "membership": membership,
        "is_focal_point": membership is not None and membership.role == Membership.Role.FOCAL_POINT,
        "can_manage": can_manage,
        "show_contact": can_see_contact_email(user, org),
        "can_request_to_join": can_request_to_join(user, org),
        "join_form": JoinRequestForm(),
        "is_facilitator": user.is_authenticated and user.is_facilitator,
    }
    if user.is_authenticated and not membership and org.is_approved:
        context["pending_request"] = JoinRequest.objects.filter(
            user=user, organisation=org, status=JoinRequest.Status.PENDING
        ).exists()
    if can_manage or context["is_focal_point"] or context["is_facilitator"]:
        context["audit"] = _audit_rows(org, ORGANISATION_STATE_LABELS)
    return render(request, "members/organisation_detail.html", context)


@require_GET
def criteria(request: HttpRequest) -> HttpResponse:
    return render(request, "members/criteria.html", {"criteria": CRITERIA})


# --- Applicants -------------------------------------------------------------------------------


@login_required
@GET_POST
def application_create(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(user=request.user, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your application has been sent to the WIPO facilitators."),
            )
            return redirect(application)
    return render(
        request,
        "members/application_form.html",
        {
            "form": form,
            "criteria": CRITERIA,
            "editing": False,
            "may_apply": can_apply(request.user),
        },
    )


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    org = application.organisation
    _label([org])
    is_facilitator = request.user.is_facilitator
    context = {
        "application": application,
        "organisation": org,
        "is_applicant": application.applicant_id == request.user.pk,
        "is_facilitator": is_facilitator,
        "can_edit": application.applicant_id == request.user.pk
        and application.status == MembershipApplication.Status.MORE_INFO,
        "audit": _audit_rows(application, _APPLICATION_STATES),
    }
    return render(request, "members/application_detail.html", context)


@login_required
@GET_POST
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    if application.applicant_id != request.user.pk:
        raise PermissionDenied
    if application.status != MembershipApplication.Status.MORE_INFO:
        messages.info(
            request, _("This application can only be changed when more information is requested.")
        )
        return redirect(application)
    form = ApplicationEditForm(
        request.POST or None, initial=ApplicationEditForm.initial_from_application(application)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(
                user=request.user, application=application, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your application has been sent back for review."))
            return redirect(application)
    return render(
        request,
        "members/application_form.html",
        {"form": form, "application": application, "criteria": CRITERIA, "editing": True},
    )


# --- Facilitators: review queue, review, suspend / reinstate ---------------------------------


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    require_facilitator(request.user)
    page = Paginator(applications_for_review(), PAGE_SIZE).get_page(request.GET.get("page"))
    applications = list(page.object_list)
    _label([a.organisation for a in applications])
    return render(
        request,
        "members/review_queue.html",
        {"page_obj": page, "page_range": page_range(page), "applications": applications},
    )


@login_required
@GET_POST
def review_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    require_facilitator(request.user)
    existing = {a.criterion: a for a in application.assessments.select_related("assessed_by")}
    action = request.POST.get("action") if request.method == "POST" else None
    assessment_form = AssessmentForm(
        request.POST if action == "assess" else None, existing=existing, prefix="assess"
    )
    decision_form = DecisionForm(request.POST if action == "decide" else None, prefix="decide")

    if action == "assess" and assessment_form.is_valid():
        try:
            services.application_assess(
                facilitator=request.user,
                application=application,
                assessments=assessment_form.assessments(),
            )
        except ValidationError as error:
            apply_service_errors(assessment_form, error)
        else:
            messages.success(request, _("The assessment has been recorded."))
            return redirect("members:review_application", application.pk)
    elif action == "decide" and decision_form.is_valid():
        decision = decision_form.cleaned_data["decision"]
        reason = decision_form.cleaned_data["reason"]
        decide = {
            DecisionForm.APPROVE: services.application_approve,
            DecisionForm.MORE_INFO: services.application_request_info,
            DecisionForm.REJECT: services.application_reject,
        }[decision]
        try:
            decide(facilitator=request.user, application=application, reason=reason)
        except ValidationError as error:
            apply_service_errors(decision_form, error)
        else:
            done = {
                DecisionForm.APPROVE: _("%(name)s is now a member organisation."),
                DecisionForm.MORE_INFO: _("The applicant of %(name)s has been asked for more."),
                DecisionForm.REJECT: _("The application of %(name)s has been rejected."),
            }[decision]
            messages.success(request, done % {"name": application.organisation.name})
            return redirect("members:review_queue")
    elif request.method == "POST" and action not in ("assess", "decide"):
        messages.error(request, _("Choose an action."))

    org = application.organisation
    _label([org])
    context = {
        "application": application,
        "organisation": org,
        "duplicates": list(application.possible_duplicates.select_related("country")),
        "assessment_form": assessment_form,
        "decision_form": decision_form,
        "assessments": existing,
        "audit": _audit_rows(application, _APPLICATION_STATES),
    }
    return render(request, "members/review_application.html", context)


def _confirm_page(request, *, organisation, title, intro, form, button, danger):
    return render(
        request,
        "members/confirm_action.html",
        {
            "organisation": organisation,
            "title": title,
            "intro": intro,
            "form": form,
            "button": button,
            "danger": danger,
        },
    )


# A facilitator's decision on an organisation: the service and what its confirmation page says.
ORGANISATION_DECISIONS = {
    "suspend": {
        "service": services.organisation_suspend,
        "reason_required": True,
        "done": gettext_lazy("%(name)s is suspended."),
        "title": gettext_lazy("Suspend %(name)s"),
        "intro": gettext_lazy(
            "A suspended organisation disappears from the directory and its focal points can "
            "no longer manage it until it is reinstated. Its focal points are told by e-mail."
        ),
        "button": gettext_lazy("Suspend the organisation"),
        "danger": True,
    },
    "reinstate": {
        "service": services.organisation_reinstate,
        "reason_required": False,
        "done": gettext_lazy("%(name)s is reinstated."),
        "title": gettext_lazy("Reinstate %(name)s"),
        "intro": gettext_lazy(
            "The organisation becomes an active member again and reappears in the directory. "
            "Its focal points are told by e-mail."
        ),
        "button": gettext_lazy("Reinstate the organisation"),
        "danger": False,
    },
}


@login_required
@GET_POST
def organisation_decision(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """A facilitator's confirmation page for suspending or reinstating, then the service."""
    rules = ORGANISATION_DECISIONS[decision]
    org = get_organisation_for_user(request.user, pk)
    require_facilitator(request.user)
    form = ReasonForm(request.POST or None, required=rules["reason_required"])
    if request.method == "POST" and form.is_valid():
        try:
            rules["service"](
                facilitator=request.user, organisation=org, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, rules["done"] % {"name": org.name})
            return redirect(org)
    return _confirm_page(
        request,
        organisation=org,
        form=form,
        title=rules["title"] % {"name": org.name},
        intro=rules["intro"],
        button=rules["button"],
        danger=rules["danger"],
    )


# --- Registered users: ask to join, accept an invitation -------------------------------------


@login_required
@GET_POST
def join_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for_user(request.user, pk)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                user=request.user, organisation=org, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request has been sent to the focal point of %(name)s.")
                % {"name": org.name},
            )
            return redirect(org)
    return render(request, "members/join_request_form.html", {"organisation": org, "form": form})


@login_required
@GET_POST
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_invitation_by_token(token)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.invitation_accept(user=request.user, token=token)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Welcome to %(name)s.") % {"name": invitation.organisation.name},
            )
            return redirect("members:organisation_detail", invitation.organisation_id)
    return render(
        request,
        "members/invitation_accept.html",
        {
            "invitation": invitation,
            "errors": errors,
            "email_matches": invitation.email.lower() == request.user.email.lower(),
        },
    )


# --- Focal points: profile and team -----------------------------------------------------------


@login_required
@GET_POST
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for_user(request.user, pk, write=True)
    form = OrganisationForm(request.POST or None, initial=OrganisationForm.initial_from(org))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                user=request.user, organisation=org, **form.organisation_fields()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect(org)
    return render(request, "members/organisation_form.html", {"organisation": org, "form": form})


def _team_page(request, org, *, invitation_form=None, role_forms=None, status=200):
    members = list(organisation_members(org))
    role_forms = role_forms or {}
    focal_points = sum(m.role == Membership.Role.FOCAL_POINT for m in members)
    manager = can_manage_organisation(request.user, org)
    for membership in members:
        membership.actions = membership_allowed_actions(
            request.user, membership, focal_points=focal_points, manager=manager
        )
        membership.role_form = role_forms.get(membership.pk) or RoleForm(
            initial={"role": membership.role}, prefix=f"member-{membership.pk}"
        )
    return render(
        request,
        "members/team.html",
        {
            "organisation": org,
            "members": members,
            "join_requests": list(pending_join_requests(org)),
            "invitations": list(open_invitations(org)),
            "invitation_form": invitation_form or InvitationForm(),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@GET_POST
def organisation_team(request: HttpRequest, pk: int) -> HttpResponse:
    """The focal point's page: members and roles, join requests, invitations."""
    org = get_organisation_for_user(request.user, pk, write=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=request.user,
                organisation=org,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("members:organisation_team", org.pk)
    return _team_page(request, org, invitation_form=form)


@login_required
@require_POST
def join_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    join_request = get_join_request_for_user(request.user, pk, write=True)
    form = JoinDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or decline the request."))
        return redirect("members:organisation_team", join_request.organisation_id)
    approve = form.cleaned_data["decision"] == "approve"
    decide = services.join_request_approve if approve else services.join_request_decline
    try:
        decide(actor=request.user, join_request=join_request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        person = join_request.user.display_name
        messages.success(
            request,
            (
                _("%(person)s has joined the organisation.")
                if approve
                else _("The request of %(person)s has been declined.")
            )
            % {"person": person},
        )
    return redirect("members:organisation_team", join_request.organisation_id)


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_user(request.user, pk, write=True)
    org = membership.organisation
    form = RoleForm(request.POST, prefix=f"member-{membership.pk}")
    if form.is_valid():
        try:
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            # The form is one select in a table row: show every refusal next to it.
            form.add_error("role", error.messages)
        else:
            messages.success(
                request,
                _("The role of %(person)s has been changed.")
                % {"person": membership.user.display_name},
            )
            return redirect("members:organisation_team", org.pk)
    return _team_page(request, org, role_forms={membership.pk: form})


@login_required
@GET_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page, then the removal."""
    membership = get_membership_for_user(request.user, pk, write=True)
    org = membership.organisation
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.membership_remove(actor=request.user, membership=membership)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("%(person)s has been removed from the organisation.")
                % {"person": membership.user.display_name},
            )
            if request.user.pk == membership.user_id:
                return redirect("web:dashboard")
            return redirect("members:organisation_team", org.pk)
    return render(
        request,
        "members/membership_remove.html",
        {"organisation": org, "membership": membership, "errors": errors},
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, pk, write=True)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been revoked.") % {"email": invitation.email},
        )
    return redirect("members:organisation_team", invitation.organisation_id)
