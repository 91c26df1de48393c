"""The API: token, matches, actions and messages, as each role and as an attacker."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from wipomatch.brokering.models import CaseState, MatchCase
from wipomatch.listings.models import Status
from wipomatch.listings.tests.factories import NeedFactory
from wipomatch.members.tests.factories import PASSWORD

from .conftest import SECRETS
from .helpers import express, to_agreement, to_mutual

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(
            HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
        )
    return client


# --- token -----------------------------------------------------------------------------------


def test_token_for_a_member(world):
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": world.seeker.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/matches/").status_code == 200


def test_wrong_credentials_are_a_clear_400(world):
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": world.seeker.email, "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": ["Wrong e-mail address or password."]}
    assert APIClient().post("/api/v1/auth/token/", {}, format="json").status_code == 400


def _current_code(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_staff_must_send_a_valid_otp(world):
    body = {"email": world.facilitator.email, "password": PASSWORD}
    missing = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert missing.status_code == 400 and "otp" in missing.json()
    wrong = APIClient().post("/api/v1/auth/token/", {**body, "otp": "000000"}, format="json")
    assert wrong.status_code == 400
    ok = APIClient().post(
        "/api/v1/auth/token/", {**body, "otp": _current_code(world.facilitator)}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["token"]


def test_token_endpoint_is_throttled_per_address(world):
    client = APIClient()
    codes = [
        client.post(
            "/api/v1/auth/token/", {"email": "x@example.org", "password": "y"}, format="json"
        ).status_code
        for _ in range(12)
    ]
    assert codes[:10] == [400] * 10
    assert codes[-1] == 429


# --- matches ---------------------------------------------------------------------------------


def test_create_a_case_and_read_it(world):
    response = api(world.seeker).post(
        "/api/v1/matches/",
        {"need": world.need.pk, "offer": world.offer.pk, "message": "Shall we talk?"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "interest"
    assert body["initiated_by"] == "need"
    assert body["contacts"] is None
    assert body["need"] == world.need.pk and body["offer"] == world.offer.pk
    assert body["answered_at"] is None
    assert [e["action"] for e in body["events"]] == ["interest_expressed"]
    assert set(body) >= {
        "id",
        "need",
        "offer",
        "state",
        "initiated_by",
        "created_at",
        "answered_at",
        "contacts",
        "events",
    }


def test_provider_side_initiates_too(world):
    response = api(world.provider).post(
        "/api/v1/matches/",
        {"need": world.need.pk, "offer": world.offer.pk, "message": "We can help."},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["initiated_by"] == "offer"


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"need": 0, "offer": 0, "message": "x"}, "need"),
        ({"offer": 1, "message": "x"}, "need"),
        ({"need": 1, "offer": 1}, "message"),
    ],
)
def test_bad_input_is_400(world, payload, field):
    response = api(world.seeker).post("/api/v1/matches/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_validation_rules_are_400_with_reasons(world):
    client = api(world.outsider)
    payload = {"need": world.need.pk, "offer": world.offer.pk, "message": "Hi"}
    response = client.post("/api/v1/matches/", payload, format="json")
    assert response.status_code == 400
    assert "own organisation" in str(response.json())
    draft = NeedFactory(organisation=world.seeker_org, user=world.seeker)
    response = api(world.seeker).post(
        "/api/v1/matches/", {**payload, "need": draft.pk}, format="json"
    )
    assert response.status_code == 400 and "need" in response.json()
    assert api(world.seeker).post("/api/v1/matches/", payload, format="json").status_code == 201
    again = api(world.provider).post("/api/v1/matches/", payload, format="json")
    assert again.status_code == 400
    assert "already an open case" in str(again.json())


def test_anonymous_gets_401():
    assert APIClient().get("/api/v1/matches/").status_code == 401
    assert APIClient().post("/api/v1/matches/", {}, format="json").status_code == 401


@pytest.mark.parametrize(
    "role,expected",
    [
        ("outsider", 404),
        ("seeker", 200),
        ("provider", 200),
        ("seeker_contributor", 200),
        ("facilitator", 200),
    ],
)
def test_detail_matrix(world, role, expected):
    case = express(world)
    assert api(getattr(world, role)).get(f"/api/v1/matches/{case.pk}/").status_code == expected


def test_list_is_scoped(world):
    case = express(world)
    ids = lambda user: [c["id"] for c in api(user).get("/api/v1/matches/").json()["results"]]  # noqa: E731
    assert ids(world.seeker) == [case.pk]
    assert ids(world.provider) == [case.pk]
    assert ids(world.outsider) == []
    assert ids(world.facilitator) == [case.pk]


@pytest.mark.parametrize(
    "role,expected", [("outsider", 404), ("seeker", 400), ("facilitator", 400), ("provider", 200)]
)
def test_accept_matrix(world, role, expected):
    case = express(world)
    response = api(getattr(world, role)).post(
        f"/api/v1/matches/{case.pk}/accept/", {}, format="json"
    )
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert body["state"] == "mutual"
        assert body["answered_at"] is not None
        assert {c["email"] for c in body["contacts"]} == {world.seeker.email, world.provider.email}


def test_contacts_null_before_mutual_and_listed_after(world):
    case = express(world)
    for user in (world.seeker, world.provider, world.facilitator):
        body = api(user).get(f"/api/v1/matches/{case.pk}/").json()
        assert body["contacts"] is None
        text = str(body)
        for secret in SECRETS:
            assert secret not in text
    api(world.provider).post(
        f"/api/v1/matches/{case.pk}/accept/", {"message": "Oui"}, format="json"
    )
    body = api(world.seeker).get(f"/api/v1/matches/{case.pk}/").json()
    assert {
        "organisation": "Provider Patent Office",
        "name": "Paulo Provider",
        "email": "paulo.provider@provider.example.org",
    } in body["contacts"]
    assert {
        "organisation": "Seeker IP Office",
        "name": "Awa Seeker",
        "email": "awa.seeker@seeker.example.org",
    } in body["contacts"]


def test_decline_and_its_validation(world):
    case = express(world)
    client = api(world.provider)
    bad = client.post(f"/api/v1/matches/{case.pk}/decline/", {"reason": "bored"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()
    other = client.post(f"/api/v1/matches/{case.pk}/decline/", {"reason": "other"}, format="json")
    assert other.status_code == 400 and "comment" in other.json()
    ok = client.post(
        f"/api/v1/matches/{case.pk}/decline/",
        {"reason": "no_capacity", "comment": ""},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == "declined"
    late = client.post(f"/api/v1/matches/{case.pk}/accept/", {}, format="json")
    assert late.status_code == 400
    assert "no longer waiting for an answer" in str(late.json())


@pytest.mark.parametrize("role,expected", [("provider", 400), ("outsider", 404), ("seeker", 200)])
def test_withdraw_matrix(world, role, expected):
    case = express(world)
    assert (
        api(getattr(world, role)).post(f"/api/v1/matches/{case.pk}/withdraw/").status_code
        == expected
    )


def test_close_and_rating(world):
    case = express(world)
    early = api(world.seeker).post(
        f"/api/v1/matches/{case.pk}/close/", {"outcome": "agreement", "note": "x"}, format="json"
    )
    assert early.status_code == 400
    api(world.provider).post(f"/api/v1/matches/{case.pk}/accept/", {}, format="json")
    assert (
        api(world.outsider)
        .post(
            f"/api/v1/matches/{case.pk}/close/",
            {"outcome": "agreement", "note": "x"},
            format="json",
        )
        .status_code
        == 404
    )
    bad = api(world.seeker).post(
        f"/api/v1/matches/{case.pk}/close/", {"outcome": "maybe", "note": "x"}, format="json"
    )
    assert bad.status_code == 400
    closed = api(world.seeker).post(
        f"/api/v1/matches/{case.pk}/close/",
        {"outcome": "agreement", "note": "Joint training in 2027", "expected_start": "2027-03-01"},
        format="json",
    )
    assert closed.status_code == 200 and closed.json()["state"] == "agreement"
    assert (
        api(world.seeker)
        .post(f"/api/v1/matches/{case.pk}/rating/", {"score": 6}, format="json")
        .status_code
        == 400
    )
    assert (
        api(world.facilitator)
        .post(f"/api/v1/matches/{case.pk}/rating/", {"score": 5}, format="json")
        .status_code
        == 400
    )
    assert (
        api(world.outsider)
        .post(f"/api/v1/matches/{case.pk}/rating/", {"score": 5}, format="json")
        .status_code
        == 404
    )
    rated = api(world.seeker).post(
        f"/api/v1/matches/{case.pk}/rating/", {"score": 5, "comment": "Great"}, format="json"
    )
    assert rated.status_code == 200 and rated.json() == {"score": 5, "comment": "Great"}
    api(world.seeker).post(f"/api/v1/matches/{case.pk}/rating/", {"score": 4}, format="json")
    assert case.ratings.get().score == 4  # one per side, replaced


def test_messages_403_before_mutual_then_exchange(world):
    case = express(world)
    response = api(world.seeker).get(f"/api/v1/matches/{case.pk}/messages/")
    assert response.status_code == 403
    assert "mutual interest" in response.json()["detail"]
    assert (
        api(world.seeker)
        .post(f"/api/v1/matches/{case.pk}/messages/", {"body": "hi"}, format="json")
        .status_code
        == 403
    )
    assert api(world.outsider).get(f"/api/v1/matches/{case.pk}/messages/").status_code == 404
    api(world.provider).post(f"/api/v1/matches/{case.pk}/accept/", {}, format="json")
    sent = api(world.seeker).post(
        f"/api/v1/matches/{case.pk}/messages/", {"body": "Bonjour !"}, format="json"
    )
    assert sent.status_code == 201
    assert sent.json()["organisation"] == "Seeker IP Office"
    assert (
        api(world.provider)
        .post(f"/api/v1/matches/{case.pk}/messages/", {"body": "  "}, format="json")
        .status_code
        == 400
    )
    api(world.facilitator).post(
        f"/api/v1/matches/{case.pk}/messages/", {"body": "I can help."}, format="json"
    )
    bodies = [
        m["body"] for m in api(world.provider).get(f"/api/v1/matches/{case.pk}/messages/").json()
    ]
    assert bodies == ["Bonjour !", "I can help."]


def test_every_state_appears_in_the_api(world):
    to_agreement(world)
    states = {c.state for c in MatchCase.objects.all()}
    assert states == {CaseState.AGREEMENT}
    assert api(world.facilitator).get("/api/v1/matches/?state=agreement").json()["count"] == 1
    bad = api(world.facilitator).get("/api/v1/matches/?state=nonsense")
    assert bad.status_code == 400 and "state" in bad.json()


def test_schema_documents_the_endpoints(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/matches/",
        "/api/v1/matches/{id}/",
        "/api/v1/matches/{id}/accept/",
        "/api/v1/matches/{id}/decline/",
        "/api/v1/matches/{id}/withdraw/",
        "/api/v1/matches/{id}/close/",
        "/api/v1/matches/{id}/rating/",
        "/api/v1/matches/{id}/messages/",
    ):
        assert path in paths, path
    case = response.json()["components"]["schemas"]["MatchCase"]
    assert case["properties"]["contacts"].get("nullable") is True
    assert set(response.json()["components"]["schemas"]["MatchCaseCreate"]["required"]) == {
        "need",
        "offer",
        "message",
    }


def test_unpublished_need_is_not_leaked(world):
    draft = NeedFactory(organisation=world.seeker_org, user=world.seeker, status=Status.DRAFT)
    response = api(world.provider).post(
        "/api/v1/matches/",
        {"need": draft.pk, "offer": world.offer.pk, "message": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"need": ["No such Need."]}


def test_mutual_helper(world):
    assert to_mutual(world).state == CaseState.MUTUAL
