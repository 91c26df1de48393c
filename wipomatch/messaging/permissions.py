"""Who may read and write in a conversation. Views, the API and the services ask these questions."""

from wipomatch.core.permissions import is_facilitator
from wipomatch.members.models import Membership

from .models import Conversation


def participating_organisation_ids(user, conversation: Conversation) -> list[int]:
    """The user's organisations that take part in the conversation."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(
            user=user, organisation__in=conversation.organisations.all()
        ).values_list("organisation_id", flat=True)
    )


def can_read_conversation(user, conversation: Conversation) -> bool:
    """Members of a participating organisation and facilitators (who may join any case)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return is_facilitator(user) or bool(participating_organisation_ids(user, conversation))


def can_post_message(user, conversation: Conversation) -> bool:
    """Whoever may read a conversation may write in it."""
    return can_read_conversation(user, conversation)
