"""Search of needs and offers: filters, facets, sorting, and text search in and across the six
UN languages, over a per-process cache that follows changes to listings."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from wipomatch.members.tests.factories import FacilitatorFactory

from .. import services
from ..filters import TERM_PARAMS, BrowseFilters
from ..models import Kind, Listing, Status
from ..search import clear_search_cache, listing_index, listing_search
from ..selectors import (
    facet_counts,
    listing_browse_queryset,
    order_listings,
)
from ..synthetic import seed_synthetic
from .factories import NeedFactory, OfferFactory, listing_data

pytestmark = pytest.mark.django_db

PATENT_COURSE = {
    "title": "Online course on patent examination practice",
    "summary": "Places in our twelve-week online course on patent search and examination, "
    "with tutors who are senior examiners.",
    "description": "The course covers search strategies, novelty and inventive step, clarity of "
    "claims and the examination of biotechnology and pharmaceutical inventions. Participants "
    "work on real cases with a tutor and receive a certificate.",
    "themes": ["public-health", "ip-management"],
    "ip_areas": ["patents"],
    "assistance_types": ["training"],
    "resource_types": ["technical", "human"],
}
COFFEE_EXPERTS = {
    "title": "Experts in geographical indications for agricultural products",
    "summary": "Our institute can send experts to help producer groups register and manage "
    "geographical indications and collective marks.",
    "description": "Our experts have supported producers of coffee, cocoa, rice and honey. They "
    "help draft product specifications, set up control plans and build the marketing of origin "
    "products.",
    "themes": ["food-security-agriculture"],
    "ip_areas": ["geographical-indications", "trademarks"],
    "assistance_types": ["expert-advice"],
    "resource_types": ["human"],
}
MUSIC_SOCIETY = {
    "title": "Setting up a collective management organisation for music",
    "summary": "Our society advises copyright offices and artists on creating a collective "
    "management organisation for musical works.",
    "description": "We share our statutes, tariffs, distribution rules and the software we use "
    "to collect and distribute royalties to composers and performers.",
    "themes": ["creative-industries"],
    "ip_areas": ["copyright"],
    "assistance_types": ["expert-advice", "it-infrastructure"],
    "resource_types": ["technical"],
}
GREEN_GRANTS = {
    "title": "Grants for green technology licensing projects",
    "summary": "Our foundation funds projects that license clean-energy and climate adaptation "
    "technologies to companies in developing countries.",
    "description": "Grants cover licensing negotiations, technical adaptation and training of "
    "the licensee's staff.",
    "themes": ["green-innovation"],
    "ip_areas": ["ip-commercialization"],
    "assistance_types": ["funding", "technology-transfer"],
    "resource_types": ["financial"],
}


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_search_cache()
    yield
    clear_search_cache()


@pytest.fixture
def hashing(settings):
    """The fast lexical embedder: enough wherever cross-language meaning is not tested."""
    settings.LISTING_EMBEDDER = "hashing"


@pytest.fixture
def use_model(settings):
    """The real multilingual model (loaded once per test process, a few seconds)."""
    settings.LISTING_EMBEDDER = "use"


@pytest.fixture
def make(django_capture_on_commit_callbacks):
    """Create a listing through the services and run what follows the commit (its embedding)."""

    def _make(factory=OfferFactory, status=Status.PUBLISHED, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            listing = factory(status=status, **fields)
        listing.refresh_from_db()
        return listing

    return _make


def search(kind=Kind.OFFER, page=1, page_size=20, **filters):
    return listing_search(
        kind=kind, filters=BrowseFilters(**filters), page=page, page_size=page_size
    )


def titles(result) -> list[str]:
    return [item.title for item in result.items]


# --------------------------------------------------------------------------- browse without text
def test_browsing_lists_published_listings_newest_first(hashing, make):
    older = make(**PATENT_COURSE)
    newer = make(**COFFEE_EXPERTS)
    Listing.objects.filter(pk=older.pk).update(published_at=timezone.now() - timedelta(days=3))

    result = search()

    assert [x.pk for x in result.items] == [newer.pk, older.pk]
    assert (result.total, result.page, result.num_pages) == (2, 1, 1)


def test_sorting_by_expiry_puts_the_soonest_first(hashing, make):
    later = make(**PATENT_COURSE)
    sooner = make(**COFFEE_EXPERTS)
    Listing.objects.filter(pk=sooner.pk).update(expires_at=timezone.now() + timedelta(3))

    assert [x.pk for x in search(sort="expiring").items] == [sooner.pk, later.pk]


@pytest.mark.parametrize("query", ["", "patent examination"])
def test_drafts_and_unpublished_listings_are_never_returned(hashing, make, query):
    published = make(**PATENT_COURSE)
    for status in (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
        Status.REJECTED,
        Status.CLOSED,
        Status.EXPIRED,
    ):
        make(status=status, **PATENT_COURSE)

    result = search(q=query)

    assert [x.pk for x in result.items] == [published.pk]
    assert result.total == 1
    assert result.facets["themes"] == {"public-health": 1, "ip-management": 1}


def test_needs_and_offers_are_searched_separately(hashing, make):
    offer = make(**PATENT_COURSE)
    need = make(NeedFactory, title="Training for patent examiners")

    assert [x.pk for x in search(Kind.OFFER, q="patent").items] == [offer.pk]
    assert [x.pk for x in search(Kind.NEED, q="patent").items] == [need.pk]


def test_facets_without_a_query_match_the_sql_counts(hashing):
    seed_synthetic(needs=0, offers=40, embedder_name="hashing", progress=False)

    for filters in (BrowseFilters(), BrowseFilters(region="002"), BrowseFilters(language="fr")):
        result = listing_search(kind=Kind.OFFER, filters=filters)
        filtered = listing_browse_queryset(kind=Kind.OFFER, filters=filters)
        for vocabulary, counts in facet_counts(filtered).items():
            assert result.facets[vocabulary] == counts
        # where a listing applies and in which languages, as the filters would find them
        for key, value in (("country", "KE"), ("region", "002"), ("language", "es")):
            narrowed = BrowseFilters(**{**filters.__dict__, key: value})
            expected = listing_browse_queryset(kind=Kind.OFFER, filters=narrowed).count()
            assert result.facets[key].get(value, 0) == expected
        with_ldc = BrowseFilters(**{**filters.__dict__, "ldc": True})
        assert (
            result.facets["ldc"]
            == listing_browse_queryset(kind=Kind.OFFER, filters=with_ldc).count()
        )
        assert sum(result.facets["org_type"].values()) == result.total


@pytest.mark.parametrize("sort", ["newest", "expiring", "relevance"])
def test_browsing_follows_the_order_of_the_selectors(hashing, sort):
    seed_synthetic(needs=0, offers=30, embedder_name="hashing", progress=False)
    same_time = timezone.now() - timedelta(days=1)
    tied = list(Listing.objects.order_by("?").values_list("pk", flat=True)[:6])
    Listing.objects.filter(pk__in=tied).update(published_at=same_time, expires_at=same_time)

    result = search(sort=sort, region="002", page_size=50)

    filtered = listing_browse_queryset(kind=Kind.OFFER, filters=BrowseFilters(region="002"))
    expected = list(order_listings(filtered, sort).values_list("pk", flat=True))
    assert [x.pk for x in result.items] == expected


def test_filters_match_exactly_as_the_selectors_do(hashing):
    seed_synthetic(needs=30, offers=60, embedder_name="hashing", progress=False)
    cases = [
        {"country": "KE"},
        {"country": "sn"},
        {"country": "ZZ"},
        {"region": "002"},
        {"region": "419", "theme": ["ip-management"]},
        {"region": "145", "ldc": True},
        {"ldc": True},
        {"ldc": True, "language": "fr", "country": "SN"},
        {"theme": ["public-health", "green-innovation"]},
        {"theme": ["creative-industries"], "ip_area": ["copyright", "trademarks"]},
        {"assistance_type": ["training"], "modality": ["south-south"], "language": "es"},
        {"resource_type": ["financial"], "theme": ["no-such-theme"]},
        {"ip_area": ["patents"], "org_type": "academia", "region": "142"},
    ]
    for kind in Kind.values:
        for case in cases:
            filters = BrowseFilters(**case)
            result = listing_search(kind=kind, filters=filters, page_size=500)
            expected = listing_browse_queryset(kind=kind, filters=filters)
            assert {x.pk for x in result.items} == set(expected.values_list("pk", flat=True))
            assert result.total == expected.count(), (kind, case)
            # a vocabulary in use counts over what the other filters find, the others over
            # the results
            sql_counts = facet_counts(expected)
            for param, vocabulary in TERM_PARAMS.items():
                if getattr(filters, param):
                    wider = BrowseFilters(**{**case, param: []})
                    qs = listing_browse_queryset(kind=kind, filters=wider)
                    assert result.facets[vocabulary] == facet_counts(qs)[vocabulary], case
                else:
                    assert result.facets[vocabulary] == sql_counts[vocabulary], case


def test_pages_are_clamped_into_range(hashing):
    seed_synthetic(needs=0, offers=25, embedder_name="hashing", progress=False)

    last = search(page=99, page_size=10)
    assert (last.page, last.num_pages, len(last.items), last.total) == (3, 3, 5, 25)
    assert last.has_previous and not last.has_next
    assert (last.start_index, last.end_index) == (21, 25)
    assert search(page=0, page_size=10).page == 1


# --------------------------------------------------------------------------- text search
def test_a_query_finds_listings_by_their_words(hashing, make):
    course = make(**PATENT_COURSE)
    make(**COFFEE_EXPERTS)

    result = search(q="patent examination")

    assert [x.pk for x in result.items] == [course.pk]
    assert result.items[0].relevance > 0.2
    assert result.query == "patent examination"


def test_a_closer_match_ranks_first(hashing, make):
    make(**GREEN_GRANTS)
    course = make(**PATENT_COURSE)
    make(**COFFEE_EXPERTS)

    result = search(q="examination of pharmaceutical inventions by patent examiners")

    assert result.items[0].pk == course.pk
    assert result.items == sorted(result.items, key=lambda x: -x.relevance)


def test_filters_combine_with_the_query(hashing, make):
    make(**PATENT_COURSE)
    green_course = make(
        **{
            **PATENT_COURSE,
            "title": "Patent examination of solar technologies",
            "themes": ["green-innovation"],
        }
    )

    result = search(q="patent examination", theme=["green-innovation"])

    assert [x.pk for x in result.items] == [green_course.pk]
    # the theme in use counts over what the query and the other filters find: ticking
    # "public health" as well would add one listing
    assert result.facets["themes"] == {
        "green-innovation": 1,
        "public-health": 1,
        "ip-management": 1,
    }
    assert result.facets["ip_areas"] == {"patents": 1}


def test_a_ticked_vocabulary_counts_what_ticking_another_term_would_give(hashing, make):
    make(**PATENT_COURSE)  # public health + IP management, patents
    make(**{**PATENT_COURSE, "title": "Patent drafting clinic", "themes": ["public-health"]})
    make(**{**COFFEE_EXPERTS, "ip_areas": ["geographical-indications", "patents"]})
    make(**MUSIC_SOCIETY)

    health = search(theme=["public-health"])
    both = search(theme=["public-health", "food-security-agriculture"])
    narrowed = search(theme=["public-health"], ip_area=["patents"])

    assert health.total == 2
    # options of the ticked vocabulary: what the other filters (none here) find
    expected_themes = {
        theme: Listing.objects.filter(
            kind=Kind.OFFER, status=Status.PUBLISHED, terms__slug=theme
        ).count()
        for theme in ("public-health", "ip-management", "food-security-agriculture")
    }
    assert {k: health.facets["themes"][k] for k in expected_themes} == expected_themes
    # the food-security count is what ticking it as well gives
    assert both.total == health.total + health.facets["themes"]["food-security-agriculture"]
    # other vocabularies count within the results
    assert health.facets["ip_areas"] == {"patents": 2}
    # with two vocabularies in use, each counts over the results of the other one
    assert narrowed.total == 2
    assert narrowed.facets["ip_areas"]["patents"] == 2
    assert narrowed.facets["themes"]["food-security-agriculture"] == 1
    assert "creative-industries" not in narrowed.facets["themes"]


def test_facets_count_the_listings_that_match_the_query(hashing, make):
    make(**PATENT_COURSE)
    make(**{**PATENT_COURSE, "themes": ["public-health"]})
    make(**COFFEE_EXPERTS)

    result = search(q="patent examination")

    assert result.total == 2
    assert result.facets["themes"] == {"public-health": 2, "ip-management": 1}
    assert "geographical-indications" not in result.facets["ip_areas"]
    matched = Listing.objects.filter(pk__in=[x.pk for x in result.items])
    assert result.facets["ip_areas"] == facet_counts(matched)["ip_areas"]


def test_a_single_choice_filter_counts_what_choosing_another_value_would_give(hashing, make):
    make(**{**PATENT_COURSE, "delivery_languages": ["fr"]})
    make(**{**PATENT_COURSE, "title": "Patent examination workshop", "delivery_languages": ["es"]})
    make(**{**COFFEE_EXPERTS, "delivery_languages": ["es"]})

    result = search(q="patent examination", language="fr")

    assert result.total == 1
    assert result.facets["language"] == {"en": 2, "fr": 1, "es": 1}
    assert result.facets["themes"] == {"public-health": 1, "ip-management": 1}


def test_sorting_the_matches_by_date(hashing, make):
    first = make(**PATENT_COURSE)
    second = make(**{**PATENT_COURSE, "title": "Patent examination workshop"})
    make(**COFFEE_EXPERTS)
    Listing.objects.filter(pk=second.pk).update(
        published_at=timezone.now() - timedelta(days=30),
        expires_at=timezone.now() + timedelta(days=2),
    )

    newest = search(q="patent examination", sort="newest")
    expiring = search(q="patent examination", sort="expiring")

    assert [x.pk for x in newest.items] == [first.pk, second.pk]
    assert [x.pk for x in expiring.items] == [second.pk, first.pk]


def test_an_unrelated_query_finds_nothing(use_model, make):
    make(**PATENT_COURSE)
    make(**COFFEE_EXPERTS)
    make(**MUSIC_SOCIETY)

    for query in ("recette de gâteau au chocolat", "football match tonight", "天气预报"):
        result = search(q=query)
        assert (result.total, result.items, result.num_pages) == (0, [], 1), query
        assert all(not counts for counts in result.facets.values() if isinstance(counts, dict))


def test_a_french_query_finds_an_english_offer_about_the_same_thing(use_model, make):
    course = make(**PATENT_COURSE)
    music = make(**MUSIC_SOCIETY)
    make(**COFFEE_EXPERTS)

    result = search(q="formation des examinateurs de brevets pharmaceutiques")

    assert result.items[0].pk == course.pk
    assert music.pk not in [x.pk for x in result.items]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("تدريب فاحصي البراءات", "PATENT_COURSE"),  # Arabic: training patent examiners
        ("音乐著作权集体管理", "MUSIC_SOCIETY"),  # Chinese: collective management of music rights
        ("обучение патентных экспертов", "PATENT_COURSE"),  # Russian
        ("financiación de licencias de tecnologías verdes", "GREEN_GRANTS"),  # Spanish
    ],
)
def test_queries_in_other_un_languages_find_english_offers(use_model, make, query, expected):
    made = {
        name: make(**globals()[name]) for name in ("PATENT_COURSE", "MUSIC_SOCIETY", "GREEN_GRANTS")
    }

    result = search(q=query)

    assert result.items and result.items[0].pk == made[expected].pk
    unrelated = [made[name].pk for name in made if name != expected]
    ranks = [x.pk for x in result.items]
    assert all(pk not in ranks or ranks.index(pk) > 0 for pk in unrelated)


def test_an_english_query_finds_chinese_and_arabic_needs(use_model, make):
    chinese = make(
        NeedFactory,
        language="zh",
        title="茶叶地理标志保护",
        summary="我们的茶农合作社希望注册地理标志并建立质量控制体系。",
        description="合作社有两千名茶农，需要专家帮助起草产品规范和检查制度。",
        themes=["food-security-agriculture"],
        ip_areas=["geographical-indications"],
    )
    arabic = make(
        NeedFactory,
        language="ar",
        title="تدريب فاحصي البراءات على الطلبات الدوائية",
        summary="يحتاج مكتب البراءات إلى برنامج تدريبي لفاحصي طلبات البراءات الدوائية.",
        description="نحتاج إلى تدريب عملي لنحو خمسة وعشرين فاحصا حول الجدة والنشاط الابتكاري.",
        themes=["public-health"],
        ip_areas=["patents"],
    )

    tea = search(Kind.NEED, q="geographical indication for tea growers")
    patents = search(Kind.NEED, q="training of pharmaceutical patent examiners")

    assert tea.items[0].pk == chinese.pk
    assert patents.items[0].pk == arabic.pk


def test_chinese_and_arabic_words_are_matched_within_their_language(hashing, make):
    chinese = make(
        NeedFactory,
        language="zh",
        title="商标网上申请系统",
        summary="我们需要建设商标网上申请与注册系统。",
        description="希望获得软件和专家咨询。",
    )
    arabic = make(
        NeedFactory,
        language="ar",
        title="حماية العلامات التجارية",
        summary="نحتاج إلى تدريب على فحص العلامات التجارية.",
        description="يشارك نحو عشرين موظفا.",
    )

    assert [x.pk for x in search(Kind.NEED, q="商标").items] == [chinese.pk]
    # another written form of the same Arabic word ("the trademarks" / "trademarks")
    assert [x.pk for x in search(Kind.NEED, q="علامات تجارية").items] == [arabic.pk]


# --------------------------------------------------------------------------- the cache
def test_the_cache_follows_an_edit_without_a_full_reload(
    hashing, make, django_capture_on_commit_callbacks
):
    course = make(**PATENT_COURSE)
    assert [x.pk for x in search(q="patent examination").items] == [course.pk]
    index = listing_index(Kind.OFFER)
    loads = index.loads

    data = listing_data(Kind.OFFER, **{**MUSIC_SOCIETY, "language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_update(user=course.created_by, listing=course, data=data)
        # a member's change to a published listing is live once a facilitator accepts it
        services.listing_revision_accept(
            facilitator=FacilitatorFactory(), revision=services.pending_revision_of(course)
        )

    assert search(q="patent examination").items == []
    assert [x.pk for x in search(q="collective management music").items] == [course.pk]
    assert search(q="music").facets["themes"] == {"creative-industries": 1}
    assert index.loads == loads


def test_the_cache_sees_a_newly_published_listing(hashing, make):
    make(**COFFEE_EXPERTS)
    assert search(q="patent examination").total == 0

    course = make(**PATENT_COURSE)

    assert [x.pk for x in search(q="patent examination").items] == [course.pk]


@pytest.mark.parametrize("deleted", ["older", "newest"])
def test_a_deleted_listing_is_never_returned(hashing, make, deleted):
    older = make(**PATENT_COURSE)
    newest = make(**{**PATENT_COURSE, "title": "Patent examination workshop"})
    assert search(q="patent examination").total == 2
    gone, kept = (older, newest) if deleted == "older" else (newest, older)

    Listing.objects.filter(pk=gone.pk).delete()

    assert [x.pk for x in search(q="patent examination").items] == [kept.pk]
    browse = search()
    assert [x.pk for x in browse.items] == [kept.pk]
    assert browse.facets["ip_areas"] == {"patents": 1}
    if deleted == "newest":  # the newest change went back in time: the cache was compared
        assert gone.pk not in listing_index(Kind.OFFER).row_of


def test_a_listing_closed_after_indexing_disappears_from_results(hashing, make):
    course = make(**PATENT_COURSE)
    assert search(q="patent").total == 1

    services.listing_close(user=course.created_by, listing=course, reason="fulfilled")

    assert search(q="patent").total == 0
    assert search().total == 0


def test_a_listing_without_embedding_is_still_found_by_its_words(hashing, make):
    course = make(**PATENT_COURSE)
    Listing.objects.filter(pk=course.pk).update(embedding=None, embedding_model="")

    assert [x.pk for x in search(q="patent examination").items] == [course.pk]
    row = listing_index(Kind.OFFER).row_of[course.pk]
    assert not np.any(listing_index(Kind.OFFER).emb[row])


# --------------------------------------------------------------------------- query counts
@pytest.mark.parametrize("query", ["", "online programme for participants"])
def test_a_search_runs_the_same_queries_whatever_the_page_size(
    hashing, query, django_assert_num_queries
):
    seed_synthetic(needs=0, offers=120, embedder_name="hashing", progress=False)
    filters = BrowseFilters(q=query)
    first = listing_search(kind=Kind.OFFER, filters=filters, page=1, page_size=10)  # warm cache
    assert first.total >= 10

    expected = 6
    with django_assert_num_queries(expected):
        small = listing_search(kind=Kind.OFFER, filters=filters, page=1, page_size=10)
    with django_assert_num_queries(expected):
        large = listing_search(kind=Kind.OFFER, filters=filters, page=1, page_size=50)
    assert len(small.items) == 10
    assert len(large.items) == min(50, large.total)
    for item in large.items:  # nothing left to load lazily on a card
        item.organisation.country.iso2, list(item.terms.all()), list(item.countries.all())
