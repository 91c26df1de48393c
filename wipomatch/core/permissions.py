"""Permission helpers every app shares. Object-level rules live in each app's `permissions.py`."""

from django.core.exceptions import PermissionDenied


def is_facilitator(user) -> bool:
    """Facilitators and platform admins (staff roles); False for anonymous visitors."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_facilitator", False))


def require_facilitator(user) -> None:
    """Raise PermissionDenied (403) unless the user is a facilitator or a platform admin."""
    if not is_facilitator(user):
        raise PermissionDenied
