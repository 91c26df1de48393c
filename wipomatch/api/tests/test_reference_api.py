"""/api/v1/countries/, /api/v1/regions/ and /api/v1/vocabularies/."""

import json
import unicodedata

import pytest
from rest_framework.test import APIClient

from wipomatch.reference.loader import DATA_DIR
from wipomatch.reference.models import Country, VocabularyTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _by_iso2(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {row["iso2"]: row for row in response.json()}


# --- Countries ----------------------------------------------------------------------------------


def test_all_249_countries_in_one_unpaginated_list(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = api.get("/api/v1/countries/")
    rows = response.json()
    assert isinstance(rows, list)
    assert len(rows) == 249
    assert set(rows[0]) == {
        "iso2",
        "iso3",
        "m49",
        "name",
        "region",
        "subregion",
        "intermediate_region",
        "ldc",
        "lldc",
        "sids",
        "global_south",
    }


def test_country_codes_and_groupings(api):
    rows = _by_iso2(api.get("/api/v1/countries/"))
    assert rows["SN"] == {
        "iso2": "SN",
        "iso3": "SEN",
        "m49": "686",
        "name": "Senegal",
        "region": "002",
        "subregion": "202",
        "intermediate_region": "011",
        "ldc": True,
        "lldc": False,
        "sids": False,
        "global_south": True,
    }
    assert rows["KG"]["lldc"] is True
    assert rows["KG"]["ldc"] is False
    assert rows["FJ"]["sids"] is True
    assert rows["FJ"]["region"] == "009"
    assert rows["CH"]["global_south"] is False
    assert rows["CH"]["intermediate_region"] is None


@pytest.mark.parametrize(
    ("headers", "params", "senegal", "language"),
    [
        ({}, {}, "Senegal", "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "fr"}, {}, "Sénégal", "fr"),
        ({"HTTP_ACCEPT_LANGUAGE": "ar"}, {}, "السنغال", "ar"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-hans"}, {}, "塞内加尔", "zh-hans"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}, {}, "塞内加尔", "zh-hans"),
        ({"HTTP_ACCEPT_LANGUAGE": "ru"}, {}, "Сенегал", "ru"),
        ({"HTTP_ACCEPT_LANGUAGE": "es"}, {}, "Senegal", "es"),
        ({}, {"lang": "fr"}, "Sénégal", "fr"),
        ({}, {"lang": "zh_Hans"}, "塞内加尔", "zh-hans"),
        # ?lang= wins over the header.
        ({"HTTP_ACCEPT_LANGUAGE": "fr"}, {"lang": "ar"}, "السنغال", "ar"),
    ],
)
def test_names_follow_accept_language_or_lang(api, headers, params, senegal, language):
    response = api.get("/api/v1/countries/", params, **headers)
    assert _by_iso2(response)["SN"]["name"] == senegal
    assert response["Content-Language"] == language
    detail = api.get("/api/v1/countries/SN/", params, **headers).json()
    assert detail["name"] == senegal


def test_names_are_the_data_files_names_in_every_language(api):
    kenya = Country.objects.get(iso2="KE")
    for language in ("ar", "zh-hans", "en", "fr", "ru", "es"):
        row = api.get("/api/v1/countries/KE/", {"lang": language}).json()
        assert row["name"] == kenya.names[language]
    assert len({kenya.names[lang] for lang in ("ar", "zh-hans", "fr", "ru")}) == 4


def test_country_detail_is_case_insensitive_and_unknown_is_404(api):
    assert api.get("/api/v1/countries/sn/").json()["iso3"] == "SEN"
    response = api.get("/api/v1/countries/ZZ/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_country_filters(api):
    ldc = _by_iso2(api.get("/api/v1/countries/", {"ldc": "true"}))
    assert set(ldc) == set(Country.objects.filter(ldc=True).values_list("iso2", flat=True))
    assert "SN" in ldc
    assert "KE" not in ldc

    not_ldc = _by_iso2(api.get("/api/v1/countries/", {"ldc": "false"}))
    assert len(ldc) + len(not_ldc) == 249

    north = _by_iso2(api.get("/api/v1/countries/", {"global_south": "false"}))
    assert {"CH", "FR", "JP"} <= set(north)
    assert "SN" not in north

    oceania = _by_iso2(api.get("/api/v1/countries/", {"region": "009"}))
    assert {"FJ", "AU", "SB"} <= set(oceania)
    assert all(row["region"] == "009" for row in oceania.values())

    # A sub-region and an intermediate region filter too.
    west_africa = _by_iso2(api.get("/api/v1/countries/", {"region": "011"}))
    assert "SN" in west_africa
    assert "KE" not in west_africa

    african_ldcs_south = _by_iso2(
        api.get("/api/v1/countries/", {"region": "2", "ldc": "1", "global_south": "true"})
    )
    assert "SN" in african_ldcs_south
    assert "NP" not in african_ldcs_south


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"region": "europe"}, "region"),
        ({"region": "998"}, "region"),
        ({"ldc": "maybe"}, "ldc"),
        ({"global_south": "2"}, "global_south"),
        ({"lang": "xx"}, "lang"),
    ],
)
def test_bad_country_filters_are_a_400(api, params, field):
    response = api.get("/api/v1/countries/", params)
    assert response.status_code == 400
    assert field in response.json()


# --- Regions ------------------------------------------------------------------------------------


def test_regions_list_the_m49_codes_with_translated_names(api):
    rows = {r["code"]: r for r in api.get("/api/v1/regions/", {"lang": "fr"}).json()}
    assert {"002", "019", "142", "150", "009"} <= set(rows)
    assert rows["002"] == {"code": "002", "level": "region", "parent": None, "name": "Afrique"}
    assert rows["011"]["parent"] == "202"
    assert api.get("/api/v1/regions/123/").status_code == 404


# --- Vocabularies -------------------------------------------------------------------------------


def test_vocabularies_list_every_taxonomy_vocabulary_and_the_sdgs(api, django_assert_num_queries):
    taxonomy = json.loads((DATA_DIR / "taxonomy.json").read_text(encoding="utf-8"))
    with django_assert_num_queries(2):
        body = api.get("/api/v1/vocabularies/").json()
    kinds = [kind.value for kind in VocabularyTerm.Kind]
    assert set(body) == {*kinds, "sdg_goals"}
    for kind in kinds:
        assert [term["slug"] for term in body[kind]] == list(taxonomy[kind]), kind
        assert all(set(term) == {"slug", "label"} for term in body[kind])
    themes = {t["slug"]: t["label"] for t in body["themes"]}
    assert themes["public-health"] == "IP and public health"
    assert [goal["number"] for goal in body["sdg_goals"]] == list(range(1, 18))
    assert body["sdg_goals"][0]["title"].startswith("End poverty")


def test_vocabulary_labels_and_sdg_titles_are_translated(api):
    term = VocabularyTerm.objects.get(kind=VocabularyTerm.Kind.THEME, slug="green-innovation")
    term.translations = {"fr": "Innovation verte (libellé du personnel)"}
    term.save()
    english = api.get("/api/v1/vocabularies/").json()
    french = api.get("/api/v1/vocabularies/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert {t["slug"]: t["label"] for t in french["themes"]}["green-innovation"] == (
        "Innovation verte (libellé du personnel)"
    )
    assert {t["slug"]: t["label"] for t in english["themes"]}["green-innovation"] == (
        "Green innovation"
    )
    assert french["sdg_goals"][0]["title"] != english["sdg_goals"][0]["title"]
    assert "pauvreté" in unicodedata.normalize("NFC", french["sdg_goals"][0]["title"])
    arabic = api.get("/api/v1/vocabularies/", {"lang": "ar"}).json()
    assert arabic["sdg_goals"][0]["title"] not in (english["sdg_goals"][0]["title"], "")


def test_inactive_terms_are_left_out(api):
    VocabularyTerm.objects.filter(kind=VocabularyTerm.Kind.THEME, slug="other").update(active=False)
    body = api.get("/api/v1/vocabularies/").json()
    assert "other" not in [t["slug"] for t in body["themes"]]
