"""Suggestion of thematic areas, IP areas and SDGs: the model, the API, the htmx partial and the
benchmark command. The USE model loads once per test process (a few seconds)."""

import json

import numpy as np
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from wipomatch.members.tests.factories import FacilitatorFactory, MembershipFactory, UserFactory
from wipomatch.tagging import LANGUAGES, MAX_TEXT_LENGTH, get_suggester
from wipomatch.tagging.api import (
    TagSuggestionAnonThrottle,
    TagSuggestionUserThrottle,
    TagSuggestionView,
)
from wipomatch.tagging.evaluation import (
    BenchmarkError,
    BenchmarkItem,
    evaluate,
    load_benchmark,
)
from wipomatch.tagging.labels import (
    DATA_DIR,
    RESIDUAL_THEME,
    fingerprint,
    label_slugs,
    prototypes,
)
from wipomatch.tagging.lexical import LabelLexicon
from wipomatch.tagging.model import VECTORS_PATH

API_URL = "/api/v1/tag-suggestions/"

PLANT_VARIETIES = {
    "fr": (
        "Protection des obtentions végétales pour les petits exploitants. Notre coopérative de "
        "producteurs de riz au Sénégal souhaite protéger deux nouvelles variétés sélectionnées "
        "avec l'institut national de recherche agricole et en garantir l'accès aux petits "
        "agriculteurs."
    ),
    "ar": (
        "حماية الأصناف النباتية لصالح صغار المزارعين. تعاونيتنا الزراعية في السودان طورت أصنافا "
        "جديدة من الذرة الرفيعة بالتعاون مع مركز البحوث الزراعية، ونحتاج إلى دعم لحمايتها وضمان "
        "حصول صغار المزارعين على البذور."
    ),
    "zh": (
        "为小农户提供植物新品种保护支持。我们的农业合作社与农业科学院合作培育了两个新的水稻品种，"
        "希望申请品种权保护，并确保小农户能够获得优质种子。"
    ),
}
MEDICINES = {
    "en": (
        "Patent examination of pharmaceutical applications and access to medicines. Our office "
        "needs training for examiners on patents for medicines, so that patients can obtain "
        "affordable treatments and generic drugs."
    ),
    "es": (
        "Patentes de medicamentos y acceso a tratamientos. Nuestro ministerio de salud necesita "
        "asesoría sobre patentes farmacéuticas y licencias obligatorias para producir "
        "medicamentos genéricos."
    ),
    "ru": (
        "Патенты на лекарства и доступ к лечению. Министерство здравоохранения ищет экспертов по "
        "фармацевтическим патентам и производству дженериков."
    ),
}


@pytest.fixture(scope="module")
def suggester():
    return get_suggester()


@pytest.fixture(autouse=True)
def fresh_throttles():
    # Throttle counters live in the cache, keyed by client address: start every test afresh.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def _top(pairs, n=3):
    return [label for label, _score in pairs[:n]]


# --------------------------------------------------------------------------- the model


@pytest.mark.parametrize("language", sorted(PLANT_VARIETIES))
def test_plant_variety_text_suggests_agriculture_plant_varieties_and_zero_hunger(
    suggester, language
):
    suggestions = suggester.suggest(PLANT_VARIETIES[language], language)
    assert "food-security-agriculture" in _top(suggestions.themes)
    assert "plant-varieties" in _top(suggestions.ip_areas)
    assert 2 in _top(suggestions.sdgs)


@pytest.mark.parametrize("language", sorted(MEDICINES))
def test_medicines_and_patents_text_suggests_public_health_and_good_health(suggester, language):
    suggestions = suggester.suggest(MEDICINES[language], language)
    assert suggestions.themes[0][0] == "public-health"
    assert "patents" in _top(suggestions.ip_areas)
    assert 3 in _top(suggestions.sdgs)


def test_the_language_is_only_a_hint(suggester):
    text = MEDICINES["es"]
    assert suggester.suggest(text, "es") == suggester.suggest(text)


def test_other_is_the_residual_of_the_best_real_theme(suggester):
    themes = dict(suggester.suggest(PLANT_VARIETIES["fr"]).themes)
    best_real = max(score for slug, score in themes.items() if slug != RESIDUAL_THEME)
    assert themes[RESIDUAL_THEME] == pytest.approx(1 - best_real, abs=1e-3)


def test_a_text_without_known_words_still_gets_every_label_scored(suggester):
    suggestions = suggester.suggest("xqzv wplk")
    assert len(suggestions.sdgs) == 17
    assert {slug for slug, _ in suggestions.ip_areas} == set(label_slugs("ip_areas"))


