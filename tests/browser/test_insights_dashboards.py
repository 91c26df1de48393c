"""Browser test: the public network-quality dashboard (English and Arabic) and a facilitator's
drill-down from a figure to the cases behind it; axe-core clean on every page."""

import pytest

from .helpers import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def network(live_reference, settings, tmp_path):
    from wipomatch.insights.tests.scenario import build_network

    settings.MEDIA_ROOT = str(tmp_path / "media")
    return build_network()


def test_public_dashboard_and_facilitator_drill_down(page, live_server, axe_check, network):
    # A visitor reads the public dashboard: aggregates, charts with their tables, no person.
    page.goto("/en/insights/")
    assert page.get_by_role("heading", name="Network quality", exact=True).is_visible()
    assert page.get_by_text("Key figures").first.is_visible()
    funnel = page.locator(
        "figure", has=page.get_by_role("heading", name="From publication to results")
    )
    funnel.get_by_text("Data table").click()
    assert funnel.get_by_role("row", name="Agreements 1").is_visible()
    body = page.locator("main").inner_text()
    assert "Office KE" in body  # an organisation bridging regions: public
    assert "Two workshops." not in body and "Gladly." not in body
    assert page.locator("a[href*='/insights/facilitator/figures/']").count() == 0
    axe_check(page)

    # The methodology page explains every formula.
    page.get_by_role("link", name="How each figure is computed").click()
    assert page.get_by_role("heading", name="Diversity").is_visible()
    axe_check(page)

    # In Arabic the page is right to left, and still accessible.
    page.goto("/ar/insights/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    axe_check(page)

    # A facilitator opens the cases behind the "Agreements" figure.
    sign_in(page, live_server, network["staff"])
    page.goto("/en/insights/facilitator/")
    axe_check(page)
    card = page.locator(".card", has=page.get_by_text("Agreements", exact=True))
    card.get_by_role("link", name="1", exact=True).click()
    assert page.get_by_role("heading", name="Agreements").is_visible()
    row = page.get_by_role("row", name=f"#{network['case1'].pk}")
    assert row.get_by_text("Office KE").is_visible()
    assert row.get_by_text("Office BR").is_visible()
    assert row.get_by_role("link").get_attribute("href").endswith(f"/{network['case1'].pk}/")
    axe_check(page)


def test_facilitator_builds_a_report_and_downloads_it(page, live_server, axe_check, network):
    sign_in(page, live_server, network["staff"])
    page.goto("/en/insights/reports/")
    axe_check(page)
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("To").fill("2026-12-31")
    page.locator("#id_language").select_option("fr")
    page.get_by_label("PDF").uncheck()
    page.get_by_role("button", name="Build the report").click()
    # Tasks run at once in tests: the progress page already offers the file.
    assert page.get_by_text("Ready").is_visible()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the HTML file").click()
    assert download.value.suggested_filename.endswith("-fr.html")
