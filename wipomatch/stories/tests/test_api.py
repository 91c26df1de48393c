"""GET /api/v1/stories/ and /api/v1/stories/{id}/."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html as lxml_html

from .. import services
from ..models import Status
from .factories import author_of, image_bytes, story_factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    english = story_factory(
        status=Status.PUBLISHED,
        body="The farmers **decided** together. <script>alert(1)</script> "
        "[more](javascript:alert(1)) " * 4,
    )
    services.story_image_add(
        user=author_of(english.organisation),
        story=english,
        upload=SimpleUploadedFile("a.png", image_bytes()),
        alt_text="Farmers sorting coffee cherries",
    )
    french = story_factory(status=Status.PUBLISHED, version_of=english, language="fr")
    practice = story_factory(
        status=Status.PUBLISHED,
        kind="best_practice",
        themes=["public-health"],
        countries=["PE"],
        sdg_goals=[3],
    )
    draft = story_factory(title="A draft that nobody outside sees")
    return english, french, practice, draft


def test_list_gives_one_item_per_story_with_versions_and_sanitised_body(client, stories):
    english, french, practice, draft = stories
    data = client.get("/api/v1/stories/?lang=en").json()
    assert data["count"] == 2 and data["next"] is None
    ids = [item["id"] for item in data["results"]]
    assert english.pk in ids and practice.pk in ids and draft.pk not in ids
    item = next(i for i in data["results"] if i["id"] == english.pk)
    assert item["versions"] == [
        {
            "id": french.pk,
            "language": "fr",
            "title": french.title,
            "url": f"http://testserver/en/stories/{french.pk}/",
        }
    ]
    assert "<strong>decided</strong>" in item["body_html"]
    tree = lxml_html.fragment_fromstring(item["body_html"], create_parent="div")
    assert not tree.xpath("//script") and not tree.xpath("//a[contains(@href, 'javascript')]")
    assert "&lt;script&gt;" in item["body_html"]  # shown as the text that was typed
    assert item["images"][0]["alt_text"] == "Farmers sorting coffee cherries"
    assert item["key_results"] == [{"figure": "2000.00", "unit": "", "label": "farmers involved"}]
    assert item["themes"][0]["slug"] == "food-security-agriculture"
    # in French, the French version stands for the story
    french_ids = [i["id"] for i in client.get("/api/v1/stories/?lang=fr").json()["results"]]
    assert french.pk in french_ids and english.pk not in french_ids


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=best_practice", "practice"),
        ("theme=public-health", "practice"),
        ("country=PE", "practice"),
        ("region=419", "practice"),
        ("sdg=3", "practice"),
        ("country=sn", "english"),
        ("language=fr", "french"),
    ],
)
def test_filters(client, stories, query, expected):
    english, french, practice, _draft = stories
    wanted = {"english": english, "french": french, "practice": practice}[expected]
    data = client.get(f"/api/v1/stories/?lang=en&{query}").json()
    assert [item["id"] for item in data["results"]] == [wanted.pk]


@pytest.mark.parametrize(
    "query",
    [
        "kind=novel",
        "theme=astrology",
        "country=XX",
        "region=999",
        "sdg=18",
        "sdg=x",
        "language=xx",
        "page=0",
        "lang=tlh",
    ],
)
def test_bad_filters_are_a_clear_400(client, stories, query):
    response = client.get(f"/api/v1/stories/?{query}")
    assert response.status_code == 400
    assert response.json()  # a message that names the parameter


def test_detail_of_published_story_and_404_for_drafts(client, stories):
    english, _french, _practice, draft = stories
    data = client.get(f"/api/v1/stories/{english.pk}/").json()
    assert data["id"] == english.pk and data["language"] == "en" and data["published_at"]
    assert client.get(f"/api/v1/stories/{draft.pk}/").status_code == 404
    assert client.get("/api/v1/stories/999999/").status_code == 404


def test_page_past_the_end_is_404(client, stories):
    assert client.get("/api/v1/stories/?page=9").status_code == 404


def test_schema_describes_the_endpoints(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/stories/" in schema["paths"] and "/api/v1/stories/{id}/" in schema["paths"]
    story = schema["components"]["schemas"]["Story"]
    assert "body_html" in story["required"] and "versions" in story["required"]
    assert story["properties"]["published_at"]["nullable"] is True
