"""A need from its first draft to the visitor who finds it: a member writes and submits it, a
facilitator publishes it from the validation queue, a visitor finds it by searching and by theme.
axe-core checks every page on the way."""

import re

import pytest

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fast_search")]


@pytest.fixture
def cast(live_reference):
    from wipomatch.members.models import Membership
    from wipomatch.members.tests.factories import (
        FacilitatorFactory,
        MembershipFactory,
        OrganisationFactory,
        country,
    )

    org = OrganisationFactory(name="Kenya Industrial Property Institute", country=country("KE"))
    return {
        "org": org,
        "member": MembershipFactory(organisation=org, role=Membership.Role.CONTRIBUTOR).user,
        "facilitator": FacilitatorFactory(email="facilitator@wipo.example.org"),
    }


def test_a_need_goes_from_draft_to_found(page, browser, live_server, axe_check, cast):
    from wipomatch.listings.models import Listing, Status

    # A member writes the need and submits it.
    sign_in(page, live_server, cast["member"])
    page.goto("/en/needs/new/")
    assert page.locator("#tag-suggestions").count() == 1
    axe_check(page)
    page.get_by_label("Title").first.fill("Training examiners in pharmaceutical patents")
    page.get_by_label("Summary").first.fill(
        "Ten patent examiners need a course on pharmaceutical inventions."
    )
    page.get_by_label("Description").fill(
        "Our office receives a growing number of pharmaceutical patent applications and "
        "needs a practical course on novelty and inventive step."
    )
    page.get_by_label("IP and public health").check()
    page.get_by_label("Patents and utility models").check()
    page.get_by_label("Training and capacity building").check()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(r"/en/needs/\d+/$"))
    assert page.get_by_text("Submitted for review").first.is_visible()
    need = Listing.objects.get()
    assert need.status == Status.SUBMITTED
    axe_check(page)
    page.goto("/en/listings/mine/")
    assert page.get_by_role(
        "link", name="Training examiners in pharmaceutical patents", exact=True
    ).is_visible()
    axe_check(page)

    # A facilitator publishes it from the validation queue, after confirming.
    staff = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    sign_in(staff, live_server, cast["facilitator"])
    staff.goto("/en/listings/review/")
    axe_check(staff)
    staff.get_by_label("Select “Training examiners in pharmaceutical patents”").check()
    staff.get_by_role("button", name="Publish the selected listings").click()
    axe_check(staff)
    staff.get_by_role("button", name="Yes, publish them").click()
    staff.wait_for_url("**/en/listings/review/")
    assert staff.get_by_text("1 listing published.").is_visible()
    need.refresh_from_db()
    assert need.status == Status.PUBLISHED
    staff.goto(f"/en/listings/{need.pk}/review/")
    axe_check(staff)
    staff.context.close()

    # Once published, its owner can edit or close it.
    page.goto(f"/en/listings/{need.pk}/edit/")
    assert page.get_by_label("Title").first.input_value().startswith("Training examiners")
    axe_check(page)
    page.goto(f"/en/listings/{need.pk}/close/")
    axe_check(page)

    # A visitor finds it by searching, then narrows by theme without reloading the page.
    visitor = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    visitor.goto("/en/needs/")
    axe_check(visitor)
    visitor.get_by_role("searchbox", name="Search needs").fill("pharmaceutical examiners")
    visitor.get_by_role("searchbox", name="Search needs").press("Enter")
    visitor.wait_for_url(re.compile(r"q=pharmaceutical"))
    result = visitor.get_by_role(
        "link", name="Training examiners in pharmaceutical patents", exact=True
    )
    result.wait_for()
    visitor.wait_for_load_state("networkidle")
    visitor.evaluate("window.stillTheSamePage = true")
    visitor.get_by_label(re.compile(r"^IP and public health")).check()
    visitor.wait_for_url(re.compile(r"theme=public-health"))
    visitor.get_by_text("1 need found").wait_for()
    assert visitor.evaluate("window.stillTheSamePage === true")  # htmx, no full reload
    assert "q=pharmaceutical" in visitor.url
    assert "country=" not in visitor.url  # empty filters stay out of the shareable address
    axe_check(visitor)
    result.click()
    visitor.wait_for_url(f"**/en/needs/{need.pk}/")
    assert visitor.get_by_role("heading", name="See the full details").is_visible()
    axe_check(visitor)
    for path in ("/en/themes/public-health/", "/en/countries/KE/", "/ar/needs/"):
        visitor.goto(path)
        assert visitor.locator("h1").first.is_visible()
        axe_check(visitor)
    visitor.context.close()
