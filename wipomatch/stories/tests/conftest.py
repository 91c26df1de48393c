import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded pictures go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def run_after_commit_at_once(monkeypatch):
    """Each test runs inside one transaction that never commits: run the after-commit work
    (e-mails, embeddings) at once, as it runs after each request's commit in production."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
