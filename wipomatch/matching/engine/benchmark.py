"""Matching benchmarks: load and validate a benchmark file, run rankers over it, report metrics.

The file format and the metrics are those of bench/README.md. Validation is strict and names
the first problem it finds (file, item, field), because a silently skipped judgement would
quietly change the figures.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .config import EngineConfig
from .documents import NeedDoc, OfferDoc
from .embedding import Embedder, embed_documents
from .geography import Geography
from .index import MatchIndex
from .lexical import BM25Index
from .metrics import MetricSummary, evaluate
from .tokenize import terms

__all__ = [
    "Benchmark",
    "BenchmarkError",
    "BM25Ranker",
    "EngineRanker",
    "Ranker",
    "load_benchmark",
    "load_taxonomy",
    "parse_benchmark",
    "run_rankers",
]

_TOP_KEYS = ("name", "needs", "offers", "judgements")
_TEXT_KEYS = ("ref", "title", "description", "language", "country")
_NEED_LISTS = ("themes", "ip_areas", "assistance_types")
_OFFER_LISTS = _NEED_LISTS + (
    "resource_types",
    "eligible_countries",
    "eligible_regions",
    "delivery_languages",
)
# list field -> taxonomy vocabulary that its values must come from
_VOCABULARY = {
    "themes": "themes",
    "ip_areas": "ip_areas",
    "assistance_types": "assistance_types",
    "resource_types": "resource_types",
}


class BenchmarkError(ValueError):
    """A benchmark file that cannot be used; the message says what is wrong and where."""


@dataclass
class Benchmark:
    name: str
    needs: list[NeedDoc]
    offers: list[OfferDoc]
    judgements: dict[str, dict[str, int]]  # need ref -> offer ref -> relevance
    path: str = ""

    @property
    def n_judgements(self) -> int:
        return sum(len(v) for v in self.judgements.values())


def load_taxonomy(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def load_benchmark(
    path: str | Path,
    taxonomy: Mapping[str, Any] | None = None,
    geography: Geography | None = None,
) -> Benchmark:
    """Read and validate a benchmark file (raises BenchmarkError)."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BenchmarkError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise BenchmarkError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise BenchmarkError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BenchmarkError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    benchmark = parse_benchmark(data, taxonomy, geography, source=str(path))
    benchmark.path = str(path)
    return benchmark


def _fail(source: str, where: str, problem: str) -> BenchmarkError:
    return BenchmarkError(f"{source}: {where}: {problem}")


def _check_item(
    item: Any,
    position: int,
    kind: str,
    list_keys: Sequence[str],
    vocab: Mapping[str, set[str]],
    geography: Geography | None,
    source: str,
) -> None:
    where = f"{kind}[{position}]"
    if not isinstance(item, dict):
        raise _fail(source, where, "must be an object")
    if isinstance(item.get("ref"), str) and item["ref"]:
        where = f"{kind}[{position}] (ref {item['ref']!r})"
    missing = [key for key in (*_TEXT_KEYS, *list_keys) if key not in item]
    if missing:
        raise _fail(source, where, f"missing key(s) {', '.join(missing)}")
    for key in _TEXT_KEYS + ("organisation_type",):
        if key in item and not isinstance(item[key], str):
            raise _fail(source, where, f"{key} must be a string")
    if not item["ref"].strip():
        raise _fail(source, where, "ref is empty")
    if not (item["title"].strip() or item["description"].strip()):
        raise _fail(source, where, "title and description are both empty")
    for key in list_keys:
        values = item[key]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise _fail(source, where, f"{key} must be a list of strings")
        allowed = vocab.get(_VOCABULARY.get(key, ""))
        if allowed is not None:
            unknown = [v for v in values if v not in allowed]
            if unknown:
                raise _fail(source, where, f"unknown {key} slug(s) {', '.join(map(repr, unknown))}")
    org_types = vocab.get("organisation_types")
    org = item.get("organisation_type")
    if org_types is not None and org and org not in org_types:
        raise _fail(source, where, f"unknown organisation_type slug {org!r}")
    country = item["country"]
    if country and (len(country) != 2 or not country.isalpha()):
        raise _fail(source, where, f"country {country!r} is not an ISO 3166-1 alpha-2 code")
    if geography is not None and geography.regions:
        codes = [country] if country else []
        codes += item.get("eligible_countries", [])
        unknown = [c for c in codes if c.upper() not in geography.regions]
        if unknown:
            raise _fail(source, where, f"unknown country code(s) {', '.join(unknown)}")
    for region in item.get("eligible_regions", []):
        if not region.isdigit() or len(region) > 3:
            raise _fail(source, where, f"eligible region {region!r} is not an M49 code")


