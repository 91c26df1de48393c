from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from wipomatch.matching.engine.collection import Collection
from wipomatch.matching.engine.config import EngineConfig
from wipomatch.matching.engine.signals import (
    assistance,
    eligibility,
    facet_overlap,
    filter_mask,
    language_match,
    priors,
    semantic,
)

from .factories import need, offer

DIM = 4


def collection_of(docs, geography, kind=None):
    kind = kind or docs[0].kind
    collection = Collection(kind, DIM, geography, 1.2, 0.75)
    vectors = np.eye(DIM, dtype=np.float32)[: len(docs)] if len(docs) <= DIM else None
    if vectors is None:
        vectors = np.random.default_rng(0).standard_normal((len(docs), DIM))
    collection.bulk_load(docs, vectors)
    return collection


def rows(collection):
    return np.arange(collection.size)


def test_facet_overlap_is_the_share_of_the_needs_labels_in_both_directions(geography):
    offers = collection_of(
        [
            offer("A", ip_areas=("patents", "trademarks")),
            offer("B", ip_areas=("patents",)),
            offer("C", ip_areas=("copyright",)),
            offer("D", ip_areas=()),
        ],
        geography,
    )
    seeker = need("N", ip_areas=("patents", "trademarks"))
    shares = facet_overlap(seeker, offers, "ip_areas", True, rows(offers))
    assert shares.tolist() == [1.0, 0.5, 0.0, 0.0]

    needs = collection_of(
        [need("N1", ip_areas=("patents", "trademarks")), need("N2", ip_areas=())], geography
    )
    provider = offer("O", ip_areas=("patents",))
    # same value for (N1, O) whichever side is the query; a need without labels shares nothing
    assert facet_overlap(provider, needs, "ip_areas", False, rows(needs)).tolist() == [0.5, 0.0]


def test_assistance_counts_listed_types_and_gives_partial_credit_for_resources(geography):
    offers = collection_of(
        [
            offer("listed", assistance_types=("funding",), resource_types=("financial",)),
            offer("resource", assistance_types=("event",), resource_types=("financial",)),
            offer("neither", assistance_types=("training",), resource_types=("human",)),
        ],
        geography,
    )
    seeker = need("N", assistance_types=("funding", "training"))
    credit = assistance(seeker, offers, True, rows(offers))
    # listed: funding 1 + training 0 -> 0.5; resource: funding via financial 0.5 -> 0.25;
    # neither: training 1 -> 0.5
    assert credit.tolist() == pytest.approx([0.5, 0.25, 0.5])

    needs = collection_of([seeker, need("M", assistance_types=("training",))], geography)
    reverse = assistance(
        offer("resource", assistance_types=("event",), resource_types=("financial",)),
        needs,
        False,
        rows(needs),
    )
    assert reverse.tolist() == pytest.approx([0.25, 0.0])


def test_language_match_uses_delivery_languages_or_the_written_language(geography):
    offers = collection_of(
        [
            offer("fr", language="en", delivery_languages=("fr", "en")),
            offer("en-only", language="en", delivery_languages=("en",)),
            offer("unstated", language="fr", delivery_languages=()),
        ],
        geography,
    )
    seeker = need("N", language="fr")
    assert language_match(seeker, offers, True, rows(offers)).tolist() == [1.0, 0.0, 1.0]
    bilingual = need("M", language="en", languages=("fr",))
    assert language_match(bilingual, offers, True, rows(offers)).tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize(
    "country, expected",
    [
        # worldwide, listed country (KE), Africa region 002, Eastern Africa intermediate 014,
        # Latin America 419
        ("KE", [True, True, True, True, False]),
        ("SN", [True, False, True, False, False]),  # Western Africa: in 002, not in 014
        ("HN", [True, False, False, False, True]),
        ("FR", [True, False, False, False, False]),
        ("", [True, True, True, True, True]),  # unknown seeker country cannot be excluded
    ],
)
def test_eligibility_by_country_region_and_subregion(geography, country, expected):
    offers = collection_of(
        [
            offer("world"),
            offer("kenya", eligible_countries=("KE", "UG")),
            offer("africa", eligible_regions=("002",)),
            offer("east-africa", eligible_regions=("14",)),
            offer("latam", eligible_regions=("419",)),
        ],
        geography,
    )
    assert eligibility(need("N", country=country), offers, True).tolist() == expected


