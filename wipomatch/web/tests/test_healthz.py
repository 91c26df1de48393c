import json

import pytest
from django.core.management import call_command

from wipomatch.listings.filters import BrowseFilters
from wipomatch.listings.models import Kind
from wipomatch.listings.search import clear_search_cache, listing_search
from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.matching import index_store
from wipomatch.members.tests.factories import FacilitatorFactory, MembershipFactory

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


def test_healthz_verbose_shows_index_memory_to_staff_only(client):
    clear_search_cache()
    OfferFactory(status="published")
    listing_search(kind=Kind.OFFER, filters=BrowseFilters())
    assert "memory" not in client.get("/healthz?verbose").json()  # anonymous
    client.force_login(MembershipFactory().user)
    assert "memory" not in client.get("/healthz?verbose").json()  # a member
    client.force_login(FacilitatorFactory())
    memory = client.get("/healthz?verbose").json()["memory"]
    cache = memory["search_cache"]["offer/hashing"]
    assert cache["listings"] == 1 and cache["bytes"] > 1000
    assert memory["matching_index"] is None or memory["matching_index"]["bytes"] > 0
    assert "memory" not in client.get("/healthz").json()
    clear_search_cache()


def test_index_memory_command_builds_both_indexes_and_reports_them(capsys):
    clear_search_cache()
    index_store.reset()
    NeedFactory(status="published")
    OfferFactory(status="published")
    call_command("index_memory", "--build", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["search_cache"]["need/hashing"]["listings"] == 1
    assert report["matching_index"]["offers"] == 1 and report["matching_index"]["needs"] == 1
    assert report["matching_index"]["bytes"] > report["search_cache"]["need/hashing"]["bytes"] / 100
    clear_search_cache()
    index_store.reset()