def test_shipped_label_vectors_match_the_label_texts():
    """If this fails, a label text changed: run `python -m wipomatch.tagging.build`."""
    with np.load(VECTORS_PATH, allow_pickle=False) as stored:
        assert str(stored["fingerprint"]) == fingerprint("use-multilingual-v3")
        assert stored["sdgs.texts"].shape == (17, 512)
        assert stored["ip_areas.keywords"].shape == (len(label_slugs("ip_areas")), 512)


@pytest.mark.parametrize("vocabulary", ["themes", "ip_areas", "sdgs"])
def test_every_label_has_prototypes_in_the_six_languages(vocabulary):
    protos = prototypes(vocabulary)
    for slug in label_slugs(vocabulary):
        if slug == RESIDUAL_THEME:
            continue
        for group in ("texts", "keywords"):
            languages = {p.language for p in protos if p.label == slug and p.group == group}
            assert languages == set(LANGUAGES), (slug, group)


def test_lexicon_prefers_the_label_whose_words_the_text_uses():
    lexicon = LabelLexicon(
        2, [(0, "plant varieties, seeds, breeders"), (1, "medicines, vaccines, patients")]
    )
    scores = lexicon.scores(["vaccin", "patient"])
    assert scores[1] > scores[0] == 0
    assert not lexicon.scores([]).any()


# --------------------------------------------------------------------------- the API


def test_api_scores_every_label_best_first(api, db):
    response = api.post(API_URL, {"text": MEDICINES["en"], "language": "en"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"themes", "ip_areas", "sdgs"}
    assert sorted(item["goal"] for item in body["sdgs"]) == list(range(1, 18))
    assert {item["slug"] for item in body["themes"]} == set(label_slugs("themes"))
    assert {item["slug"] for item in body["ip_areas"]} == set(label_slugs("ip_areas"))
    for key in ("themes", "ip_areas", "sdgs"):
        scores = [item["score"] for item in body[key]]
        assert scores == sorted(scores, reverse=True)
        assert all(isinstance(s, float) and 0 <= s <= 1 for s in scores)
    assert body["sdgs"][0]["goal"] == 3
    assert body["themes"][0] == {"slug": "public-health", "score": body["themes"][0]["score"]}


def test_api_takes_language_variants_and_no_language(api, db):
    for payload in ({"text": "Semences de riz"}, {"text": "种子", "language": "zh-hans"}):
        assert api.post(API_URL, payload, format="json").status_code == 200
    response = api.post(API_URL, {"text": "Semences", "language": "FR"}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({}, "text", "required"),
        ({"text": ""}, "text", "blank"),
        ({"text": "   \n "}, "text", "blank"),
        ({"text": 42}, "text", "valid string"),
        ({"text": ["a", "b"]}, "text", "valid string"),
        ({"text": None}, "text", "null"),
        ({"text": "x" * (MAX_TEXT_LENGTH + 1)}, "text", str(MAX_TEXT_LENGTH)),
        ({"text": "Seeds", "language": "de"}, "language", "Unsupported language"),
        ({"text": "Seeds", "language": 7}, "language", "valid string"),
    ],
)
def test_api_refuses_bad_input_with_a_clear_message(api, db, payload, field, message):
    response = api.post(API_URL, payload, format="json")
    assert response.status_code == 400
    errors = response.json()[field]
    assert any(message in error for error in errors), errors