def test_eligibility_seen_from_an_offer(geography):
    needs = collection_of(
        [need("ke", country="KE"), need("hn", country="HN"), need("none", country="")],
        geography,
    )
    restricted = offer("O", eligible_countries=("HN",), eligible_regions=("202",))
    assert eligibility(restricted, needs, False).tolist() == [True, True, True]
    only_asia = offer("O", eligible_regions=("142",))
    assert eligibility(only_asia, needs, False).tolist() == [False, False, True]


def test_semantic_centring_removes_the_direction_shared_by_a_language(geography):
    # Two French offers share a strong "French" direction e0; topics are e1 and e2.
    offers = Collection("offer", 3, geography, 1.2, 0.75)
    offers.bulk_load(
        [offer("fr-topic1", language="fr"), offer("fr-topic2", language="fr")],
        np.array([[1.0, 0.3, 0.0], [1.0, 0.0, 0.3]], dtype=np.float32),
    )
    query = np.array([0.0, 0.0, 1.0], dtype=np.float32)  # an English need about topic 2
    plain = semantic(offers, query, None, np.arange(2))
    centred = semantic(offers, query, query, np.arange(2))
    # rows are normalised: topic-2 offer = (0.958, 0, 0.287); the French mean (0.958, .144, .144)
    assert plain[1] == pytest.approx(0.287, abs=1e-3)  # the shared direction dilutes the cosine
    assert centred[1] == pytest.approx(0.707, abs=1e-3)  # (0.287 - 0.144) / 0.2035
    assert centred[0] == pytest.approx(-0.707, abs=1e-3)


def test_priors_are_small_signed_and_neutral_when_unknown(geography):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    offers = collection_of(
        [
            offer("new", published_at=now, responsiveness=1.0, country="BR"),
            offer("old", published_at=now - timedelta(days=3650), responsiveness=0.0),
            offer("unknown", country="IN"),
        ],
        geography,
    )
    config = EngineConfig()
    seeker = need("N", country="KE", south_south_preferred=True)
    parts = priors(seeker, offers, True, config, now, rows(offers))
    assert parts["freshness"][0] == pytest.approx(config.freshness_weight)
    assert parts["freshness"][1] < 0
    assert parts["freshness"][2] == 0.0
    assert parts["responsiveness"].tolist() == pytest.approx(
        [config.responsiveness_weight, -config.responsiveness_weight, 0.0]
    )
    # BR and IN are in the South, CH (the default provider country) is not
    assert parts["south_south"].tolist() == pytest.approx(
        [config.south_south_weight, 0.0, config.south_south_weight]
    )
    no_preference = priors(need("M", country="KE"), offers, True, config, now, rows(offers))
    assert "south_south" not in no_preference


def test_filters_are_conjunctive_across_keys_and_disjunctive_within(geography):
    offers = collection_of(
        [
            offer("a", themes=("public-health",), language="en"),
            offer("b", themes=("green-innovation",), language="fr"),
            offer("c", themes=("public-health",), language="fr"),
        ],
        geography,
    )
    mask = filter_mask(offers, {"themes": ["public-health", "other"], "written_languages": "fr"})
    assert mask.tolist() == [False, False, True]
    assert filter_mask(offers, {"exclude_languages": ["fr"]}).tolist() == [True, False, False]
    assert filter_mask(offers, {"exclude_refs": ["a"]}).tolist() == [False, True, True]
    with pytest.raises(ValueError, match="unknown filter"):
        filter_mask(offers, {"colour": ["blue"]})
