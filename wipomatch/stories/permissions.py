"""Who may see and change stories: one lifecycle policy, `story_allowed_actions`.

Services enforce it, pages and the API display it. Authors are the members of the story's
organisation (every one of them may edit, as for needs and offers); facilitators review.
"""

from wipomatch.core.permissions import is_facilitator
from wipomatch.members.models import Membership, Organisation
from wipomatch.members.permissions import organisation_in_good_standing

from .models import EDITABLE_STATUSES, Status, Story

ACTIONS = (
    "edit",
    "submit",
    "publish",
    "request_changes",
    "reject",
    "add_version",
    "manage_images",
    "contact",
)


def writing_membership(user) -> Membership | None:
    """The user's membership of an approved organisation: who may write a story, and for whom."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, organisation__status=Organisation.Status.APPROVED)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )


def is_story_author(user, story: Story) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organisation_id=story.organisation_id).exists()


def can_see_story(user, story: Story) -> bool:
    """Published stories of an organisation in good standing are public; others only for their
    organisation and facilitators."""
    if story.is_public:
        return True
    return is_facilitator(user) or is_story_author(user, story)


def can_change_story(user, story: Story) -> bool:
    """May change something (403 otherwise); what exactly depends on the status."""
    return is_facilitator(user) or is_story_author(user, story)


def story_allowed_actions(user, story: Story) -> frozenset[str]:
    """The actions the user may take on the story now."""
    allowed: set[str] = set()
    # A suspended (or withdrawn) organisation's members can change nothing.
    author = is_story_author(user, story) and organisation_in_good_standing(story.organisation)
    facilitator = is_facilitator(user)
    status = story.status
    if (author and status in EDITABLE_STATUSES) or (facilitator and status != Status.REJECTED):
        allowed |= {"edit", "manage_images"}
    if author and status in (Status.DRAFT, Status.CHANGES_REQUESTED):
        allowed.add("submit")
    if facilitator and status == Status.SUBMITTED:
        allowed |= {"publish", "request_changes"}
    if facilitator and status in (Status.SUBMITTED, Status.CHANGES_REQUESTED):
        allowed.add("reject")
    if author and status != Status.REJECTED and story.organisation.is_approved:
        allowed.add("add_version")
    if (
        status == Status.PUBLISHED
        and not author
        and story.organisation.is_approved
        and writing_membership(user) is not None
    ):
        # A member of another organisation may ask the team behind the story to get in touch
        # (brokering's contact request: contacts are shared only if the team accepts).
        allowed.add("contact")
    return frozenset(allowed)
