"""Reading stories: language versions, browse and search, theme / country / need pages, feeds
and the sitemap."""

import pytest
from lxml import etree

from wipomatch.listings.tests.factories import NeedFactory

from ..models import Status
from ..selectors import StoryFilters, story_search, story_versions, version_for_reader
from .factories import HEALTH_STORY, story_factory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def versions():
    english = story_factory(status=Status.PUBLISHED)
    french = story_factory(
        status=Status.PUBLISHED,
        version_of=english,
        language="fr",
        title="Des caféiculteurs protègent le nom de leur région",
        summary="Une coopérative de deux mille petits producteurs a enregistré une indication "
        "géographique et vend mieux son café.",
    )
    arabic_draft = story_factory(
        version_of=english, language="ar", title="مزارعو البن يحمون اسم منطقتهم"
    )
    return english, french, arabic_draft


def test_reader_gets_the_version_in_their_language(versions, client):
    english, french, arabic_draft = versions
    assert version_for_reader(english, "fr") == french
    assert version_for_reader(english, "ar") is None  # a draft is not offered to readers
    response = client.get(f"/fr/stories/{english.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(f"/stories/{french.pk}/")
    # a version chosen from the list is shown as chosen
    chosen = client.get(f"/fr/stories/{english.pk}/?chosen=1")
    assert chosen.status_code == 200
    page = client.get(f"/en/stories/{english.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "This story in other languages:" in html
    assert f"/en/stories/{french.pk}/?chosen=1" in html
    assert f"/stories/{arabic_draft.pk}/" not in html  # the draft is not listed for visitors


def test_versions_are_one_item_in_the_list_in_the_readers_language(versions):
    english, french, _draft = versions
    result = story_search(filters=StoryFilters(), language="fr")
    assert [s.pk for s in result.items] == [french.pk]
    assert result.items[0].other_languages == ["en"]
    result = story_search(filters=StoryFilters(), language="ru")
    assert [s.pk for s in result.items] == [english.pk]  # the original when no Russian version
    assert [s.pk for s in story_search(filters=StoryFilters(language="fr")).items] == [french.pk]


def test_versions_seen_by_authors_include_drafts(versions):
    english, _french, arabic_draft = versions
    assert arabic_draft not in story_versions(english)
    assert arabic_draft in story_versions(
        english, user=english.organisation.memberships.first().user
    )


def test_one_version_per_language():
    from django.core.exceptions import ValidationError

    english = story_factory()
    with pytest.raises(ValidationError):
        story_factory(version_of=english, language="en")


def test_facets_filter_and_search():
    coffee = story_factory(status=Status.PUBLISHED, countries=["ET"])
    health = story_factory(status=Status.PUBLISHED, **HEALTH_STORY)
    assert [s.pk for s in story_search(filters=StoryFilters(kind=["best_practice"])).items] == [
        health.pk
    ]
    assert [s.pk for s in story_search(filters=StoryFilters(theme=["public-health"])).items] == [
        health.pk
    ]
    assert [s.pk for s in story_search(filters=StoryFilters(sdg=[3])).items] == [health.pk]
    assert [s.pk for s in story_search(filters=StoryFilters(ldc=True)).items] == [coffee.pk]
    assert [s.pk for s in story_search(filters=StoryFilters(region="419")).items] == [health.pk]
    found = story_search(filters=StoryFilters(q="pharmaceutical patents examiners"))
    assert [s.pk for s in found.items] == [health.pk]
    assert story_search(filters=StoryFilters(q="zzzz qqqq")).total == 0
    facets = story_search(filters=StoryFilters()).facets
    assert facets["kind"] == {"success_story": 1, "best_practice": 1}
    assert facets["themes"]["public-health"] == 1 and facets["ldc"] == 1


def test_list_page_empty_state_filters_and_pagination(client):
    response = client.get("/en/stories/")
    assert "No story has been published yet." in response.content.decode()
    for i in range(14):
        story_factory(status=Status.PUBLISHED, title=f"Story number {i} about coffee")
    first = client.get("/en/stories/")
    assert first.content.decode().count('class="card mb-3 story-card"') == 12
    second = client.get("/en/stories/?page=2&theme=not-a-theme&year=abcd")
    assert second.status_code == 200
    assert second.content.decode().count('class="card mb-3 story-card"') == 2
    none = client.get("/en/stories/?q=zzzz+qqqq")
    assert "No story matches this search and these filters." in none.content.decode()


def test_draft_is_never_public(client):
    draft = story_factory()
    assert client.get(f"/en/stories/{draft.pk}/").status_code == 404
    assert story_search(filters=StoryFilters()).total == 0


def test_story_page_has_open_graph_tags(client):
    story = story_factory(status=Status.PUBLISHED)
    html = client.get(f"/en/stories/{story.pk}/").content.decode()
    assert f'<meta property="og:title" content="{story.title}">' in html
    assert '<meta property="og:description"' in html and 'property="og:url"' in html


def test_theme_and_country_pages_show_stories_and_announce_their_feeds(client):
    story = story_factory(status=Status.PUBLISHED, countries=["SN"])
    theme = client.get("/en/themes/food-security-agriculture/").content.decode()
    assert story.title in theme
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Stories on this theme" '
        'href="/en/stories/feed/themes/food-security-agriculture/">'
    ) in theme
    country = client.get("/en/countries/SN/").content.decode()
    assert story.title in country
    assert 'href="/en/stories/feed/countries/SN/"' in country
    other = client.get("/en/themes/public-health/").content.decode()
    assert story.title not in other


def test_a_need_page_shows_related_stories_ranked_by_similarity(client):
    near = story_factory(status=Status.PUBLISHED)
    far = story_factory(
        status=Status.PUBLISHED,
        title="A music collecting society pays artists again",
        summary="Broadcasters now pay royalties that reach musicians and film makers.",
        body="The copyright office helped artists create a collective management society. " * 3,
        themes=["creative-industries"],
        ip_areas=["copyright"],
    )
    hidden = story_factory(title="Coffee farmers draft a geographical indication")  # a draft
    need = NeedFactory(
        status="published",
        title="Registering a geographical indication for shade-grown coffee",
        summary="A cooperative of coffee farmers seeks advice to register a geographical "
        "indication and set up its control system.",
        description="Two thousand smallholder farmers grow coffee and want to protect the name "
        "of their region with a geographical indication.",
        themes=["food-security-agriculture"],
        ip_areas=["geographical-indications"],
    )
    need.refresh_from_db()
    html = client.get(f"/en/needs/{need.pk}/").content.decode()
    assert "How others solved similar problems" in html
    assert near.title in html
    assert far.title not in html and hidden.title not in html


def _parse(response):
    assert response.status_code == 200
    return etree.fromstring(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_feeds_are_well_formed_atom(client, versions):
    english, french, _draft = versions
    feed = _parse(client.get("/fr/stories/feed/"))
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [french.title]
    english_feed = _parse(client.get("/en/stories/feed/"))
    assert [e.findtext(f"{ATOM}title") for e in english_feed.findall(f"{ATOM}entry")] == [
        english.title
    ]
    theme = _parse(client.get("/fr/stories/feed/themes/food-security-agriculture/"))
    assert len(theme.findall(f"{ATOM}entry")) == 1
    country = _parse(client.get("/en/stories/feed/countries/SN/"))
    assert len(country.findall(f"{ATOM}entry")) == 1
    assert client.get("/en/stories/feed/themes/nope/").status_code == 404
    assert client.get("/en/stories/feed/countries/QQ/").status_code == 404


def test_list_page_announces_the_language_feed(client):
    html = client.get("/es/stories/").content.decode()
    assert 'type="application/atom+xml"' in html and 'href="/es/stories/feed/"' in html


def test_sitemap_lists_public_pages_with_hreflang_and_robots_names_it(client):
    story = story_factory(status=Status.PUBLISHED)
    draft = story_factory()
    need = NeedFactory(status="published")
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    root = _parse(client.get("/sitemap.xml"))
    locations = [u.findtext(f"{SITEMAP}loc") for u in root.findall(f"{SITEMAP}url")]
    assert f"http://testserver/en/stories/{story.pk}/" in locations
    assert f"http://testserver/ar/stories/{story.pk}/" in locations
    assert f"http://testserver/en/stories/{draft.pk}/" not in locations
    assert f"http://testserver/fr/needs/{need.pk}/" in locations
    assert f"http://testserver/en/organisations/{story.organisation_id}/" in locations or any(
        f"/members/{story.organisation_id}/" in loc for loc in locations
    )
    assert "http://testserver/en/themes/public-health/" in locations
    assert "http://testserver/es/countries/SN/" in locations
    url = next(
        u
        for u in root.findall(f"{SITEMAP}url")
        if u.findtext(f"{SITEMAP}loc") == f"http://testserver/en/stories/{story.pk}/"
    )
    hreflangs = {link.get("hreflang") for link in url.findall(f"{XHTML}link")}
    assert {"ar", "zh-hans", "en", "fr", "ru", "es"} <= hreflangs


def test_list_page_and_api_query_counts_do_not_grow_with_the_page(
    client, django_assert_max_num_queries
):
    for i in range(3):
        story_factory(status=Status.PUBLISHED, title=f"Coffee story {i}")
    with django_assert_max_num_queries(40) as small:
        client.get("/en/stories/")
    for i in range(12):
        story_factory(status=Status.PUBLISHED, title=f"More coffee story {i}", countries=["KE"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/en/stories/")
    with django_assert_max_num_queries(30):
        client.get("/api/v1/stories/")


def test_periodic_job_embeds_stories_left_without_a_vector():
    from wipomatch.core.periodic import run_job
    from wipomatch.stories.models import Story

    story = story_factory(status=Status.PUBLISHED)
    Story.objects.filter(pk=story.pk).update(embedding=None, embedding_model="")
    assert run_job("stories-embed-missing") == 1
    story.refresh_from_db()
    assert story.embedding and story.embedding_model
    assert run_job("stories-embed-missing") == 0
