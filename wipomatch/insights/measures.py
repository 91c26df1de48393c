"""Network-quality measures as pure functions over plain records (no database, no Django).

`selectors.py` turns the platform's public records into the small dataclasses below and calls
these functions; tests call them directly on hand-computed examples. Every formula is written
out in docs/metrics.md and on the public methodology page.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations

import networkx as nx

MODALITIES = ("south-south", "triangular", "north-south", "other")
RATINGS = (1, 2, 3, 4, 5)


# --- Records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgRecord:
    """An approved organisation, as the public directory shows it."""

    id: int
    name: str
    country: str  # ISO alpha-2
    region: str  # M49 code of its region ("" when unknown)
    org_type: str
    ldc: bool = False


@dataclass(frozen=True)
class CaseRecord:
    """A match case between the organisation of a need and the organisation of an offer."""

    id: int
    need_org: int
    offer_org: int
    created: datetime
    state: str
    answered: datetime | None = None  # first answer (accept or decline) of the other side
    mutual: datetime | None = None  # both sides agreed to be in contact
    closed: datetime | None = None  # agreement / no agreement recorded
    ratings: tuple[int, ...] = ()  # 1-5 ratings given by the sides when the case closed
    awaits_answer: bool = True  # False when a facilitator proposed it (both sides are asked)


@dataclass(frozen=True)
class InitiativeRecord:
    """A published cooperation initiative and its parties (member organisations only in orgs)."""

    id: int
    created: datetime
    modality: str
    ppp: bool
    orgs: tuple[int, ...] = ()
    ldc_beneficiary: bool = False
    completed_with_results: bool = False
    case_id: int | None = None
    completed: datetime | None = None
    regions: frozenset[str] = frozenset()  # M49 codes of its counted parties and beneficiaries
    groups: frozenset[str] = frozenset()  # ldc / lldc / sids among those countries
    org_types: frozenset[str] = frozenset()  # organisation types of its counted parties


@dataclass
class Collaboration:
    """One link between organisations: a case with mutual interest or an initiative."""

    kind: str  # "case" or "initiative"
    id: int
    orgs: tuple[int, ...] = field(default_factory=tuple)


# --- Basic statistics ------------------------------------------------------------------------


def share(part: int, whole: int) -> float | None:
    """part / whole, a fraction in [0, 1]; None when there is nothing to divide."""
    if whole <= 0:
        return None
    return round(part / whole, 4)


def median_days(intervals: Iterable[tuple[datetime, datetime]]) -> float | None:
    """Median of (end - start) in days (fractional), over pairs with end >= start."""
    days = [(end - start).total_seconds() / 86400 for start, end in intervals if end >= start]
    if not days:
        return None
    return round(statistics.median(days), 2)


def shannon_evenness(counts: dict[str, float] | Counter, categories: int) -> float | None:
    """Pielou's evenness J = H / ln(K) of a distribution over K possible categories.

    H = -sum(p_i * ln p_i) over the categories with a positive count, p_i = n_i / N.
    K is the number of categories the platform recognises (not only those observed), so that a
    period in which every organisation comes from one region scores 0 and a perfectly even
    spread over all K categories scores 1. None when N = 0 or K < 2.
    """
    values = [float(v) for v in counts.values() if v > 0]
    total = sum(values)
    if total <= 0 or categories < 2:
        return None
    entropy = -sum((v / total) * math.log(v / total) for v in values)
    return round(entropy / math.log(categories), 4)


# --- Connectedness ---------------------------------------------------------------------------


def collaboration_graph(collaborations: Iterable[Collaboration]) -> nx.Graph:
    """Undirected graph: a node per organisation, an edge between every two organisations of a
    collaboration; the edge's `weight` counts the distinct collaborations linking the pair."""
    graph = nx.Graph()
    for collab in collaborations:
        orgs = sorted(set(collab.orgs))
        graph.add_nodes_from(orgs)
        for a, b in combinations(orgs, 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
            else:
                graph.add_edge(a, b, weight=1)
    return graph


def bridging_organisations(graph: nx.Graph, region_of: dict[int, str]) -> list[dict]:
    """Organisations linked to organisations of two or more different regions.

    Returns [{"id", "regions" (sorted M49 codes of the neighbours), "links" (degree)}], the
    organisations spanning the most regions first, then by degree, then by id.
    """
    rows = []
    for node in graph.nodes:
        regions = {region_of.get(n, "") for n in graph.neighbors(node)} - {""}
        if len(regions) >= 2:
            rows.append({"id": node, "regions": sorted(regions), "links": graph.degree(node)})
    rows.sort(key=lambda r: (-len(r["regions"]), -r["links"], r["id"]))
    return rows


def connectedness(
    collaborations: Sequence[Collaboration], region_of: dict[int, str]
) -> dict[str, object]:
    """Graph measures: organisations (nodes), links (edges), connected components, share of the
    organisations in the largest component, bridging organisations, repeat collaborations
    (pairs of organisations linked by two or more collaborations)."""
    graph = collaboration_graph(collaborations)
    nodes = graph.number_of_nodes()
    components = list(nx.connected_components(graph))
    largest = max((len(c) for c in components), default=0)
    return {
        "organisations": nodes,
        "links": graph.number_of_edges(),
        "components": len(components),
        "largest_component_share": share(largest, nodes),
        "bridging_organisations": bridging_organisations(graph, region_of),
        "repeat_collaborations": sum(1 for _a, _b, w in graph.edges(data="weight") if w >= 2),
    }


# --- Cases -----------------------------------------------------------------------------------

# States of brokering's MatchCase in which both sides had agreed to be in contact.
MUTUAL_STATES = frozenset({"mutual", "agreement", "no_agreement"})
ANSWERED_STATES = frozenset({"mutual", "agreement", "no_agreement", "declined"})


def reached_mutual(case: CaseRecord) -> bool:
    return case.mutual is not None or case.state in MUTUAL_STATES


def responsiveness(cases: Sequence[CaseRecord]) -> dict[str, float | None]:
    """Among expressions of interest (cases not proposed by a facilitator, and not withdrawn
    before an answer): the share answered (accepted or declined), and the median days from the
    expression of interest to the answer."""
    asked = [
        c for c in cases if c.awaits_answer and not (c.state == "withdrawn" and c.answered is None)
    ]
    answered = [c for c in asked if c.answered is not None or c.state in ANSWERED_STATES]
    return {
        "answered_share": share(len(answered), len(asked)),
        "median_answer_days": median_days((c.created, c.answered) for c in answered if c.answered),
    }


def satisfaction(cases: Sequence[CaseRecord]) -> dict[str, object]:
    """Ratings (1-5) given when a case closed: number of responses, mean, count per value."""
    ratings = [r for c in cases for r in c.ratings if r in RATINGS]
    distribution = {str(v): 0 for v in RATINGS}
    for r in ratings:
        distribution[str(r)] += 1
    return {
        "responses": len(ratings),
        "mean": round(statistics.fmean(ratings), 2) if ratings else None,
        "distribution": distribution,
    }


# --- Initiatives -----------------------------------------------------------------------------


def modality_share(initiatives: Sequence[InitiativeRecord]) -> dict[str, float | None]:
    """Share of the initiatives of each modality (an unknown modality counts as "other")."""
    counts = Counter(i.modality if i.modality in MODALITIES else "other" for i in initiatives)
    return {m: share(counts.get(m, 0), len(initiatives)) for m in MODALITIES}


def ppp_share(initiatives: Sequence[InitiativeRecord]) -> float | None:
    return share(sum(1 for i in initiatives if i.ppp), len(initiatives))


def ldc_beneficiary_share(initiatives: Sequence[InitiativeRecord]) -> float | None:
    return share(sum(1 for i in initiatives if i.ldc_beneficiary), len(initiatives))
