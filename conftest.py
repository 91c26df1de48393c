"""Project-wide test configuration: browser tests are skipped, loudly, without Chromium; the
fixtures every test may use (the reference data, an empty cache, on-commit callbacks)."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("WIPOMATCH_CHROMIUM", "/usr/bin/chromium")


def _browser_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


def pytest_collection_modifyitems(config, items):
    if _browser_available():
        return
    if os.environ.get("WIPOMATCH_REQUIRE_BROWSER"):
        raise pytest.UsageError(
            f"Browser tests are required (WIPOMATCH_REQUIRE_BROWSER=1) but {CHROMIUM} is missing. "
            "Install Debian's chromium: apt-get install -y chromium"
        )
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _browser_available():
        terminalreporter.write_line(
            "NOTE: Chromium was not found, so the browser tests were SKIPPED. "
            "Install it with: apt-get install -y chromium",
            yellow=True,
            bold=True,
        )


@pytest.fixture(autouse=True)
def _fresh_matching_index():
    """The matching index lives in the process; tests roll the database back under it."""
    from wipomatch.matching import index_store

    index_store.reset()
    yield
    index_store.reset()


@pytest.fixture(autouse=True)
def _default_language():
    """A request under /fr/ leaves French active in the thread; start every test in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference_data(db):
    """The reference data, loaded again if a transactional test elsewhere in the same process
    flushed it since the session loaded it."""
    from django.core.management import call_command

    from wipomatch.reference.models import Country

    if not Country.objects.exists():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def fresh_cache():
    """An empty default cache (throttle counters, cached pages) before and after the test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit():` runs what the block schedules after commit, as in production (tasks
    run immediately in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
