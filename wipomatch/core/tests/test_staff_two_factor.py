"""Staff must use TOTP two-factor authentication; nobody may reach staff pages around it."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse

from wipomatch.members.models import User

pytestmark = pytest.mark.django_db


def _user(email, **extra):
    user = User.objects.create_user(email=email, password="a-long-pass-phrase-1", **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _activate_totp(user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_staff_without_totp_are_sent_to_set_it_up_from_any_page(client, role):
    staff = _user(f"{role}@example.org", staff_role=role, is_staff=role == "admin")
    client.force_login(staff)
    for path in ["/en/", "/en/dashboard/", "/en/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp")
    # The set-up page (after confirming the password) and signing out stay reachable.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert client.get(reverse("account_logout")).status_code == 200


def test_staff_with_totp_reach_their_pages(client):
    staff = _user("facilitator@example.org", staff_role="facilitator")
    _activate_totp(staff)
    client.force_login(staff)
    assert client.get("/en/dashboard/").status_code == 200


def test_members_are_not_asked_for_two_factor(client):
    member = _user("member@example.org")
    client.force_login(member)
    assert client.get("/en/dashboard/").status_code == 200


def test_admin_login_page_goes_through_the_platform_sign_in(client):
    response = client.get("/en/admin/login/")
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
