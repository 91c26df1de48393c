"""Each filter of the stories list page, as a reader sends it in the query string, keeps the
stories it names and drops the others."""

import pytest

from wipomatch.stories.models import Status

from .factories import HEALTH_STORY, story_factory

pytestmark = pytest.mark.django_db

COFFEE = "Coffee farmers protect the name of their region"
HEALTH = HEALTH_STORY["title"]


@pytest.fixture
def two_stories():
    story_factory(status=Status.PUBLISHED, countries=["ET"])
    story_factory(status=Status.PUBLISHED, language="fr", **HEALTH_STORY)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("kind=best_practice", HEALTH, COFFEE),
        ("theme=public-health", HEALTH, COFFEE),
        ("theme=food-security-agriculture", COFFEE, HEALTH),
        ("ip_area=patents", HEALTH, COFFEE),
        ("sdg=3", HEALTH, COFFEE),
        ("country=et", COFFEE, HEALTH),
        ("region=419", HEALTH, COFFEE),
        ("region=002", COFFEE, HEALTH),
        ("ldc=on", COFFEE, HEALTH),
        ("language=fr", HEALTH, COFFEE),
    ],
)
def test_each_list_filter(client, two_stories, query, shown, hidden):
    response = client.get("/en/stories/?" + query)
    assert response.status_code == 200
    body = response.content.decode()
    assert shown in body
    assert hidden not in body