def test_api_refuses_a_body_that_is_not_an_object(api, db):
    response = api.post(API_URL, ["text"], format="json")
    assert response.status_code == 400
    response = api.post(API_URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_api_accepts_a_text_of_exactly_the_maximum_length(api, db):
    text = ("Patents for medicines. " * 500)[:MAX_TEXT_LENGTH]
    assert api.post(API_URL, {"text": text}, format="json").status_code == 200


def test_api_is_open_and_throttled_harder_than_the_read_only_api():
    assert TagSuggestionView.permission_classes[0].__name__ == "AllowAny"
    assert TagSuggestionView.throttle_classes == [
        TagSuggestionAnonThrottle,
        TagSuggestionUserThrottle,
    ]
    assert TagSuggestionAnonThrottle().get_rate() == "30/minute"
    assert TagSuggestionUserThrottle().get_rate() == "120/minute"


def test_anonymous_clients_over_the_rate_get_429(api, db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "tag_suggestions_anon": "2/minute",
        },
    }
    # Refused texts count too: the throttle runs before the input is read.
    statuses = [api.post(API_URL, {}, format="json").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_api_is_in_the_openapi_schema(api, db):
    response = api.get("/api/v1/schema/", {"format": "json"})
    schema = json.loads(response.content)
    operation = schema["paths"]["/api/v1/tag-suggestions/"]["post"]
    assert operation["operationId"] == "tag_suggestions"


# --------------------------------------------------------------------------- the htmx partial


def test_partial_lists_suggestions_with_accept_boxes_reflecting_the_form(client, db):
    client.force_login(UserFactory())
    response = client.post(
        reverse("tagging:suggestions"),
        {
            "title": "Protection des obtentions végétales",
            "summary": "",
            "description": PLANT_VARIETIES["fr"],
            "language": "fr",
            "ip_areas": ["plant-varieties"],
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-accept-field="themes" data-accept-value="food-security-agriculture"' in html
    assert 'data-accept-field="sdg_goals" data-accept-value="2"' in html
    # Already ticked on the form: the suggestion shows as accepted.
    assert 'data-accept-value="plant-varieties" checked' in html
    assert 'data-accept-value="food-security-agriculture" checked' not in html
    assert 'value="other"' not in html and 'data-accept-value="other"' not in html
    # Accept boxes have no name: they are never submitted with the listing.
    assert ' name="' not in html
    assert "tag-suggestions.js" in html


def test_partial_speaks_the_readers_language_whatever_the_text_language(client, db):
    client.force_login(UserFactory())
    with translation.override("fr"):
        url = reverse("tagging:suggestions")
    response = client.post(url, {"title": "Access to medicines", "description": MEDICINES["en"]})
    html = response.content.decode()
    assert url.startswith("/fr/")
    assert "3. Bonne santé et bien-être" in html


def test_partial_asks_for_more_text_before_suggesting(client, db):
    client.force_login(UserFactory())
    response = client.post(reverse("tagging:suggestions"), {"title": "Seeds"})
    assert response.status_code == 200
    assert "data-accept-field" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 403), ("user", 200), ("member", 200), ("facilitator", 200)],
)
def test_partial_answers_signed_in_people_only(client, db, role, expected):
    people = {
        "user": UserFactory,
        "member": lambda: MembershipFactory().user,
        "facilitator": FacilitatorFactory,
    }
    if role in people:
        client.force_login(people[role]())
    url = reverse("tagging:suggestions")
    response = client.post(url, {"title": "Vaccines", "description": MEDICINES["en"]})
    assert response.status_code == expected
    assert (b"data-accept-field" in response.content) == (expected == 200)


def test_partial_takes_posts_only(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("tagging:suggestions")).status_code == 405


# --------------------------------------------------------------------------- the benchmark


def test_evaluate_counts_first_and_first_three():
    items = [
        BenchmarkItem("a", "en", 2),
        BenchmarkItem("b", "en", 3),
        BenchmarkItem("c", "fr", 4),
    ]
    ranking = {"a": [2, 1, 3], "b": [1, 2, 3], "c": [1, 2, 3]}
    report = evaluate(lambda text, language: ranking[text], items)
    assert report["overall"] == {"n": 3, "top1": pytest.approx(1 / 3, abs=1e-4), "top3": 0.6667}
    assert report["languages"]["fr"] == {"n": 1, "top1": 0.0, "top3": 0.0}
    assert report["goals"]["3"]["top3"] == 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"text": "a"}', "non-empty JSON list"),
        ("[]", "non-empty JSON list"),
        ('["text"]', "expected an object"),
        ('[{"language": "en", "sdg": 1}]', "'text'"),
        ('[{"text": "a", "language": "de", "sdg": 1}]', "'language'"),
        ('[{"text": "a", "language": "en", "sdg": 18}]', "'sdg'"),
        ('[{"text": "a", "language": "en", "sdg": "3"}]', "'sdg'"),
        ('[{"text": "a", "language": "en", "sdg": true}]', "'sdg'"),
    ],
)
def test_malformed_benchmark_files_are_refused(tmp_path, content, message):
    path = tmp_path / "bench.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BenchmarkError, match=message):
        load_benchmark(path)
    with pytest.raises(CommandError, match=message):
        call_command("evaluate_tagging", str(path))


def test_missing_benchmark_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("evaluate_tagging", str(tmp_path / "missing.json"))


def test_evaluate_tagging_reports_overall_and_per_language(tmp_path, capsys):
    items = [
        {"text": PLANT_VARIETIES["zh"], "language": "zh-hans", "sdg": 2},
        {"text": MEDICINES["en"], "language": "en", "sdg": 3},
    ]
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    call_command("evaluate_tagging", str(path), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["overall"] == {"n": 2, "top1": 1.0, "top3": 1.0}
    assert set(report["languages"]) == {"zh", "en"}
    call_command("evaluate_tagging", str(path), "--per-goal")
    text = capsys.readouterr().out
    assert "overall" in text and "SDG 3" in text


def test_shipped_benchmark_files_are_well_formed():
    for name in ("sdg-real-en-dev.json", "sdg-real-en-test.json", "sdg-written-listings.json"):
        items = load_benchmark(DATA_DIR / name)
        assert {item.sdg for item in items} == set(range(1, 18)), name
    written = load_benchmark(DATA_DIR / "sdg-written-listings.json")
    assert {item.language for item in written} == set(LANGUAGES)
