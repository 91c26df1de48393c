"""The OpenAPI schema is valid and complete; the interactive docs load only local files."""

import json
import re
from io import StringIO

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return json.loads(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 JSON schema


def test_schema_describes_every_endpoint(schema):
    assert {
        "/api/v1/countries/",
        "/api/v1/countries/{iso2}/",
        "/api/v1/regions/",
        "/api/v1/regions/{code}/",
        "/api/v1/vocabularies/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/",
    } <= set(schema["paths"])
    organisation_list = schema["paths"]["/api/v1/organisations/"]["get"]
    assert {p["name"] for p in organisation_list["parameters"]} >= {
        "q",
        "country",
        "region",
        "org_type",
        "theme",
        "page",
        "page_size",
        "lang",
    }
    country_list = schema["paths"]["/api/v1/countries/"]["get"]
    assert {p["name"] for p in country_list["parameters"]} >= {"region", "ldc", "global_south"}
    # Reference data and the directory are read-only: no write operation is documented there.
    for path, operations in schema["paths"].items():
        if path.startswith(("/api/v1/countries", "/api/v1/regions", "/api/v1/vocabularies")) or (
            path.startswith("/api/v1/organisations")
        ):
            assert set(operations) <= {"get", "parameters"}, path
    assert "post" in schema["paths"]["/api/v1/tag-suggestions/"]
    organisation = schema["components"]["schemas"]["Organisation"]["properties"]
    assert "contact_email" not in organisation
    assert {"country", "country_name", "member_since", "themes"} <= set(organisation)


def test_schema_generation_has_no_warnings(tmp_path):
    # --fail-on-warn turns any drf-spectacular warning (an undocumented field...) into an error.
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yml"),
        stdout=StringIO(),
        stderr=StringIO(),
    )


def test_the_default_docs_are_an_accessible_reference_with_a_way_back(client):
    response = client.get("/api/v1/docs/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert 'href="/fr/"' in html  # back to the site, in the reader's language
    assert "<code>/api/v1/needs/</code>" in html
    assert 'href="/api/v1/docs/swagger/"' in html and 'href="/api/v1/schema/"' in html
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html), "the page refers to another site"


def test_swagger_explorer_loads_only_local_static_files(client):
    response = client.get("/api/v1/docs/swagger/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.search(r"https?://|//cdn|src=\"//", html), "the docs page refers to another site"
    resources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(resources) >= 3
    # The start-up script is this page again with ?script (no inline script: CSP).
    scripts = [url for url in resources if not url.startswith("/static/")]
    assert scripts == ["/api/v1/docs/swagger/?script="]
    for url in set(resources) - set(scripts):
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a shipped static file"
    script = client.get(scripts[0]).content.decode()
    assert not re.search(r"https?://|//cdn", script), "the docs script refers to another site"
    # Swagger UI's default validator badge would call validator.swagger.io.
    assert '"validatorUrl": null' in script
    assert 'url: "/api/v1/schema/"' in script
