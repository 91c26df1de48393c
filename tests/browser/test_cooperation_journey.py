"""An agreed match becomes a cooperation initiative: the seeker turns the agreement into a
pre-filled initiative, adds a funder and sees the modality change live, submits it; a
facilitator publishes it; the seeker adds a result and reports progress; the facilitator
accepts the report. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import switch_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fast_search")]


@pytest.fixture
def agreed_case(live_reference):
    from wipomatch.brokering import services as brokering
    from wipomatch.listings.models import Status
    from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
    from wipomatch.members.tests.factories import (
        FacilitatorFactory,
        FocalPointFactory,
        OrganisationFactory,
        country,
    )

    seeker_org = OrganisationFactory(name="Senegal Copyright Office", country=country("SN"))
    provider_org = OrganisationFactory(name="Brazil Patent Office", country=country("BR"))
    seeker = FocalPointFactory(organisation=seeker_org).user
    provider = FocalPointFactory(organisation=provider_org).user
    facilitator = FacilitatorFactory(email="facilitator@wipo.example.org")
    need = NeedFactory(organisation=seeker_org, user=seeker, status=Status.PUBLISHED)
    offer = OfferFactory(organisation=provider_org, user=provider, status=Status.PUBLISHED)
    case = brokering.match_express_interest(
        user=seeker, need=need, offer=offer, message="We would like to work with you."
    )
    case = brokering.match_accept(user=provider, case=case, message="With pleasure.")
    case = brokering.match_close(
        user=facilitator, case=case, outcome="agreement", note="Two training sessions in Dakar."
    )
    return {"case": case, "seeker": seeker, "facilitator": facilitator}


def test_an_agreement_becomes_a_reported_initiative(page, live_server, axe_check, agreed_case):
    from wipomatch.cooperation.models import Initiative, ProgressReport

    case = agreed_case["case"]

    # The seeker turns the agreement into an initiative from the case page.
    switch_user(page, live_server, agreed_case["seeker"])
    page.goto(f"/en/matches/{case.pk}/")
    axe_check(page)
    page.get_by_role("button", name="Turn this agreement into an initiative").click()
    page.wait_for_url(re.compile(r"/en/initiatives/\d+/edit/$"))
    initiative = Initiative.objects.get(source_case=case)
    preview = page.locator("#modality-preview")
    assert "South-South" in preview.inner_text()
    axe_check(page)

    # A Japanese funder joins: the modality shown turns triangular before anything is saved.
    page.locator("#id_parties-2-name").fill("Japan International Cooperation Agency")
    page.locator("#id_parties-2-country").select_option("JP")
    page.locator("#id_parties-2-organisation_type").select_option("government")
    page.locator("#id_parties-2-role").select_option("funder")
    # A locator assertion, not wait_for_function: the page's CSP forbids evaluating strings.
    expect(page.locator("#modality-preview")).to_contain_text("Triangular")
    assert "supported by the funder (Japan)" in page.locator("#modality-preview").inner_text()
    axe_check(page)
    page.get_by_role("button", name="Save and submit for review").click()
    page.wait_for_url(re.compile(rf"/en/initiatives/{initiative.pk}/$"))
    initiative.refresh_from_db()
    assert initiative.review_status == "submitted" and initiative.modality == "triangular"
    assert page.get_by_text("Why:").is_visible()
    axe_check(page)

    # A facilitator publishes it from the follow-up page.
    switch_user(page, live_server, agreed_case["facilitator"])
    page.goto("/en/initiatives/review/")
    axe_check(page)
    page.get_by_role("link", name=initiative.title).first.click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(rf"/en/initiatives/{initiative.pk}/$"))
    initiative.refresh_from_db()
    assert initiative.review_status == "published"

    # The seeker adds a result, then reports progress with an actual value.
    switch_user(page, live_server, agreed_case["seeker"])
    page.goto(f"/en/initiatives/{initiative.pk}/results/new/")
    axe_check(page)
    page.get_by_label("Result", exact=True).fill("Examiners trained")
    page.get_by_label("Indicator", exact=True).fill("Examiners certified")
    page.get_by_label("Unit", exact=True).fill("people")
    page.get_by_label("Target value").fill("12")
    page.get_by_role("button", name="Add the result").click()
    page.wait_for_url(re.compile(rf"/en/initiatives/{initiative.pk}/$"))
    page.get_by_role("link", name="Submit a progress report").click()
    axe_check(page)
    page.get_by_label("Period from").fill("2026-01-01")
    page.get_by_label("Period until").fill("2026-06-30")
    page.get_by_label("What happened").fill("The first six examiners were certified in Dakar.")
    page.get_by_label("Examiners certified (people)").fill("6")
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_url(re.compile(r"/en/initiatives/reports/\d+/$"))
    report = ProgressReport.objects.get()
    assert report.state == "submitted"
    axe_check(page)

    # The facilitator accepts it; the initiative page charts target against actual.
    switch_user(page, live_server, agreed_case["facilitator"])
    page.goto(f"/en/initiatives/reports/{report.pk}/")
    page.get_by_label("Accept the report").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(rf"/en/initiatives/reports/{report.pk}/$"))
    report.refresh_from_db()
    assert report.state == "accepted"
    page.goto(f"/en/initiatives/{initiative.pk}/")
    assert page.locator("svg").count() >= 1
    assert "6.00" in page.locator("#results-heading + div").inner_text()
    axe_check(page)

    # Visitors find it in the directory.
    page.context.clear_cookies()
    page.goto("/en/initiatives/?modality=triangular")
    assert page.get_by_role("link", name=initiative.title).is_visible()
    axe_check(page)
