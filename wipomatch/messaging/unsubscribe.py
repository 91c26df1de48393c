"""Signed one-click unsubscribe tokens: one person, one category, no login needed."""

from django.core import signing
from django.urls import reverse

from .models import Category

_SALT = "wipomatch.messaging.unsubscribe"


def unsubscribe_token(*, user, category: str) -> str:
    return signing.dumps({"u": user.pk, "c": category}, salt=_SALT, compress=False)


def unsubscribe_url(*, user, category: str) -> str:
    return reverse(
        "messaging:unsubscribe", kwargs={"token": unsubscribe_token(user=user, category=category)}
    )


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, category) of a valid token; None for a tampered or malformed one."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, category = data.get("u"), data.get("c")
    if not isinstance(user_id, int) or category not in Category.values:
        return None
    return user_id, category
