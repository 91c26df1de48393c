"""Permission matrix of every endpoint of the API: anyone reads, nobody writes, nobody sees
organisations that are not approved members."""

import pytest

from .conftest import ROLES

pytestmark = pytest.mark.django_db

READ_ENDPOINTS = [
    "/api/v1/",
    "/api/v1/countries/",
    "/api/v1/countries/SN/",
    "/api/v1/regions/",
    "/api/v1/regions/002/",
    "/api/v1/vocabularies/",
    "/api/v1/organisations/",
    "/api/v1/organisations/{target}/",
    "/api/v1/schema/?format=json",
    "/api/v1/docs/",
    "/api/v1/docs/swagger/",
]

# (method, path): every write a client could try on the read-only resources.
WRITES = [
    ("post", "/api/v1/countries/"),
    ("put", "/api/v1/countries/SN/"),
    ("patch", "/api/v1/countries/SN/"),
    ("delete", "/api/v1/countries/SN/"),
    ("post", "/api/v1/regions/"),
    ("delete", "/api/v1/regions/002/"),
    ("post", "/api/v1/vocabularies/"),
    ("post", "/api/v1/organisations/"),
    ("put", "/api/v1/organisations/{target}/"),
    ("patch", "/api/v1/organisations/{target}/"),
    ("delete", "/api/v1/organisations/{target}/"),
]


def _path(template: str, world) -> str:
    return template.format(target=world["target"].pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", READ_ENDPOINTS)
def test_every_role_can_read_every_endpoint(role, endpoint, client_as, world):
    response = client_as(role).get(_path(endpoint, world))
    assert response.status_code == 200, (role, endpoint, response.content[:300])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "endpoint"), WRITES)
def test_nobody_can_write_through_the_api(role, method, endpoint, client_as, world):
    path = _path(endpoint, world)
    response = getattr(client_as(role), method)(path, {"name": "Changed"}, format="json")
    if role == "anonymous":
        # Not authenticated: 401 with a challenge, as the token scheme asks.
        assert response.status_code == 401, (role, method, path)
        assert response["WWW-Authenticate"] == "Token"
    else:
        assert response.status_code == 405, (role, method, path)
    world["target"].refresh_from_db()
    assert world["target"].name == "Nairobi Technology Transfer Office"


@pytest.mark.parametrize("role", ROLES)
def test_pending_organisation_is_hidden_from_every_role(role, client_as, world):
    # Even its own applicant and the staff see it in the UI only, never through the open API.
    client = client_as(role)
    pending = world["pending"]
    assert client.get(f"/api/v1/organisations/{pending.pk}/").status_code == 404
    listed = client.get("/api/v1/organisations/", {"page_size": 100}).json()
    assert pending.pk not in {row["id"] for row in listed["results"]}
    assert listed["count"] == 2


@pytest.mark.parametrize("role", ROLES)
def test_contact_email_never_appears(role, client_as, world):
    client = client_as(role)
    secrets = [world["target"].contact_email, world["other"].contact_email]
    for path in (
        "/api/v1/organisations/",
        f"/api/v1/organisations/{world['target'].pk}/",
        f"/api/v1/organisations/{world['other'].pk}/",
    ):
        body = client.get(path).content.decode()
        assert "contact_email" not in body
        for secret in secrets:
            assert secret not in body
