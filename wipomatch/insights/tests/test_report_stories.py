"""The report's "Selected stories" section reads the published stories of the period through
the stories app: drafts and stories waiting for review stay out, and a story written in several
languages appears once, in the report's language when it has that version."""

from datetime import date

import pytest

from wipomatch.insights.report import report_render
from wipomatch.insights.selectors import Period
from wipomatch.stories.models import Status
from wipomatch.stories.tests.factories import story_factory

pytestmark = pytest.mark.django_db

PUBLISHED = "Coffee farmers protect the name of their region"
FRENCH = "Des caféiculteurs protègent le nom de leur région"
DRAFT = "A draft about seed varieties nobody reviewed yet"
SUBMITTED = "A submitted story about trademarks waiting for review"


def _report(tmp_path, language: str) -> str:
    today = date.today()
    period = Period(date(today.year, 1, 1), date(today.year, 12, 31))
    written = report_render(
        period=period, language=language, formats=("html",), output_dir=tmp_path
    )
    return written["html"].read_text(encoding="utf-8")


def test_selected_stories_are_the_published_ones_once_each(tmp_path):
    original = story_factory(status=Status.PUBLISHED, title=PUBLISHED)
    story_factory(
        status=Status.PUBLISHED,
        version_of=original,
        language="fr",
        title=FRENCH,
        summary="Une coopérative de deux mille petits producteurs a enregistré une indication "
        "géographique.",
    )
    story_factory(title=DRAFT)
    story_factory(status=Status.SUBMITTED, title=SUBMITTED)

    english = _report(tmp_path / "en", "en")
    assert PUBLISHED in english
    assert FRENCH not in english  # one item per story: the reader's version
    assert DRAFT not in english and SUBMITTED not in english

    french = _report(tmp_path / "fr", "fr")
    assert FRENCH in french
    assert PUBLISHED not in french
    assert DRAFT not in french


def test_no_published_story_says_so(tmp_path):
    story_factory(title=DRAFT)
    html = _report(tmp_path, "en")
    assert DRAFT not in html
    assert "No story was published in this period." in html
