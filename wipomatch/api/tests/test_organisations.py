"""/api/v1/organisations/: the public directory, its filters, pagination and bad input."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from wipomatch.members import services
from wipomatch.members.models import Organisation
from wipomatch.reference.models import Country

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def directory(world, make_member_organisation):
    """Approved: target (KE, innovation hub), other (SN, NGO, food), geneva (CH, academia,
    creative industries), plus a pending and a suspended organisation."""
    geneva = make_member_organisation(
        "Geneva Centre for IP Studies",
        country="CH",
        org_type="academia",
        acronym="GCIPS",
        themes=["creative-industries", "ip-management"],
        description="Summer courses on copyright for musicians.",
    )
    suspended = make_member_organisation("Suspended Cooperative", country="KE")
    services.organisation_suspend(
        facilitator=world["users"]["facilitator"],
        organisation=suspended,
        reason="Inactive for two years.",
    )
    suspended.refresh_from_db()
    assert suspended.status == Organisation.Status.SUSPENDED
    return {**world, "geneva": geneva, "suspended": suspended}


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_list_shows_approved_organisations_with_their_public_fields(api, directory):
    response = api.get(URL)
    body = response.json()
    assert body["count"] == 3
    assert _names(response) == [
        "Geneva Centre for IP Studies",
        "Nairobi Technology Transfer Office",
        "Réseau sénégalais d'innovation agricole",
    ]
    row = next(r for r in body["results"] if r["name"].startswith("Réseau"))
    assert row == {
        "id": directory["other"].pk,
        "name": "Réseau sénégalais d'innovation agricole",
        "acronym": "",
        "org_type": "ngo",
        "org_type_label": "Non-governmental or civil-society organization",
        "country": "SN",
        "country_name": "Senegal",
        "region": "002",
        "region_name": "Africa",
        "website": "https://example.org",
        "description": "Réseau sénégalais d'innovation agricole works on IP and development.",
        "themes": ["food-security-agriculture"],
        "member_since": timezone.localdate(directory["other"].approved_at).isoformat(),
    }


def test_suspended_organisation_disappears_from_list_and_detail(api, directory):
    suspended = directory["suspended"]
    assert suspended.name not in _names(api.get(URL))
    assert api.get(f"{URL}{suspended.pk}/").status_code == 404


def test_detail_of_an_unknown_or_malformed_id_is_a_json_404(api, directory):
    for path in (f"{URL}999999/", f"{URL}abc/"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "SN"}, ["Réseau sénégalais d'innovation agricole"]),
        ({"country": "sn"}, ["Réseau sénégalais d'innovation agricole"]),
        (
            {"region": "002"},
            ["Nairobi Technology Transfer Office", "Réseau sénégalais d'innovation agricole"],
        ),
        (
            {"region": "2"},
            ["Nairobi Technology Transfer Office", "Réseau sénégalais d'innovation agricole"],
        ),
        ({"region": "150"}, ["Geneva Centre for IP Studies"]),
        ({"region": "155"}, ["Geneva Centre for IP Studies"]),  # Western Europe, a sub-region
        ({"region": "009"}, []),
        ({"org_type": "innovation-hub"}, ["Nairobi Technology Transfer Office"]),
        ({"theme": "creative-industries"}, ["Geneva Centre for IP Studies"]),
        ({"theme": "food-security-agriculture"}, ["Réseau sénégalais d'innovation agricole"]),
        ({"q": "copyright"}, ["Geneva Centre for IP Studies"]),
        ({"q": "gcips"}, ["Geneva Centre for IP Studies"]),
        (
            {"q": "nairobi", "country": "KE", "org_type": "innovation-hub"},
            ["Nairobi Technology Transfer Office"],
        ),
        ({"q": "nairobi", "country": "SN"}, []),
        (
            {"q": "", "country": "", "region": "", "org_type": "", "theme": ""},
            [
                "Geneva Centre for IP Studies",
                "Nairobi Technology Transfer Office",
                "Réseau sénégalais d'innovation agricole",
            ],
        ),
    ],
)
def test_filters_work_as_in_the_directory(api, directory, params, expected):
    assert _names(api.get(URL, params)) == expected


def test_pending_organisation_matches_no_filter(api, directory):
    # "Pending Innovation Agency" is in Kenya: a country filter must not reveal it.
    assert "Pending Innovation Agency" not in _names(api.get(URL, {"country": "KE"}))
    assert _names(api.get(URL, {"q": "Pending"})) == []


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"country": "ZZ"}, "country", "Unknown country code"),
        ({"country": "Senegal"}, "country", "Unknown country code"),
        ({"region": "africa"}, "region", "M49 code"),
        ({"region": "999"}, "region", "Unknown M49 region code"),
        ({"region": "0021"}, "region", "M49 code"),
        ({"org_type": "spaceship"}, "org_type", "Unknown organisation type"),
        ({"theme": "mining"}, "theme", "Unknown thematic area"),
        ({"q": "x" * 201}, "q", "200"),
        ({"q": "nul\x00byte"}, "q", "Null characters"),
        ({"page": "abc"}, "page", "whole number"),
        ({"page": "0"}, "page", "whole number"),
        ({"page": "-1"}, "page", "whole number"),
        ({"page_size": "ten"}, "page_size", "whole number"),
        ({"page_size": "0"}, "page_size", "whole number"),
        ({"lang": "klingon"}, "lang", "Unsupported language"),
    ],
)
def test_bad_filter_values_are_a_400_naming_the_field(api, directory, params, field, fragment):
    response = api.get(URL, params)
    assert response.status_code == 400, response.content
    messages = response.json()[field]
    assert any(fragment in message for message in messages), messages


def test_a_page_after_the_last_is_a_404_as_drf_answers(api, directory):
    response = api.get(URL, {"page": 99})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_pagination_links_and_last_page(api, directory):
    first = api.get(URL, {"page_size": 2}).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert "page=2" in first["next"]
    last = api.get(URL, {"page_size": 2, "page": "last"}).json()
    assert [row["name"] for row in last["results"]] == ["Réseau sénégalais d'innovation agricole"]
    assert last["next"] is None


def test_page_size_is_capped_at_100(api, world):
    kenya = Country.objects.get(iso2="KE")
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Member {i:03d}",
            org_type="ngo",
            country=kenya,
            description="x",
            contact_email="c@example.org",
            status=Organisation.Status.APPROVED,
            approved_at=timezone.now(),
        )
        for i in range(105)
    )
    body = api.get(URL, {"page_size": 500}).json()
    assert body["count"] == 107
    assert len(body["results"]) == 100


def test_translated_fields_follow_the_request_language(api, directory):
    target = directory["other"].pk
    french = api.get(f"{URL}{target}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french["country_name"] == "Sénégal"
    assert french["region_name"] == "Afrique"
    chinese = api.get(f"{URL}{target}/", {"lang": "zh-hans"}).json()
    assert chinese["country_name"] == "塞内加尔"
    # The organisation's own text is never translated.
    assert chinese["name"] == "Réseau sénégalais d'innovation agricole"


@pytest.mark.parametrize("page_size", [5, 40])
def test_list_query_count_does_not_grow_with_page_size(
    api, world, page_size, django_assert_num_queries
):
    countries = list(Country.objects.filter(iso2__in=["KE", "SN", "FR", "BR", "FJ"]))
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Member {i:03d}",
            org_type=["ngo", "academia", "business"][i % 3],
            country=countries[i % len(countries)],
            description="x",
            contact_email="c@example.org",
            themes=["ip-management"],
            status=Organisation.Status.APPROVED,
            approved_at=timezone.now(),
        )
        for i in range(60)
    )
    # count + page + organisation-type labels, whatever the page size.
    with django_assert_num_queries(3):
        response = api.get(URL, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


def test_list_query_count_for_a_token_client_is_pinned(world, django_assert_max_num_queries):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world["users"]["contributor"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_assert_max_num_queries(4):  # + the token and its user, in one query
        response = client.get(URL, {"page_size": 50})
    assert response.status_code == 200
