import json

from wipomatch.matching.engine.explain import eligibility_of, explain_pair, matched_phrases

from .factories import need, offer


def weights_for(*terms_):
    return dict.fromkeys(terms_, 1.0)


def test_shared_phrases_are_quoted_from_each_text():
    phrases = matched_phrases(
        "We need training on collective management of music rights.",
        "Collective management organisations receive training.",
        weights_for("collective", "management", "training", "music"),
    )
    quoted = {(p.need, p.offer) for p in phrases}
    assert ("collective management", "Collective management") in quoted
    assert ("training", "training") in quoted
    assert all(p.need != "music" for p in phrases)  # not in the offer


def test_chinese_phrases():
    phrases = matched_phrases(
        "老挝需要植物新品种保护和DUS测试培训",
        "我们提供植物新品种DUS测试指南编制培训",
        weights_for("植物", "新品", "新品种", "品种", "dus", "测试", "培训"),
    )
    texts = [p.need for p in phrases]
    assert texts == ["植物新品种", "DUS测试", "培训"]
    # jieba sub-words ("品种") of a phrase already shown are not listed again


def test_arabic_phrases_match_across_written_forms():
    phrases = matched_phrases(
        "نحتاج إلى تدريب فاحصي البراءات",
        "برنامج لتدريب فاحصي براءات الاختراع",
        weights_for("تدريب", "فاحص", "براء"),
    )
    pairs = {(p.need, p.offer) for p in phrases}
    assert ("فاحصي البراءات", "فاحصي براءات") in pairs


def test_no_weights_no_phrases():
    assert matched_phrases("patent training", "patent training", {}) == []


def test_eligibility_reasons(geography):
    kenya = need("N", country="KE")
    assert eligibility_of(kenya, offer("O"), geography).status == "worldwide"
    assert eligibility_of(kenya, offer("O", eligible_countries=("KE",)), geography).status == (
        "country"
    )
    region = eligibility_of(kenya, offer("O", eligible_regions=("202", "419")), geography)
    assert (region.status, region.regions) == ("region", ("202",))
    assert not eligibility_of(kenya, offer("O", eligible_regions=("419",)), geography).eligible
    assert eligibility_of(need("N", country=""), offer("O", eligible_regions=("419",)), geography)


def test_explanation_structure_is_data_not_sentences(geography):
    seeker = need(
        "N",
        language="fr",
        languages=("en",),
        assistance_types=("funding", "training"),
        themes=("ip-management", "other"),
    )
    provider = offer(
        "O",
        language="es",
        assistance_types=("training",),
        resource_types=("financial",),
        delivery_languages=("es", "en"),
    )
    explanation = explain_pair(
        seeker,
        provider,
        geography,
        contributions={"semantic": 1.2, "lexical": -0.1, "ip_areas": 0.4},
    )
    assert explanation.shared_themes == ("ip-management",)
    assert explanation.matching_assistance_types == ("training",)
    assert explanation.serving_resource_types == ("financial",)  # funding <- financial
    assert explanation.shared_languages == ("en",)
    assert explanation.cross_lingual
    assert explanation.strongest_signals == ("semantic", "ip_areas")
    data = json.loads(json.dumps(explanation.to_dict()))
    assert data["eligibility"] == {"status": "worldwide", "regions": [], "eligible": True}
    assert data["cross_lingual"] is True
