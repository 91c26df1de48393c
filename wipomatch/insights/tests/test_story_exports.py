"""Exports of the stories list: published stories only, one row per story, the list page's
filters applied, and a link to them on the list page."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wipomatch.stories.models import Status
from wipomatch.stories.tests.factories import HEALTH_STORY, story_factory

pytestmark = pytest.mark.django_db

COFFEE = "Coffee farmers protect the name of their region"
COFFEE_FR = "Des caféiculteurs protègent le nom de leur région"
HEALTH = "=Patent examiners trained on pharmaceutical inventions"
DRAFT = "A draft about seed varieties nobody reviewed yet"


@pytest.fixture
def stories():
    coffee = story_factory(status=Status.PUBLISHED, countries=["ET"])
    story_factory(status=Status.PUBLISHED, version_of=coffee, language="fr", title=COFFEE_FR)
    story_factory(status=Status.PUBLISHED, **{**HEALTH_STORY, "title": HEALTH})
    story_factory(title=DRAFT)
    story_factory(status=Status.SUBMITTED, title=DRAFT + " (submitted)")
    return coffee


def _csv(client, query=""):
    response = client.get("/en/insights/exports/stories/csv/" + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_holds_the_published_stories_once_each(client, stories):
    rows = _csv(client)
    titles = [row[1] for row in rows[1:]]
    assert sorted(titles) == sorted([COFFEE, "'" + HEALTH])  # formula-like text is quoted
    assert DRAFT not in "".join(",".join(r) for r in rows)
    coffee = next(row for row in rows if row[1] == COFFEE)
    assert str(stories.pk) == coffee[0]
    assert "ET" in coffee and "fr" in ",".join(coffee)  # its country, its other language


def test_csv_honours_the_list_filters(client, stories):
    assert [row[1] for row in _csv(client, "?theme=public-health")[1:]] == ["'" + HEALTH]
    assert [row[1] for row in _csv(client, "?country=ET&ldc=1")[1:]] == [COFFEE]
    assert [row[1] for row in _csv(client, "?kind=best_practice&sdg=3")[1:]] == ["'" + HEALTH]
    assert _csv(client, "?region=150")[1:] == []


def test_french_reader_gets_the_french_version(client, stories):
    response = client.get("/fr/insights/exports/stories/csv/")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert COFFEE_FR in body and COFFEE not in body


def test_xlsx_export(client, stories):
    response = client.get("/en/insights/exports/stories/xlsx/?theme=food-security-agriculture")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == COFFEE


def test_list_page_links_to_the_exports_with_its_filters(client, stories):
    body = client.get("/en/stories/?theme=public-health").content.decode()
    url = reverse("insights:export", args=("stories", "csv"))
    assert f'href="{url}?theme=public-health"' in body
    assert reverse("insights:export", args=("stories", "xlsx")) in body
