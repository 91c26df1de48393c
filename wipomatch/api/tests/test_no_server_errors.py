"""Hostile input is a 400 with a clear message, never a 500 (run on SQLite and PostgreSQL)."""

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from wipomatch.api.parsers import json_depth_exceeds
from wipomatch.core.text import clean_plain_text, clean_single_line

pytestmark = pytest.mark.django_db

HUGE = 10**20


def test_deeply_nested_json_is_refused_clearly():
    body = "[" * 50_000 + "]" * 50_000
    response = APIClient().post(
        reverse("tag-suggestions"), data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.json()["detail"]


def test_depth_counting_ignores_brackets_inside_strings():
    assert not json_depth_exceeds(json.dumps({"text": "[[[[[[" * 100}).encode(), 3)
    assert json_depth_exceeds(b'{"a": [[{"b": [1]}]]}', 4)
    assert not json_depth_exceeds(b'{"a": [[{"b": [1]}]]}', 5)
    assert not json_depth_exceeds(rb'{"a": "\"[[[[["}', 1)


def test_a_huge_number_in_an_api_address_is_not_a_server_error():
    response = APIClient().get(f"/api/v1/needs/{HUGE}/")
    assert response.status_code in (400, 404)


def test_a_huge_number_in_a_page_address_is_not_a_server_error(client):
    response = client.get(f"/en/needs/{HUGE}/")
    assert response.status_code in (400, 404)


@pytest.fixture
def member_client(db):
    from wipomatch.members.tests.factories import FocalPointFactory

    membership = FocalPointFactory()
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=membership.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.parametrize(
    ("field", "value"),
    [("sdg_goals", [HUGE]), ("sdg_goals", [0]), ("budget_min", HUGE), ("budget_max", HUGE)],
)
def test_out_of_range_numbers_in_a_listing_are_refused_by_field(member_client, field, value):
    body = {
        "title": "Training of patent examiners",
        "summary": "Twelve examiners need search skills.",
        "description": "Twelve examiners joined this year.",
        field: value,
    }
    response = member_client.post("/api/v1/needs/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_decoding_entities_never_stores_live_markup():
    assert clean_plain_text("&lt;script&gt;alert(1)&lt;/script&gt; R&amp;D") == "R&D"
    assert clean_plain_text("&amp;lt;b&amp;gt;bold") == "bold"
    assert clean_plain_text("5 > 3 & 2 < 4") == "5 > 3 & 2 < 4"
    assert "<" not in clean_single_line("&lt;img src=x onerror=alert(1)&gt;Title")


def test_invisible_control_and_bidirectional_characters_are_removed():
    assert clean_single_line("Seed\u202e banks\x00\x07\nnow") == "Seed banks now"
    assert clean_plain_text("Line one\r\nLine\u2066 two\x1b") == "Line one\nLine two"
    # Directional marks that Arabic text needs are kept.
    assert clean_single_line("مكتب\u200f IP") == "مكتب\u200f IP"


def test_the_token_client_fixture_is_a_member(member_client):
    assert member_client.get("/api/v1/needs/").status_code == 200
