"""Joining, end to end: a registered person applies for their organisation's membership, a
facilitator assesses the criteria and approves it, the new focal point sees the result. A
colleague then asks to join and the focal point accepts. axe-core checks every page."""

import pytest

from .helpers import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def people(live_reference):
    from wipomatch.members.tests.factories import FacilitatorFactory, UserFactory

    return {
        "applicant": UserFactory(email="amina@ospi.example.sn"),
        "colleague": UserFactory(email="moussa@ospi.example.sn"),
        "facilitator": FacilitatorFactory(email="reviewer@wipo.example.org"),
    }


def test_join_and_approve_journey(browser, live_server, axe_check, people):
    from wipomatch.members.criteria import CRITERIA
    from wipomatch.members.models import Membership, MembershipApplication

    applicant = browser.new_context(base_url=live_server.url).new_page()
    # A visitor reads the criteria, then (signed in) applies.
    applicant.goto("/en/members/criteria/")
    axe_check(applicant)
    sign_in(applicant, live_server, people["applicant"])
    applicant.goto("/en/members/apply/")
    axe_check(applicant)
    applicant.fill("#id_name", "Senegalese Office of Industrial Property")
    applicant.fill("#id_acronym", "OSPI")
    applicant.select_option("#id_org_type", "ip-office")
    applicant.select_option("#id_country", "SN")
    applicant.fill("#id_website", "https://ospi.example.sn")
    applicant.fill("#id_description", "The national office for patents, marks and designs.")
    applicant.check('input[name="themes"][value="ip-management"]')
    applicant.fill("#id_contact_email", "contact@ospi.example.sn")
    applicant.fill("#id_motivation", "We want South-South partners to modernise our office.")
    applicant.check("#id_accepted_code_of_conduct")
    applicant.get_by_role("button", name="Send the application").click()
    applicant.wait_for_url("**/members/applications/*/")
    assert "Submitted" in applicant.content()
    axe_check(applicant)
    application = MembershipApplication.objects.get(organisation__acronym="OSPI")

    # The facilitator assesses each criterion, then approves.
    staff = browser.new_context(base_url=live_server.url).new_page()
    sign_in(staff, live_server, people["facilitator"])
    staff.goto("/en/members/review/")
    axe_check(staff)
    staff.get_by_role("link", name="Senegalese Office of Industrial Property").first.click()
    staff.wait_for_url(f"**/members/review/{application.pk}/")
    axe_check(staff)
    for criterion in CRITERIA:
        staff.check(f'input[name="assess-{criterion.slug}-met"][value="met"]')
    staff.get_by_role("button", name="Save the assessment").click()
    staff.wait_for_load_state()
    staff.check('input[name="decide-decision"][value="approve"]')
    staff.get_by_role("button", name="Record the decision").click()
    staff.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED

    # The applicant is now the focal point and sees the decision and its history.
    applicant.goto(f"/en/members/applications/{application.pk}/")
    assert "Approved" in applicant.content()
    organisation = application.organisation
    applicant.goto(f"/en/members/{organisation.pk}/")
    axe_check(applicant)

    # A colleague asks to join; the focal point approves from the team page.
    colleague = browser.new_context(base_url=live_server.url).new_page()
    sign_in(colleague, live_server, people["colleague"])
    colleague.goto("/en/members/")
    axe_check(colleague)
    colleague.goto(f"/en/members/{organisation.pk}/join/")
    axe_check(colleague)
    colleague.fill("#id_message", "I work in the patents division.")
    colleague.get_by_role("button", name="Ask to join").click()
    colleague.wait_for_load_state()
    applicant.goto(f"/en/members/{organisation.pk}/team/")
    axe_check(applicant)
    colleague_name = people["colleague"].display_name
    applicant.get_by_role("button", name=f"Approve {colleague_name}").click()
    applicant.wait_for_load_state()
    assert Membership.objects.filter(
        user=people["colleague"], organisation=organisation, role="contributor"
    ).exists()
