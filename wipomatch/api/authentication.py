"""Token authentication that holds staff to the same two-factor rule as the website."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from wipomatch.core.middleware import TWO_FACTOR_REQUIRED, staff_without_two_factor


class TwoFactorAwareTokenAuthentication(TokenAuthentication):
    """A token is a password equivalent: a staff token only works once the account has TOTP."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if staff_without_two_factor(user):
            raise exceptions.AuthenticationFailed(TWO_FACTOR_REQUIRED())
        return user, token
