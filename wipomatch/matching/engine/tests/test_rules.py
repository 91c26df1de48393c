"""Rules every suggestion list keeps: never the own organisation, requested delivery languages
first, and matched phrases that are content words (none rather than noise)."""

import pytest

from wipomatch.matching.engine.config import ConfigError, EngineConfig
from wipomatch.matching.engine.explain import matched_phrases
from wipomatch.matching.engine.index import MatchIndex

from .factories import need, offer


def build(offers, needs, embedder, geography, **config):
    return MatchIndex.build(
        offers, needs, config=EngineConfig(**config), embedder=embedder, geography=geography
    )


# ----------------------------------------------------------------- own organisation
def test_a_need_is_never_suggested_its_own_organisations_offer(embedder, geography):
    mine = offer("O1", organisation="7")  # identical text: it would rank first
    theirs = offer("O2", organisation="8", title="Course for examiners", description="Patents.")
    seeker = need("N1", organisation="7")
    index = build([mine, theirs], [seeker], embedder, geography)
    refs = [s.ref for s in index.search(seeker, k=10)]
    assert refs == ["O2"]
    assert "O1" not in index.rank(seeker).refs + index.rank(seeker).excluded


def test_an_offer_is_never_suggested_its_own_organisations_need(embedder, geography):
    provider = offer("O1", organisation="7")
    own_need = need("N1", organisation="7")
    other_need = need("N2", organisation="9")
    index = build([provider], [own_need, other_need], embedder, geography)
    assert [s.ref for s in index.search_needs(provider, k=10)] == ["N2"]


def test_unknown_organisations_are_not_mistaken_for_the_same_one(embedder, geography):
    index = build([offer("O1")], [need("N1")], embedder, geography)
    assert [s.ref for s in index.search(need("N1"), k=10)] == ["O1"]


def test_an_offer_moved_to_another_organisation_is_suggested_again(embedder, geography):
    seeker = need("N1", organisation="7")
    index = build([offer("O1", organisation="7")], [seeker], embedder, geography)
    assert index.search(seeker, k=10) == []
    index.add(offer("O1", organisation="8"))
    assert [s.ref for s in index.search(seeker, k=10)] == ["O1"]


# ----------------------------------------------------------------- delivery language
def _language_market():
    # The Chinese-only offer is the better text match; the English one must still come first.
    chinese = offer("O1", delivery_languages=("zh",))
    english = offer(
        "O2",
        title="Workshops on examination practice",
        description="Examiners learn search and examination.",
        delivery_languages=("en", "fr"),
    )
    unknown = offer("O3", title="Patent examination", description="Help.", language="")
    object.__setattr__(unknown, "delivery_languages", ())
    return [chinese, english, unknown]


def test_offers_not_delivered_in_a_requested_language_come_after_the_others(embedder, geography):
    seeker = need("N1", languages=("en",))
    index = build(_language_market(), [seeker], embedder, geography)
    results = index.search(seeker, k=10)
    refs = [s.ref for s in results]
    assert refs[-1] == "O1"
    assert set(refs[:2]) == {"O2", "O3"}  # unknown delivery language is not a conflict
    last = results[-1].explanation
    assert last.language_mismatch
    assert last.delivery_languages == ("zh",)
    assert last.requested_languages == ("en",)
    assert not results[0].explanation.language_mismatch
    assert index.rank(seeker).refs[-1] == "O1"


def test_filter_mode_drops_them_and_ignore_mode_keeps_the_score_order(embedder, geography):
    seeker = need("N1", languages=("en",))
    filtering = build(_language_market(), [seeker], embedder, geography, delivery_language="filter")
    assert "O1" not in [s.ref for s in filtering.search(seeker, k=10)]
    ignoring = build(_language_market(), [seeker], embedder, geography, delivery_language="ignore")
    assert "O1" in [s.ref for s in ignoring.search(seeker, k=10)]
    with pytest.raises(ConfigError):
        EngineConfig(delivery_language="sometimes")


