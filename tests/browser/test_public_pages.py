import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/en/", "/ar/", "/zh-hans/about/", "/fr/accounts/login/"])
def test_public_pages_are_accessible(page, axe_check, path):
    page.goto(path)
    assert page.locator("h1").first.is_visible()
    axe_check(page)


def test_switching_to_arabic_mirrors_the_layout(page):
    page.goto("/en/")
    page.locator("#language-menu").click()
    page.locator('a[hreflang="ar"]').click()
    page.wait_for_url("**/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
