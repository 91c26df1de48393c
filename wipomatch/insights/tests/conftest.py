import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache(monkeypatch):
    """An empty cache, and the data version read afresh on every call (no few-second memo)."""
    from wipomatch.insights import selectors

    monkeypatch.setattr(selectors, "VERSION_MEMO_SECONDS", 0.0)
    selectors._VERSION_MEMO.clear()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Charts and reports go to a fresh folder (English unless a test says otherwise: the
    project's conftest.py)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LISTING_EMBEDDER = "hashing"