def test_a_seeker_who_names_no_language_is_not_constrained(embedder, geography):
    seeker = need("N1")  # written in English, no delivery language asked for
    index = build(_language_market(), [seeker], embedder, geography)
    results = index.search(seeker, k=10)
    assert not any(s.explanation.language_mismatch for s in results)
    assert "O1" in [s.ref for s in results]


def test_the_provider_side_sees_the_same_order(embedder, geography):
    chinese = offer("O1", delivery_languages=("zh",))
    wants_english = need("N1", languages=("en",))
    anything = need("N2", title="Training of examiners", description="Training please.")
    index = build([chinese], [wants_english, anything], embedder, geography)
    refs = [s.ref for s in index.search_needs(chinese, k=10)]
    assert refs == ["N2", "N1"]


# ----------------------------------------------------------------- matched phrases
def _weights(*terms):
    return dict.fromkeys(terms, 1.0)


@pytest.mark.parametrize(
    ("need_text", "offer_text", "weights", "expected"),
    [
        (
            "We want help this year with a new patent examination manual.",
            "Every year we want to offer a new patent examination course.",
            _weights("want", "year", "new", "patent", "examination", "help"),
            ["patent examination"],
        ),
        (
            "Nous voulons cette année une formation nouvelle sur les indications géographiques.",
            "Chaque année, une nouvelle formation sur les indications géographiques.",
            _weights("annee", "nouvelle", "formation", "indication", "geographique"),
            ["formation", "indications géographiques"],
        ),
        (
            "Queremos este año apoyo para nuevas marcas colectivas.",
            "Cada año ofrecemos apoyo a nuevas marcas colectivas.",
            _weights("ano", "apoyo", "nueva", "marca", "colectiva"),
            ["marcas colectivas"],
        ),
        (
            "Нам нужна в этом году помощь по товарным знакам.",
            "Каждый год помощь по товарным знакам.",
            _weights("год", "помощ", "товарн", "знак"),
            ["товарным знакам"],
        ),
        (
            "نحتاج هذا العام إلى دعم جديد في تدريب فاحصي البراءات",
            "نقدم كل عام دعم جديد لتدريب فاحصي براءات الاختراع",
            _weights("عام", "دعم", "جديد", "تدريب", "فاحص", "براء"),
            ["فاحصي البراءات"],
        ),
        (
            "我们希望今年提供新的专利审查培训",
            "每年提供新的专利审查培训",
            _weights("希望", "今年", "提供", "新", "专利", "审查", "培训"),
            ["专利审查培训"],
        ),
    ],
)
def test_phrases_skip_common_words_in_every_language(need_text, offer_text, weights, expected):
    from wipomatch.matching.engine.tokenize import terms

    # index terms as the tokenizer writes them (stems), so the weights line up
    shared = set(terms(need_text)) & set(terms(offer_text))
    weights = dict.fromkeys(shared, 1.0)
    shown = [p.need for p in matched_phrases(need_text, offer_text, weights)]
    assert shown == expected or set(shown) == set(expected), shown


def test_only_common_words_in_common_gives_no_phrase():
    text_a = "We want to start next year with a new plan."
    text_b = "Next year, a new start: we want a plan too."
    from wipomatch.matching.engine.tokenize import terms

    shared = dict.fromkeys(set(terms(text_a)) & set(terms(text_b)), 1.0)
    shown = [p.need for p in matched_phrases(text_a, text_b, shared)]
    assert "want" not in shown and "year" not in shown and "new" not in shown
    assert shown in ([], ["plan"])


def test_light_phrases_are_dropped_next_to_heavy_ones():
    phrases = matched_phrases(
        "Geographical indications for coffee cooperatives, then training",
        "Training, then geographical indications for coffee cooperatives",
        {
            "training": 0.2,
            "geographical": 3.0,
            "indication": 3.0,
            "coffee": 2.5,
            "cooperative": 2.0,
        },
        min_share=0.3,
    )
    shown = [p.need for p in phrases]
    assert "Training" not in shown
    assert shown == ["Geographical indications for coffee cooperatives"]
