"""Staff (facilitators and admins) must have two-factor authentication before doing anything."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a staff member without 2FA may still reach: setting it up, signing out, static files.
_ALLOWED_PREFIXES = ("/static/", "/healthz", "/i18n/")
_ALLOWED_URL_NAMES = (
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "account_logout",
    "account_reauthenticate",
)


def TWO_FACTOR_REQUIRED() -> str:  # noqa: N802 - reads like the message it returns
    return _(
        "Staff accounts must set up two-factor authentication before using the platform. "
        "Sign in on the website to set it up."
    )


def staff_without_two_factor(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return bool(user.is_authenticated and user.is_staff_member and not is_mfa_enabled(user))


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and staff_without_two_factor(user) and not self._allowed(request):
            if request.path.startswith("/api/"):
                # API clients cannot follow an HTML set-up page: tell them plainly.
                return JsonResponse({"detail": TWO_FACTOR_REQUIRED()}, status=403)
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

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


class NumberTooLargeMiddleware:
    """A number beyond what the database can store (10**20 in a URL, on SQLite) is the client's
    mistake: answer 400 with a clear message instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OverflowError):
            return None
        message = _("A number in the address or the form is too large.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
