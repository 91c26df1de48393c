"""Plain functions behind the `evaluate_matching` and `bench_matching` management commands.

They take paths and numbers and return dicts, so they can be run and tested without Django:

    python -m wipomatch.matching.engine.cli evaluate PATH [--k 10] [--engine hybrid] [--json]
    python -m wipomatch.matching.engine.cli bench --offers 100000 [--needs M] [--queries Q]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .benchmark import (
    BenchmarkError,
    BM25Ranker,
    EngineRanker,
    RankerReport,
    load_benchmark,
    load_taxonomy,
    run_rankers,
)
from .config import EngineConfig
from .embedding import Embedder, USEEmbedder, embed_documents
from .geography import Geography, load_geography
from .index import MatchIndex
from .metrics import metric_names
from .synthetic import generate_catalogue
from .tokenize import clear_cache, terms_uncached
from .tuning import cross_validate

__all__ = [
    "DEFAULT_DATA_DIR",
    "ENGINES",
    "format_bench",
    "format_report",
    "load_reference",
    "run_bench",
    "run_crossval",
    "run_evaluation",
]

# wipomatch/reference/data, found relative to this file so that no Django setting is needed
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "reference" / "data"
# engine name -> config overrides applied on top of the configured EngineConfig
ENGINES: dict[str, dict[str, Any] | None] = {
    "hybrid": {},
    # embeddings only (still eligibility-aware): shows what the other signals add
    "semantic": {
        "weights": {"lexical": 0, "themes": 0, "ip_areas": 0, "assistance": 0, "language": 0}
    },
    # facets and priors only, no text signal: what the text signals add is the lead over it
    "facets": {"weights": {"semantic": 0, "lexical": 0}},
    "bm25": None,  # the lexical baseline alone
}

Progress = Callable[[str], None]


def load_reference(data_dir: str | Path | None = None) -> tuple[Geography, dict[str, Any]]:
    """Geography (M49 regions, Global South) and taxonomy from the reference data folder."""
    data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    countries = data_dir / "countries"
    legacy = countries / "country-codes-legacy-developed-developing.csv"
    geography = load_geography(countries / "country-codes.csv", legacy if legacy.exists() else None)
    return geography, load_taxonomy(data_dir / "taxonomy.json")


def _config(config: EngineConfig | Mapping[str, Any] | None) -> EngineConfig:
    if isinstance(config, EngineConfig):
        return config
    return EngineConfig.from_dict(config or {})


def _engine_config(base: EngineConfig, overrides: Mapping[str, Any]) -> EngineConfig:
    data = base.to_dict()
    for key, value in overrides.items():
        if key == "weights":
            data["weights"] = {**data["weights"], **value}
        else:
            data[key] = value
    return EngineConfig.from_dict(data)


def _metrics(summary) -> dict[str, float]:
    return {name: round(value, 4) for name, value in summary.values.items()}


def _report_dict(report: RankerReport) -> dict[str, Any]:
    return {
        "engine": report.engine,
        "needs": report.overall.needs,
        "metrics": _metrics(report.overall),
        "by_language": {lang: _metrics(s) for lang, s in report.by_language.items()},
        "cross_lingual": _metrics(report.cross_lingual),
        "cross_lingual_needs": report.cross_lingual.needs,
    }


def run_evaluation(
    path: str | Path,
    k: int = 10,
    engine: str = "hybrid",
    config: EngineConfig | Mapping[str, Any] | None = None,
    data_dir: str | Path | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Evaluate an engine and the BM25 baseline on a benchmark file, side by side.

    Nothing is written anywhere: the listings are loaded into an isolated in-memory index.
    Raises BenchmarkError for a malformed file and ValueError for an unknown engine.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if k < 1:
        raise ValueError("k must be at least 1")
    geography, taxonomy = load_reference(data_dir)
    benchmark = load_benchmark(path, taxonomy, geography)
    say = progress or (lambda message: None)
    say(
        f"loaded {benchmark.name!r}: {len(benchmark.needs)} needs, "
        f"{len(benchmark.offers)} offers, {benchmark.n_judgements} judgements"
    )
    baseline = BM25Ranker(benchmark, k1=_config(config).bm25_k1, b=_config(config).bm25_b)
    rankers: list = []
    overrides = ENGINES[engine]
    if overrides is not None:
        say(f"embedding {len(benchmark.needs) + len(benchmark.offers)} listings")
        embedder = embedder or USEEmbedder()
        offer_vectors = embed_documents(embedder, benchmark.offers)
        need_vectors = embed_documents(embedder, benchmark.needs)
        names = [engine] if engine == "facets" else [engine, "facets"]
        for name in names:
            rankers.append(
                EngineRanker(
                    benchmark,
                    config=_engine_config(_config(config), ENGINES[name]),
                    geography=geography,
                    embedder=embedder,
                    offer_embeddings=offer_vectors,
                    need_embeddings=need_vectors,
                    name=name,
                )
            )
    rankers.append(baseline)
    reports = run_rankers(benchmark, rankers, k, progress=say)
    main, base = reports[0], reports[-1]
    result = _report_dict(main)
    result.update(
        {
            "benchmark": benchmark.name,
            "path": str(path),
            "k": k,
            "offers": len(benchmark.offers),
            "baseline": _baseline_dict(base),
        }
    )
    key = f"ndcg@{k}"
    base_ndcg = base.overall.values[key]
    result["lead"] = round(main.overall.values[key] / base_ndcg, 3) if base_ndcg else None
    if len(reports) == 3:
        facets = reports[1]
        result["facets_baseline"] = _baseline_dict(facets)
        facets_ndcg = facets.overall.values[key]
        result["lead_over_facets"] = (
            round(main.overall.values[key] / facets_ndcg, 3) if facets_ndcg else None
        )
    return result


def _baseline_dict(report: RankerReport) -> dict[str, Any]:
    return {
        "engine": report.engine,
        "metrics": _metrics(report.overall),
        "by_language": {lang: _metrics(s) for lang, s in report.by_language.items()},
        "cross_lingual": _metrics(report.cross_lingual),
    }


def json_result(result: Mapping[str, Any]) -> dict[str, Any]:
    """The documented --json shape of an evaluation (plus the lead ratio)."""
    keys = ("engine", "k", "needs", "metrics", "by_language", "cross_lingual", "baseline")
    out = {key: result[key] for key in keys}
    for name in ("baseline", "facets_baseline"):
        if name in result:
            out[name] = {key: result[name][key] for key in ("engine", "metrics", "cross_lingual")}
    if "lead_over_facets" in result:
        out["lead"] = {"bm25": result["lead"], "facets": result["lead_over_facets"]}
    return out


def format_report(result: Mapping[str, Any]) -> str:
    """A plain-text table of an evaluation result."""
    k = result["k"]
    names = metric_names(k)
    header = "  ".join(f"{n:>9}" for n in names)
    engine, baseline = result["engine"], result["baseline"]["engine"]
    lines = [
        f"Benchmark {result['benchmark']!r} ({result['path']}): {result['needs']} needs with "
        f"relevant offers, {result['offers']} offers",
        "",
        f"{'':26}{header}",
    ]

    def row(label: str, metrics: Mapping[str, float]) -> str:
        return f"{label:26}" + "  ".join(f"{metrics[n]:9.4f}" for n in names)

    facets = result.get("facets_baseline")
    lines.append(row(f"{engine} overall", result["metrics"]))
    if facets:
        lines.append(row("facets only overall", facets["metrics"]))
    if engine != baseline:
        lines.append(row(f"{baseline} overall", result["baseline"]["metrics"]))
    lines.append(row(f"{engine} cross-lingual", result["cross_lingual"]))
    if facets:
        lines.append(row("facets only cross-lingual", facets["cross_lingual"]))
    if engine != baseline:
        lines.append(row(f"{baseline} cross-lingual", result["baseline"]["cross_lingual"]))
    lines += ["", "By need language:"]
    for lang, metrics in result["by_language"].items():
        lines.append(row(f"  {lang} {engine}", metrics))
        if engine != baseline:
            lines.append(row(f"  {lang} {baseline}", result["baseline"]["by_language"][lang]))
    if result.get("lead_over_facets"):
        lines += [
            "",
            f"nDCG@{k}: {engine} / facets only = {result['lead_over_facets']:.2f}x "
            "(what the text signals add to the facets)",
        ]
    if engine != baseline and result.get("lead"):
        lines += [f"nDCG@{k}: {engine} / {baseline} = {result['lead']:.2f}x"]
    return "\n".join(lines)


def run_crossval(
    path: str | Path,
    config: EngineConfig | Mapping[str, Any] | None = None,
    data_dir: str | Path | None = None,
    embedder: Embedder | None = None,
) -> dict[str, Any]:
    """Two-fold cross-validation of the fusion weights on a benchmark (see tuning.py)."""
    geography, taxonomy = load_reference(data_dir)
    benchmark = load_benchmark(path, taxonomy, geography)
    ranker = EngineRanker(
        benchmark, config=_config(config), geography=geography, embedder=embedder or USEEmbedder()
    )
    return cross_validate(benchmark, ranker)


# --------------------------------------------------------------------------- speed benchmark
def _peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_bench(
    n_offers: int,
    n_needs: int | None = None,
    n_queries: int = 200,
    seed: int = 0,
    config: EngineConfig | Mapping[str, Any] | None = None,
    embedder: Embedder | None = None,
    offer_pool: int = 2500,
    need_pool: int = 500,
    data_dir: str | Path | None = None,
    progress: Progress | None = None,
    k: int = 20,
    n_refreshes: int = 50,
) -> dict[str, Any]:
    """Build an index over a synthetic catalogue and time top-k queries with filters, and the
    refresh that follows a listing change.

    build_seconds covers embedding the distinct texts (synthetic listings share a pool of
    texts; production embeds each listing once, when it is saved, so the embedding of a whole
    catalogue is not part of a production build), tokenising every listing's text (each one,
    without the per-text cache, as production does) and indexing every listing. Each query ranks
    offers for a random need with eligibility filtering plus one facet filter (a theme, the
    requested assistance types, or a delivery language, in turn) and returns explained top-k
    suggestions, k = 20 as the platform stores. A refresh is what follows a change of an offer:
    the index updated, then 1 + k searches (the needs for the offer, then the offers for each of
    its k needs); the database writes of a refresh are measured by `bench_matching --refresh-db`.
    """
    say = progress or (lambda message: None)
    n_needs = max(1, n_offers // 10) if n_needs is None else n_needs
    config = _config(config)
    geography, _ = load_reference(data_dir)
    embedder = embedder or USEEmbedder()

    started = time.perf_counter()
    catalogue = generate_catalogue(n_offers, n_needs, seed, offer_pool, need_pool)
    generate_seconds = time.perf_counter() - started
    say(
        f"generated {n_offers} offers and {n_needs} needs over "
        f"{len(catalogue.offer_texts)} + {len(catalogue.need_texts)} distinct texts "
        f"in {generate_seconds:.1f}s"
    )

    started = time.perf_counter()
    cpu_started = time.process_time()
    texts = catalogue.offer_texts + catalogue.need_texts
    last = [0.0]

    def embed_progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 5 or done == total:
            last[0] = now
            say(f"embedding distinct texts: {done}/{total}")

    if isinstance(embedder, USEEmbedder):
        vectors = embedder.encode(texts, progress=embed_progress)
    else:
        vectors = embedder.encode(texts)
    offer_vectors = vectors[: len(catalogue.offer_texts)]
    need_vectors = vectors[len(catalogue.offer_texts) :]
    embed_seconds = time.perf_counter() - started
    say(f"embedded in {embed_seconds:.1f}s; tokenising every listing")
    tokenise_started = time.perf_counter()
    offer_terms = [terms_uncached(catalogue.offer_texts[i]) for i in catalogue.offer_text_ids]
    need_terms = [terms_uncached(catalogue.need_texts[i]) for i in catalogue.need_text_ids]
    tokenise_seconds = time.perf_counter() - tokenise_started
    say(f"tokenised {n_offers + n_needs} listings in {tokenise_seconds:.1f}s; indexing")
    load_started = time.perf_counter()
    index = MatchIndex.build(
        catalogue.offers,
        catalogue.needs,
        offer_vectors[catalogue.offer_text_ids],
        need_vectors[catalogue.need_text_ids],
        config=config,
        geography=geography,
        embedder=embedder,
        offer_terms=offer_terms,
        need_terms=need_terms,
    )
    # centring statistics are computed on first use; count them as part of the build
    index.offers.refresh_centering(force=True)
    index.needs.refresh_centering(force=True)
    load_seconds = time.perf_counter() - load_started
    build_seconds = time.perf_counter() - started
    build_cpu_seconds = time.process_time() - cpu_started
    say(f"index built in {build_seconds:.1f}s (loading stored vectors: {load_seconds:.1f}s)")

    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(catalogue.needs), size=n_queries + 5)
    facet_filters = (
        lambda need: {"themes": list(need.themes[:1])},
        lambda need: {"assistance_types": list(need.assistance_types)},
        lambda need: {"languages": [need.language]},
    )
    latencies, cpu, unfiltered, returned = [], [], [], []
    for i, pick in enumerate(picks.tolist()):
        need = catalogue.needs[pick]
        filters = facet_filters[i % len(facet_filters)](need)
        # Synthetic listings share texts, so cached tokenisations would make explanations
        # look cheaper than with real, all-distinct listings: start every query cold.
        clear_cache()
        t0, c0 = time.perf_counter(), time.process_time()
        results = index.search(need, k=k, filters=filters)
        elapsed = (time.perf_counter() - t0) * 1000
        elapsed_cpu = (time.process_time() - c0) * 1000
        clear_cache()
        t0 = time.perf_counter()
        index.search(need, k=k)
        elapsed_unfiltered = (time.perf_counter() - t0) * 1000
        if i >= 5:  # the first queries pay one-off costs (jieba's dictionary, caches)
            latencies.append(elapsed)
            cpu.append(elapsed_cpu)
            unfiltered.append(elapsed_unfiltered)
            returned.append(len(results))
        if progress and i and i % 100 == 0:
            say(f"queries: {i}/{len(picks)}")

    refreshes, refresh_cpu = [], []
    offer_vectors_of = offer_vectors[catalogue.offer_text_ids]
    for position in rng.integers(0, len(catalogue.offers), size=n_refreshes).tolist():
        offer = catalogue.offers[position]
        clear_cache()
        t0, c0 = time.perf_counter(), time.process_time()
        index.add(offer, embedding=offer_vectors_of[position])  # the changed listing
        for suggestion in index.search_needs(offer, k=k):  # 1 search
            index.search(index.get(suggestion.ref, kind="need"), k=k)  # + k searches
        refreshes.append((time.perf_counter() - t0) * 1000)
        refresh_cpu.append((time.process_time() - c0) * 1000)
    if n_refreshes:
        say(f"timed {n_refreshes} refreshes (update + 1 + {k} searches)")

    def percentiles(values: list[float]) -> dict[str, float]:
        if not values:
            return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
        p50, p95, p99 = np.percentile(values, [50, 95, 99])
        return {
            "p50": round(float(p50), 2),
            "p95": round(float(p95), 2),
            "p99": round(float(p99), 2),
        }

    return {
        "offers": n_offers,
        "needs": n_needs,
        "queries": n_queries,
        "build_seconds": round(build_seconds, 2),
        "peak_memory_mb": round(_peak_memory_mb(), 1),
        "k": k,
        "latency_ms": percentiles(latencies),
        "refresh_ms": percentiles(refreshes),
        "details": {
            "generate_seconds": round(generate_seconds, 2),
            "embed_seconds": round(embed_seconds, 2),
            "tokenise_seconds": round(tokenise_seconds, 2),
            "load_seconds": round(load_seconds, 2),
            "build_cpu_seconds": round(build_cpu_seconds, 2),
            "distinct_offer_texts": len(catalogue.offer_texts),
            "distinct_need_texts": len(catalogue.need_texts),
            "embedder": getattr(embedder, "name", type(embedder).__name__),
            # CPU time of the same queries: what they cost on one core, whatever else the
            # machine is running (wall-clock latency_ms includes waiting for the core)
            "cpu_ms": percentiles(cpu),
            "latency_ms_without_facet_filter": percentiles(unfiltered),
            "refresh_cpu_ms": percentiles(refresh_cpu),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "mean_results": round(float(np.mean(returned)), 2) if returned else 0.0,
        },
    }


def bench_json(result: Mapping[str, Any]) -> dict[str, Any]:
    keys = (
        "offers",
        "needs",
        "queries",
        "k",
        "build_seconds",
        "peak_memory_mb",
        "latency_ms",
        "refresh_ms",
    )
    return {key: result[key] for key in keys}


def format_bench(result: Mapping[str, Any]) -> str:
    d = result["details"]
    lat, raw = result["latency_ms"], d["latency_ms_without_facet_filter"]
    ref = result["refresh_ms"]
    return "\n".join(
        [
            f"{result['offers']} offers, {result['needs']} needs "
            f"({d['distinct_offer_texts']} + {d['distinct_need_texts']} distinct texts, "
            f"embedder {d['embedder']})",
            f"build: {result['build_seconds']:.1f}s (embedding the distinct texts "
            f"{d['embed_seconds']:.1f}s, tokenising every listing {d['tokenise_seconds']:.1f}s, "
            f"loading stored vectors into the index {d['load_seconds']:.1f}s; "
            f"CPU time {d['build_cpu_seconds']:.1f}s)",
            f"peak memory: {result['peak_memory_mb']:.0f} MB",
            f"{result['queries']} top-{result['k']} queries, eligibility + facet filter: "
            f"p50 {lat['p50']:.1f} ms, p95 {lat['p95']:.1f} ms, p99 {lat['p99']:.1f} ms",
            f"  CPU time of those queries: p50 {d['cpu_ms']['p50']:.1f} ms, "
            f"p95 {d['cpu_ms']['p95']:.1f} ms, p99 {d['cpu_ms']['p99']:.1f} ms "
            f"(load average {', '.join(map(str, d['load_average']))})",
            f"same queries, eligibility only: p50 {raw['p50']:.1f} ms, "
            f"p95 {raw['p95']:.1f} ms, p99 {raw['p99']:.1f} ms",
            f"refresh after an offer changes (index update + 1 + {result['k']} searches, "
            f"no database): p50 {ref['p50']:.0f} ms, p95 {ref['p95']:.0f} ms, "
            f"p99 {ref['p99']:.0f} ms (CPU time p50 {d['refresh_cpu_ms']['p50']:.0f} ms, "
            f"p95 {d['refresh_cpu_ms']['p95']:.0f} ms)",
        ]
    )


# --------------------------------------------------------------------------- python -m
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wipomatch.matching.engine.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    evaluate = sub.add_parser("evaluate", help="evaluate matching quality on a benchmark file")
    evaluate.add_argument("path")
    evaluate.add_argument("--k", type=int, default=10)
    evaluate.add_argument("--engine", default="hybrid", choices=sorted(ENGINES))
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument("--config", default="{}", help="EngineConfig overrides as JSON")
    crossval = sub.add_parser("crossval", help="two-fold cross-validation of fusion weights")
    crossval.add_argument("path")
    bench = sub.add_parser("bench", help="speed benchmark on a synthetic catalogue")
    bench.add_argument("--offers", type=int, required=True)
    bench.add_argument("--needs", type=int)
    bench.add_argument("--queries", type=int, default=200)
    bench.add_argument("--seed", type=int, default=0)
    bench.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.command == "evaluate":
        try:
            result = run_evaluation(
                args.path, args.k, args.engine, json.loads(args.config), progress=progress
            )
        except (BenchmarkError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(json.dumps(json_result(result)) if args.json else format_report(result))
        return 0
    if args.command == "crossval":
        print(json.dumps(run_crossval(args.path), indent=2))
        return 0
    result = run_bench(args.offers, args.needs, args.queries, args.seed, progress=progress)
    print(json.dumps(bench_json(result)) if args.json else format_bench(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
