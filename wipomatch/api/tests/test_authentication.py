"""Session and token authentication, and throttling of the API."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from wipomatch.members.tests.factories import FacilitatorFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_token_authenticates_the_client(world):
    client = _token_client(world["users"]["contributor"])
    assert client.get(URL).status_code == 200
    # Authenticated, so a write is "not allowed" (405) rather than "who are you?" (401).
    assert client.post(URL, {}, format="json").status_code == 405


def test_an_invalid_token_is_a_401_with_a_challenge(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Invalid token."}


def test_the_token_of_a_deactivated_user_stops_working(world):
    user = world["users"]["contributor"]
    client = _token_client(user)
    user.is_active = False
    user.save()
    assert client.get(URL).status_code == 401


def test_session_authenticates_the_client(world):
    client = APIClient()
    client.force_login(world["users"]["contributor"])
    assert client.post(URL, {}, format="json").status_code == 405


def test_staff_session_without_two_factor_is_refused_with_a_clear_message(db):
    # The site-wide rule (StaffTwoFactorMiddleware) holds on the API too, as JSON.
    client = APIClient()
    client.force_login(FacilitatorFactory(totp=False))
    response = client.get(URL)
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_staff_token_without_two_factor_does_not_work(db):
    client = _token_client(FacilitatorFactory(totp=False))
    response = client.get(URL)
    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]


def test_staff_token_with_two_factor_works(db):
    client = _token_client(FacilitatorFactory())
    assert client.get(URL).status_code == 200


def test_anonymous_clients_are_throttled(world, monkeypatch):
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "3/minute")
    client = APIClient()
    statuses = [client.get("/api/v1/countries/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/vocabularies/")
    assert response.status_code == 429
    assert "Retry-After" in response
    # A signed-in client is counted on its own (user) allowance.
    signed_in = _token_client(world["users"]["contributor"])
    assert signed_in.get("/api/v1/countries/").status_code == 200


def test_signed_in_clients_are_throttled_too(world, monkeypatch):
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "2/minute")
    client = _token_client(world["users"]["contributor"])
    statuses = [client.get(URL).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
