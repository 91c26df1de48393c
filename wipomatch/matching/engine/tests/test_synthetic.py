from wipomatch.matching.engine.benchmark import load_taxonomy
from wipomatch.matching.engine.synthetic import generate_catalogue

from .conftest import DATA_DIR


def test_deterministic_multilingual_catalogue_with_valid_vocabulary():
    first = generate_catalogue(400, 50, seed=3, offer_pool=60, need_pool=20)
    again = generate_catalogue(400, 50, seed=3, offer_pool=60, need_pool=20)
    assert first.offers == again.offers and first.needs == again.needs
    assert len(first.offers) == 400 and len(first.needs) == 50
    assert len({o.ref for o in first.offers}) == 400
    assert {o.language for o in first.offers} >= {"en", "fr", "es", "ru", "ar", "zh"}
    taxonomy = load_taxonomy(DATA_DIR / "taxonomy.json")
    for doc in first.offers + first.needs:
        assert set(doc.themes) <= set(taxonomy["themes"])
        assert set(doc.ip_areas) <= set(taxonomy["ip_areas"])
        assert set(doc.assistance_types) <= set(taxonomy["assistance_types"])
    for doc, text_id in zip(first.offers, first.offer_text_ids, strict=True):
        assert doc.text == first.offer_texts[text_id]
    assert any(o.eligible_regions for o in first.offers)
    assert any(o.worldwide for o in first.offers)
