"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once per test database: every test can rely on it."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def reference_data(db):
    """The reference data, loaded again if a transactional test elsewhere in the same process
    flushed it since the session loaded it."""
    from wipomatch.reference.models import Country

    if not Country.objects.exists():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def fresh_cache():
    """An empty default cache (throttle counters, cached pages) before and after the test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit():` runs what the block schedules after commit, as in production (tasks
    run immediately in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
