"""Who may do what with an initiative: one lifecycle policy that services enforce and pages and
the API display.

The initiative's people are the members of its responsible organisation and of every member
organisation that is one of its parties; facilitators review and may override the modality.
"""

from wipomatch.core.permissions import is_facilitator
from wipomatch.members.models import Membership, Organisation

from .models import Initiative, ProgressReport, ReviewStatus

VIEW = "view"
EDIT = "edit"
SUBMIT = "submit"
PUBLISH = "publish"
REQUEST_CHANGES = "request_changes"
OVERRIDE_MODALITY = "override_modality"
REPORT = "report"
DELETE = "delete"

EDITABLE_REVIEW_STATUSES = (
    ReviewStatus.DRAFT,
    ReviewStatus.CHANGES_REQUESTED,
    ReviewStatus.PUBLISHED,
)


def initiative_organisation_ids(initiative: Initiative) -> set[int]:
    ids = set(
        initiative.parties.filter(organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    if initiative.organisation_id:
        ids.add(initiative.organisation_id)
    return ids


def is_initiative_member(user, initiative: Initiative) -> bool:
    """A member of the responsible organisation or of a member organisation among the parties."""
    if not getattr(user, "is_authenticated", False) or not initiative.pk:
        return False
    return Membership.objects.filter(
        user=user,
        organisation_id__in=initiative_organisation_ids(initiative),
        organisation__status=Organisation.Status.APPROVED,
    ).exists()


def can_create_initiative(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        is_facilitator(user)
        or Membership.objects.filter(
            user=user, organisation__status=Organisation.Status.APPROVED
        ).exists()
    )


def initiative_allowed_actions(user, initiative: Initiative) -> set[str]:
    """The actions `user` may take on `initiative` now."""
    staff = is_facilitator(user)
    member = is_initiative_member(user, initiative)
    actions: set[str] = set()
    if initiative.is_public or staff or member:
        actions.add(VIEW)
    if not (staff or member):
        return actions
    if not staff and not initiative.owner_in_good_standing:
        # Its responsible organisation is suspended (or withdrawn): nobody but facilitators
        # changes it until it is reinstated.
        return actions
    status = initiative.review_status
    if status in EDITABLE_REVIEW_STATUSES:
        actions.add(EDIT)
    if status in (ReviewStatus.DRAFT, ReviewStatus.CHANGES_REQUESTED):
        actions.add(SUBMIT)
        actions.add(DELETE)
    if status == ReviewStatus.PUBLISHED:
        actions.add(REPORT)
    if staff:
        if status == ReviewStatus.SUBMITTED:
            actions |= {PUBLISH, REQUEST_CHANGES}
        actions.add(OVERRIDE_MODALITY)
    return actions


ACCEPT_REPORT = "accept"
REQUEST_REPORT_CHANGES = "request_changes"
EDIT_REPORT = "edit"


def report_allowed_actions(user, report: ProgressReport) -> set[str]:
    actions: set[str] = set()
    if is_facilitator(user) and report.state == ProgressReport.State.SUBMITTED:
        actions |= {ACCEPT_REPORT, REQUEST_REPORT_CHANGES}
    if report.state == ProgressReport.State.CHANGES_REQUESTED and is_initiative_member(
        user, report.initiative
    ):
        actions.add(EDIT_REPORT)
    return actions
