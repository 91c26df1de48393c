"""/api/v1/notifications/: the caller's own notifications only, rendered in the asked language."""

import pytest
from rest_framework.test import APIClient

from ..models import Notification
from ..services import notify
from .factories import NotificationFactory

LIST = "/api/v1/notifications/"


def api_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


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
