import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_json_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_not_language_prefixed_and_needs_no_session(client):
    assert client.get("/en/healthz").status_code == 404
    assert "sessionid" not in client.get("/healthz").cookies


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
