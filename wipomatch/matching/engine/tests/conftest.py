"""Shared fixtures: Django-free, fast (hashing embedder, tiny hand-made catalogues)."""

from pathlib import Path

import pytest

from wipomatch.matching.engine.config import EngineConfig
from wipomatch.matching.engine.embedding import HashingEmbedder
from wipomatch.matching.engine.geography import Geography, load_geography
from wipomatch.matching.engine.index import MatchIndex

from .factories import need, offer

DATA_DIR = Path(__file__).resolve().parents[3] / "reference" / "data"


# The project's root conftest has autouse fixtures that need Django settings (the process-wide
# matching index, the active language). Engine tests never touch Django and must run with
# `-p no:django`, so those fixtures are overridden here, by name, with no-ops.
@pytest.fixture(autouse=True)
def _fresh_matching_index():
    yield


@pytest.fixture(autouse=True)
def _default_language():
    yield


@pytest.fixture(scope="session")
def geography() -> Geography:
    countries = DATA_DIR / "countries"
    return load_geography(
        countries / "country-codes.csv",
        countries / "country-codes-legacy-developed-developing.csv",
    )


@pytest.fixture(scope="session")
def embedder() -> HashingEmbedder:
    return HashingEmbedder(dim=128)


@pytest.fixture
def catalogue():
    offers = [
        offer(
            "O1",
            title="Patent examination training for pharmaceutical applications",
            description="Examiners learn to assess novelty of pharmaceutical patent "
            "applications and to draft examination guidelines.",
            themes=("public-health",),
            ip_areas=("patents",),
            assistance_types=("training", "expert-advice"),
        ),
        offer(
            "O2",
            title="Collective management of music copyright",
            description="Software and training for music collective management organisations.",
            language="fr",
            country="FR",
            themes=("creative-industries",),
            ip_areas=("copyright",),
            assistance_types=("it-infrastructure", "training"),
            resource_types=("technical",),
            delivery_languages=("fr", "en"),
        ),
        offer(
            "O3",
            title="Geographical indications for coffee producers",
            description="Advice on registering geographical indications for coffee.",
            language="es",
            country="CO",
            themes=("food-security-agriculture",),
            ip_areas=("geographical-indications",),
            assistance_types=("expert-advice",),
            eligible_regions=("419",),
            delivery_languages=("es",),
        ),
        offer(
            "O4",
            title="Grants for green technology licensing",
            description="Funding for licensing green technologies in Africa.",
            themes=("green-innovation",),
            ip_areas=("ip-commercialization",),
            assistance_types=("funding",),
            resource_types=("financial",),
            eligible_regions=("002",),
        ),
    ]
    needs = [
        need(
            "N1",
            title="Training for pharmaceutical patent examiners",
            description="Our office needs training on the examination of pharmaceutical "
            "patent applications.",
            themes=("public-health",),
            assistance_types=("training",),
        ),
        need(
            "N2",
            title="Royalty distribution software for a music society",
            description="Our collective management organisation needs software for music "
            "royalty distribution.",
            country="SN",
            language="fr",
            themes=("creative-industries",),
            ip_areas=("copyright",),
            assistance_types=("it-infrastructure",),
        ),
    ]
    return offers, needs


@pytest.fixture
def index(catalogue, geography, embedder) -> MatchIndex:
    offers, needs = catalogue
    return MatchIndex.build(
        offers,
        needs,
        embedder.encode([o.text for o in offers]),
        embedder.encode([n.text for n in needs]),
        config=EngineConfig(),
        geography=geography,
        embedder=embedder,
    )
