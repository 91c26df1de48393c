"""Pages that work everywhere: at 360 px and 1280 px, in English, Arabic and Chinese, the main
pages never scroll sideways (document width equals viewport width) and axe-core finds no
serious or critical issue, the API documentation included. Then the phone-sized filter panel,
the searchable country picker, and the staff navigation on one line."""

import pytest

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fast_search")]

LANGUAGES = {"en": "en-GB", "ar": "ar", "zh-hans": "zh-CN"}
LOCALES = {**LANGUAGES, "fr": "fr-FR"}
WIDTHS = (360, 1280)


@pytest.fixture
def catalogue(live_reference):
    from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
    from wipomatch.members.models import Membership
    from wipomatch.members.tests.factories import (
        FacilitatorFactory,
        MembershipFactory,
        OrganisationFactory,
        country,
    )

    org = OrganisationFactory(
        name="Instituto Nacional de la Propiedad Industrial y Transferencia de Tecnología",
        country=country("KE"),
    )
    need = NeedFactory(
        organisation=org,
        status="published",
        title="Training examiners in pharmaceutical patents (تدريب فاحصي البراءات)",
        themes=["public-health", "ip-management", "food-security-agriculture"],
        ip_areas=["patents", "traditional-knowledge"],
        assistance_types=["training", "expert-advice"],
    )
    offer = OfferFactory(status="published", title="专利审查员培训课程")
    return {
        "org": org,
        "need": need,
        "offer": offer,
        "member": MembershipFactory(organisation=org, role=Membership.Role.FOCAL_POINT).user,
        "facilitator": FacilitatorFactory(email="facilitator@wipo.example.org"),
    }


def _pages(catalogue) -> list[str]:
    return [
        "/",
        "/needs/",
        "/offers/",
        "/members/",
        f"/needs/{catalogue['need'].pk}/",
        f"/offers/{catalogue['offer'].pk}/",
        f"/members/{catalogue['org'].pk}/",
        "/countries/KE/",
        "/help/",
        "/privacy/",
        "/code-of-conduct/",
        "/api/v1/docs/",
    ]


def _context(browser, live_server, language: str, width: int):
    return browser.new_context(
        base_url=live_server.url,
        locale=LOCALES[language],
        viewport={"width": width, "height": 900},
        extra_http_headers={"Accept-Language": LOCALES[language]},
    )


def assert_fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll != width:
        wide = page.evaluate(
            """(w) => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > w + 1)
                 .slice(0, 5).map(e => e.tagName + '.' + e.className)""",
            width,
        )
        raise AssertionError(f"{page.url} is {scroll} px wide at {width} px: {wide}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_main_pages_fit_and_pass_axe(browser, live_server, axe_check, catalogue, language, width):
    context = _context(browser, live_server, language, width)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        for path in _pages(catalogue):
            url = path if path.startswith("/api/") else f"/{language}{path}"
            response = page.goto(url)
            assert response.status == 200, url
            assert page.locator("html").get_attribute("lang") == language
            assert_fits(page, width)
            axe_check(page)
    finally:
        context.close()


def test_on_a_phone_results_come_first_and_filters_open_on_demand(browser, live_server, catalogue):
    context = _context(browser, live_server, "ar", 360)
    page = context.new_page()
    try:
        page.goto("/ar/needs/")
        panel = page.locator("#browse-filters-panel")
        assert not panel.is_visible()
        assert page.locator("#results-heading").is_visible()
        page.locator("#browse-filters-toggle").click()
        panel.wait_for(state="visible")
        assert page.locator("#browse-filters-toggle").get_attribute("aria-expanded") == "true"
        assert_fits(page, 360)
    finally:
        context.close()


def test_the_country_picker_filters_by_typing_and_by_keyboard(browser, live_server, catalogue):
    context = _context(browser, live_server, "fr", 360)
    sign_in(context, live_server, catalogue["member"])
    page = context.new_page()
    try:
        page.goto("/fr/offers/new/")
        page.locator("input[name=coverage][value=chosen]").check()
        search = page.locator("#id_countries_filter")
        label = page.locator("label[for=id_countries_filter]").inner_text()
        assert label.startswith("Pays")  # the filter box is labelled by the field's label
        search.fill("cote")  # accents and case ignored
        assert page.locator("#id_countries_status").inner_text().startswith("1 ")
        search.press("ArrowDown")
        page.keyboard.press("Space")
        assert "Côte d’Ivoire" in page.locator("#id_countries_picker .picker-chosen").inner_text()
        search.focus()
        search.press("Enter")  # filtering never submits the form
        assert page.url.endswith("/fr/offers/new/")
        assert_fits(page, 360)
    finally:
        context.close()


def test_staff_navigation_fits_one_line_at_1280(browser, live_server, axe_check, catalogue):
    context = _context(browser, live_server, "en", 1280)
    sign_in(context, live_server, catalogue["facilitator"])
    page = context.new_page()
    try:
        page.goto("/en/dashboard/")
        tops = page.evaluate(
            "[...document.querySelectorAll('#main-nav > ul > li')].map(li => li.offsetTop)"
        )
        assert len(set(tops)) == 1, tops
        nav = page.locator("#main-nav").inner_text()
        assert "How to join" not in nav and "My listings" not in nav
        assert page.locator("h1").inner_text() == "My space"
        axe_check(page)
    finally:
        context.close()
