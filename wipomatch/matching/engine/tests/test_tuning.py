from wipomatch.matching.engine.benchmark import EngineRanker, parse_benchmark
from wipomatch.matching.engine.tuning import cross_validate, split_needs

from .test_benchmark import VALID


def test_two_fold_cross_validation_reports_both_halves(geography, embedder):
    benchmark = parse_benchmark(VALID)
    halves = split_needs(benchmark)
    assert halves == ({"N1"}, {"N2"})
    ranker = EngineRanker(benchmark, geography=geography, embedder=embedder)
    report = cross_validate(benchmark, ranker, grid={"lexical": (0.0, 0.2), "themes": (0.2,)})
    assert report["grid_size"] == 2
    assert [fold["fitted_on"] for fold in report["folds"]] == ["half 1", "half 2"]
    assert 0.0 <= report["defaults"]["ndcg@10 half 1"] <= 1.0
