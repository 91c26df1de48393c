"""Every kind of response carries the Content-Security-Policy and the Permissions-Policy."""

import pytest
from django.urls import reverse

from wipomatch.listings.tests.factories import NeedFactory
from wipomatch.members.tests.factories import FacilitatorFactory, FocalPointFactory

pytestmark = pytest.mark.django_db


def _pages():
    need = NeedFactory(status="published")
    return [
        "/en/",
        reverse("listings:need_list"),
        reverse("listings:need_detail", args=[need.pk]),
        reverse("members:directory"),
        reverse("account_login"),
        reverse("account_signup"),
        "/en/no-such-page/",
        "/healthz",
        "/api/v1/needs/",
        "/api/v1/schema/",
        "/api/v1/docs/",
        "/api/v1/docs/swagger/",
        "/api/v1/docs/swagger/?script=",
        "/api/v1/no-such-endpoint/",
    ]


def _check(response):
    policy = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response.headers.get("Permissions-Policy", "")


def test_public_pages_api_and_errors_carry_both_headers(client):
    for url in _pages():
        _check(client.get(url))


def test_member_and_staff_pages_carry_both_headers(client):
    client.force_login(FocalPointFactory().user)
    _check(client.get("/en/dashboard/"))
    client.force_login(FacilitatorFactory())
    _check(client.get(reverse("core:operations")))
    _check(client.get(reverse("listings:review_queue")))


def test_pages_have_no_inline_script():
    """Scripts are static files: an inline <script> would be refused by the policy."""
    import re
    from pathlib import Path

    from django.conf import settings

    inline = []
    for template in Path(settings.BASE_DIR, "wipomatch").rglob("templates/**/*.html"):
        text = template.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            inline.append(f"{template}: {match.group()}")
        if re.search(r"\son[a-z]+=\"", text) or re.search(r"\sstyle=\"", text):
            inline.append(f"{template}: inline handler or style attribute")
    assert inline == []
