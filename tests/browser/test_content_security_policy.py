"""The pages work under the Content-Security-Policy: the `page` fixture fails on a violation."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_and_browse_run_without_a_policy_violation(page):
    page.goto("/api/v1/docs/")  # the accessible reference
    page.wait_for_selector("h1")
    page.goto("/api/v1/docs/swagger/")  # the interactive explorer
    page.wait_for_selector(".swagger-ui .info", timeout=30000)
    page.goto("/en/needs/")
    page.fill("#id_q", "patent")
    page.wait_for_load_state("networkidle")