def parse_benchmark(
    data: Any,
    taxonomy: Mapping[str, Any] | None = None,
    geography: Geography | None = None,
    source: str = "benchmark",
) -> Benchmark:
    """Validate decoded JSON and build the benchmark (raises BenchmarkError)."""
    if not isinstance(data, dict):
        raise BenchmarkError(f"{source}: the top level must be a JSON object")
    missing = [key for key in _TOP_KEYS if key not in data]
    if missing:
        raise BenchmarkError(f"{source}: missing top-level key(s) {', '.join(missing)}")
    for key in ("needs", "offers", "judgements"):
        if not isinstance(data[key], list):
            raise BenchmarkError(f"{source}: {key} must be a list")
    if not data["needs"] or not data["offers"]:
        raise BenchmarkError(f"{source}: needs and offers must not be empty")
    vocab: dict[str, set[str]] = {}
    if taxonomy is not None:
        for name in (*_VOCABULARY.values(), "organisation_types"):
            if name in taxonomy:
                vocab[name] = set(taxonomy[name])
    refs: dict[str, set[str]] = {}
    for kind, list_keys in (("needs", _NEED_LISTS), ("offers", _OFFER_LISTS)):
        seen: set[str] = set()
        for position, item in enumerate(data[kind]):
            _check_item(item, position, kind, list_keys, vocab, geography, source)
            if item["ref"] in seen:
                raise _fail(source, f"{kind}[{position}]", f"duplicate ref {item['ref']!r}")
            seen.add(item["ref"])
        refs[kind] = seen
    judgements: dict[str, dict[str, int]] = defaultdict(dict)
    for position, item in enumerate(data["judgements"]):
        where = f"judgements[{position}]"
        if not isinstance(item, dict):
            raise _fail(source, where, "must be an object")
        missing = [key for key in ("need", "offer", "relevance") if key not in item]
        if missing:
            raise _fail(source, where, f"missing key(s) {', '.join(missing)}")
        need, offer, rel = item["need"], item["offer"], item["relevance"]
        if need not in refs["needs"]:
            raise _fail(source, where, f"unknown need ref {need!r}")
        if offer not in refs["offers"]:
            raise _fail(source, where, f"unknown offer ref {offer!r}")
        if isinstance(rel, bool) or not isinstance(rel, int) or not 0 <= rel <= 3:
            raise _fail(source, where, f"relevance must be an integer 0-3, not {rel!r}")
        if offer in judgements[need]:
            raise _fail(source, where, f"duplicate judgement for ({need}, {offer})")
        judgements[need][offer] = rel
    return Benchmark(
        name=str(data.get("name", "")),
        needs=[NeedDoc.from_dict(item) for item in data["needs"]],
        offers=[OfferDoc.from_dict(item) for item in data["offers"]],
        judgements=dict(judgements),
        path=source,
    )


# --------------------------------------------------------------------------- rankers
class Ranker(Protocol):
    name: str

    def rank(self, need: NeedDoc, exclude_languages: Sequence[str] = ()) -> list[str]:
        """Offer refs, best first."""
        ...


