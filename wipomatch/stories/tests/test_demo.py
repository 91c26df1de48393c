"""Demo stories: at least 24 published, in at least four languages, every theme, 15 countries
with LDCs, some pictures, language versions linked, idempotent."""

import io

import pytest
from PIL import Image

from wipomatch.cooperation.demo import seed_demo_cooperation
from wipomatch.members.demo import seed_demo
from wipomatch.reference.tests.taxonomy import THEMES

from ..demo import load_demo_stories, seed_demo_stories
from ..models import Status, Story, StoryImage

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_demo()
    seed_demo_cooperation()
    return seed_demo_stories()


def test_demo_stories_cover_languages_themes_and_countries(seeded):
    published = Story.objects.published()
    assert seeded.published == published.count() >= 24
    assert len(set(published.values_list("language", flat=True))) >= 4
    themes = set(published.values_list("terms__slug", flat=True))
    assert themes >= THEMES
    countries = published.values_list("countries__iso2", "countries__ldc").distinct()
    assert len({iso for iso, _ldc in countries}) >= 15
    assert sum(1 for _iso, ldc in countries if ldc) >= 8
    assert Story.objects.filter(status=Status.SUBMITTED).exists()  # work for the facilitator
    # language versions are linked
    groups = published.values_list("group", flat=True)
    assert len(groups) > len(set(groups))
    # several stories name the published demo initiatives they come from
    linked = published.filter(initiatives__isnull=False).distinct()
    assert linked.count() >= 8
    for story in linked:
        for initiative in story.initiatives.all():
            assert initiative.is_published


def test_demo_pictures_are_drawn_reencoded_and_described(seeded):
    images = list(StoryImage.objects.all())
    assert len(images) >= 8
    for image in images:
        assert image.alt_text and image.width == 960 and image.height == 540
        with image.file.open("rb") as handle:
            assert Image.open(io.BytesIO(handle.read())).format == "PNG"


def test_seeding_twice_creates_nothing_new(seeded):
    count = Story.objects.count()
    again = seed_demo_stories()
    assert again.created == 0 and again.skipped == len(load_demo_stories())
    assert Story.objects.count() == count


def test_every_demo_story_passes_the_services_validation():
    # the texts are long enough, the vocabularies and countries exist: seeding never half-fails
    items = load_demo_stories()
    assert len({item["key"] for item in items}) == len(items)
    keys = {item["key"] for item in items}
    assert all(item.get("version_of", "") in keys | {""} for item in items)
