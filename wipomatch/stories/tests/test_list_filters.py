"""Each filter of the stories list page, as a reader sends it in the query string, keeps the
stories it names and drops the others."""

import pytest

from wipomatch.stories.models import Status

from .factories import story_factory

pytestmark = pytest.mark.django_db

COFFEE = "Coffee farmers protect the name of their region"
HEALTH = "Patent examiners trained on pharmaceutical inventions"


@pytest.fixture
def two_stories():
    story_factory(status=Status.PUBLISHED, countries=["ET"])
    story_factory(
        status=Status.PUBLISHED,
        kind="best_practice",
        title=HEALTH,
        summary="The office trained ten examiners on the examination of medicines patents.",
        body="The patent office organised a two-week course on pharmaceutical patents. " * 4,
        language="fr",
        themes=["public-health"],
        ip_areas=["patents"],
        countries=["PE"],
        sdg_goals=[3],
    )


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
