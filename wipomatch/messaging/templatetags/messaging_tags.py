from django import template
from django.db.models import QuerySet

from ..models import Message

register = template.Library()


@register.simple_tag(takes_context=True)
def conversation_items(context) -> list:
    """The messages to show in `_conversation.html`: `conversation_messages`, or `messages` when
    an including page passed Message objects under that name (never the flash messages)."""
    items = context.get("conversation_messages")
    if items is None:
        items = context.get("messages")
    if isinstance(items, QuerySet) and items.model is Message:
        return list(items)
    if isinstance(items, list | tuple) and all(isinstance(m, Message) for m in items):
        return list(items)
    return []
