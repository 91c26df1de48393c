"""/api/v1/notifications/: the caller's own notifications only, rendered in the asked language."""

import pytest
from rest_framework.test import APIClient

from wipomatch.core.tests.helpers import client_for

from ..models import Notification
from ..services import notify
from .factories import NotificationFactory

LIST = "/api/v1/notifications/"


def api_for(user=None) -> APIClient:
    return client_for(user, client_class=APIClient)


@pytest.fixture
def mine(seeker):
    [notification] = notify(
        recipients=[seeker], category="cases", kind="test", title="Hello,", url="/en/needs/7/"
    )
    return notification


def test_anonymous_callers_are_refused(mine):
    assert api_for().get(LIST).status_code == 401
    assert api_for().post(f"{LIST}{mine.pk}/read/").status_code == 401
    assert api_for().post(f"{LIST}read-all/").status_code == 401
    assert Notification.objects.get(pk=mine.pk).read_at is None


def test_the_list_has_the_callers_notifications_rendered_in_the_asked_language(
    mine, seeker, outsider
):
    NotificationFactory(recipient=outsider, title="Someone else's")
    response = api_for(seeker).get(LIST, {"lang": "fr"})
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item == {
        "id": mine.pk,
        "category": "cases",
        "kind": "test",
        "title": "Bonjour,",
        "url": "http://testserver/fr/needs/7/",
        "read": False,
        "read_at": None,
        "created_at": item["created_at"],
    }
    assert response.json()["count"] == 1


def test_the_list_is_paginated_unread_first(seeker):
    NotificationFactory.create_batch(30, recipient=seeker)
    read = NotificationFactory(recipient=seeker, read_at="2026-01-01T00:00:00Z")
    first = api_for(seeker).get(LIST).json()
    assert first["count"] == 31 and len(first["results"]) == 25
    last = api_for(seeker).get(LIST, {"page": 2}).json()
    assert last["results"][-1]["id"] == read.pk
    assert api_for(seeker).get(LIST, {"page": "x"}).status_code == 400


@pytest.mark.parametrize("who", ["outsider", "facilitator", "seeker_colleague"])
def test_someone_elses_notification_is_a_404(mine, request, who):
    response = api_for(request.getfixturevalue(who)).post(f"{LIST}{mine.pk}/read/")
    assert response.status_code == 404
    assert Notification.objects.get(pk=mine.pk).read_at is None


def test_marking_one_read(mine, seeker):
    response = api_for(seeker).post(f"{LIST}{mine.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read"] is True and response.json()["read_at"]
    assert api_for(seeker).post(f"{LIST}{mine.pk}/read/").status_code == 200  # idempotent
    assert api_for(seeker).post(f"{LIST}999999/read/").status_code == 404


def test_marking_all_read_touches_only_the_callers(mine, seeker, outsider):
    NotificationFactory(recipient=seeker)
    theirs = NotificationFactory(recipient=outsider)
    response = api_for(seeker).post(f"{LIST}read-all/")
    assert response.json() == {"marked": 2}
    assert api_for(seeker).post(f"{LIST}read-all/").json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_token_works_too(mine, seeker):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=seeker)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(LIST).json()["count"] == 1
    assert client.post(f"{LIST}read-all/").json() == {"marked": 1}


def test_reading_by_get_is_not_allowed(mine, seeker):
    assert api_for(seeker).get(f"{LIST}{mine.pk}/read/").status_code == 405


def test_the_list_filters_read_and_unread(mine, seeker):
    done = NotificationFactory(recipient=seeker, read_at="2026-01-01T00:00:00Z")
    client = api_for(seeker)
    assert [n["id"] for n in client.get(LIST, {"read": "false"}).json()["results"]] == [mine.pk]
    assert [n["id"] for n in client.get(LIST, {"read": "true"}).json()["results"]] == [done.pk]
    response = client.get(LIST, {"read": "maybe"})
    assert response.status_code == 400
    assert "read" in response.json() or "read" in str(response.json())


def test_the_schema_describes_the_endpoints_exactly():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    listing = schema["paths"]["/api/v1/notifications/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"lang", "read", "page", "page_size"}
    item = schema["components"]["schemas"]["Notification"]
    assert item["properties"]["read_at"]["nullable"] is True
    assert set(item["required"]) == {
        "id",
        "category",
        "kind",
        "title",
        "url",
        "read",
        "read_at",
        "created_at",
    }
    read = schema["paths"]["/api/v1/notifications/{id}/read/"]["post"]
    assert "requestBody" not in read
    assert set(read["responses"]) == {"200", "401", "404"}
    read_all = schema["paths"]["/api/v1/notifications/read-all/"]["post"]
    assert read_all["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MarkedRead"
    }
