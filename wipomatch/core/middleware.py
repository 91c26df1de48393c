"""Staff (facilitators and admins) must have two-factor authentication before doing anything."""

from django.shortcuts import redirect
from django.urls import reverse

# Paths a staff member without 2FA may still reach: setting it up, signing out, static files.
_ALLOWED_PREFIXES = ("/static/", "/healthz", "/i18n/")
_ALLOWED_URL_NAMES = (
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "account_logout",
    "account_reauthenticate",
)


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff_member
            and not self._has_mfa(user)
            and not self._allowed(request)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _has_mfa(user) -> bool:
        from allauth.mfa.utils import is_mfa_enabled

        return is_mfa_enabled(user)

    @staticmethod
    def _allowed(request) -> bool:
        path = request.path
        if path.startswith(_ALLOWED_PREFIXES):
            return True
        match = getattr(request, "resolver_match", None)
        if match is None:
            from django.urls import Resolver404, resolve

            try:
                match = resolve(path)
            except Resolver404:
                return True
        return match.url_name in _ALLOWED_URL_NAMES
