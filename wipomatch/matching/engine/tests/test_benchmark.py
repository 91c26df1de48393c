import copy
import json

import pytest

from wipomatch.matching.engine.benchmark import (
    BenchmarkError,
    BM25Ranker,
    EngineRanker,
    load_benchmark,
    load_taxonomy,
    parse_benchmark,
    run_ranker,
)

from .conftest import DATA_DIR

VALID = {
    "name": "tiny",
    "needs": [
        {
            "ref": "N1",
            "title": "Patent examiner training",
            "description": "We need training for patent examiners.",
            "language": "en",
            "country": "KE",
            "organisation_type": "ip-office",
            "themes": ["ip-management"],
            "ip_areas": ["patents"],
            "assistance_types": ["training"],
        },
        {
            "ref": "N2",
            "title": "Formation au droit d'auteur",
            "description": "Nous avons besoin d'une formation sur le droit d'auteur musical.",
            "language": "fr",
            "country": "SN",
            "organisation_type": "ngo",
            "themes": ["creative-industries"],
            "ip_areas": ["copyright"],
            "assistance_types": ["training"],
        },
    ],
    "offers": [
        {
            "ref": "O1",
            "title": "Training for patent examiners",
            "description": "Our office trains patent examiners from developing countries.",
            "language": "en",
            "country": "SG",
            "organisation_type": "ip-office",
            "themes": ["ip-management"],
            "ip_areas": ["patents"],
            "assistance_types": ["training"],
            "resource_types": ["human"],
            "eligible_countries": [],
            "eligible_regions": ["002", "142"],
            "delivery_languages": ["en"],
        },
        {
            "ref": "O2",
            "title": "Droit d'auteur et gestion collective",
            "description": "Formation sur le droit d'auteur et la gestion collective musicale.",
            "language": "fr",
            "country": "FR",
            "organisation_type": "government",
            "themes": ["creative-industries"],
            "ip_areas": ["copyright"],
            "assistance_types": ["training"],
            "resource_types": ["human"],
            "eligible_countries": ["SN", "CI"],
            "eligible_regions": [],
            "delivery_languages": ["fr"],
        },
    ],
    "judgements": [
        {"need": "N1", "offer": "O1", "relevance": 3},
        {"need": "N1", "offer": "O2", "relevance": 0},
        {"need": "N2", "offer": "O2", "relevance": 3},
        {"need": "N2", "offer": "O1", "relevance": 1},
    ],
}


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(DATA_DIR / "taxonomy.json")


def broken(change):
    data = copy.deepcopy(VALID)
    change(data)
    return data


def test_valid_file_loads(tmp_path, taxonomy, geography):
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(VALID), encoding="utf-8")
    benchmark = load_benchmark(path, taxonomy, geography)
    assert [n.ref for n in benchmark.needs] == ["N1", "N2"]
    assert benchmark.judgements["N2"] == {"O2": 3, "O1": 1}
    assert benchmark.offers[0].eligible_regions == ("002", "142")


def test_invalid_json_names_the_position(tmp_path):
    path = tmp_path / "bench.json"
    path.write_text('{"name": "x", "needs": [', encoding="utf-8")
    with pytest.raises(BenchmarkError, match="invalid JSON at line 1"):
        load_benchmark(path)


def test_missing_file(tmp_path):
    with pytest.raises(BenchmarkError, match="file not found"):
        load_benchmark(tmp_path / "missing.json")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.pop("judgements"), "missing top-level key"),
        (lambda d: d.__setitem__("needs", {}), "needs must be a list"),
        (lambda d: d["needs"][0].pop("country"), r"needs\[0\] \(ref 'N1'\): missing key"),
        (lambda d: d["offers"][1].pop("delivery_languages"), "missing key.*delivery_languages"),
        (lambda d: d["needs"][1]["themes"].append("space-travel"), "unknown themes slug"),
        (lambda d: d["offers"][0]["ip_areas"].append("patent"), "unknown ip_areas slug"),
        (lambda d: d["offers"][0].__setitem__("resource_types", ["gold"]), "resource_types"),
        (lambda d: d["needs"][0].__setitem__("organisation_type", "club"), "organisation_type"),
        (lambda d: d["needs"][0].__setitem__("themes", "ip-management"), "list of strings"),
        (lambda d: d["offers"][1].__setitem__("ref", "O1"), "duplicate ref 'O1'"),
        (
            lambda d: d["judgements"].append({"need": "N9", "offer": "O1", "relevance": 1}),
            "unknown need ref 'N9'",
        ),
        (
            lambda d: d["judgements"].append({"need": "N1", "offer": "O7", "relevance": 1}),
            "unknown offer ref 'O7'",
        ),
        (
            lambda d: d["judgements"].append({"need": "N1", "offer": "O1", "relevance": 2}),
            "duplicate judgement",
        ),
        (lambda d: d["judgements"][0].__setitem__("relevance", 4), "relevance must be"),
        (lambda d: d["judgements"][0].__setitem__("relevance", True), "relevance must be"),
        (lambda d: d["needs"][0].__setitem__("country", "Kenya"), "ISO 3166-1"),
        (lambda d: d["needs"][0].__setitem__("country", "XX"), "unknown country code"),
        (lambda d: d["offers"][0].__setitem__("eligible_regions", ["Africa"]), "M49"),
    ],
)
def test_problems_are_named(change, message, taxonomy, geography):
    with pytest.raises(BenchmarkError, match=message):
        parse_benchmark(broken(change), taxonomy, geography)


def test_rankers_and_metrics_on_the_tiny_set(taxonomy, geography, embedder):
    benchmark = parse_benchmark(VALID, taxonomy, geography)
    engine = run_ranker(benchmark, EngineRanker(benchmark, geography=geography, embedder=embedder))
    baseline = run_ranker(benchmark, BM25Ranker(benchmark))
    assert engine.overall.values["ndcg@10"] == pytest.approx(1.0)
    assert baseline.overall.values["ndcg@10"] == pytest.approx(1.0)
    assert set(engine.by_language) == {"en", "fr"}
    # cross-lingual: N1 has no relevant French offer (left out), N2's English O1 has rel 1
    assert engine.cross_lingual.needs == 1
