"""Browser tests: Playwright for Python driving Debian's Chromium against a live test server."""

import os

import pytest

from conftest import CHROMIUM

# Playwright's sync API runs an event loop in this thread; the live server's database work
# happens in Django's own server thread, so the async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live_reference(transactional_db, reference_data):
    """Transactional tests start from an emptied database: the reference data is loaded again
    (wipomatch/conftest.py)."""


@pytest.fixture
def fast_search(settings):
    """The bag-of-terms embedder (journeys search by the words of their listings) and an empty
    search cache before and after."""
    from wipomatch.listings.search import clear_search_cache

    settings.LISTING_EMBEDDER = "hashing"
    clear_search_cache()
    yield
    clear_search_cache()


@pytest.fixture
def page(browser, live_server, live_reference):
    """A page that fails the test if the browser reports any Content-Security-Policy violation
    (console error or `securitypolicyviolation` event) on any page it visited."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    violations = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            violations.append(f"{page.url}: {text}")

    page.on("console", on_console)
    yield page
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def axe_check():
    """Run axe-core (shipped inside axe-playwright-python) and fail on serious/critical issues."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page)
        bad = [
            v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        details = "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n.get("target")) for n in v["nodes"][:3])
            for v in bad
        )
        assert not bad, f"axe-core found serious/critical violations on {page.url}: {details}"
        return results

    return check
