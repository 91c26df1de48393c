"""What the browser journeys share: signing a browser in as a user."""

from django.conf import settings
from django.test import Client


def sign_in(page_or_context, live_server, user) -> None:
    """Give the browser the session of a user signed in by Django's test client (a facilitator's
    TOTP device is active, so the staff 2FA middleware lets them through)."""
    context = getattr(page_or_context, "context", page_or_context)  # a Page has its context
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def switch_user(page, live_server, user) -> None:
    """Sign the page's browser out of whoever it was, then in as `user`."""
    page.context.clear_cookies()
    sign_in(page, live_server, user)
