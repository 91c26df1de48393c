import json

import pytest

from wipomatch.matching.engine.benchmark import BenchmarkError
from wipomatch.matching.engine.cli import (
    bench_json,
    format_bench,
    format_report,
    json_result,
    run_bench,
    run_evaluation,
)

from .test_benchmark import VALID


@pytest.fixture
def bench_file(tmp_path):
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(VALID), encoding="utf-8")
    return path


def test_evaluation_reports_engine_and_baseline_side_by_side(bench_file, embedder):
    result = run_evaluation(bench_file, k=10, embedder=embedder)
    out = json_result(result)
    assert set(out) == {
        "engine",
        "k",
        "needs",
        "metrics",
        "by_language",
        "cross_lingual",
        "baseline",
        "facets_baseline",
        "lead",
    }
    assert out["engine"] == "hybrid" and out["k"] == 10 and out["needs"] == 2
    # the facets-only baseline says what the text signals add; BM25 what the rest adds
    assert out["facets_baseline"]["engine"] == "facets"
    assert set(out["lead"]) == {"bm25", "facets"}
    assert set(out["metrics"]) == {"ndcg@10", "mrr", "recall@10", "recall@50"}
    assert out["baseline"]["engine"] == "bm25"
    assert set(out["baseline"]) == {"engine", "metrics", "cross_lingual"}
    json.dumps(out)
    report = format_report(result)
    assert "hybrid overall" in report and "bm25 overall" in report and "cross-lingual" in report
    assert "facets only overall" in report and "what the text signals add" in report


def test_bm25_alone(bench_file):
    result = run_evaluation(bench_file, engine="bm25")
    assert result["engine"] == "bm25" == result["baseline"]["engine"]


def test_errors(bench_file, tmp_path):
    with pytest.raises(ValueError, match="unknown engine"):
        run_evaluation(bench_file, engine="magic")
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(BenchmarkError, match="top level"):
        run_evaluation(bad, engine="bm25")


def test_speed_benchmark_runs_small(embedder):
    messages = []
    result = run_bench(
        300, 30, n_queries=20, embedder=embedder, progress=messages.append, n_refreshes=5
    )
    out = bench_json(result)
    assert set(out) == {
        "offers",
        "needs",
        "queries",
        "k",
        "build_seconds",
        "peak_memory_mb",
        "latency_ms",
        "refresh_ms",
    }
    assert out["k"] == 20
    # the refresh (update + 1 + k searches) costs more than one query
    assert out["refresh_ms"]["p50"] > out["latency_ms"]["p50"]
    assert result["details"]["tokenise_seconds"] > 0
    assert out["offers"] == 300 and out["needs"] == 30 and out["queries"] == 20
    assert set(out["latency_ms"]) == {"p50", "p95", "p99"}
    assert out["latency_ms"]["p50"] <= out["latency_ms"]["p99"]
    assert messages and "300 offers" in format_bench(result)
    assert "tokenising every listing" in format_bench(result)
    assert "tokenised 330 listings" in " ".join(messages)