class EngineRanker:
    """The full engine over an isolated in-memory index of the benchmark's listings."""

    def __init__(
        self,
        benchmark: Benchmark,
        config: EngineConfig | None = None,
        geography: Geography | None = None,
        embedder: Embedder | None = None,
        offer_embeddings: np.ndarray | None = None,
        need_embeddings: np.ndarray | None = None,
        name: str = "hybrid",
    ) -> None:
        self.name = name
        if offer_embeddings is None or need_embeddings is None:
            if embedder is None:
                raise BenchmarkError("an embedder or precomputed embeddings are required")
            offer_embeddings = embed_documents(embedder, benchmark.offers)
            need_embeddings = embed_documents(embedder, benchmark.needs)
        self.index = MatchIndex.build(
            benchmark.offers,
            benchmark.needs,
            offer_embeddings,
            need_embeddings,
            config=config,
            geography=geography,
            embedder=embedder,
        )

    def rank(self, need: NeedDoc, exclude_languages: Sequence[str] = ()) -> list[str]:
        filters = {"exclude_languages": list(exclude_languages)} if exclude_languages else None
        ranking = self.index.rank(need, filters=filters)
        return ranking.refs + ranking.excluded


class BM25Ranker:
    """The lexical baseline: BM25 over title + description; no facets, no embeddings."""

    name = "bm25"

    def __init__(self, benchmark: Benchmark, k1: float = 1.2, b: float = 0.75) -> None:
        self.offers = benchmark.offers
        self.bm25 = BM25Index(k1=k1, b=b)
        self.bm25.build(range(len(self.offers)), [terms(o.text) for o in self.offers])
        self.languages = np.array([o.language for o in self.offers])

    def rank(self, need: NeedDoc, exclude_languages: Sequence[str] = ()) -> list[str]:
        scores = self.bm25.scores(terms(need.text), len(self.offers))
        rows = np.arange(len(self.offers))
        if exclude_languages:
            rows = rows[~np.isin(self.languages, list(exclude_languages))]
        order = rows[np.lexsort((rows, -scores[rows]))]
        return [self.offers[i].ref for i in order]


# --------------------------------------------------------------------------- running
@dataclass
class RankerReport:
    engine: str
    overall: MetricSummary
    by_language: dict[str, MetricSummary] = field(default_factory=dict)
    cross_lingual: MetricSummary | None = None


def _cross_candidates(benchmark: Benchmark) -> dict[str, list[str]]:
    return {
        need.ref: [o.ref for o in benchmark.offers if o.language != need.language]
        for need in benchmark.needs
    }


def run_ranker(
    benchmark: Benchmark,
    ranker: Ranker,
    k: int = 10,
    needs: Iterable[NeedDoc] | None = None,
) -> RankerReport:
    """Rank all offers for every need (and, separately, only other-language offers)."""
    needs = list(benchmark.needs if needs is None else needs)
    rankings = {need.ref: ranker.rank(need) for need in needs}
    cross = {need.ref: ranker.rank(need, exclude_languages=[need.language]) for need in needs}
    overall = evaluate(rankings, benchmark.judgements, k)
    by_language = {}
    for language in sorted({need.language for need in needs}):
        subset = {n.ref: rankings[n.ref] for n in needs if n.language == language}
        by_language[language] = evaluate(subset, benchmark.judgements, k)
    cross_lingual = evaluate(cross, benchmark.judgements, k, _cross_candidates(benchmark))
    return RankerReport(ranker.name, overall, by_language, cross_lingual)


def run_rankers(
    benchmark: Benchmark,
    rankers: Sequence[Ranker],
    k: int = 10,
    progress: Callable[[str], None] | None = None,
) -> list[RankerReport]:
    reports = []
    for ranker in rankers:
        if progress is not None:
            progress(
                f"ranking {len(benchmark.offers)} offers for {len(benchmark.needs)} needs "
                f"with {ranker.name}"
            )
        reports.append(run_ranker(benchmark, ranker, k))
    return reports
