"""From a suggestion to a conversation: a seeker expresses interest from a suggestion in
English, the provider accepts in French, both see the contacts and exchange messages, and a
facilitator works the case board. axe-core on every brokering page."""

import pytest

from .helpers import switch_user

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(live_reference, settings):
    from wipomatch.listings.tests.factories import (
        PATENT_COURSE_OFFER,
        PATENT_TRAINING_NEED,
        NeedFactory,
        OfferFactory,
    )
    from wipomatch.members.tests.factories import (
        FacilitatorFactory,
        FocalPointFactory,
        OrganisationFactory,
        country,
    )

    settings.LISTING_EMBEDDER = "hashing"
    seeker_org = OrganisationFactory(
        name="Office sénégalais de la propriété", country=country("SN")
    )
    provider_org = OrganisationFactory(name="Instituto del Sur", country=country("AR"))
    seeker = FocalPointFactory(
        organisation=seeker_org,
        user__full_name="Awa Diop",
        user__email="awa.diop@osp.example.org",
    ).user
    provider = FocalPointFactory(
        organisation=provider_org,
        user__full_name="Julien Moreau",
        user__email="julien.moreau@sur.example.org",
        user__preferred_language="fr",
    ).user
    # No surrounding transaction: suggestions are computed at once (immediate task backend).
    need = NeedFactory(
        status="published", organisation=seeker_org, user=seeker, **PATENT_TRAINING_NEED
    )
    offer = OfferFactory(
        status="published", organisation=provider_org, user=provider, **PATENT_COURSE_OFFER
    )
    return {
        "seeker": seeker,
        "provider": provider,
        "facilitator": FacilitatorFactory(full_name="Lucía Facilitator"),
        "need": need,
        "offer": offer,
    }


def test_from_suggestion_to_conversation(page, live_server, axe_check, cast):
    from wipomatch.brokering.models import MatchCase

    need = cast["need"]

    # 1. The seeker sees the offer among the suggestions of their need and expresses interest.
    switch_user(page, live_server, cast["seeker"])
    page.goto(f"/en/needs/{need.pk}/")
    panel = page.locator("section#suggestions")
    panel.wait_for()
    panel.get_by_role("link", name="Express interest").first.click()
    page.wait_for_url("**/matches/interest/offer/**")
    axe_check(page)
    assert page.get_by_label("Which of your listings is it about?").input_value() == str(need.pk)
    page.get_by_label("Message to the other organisation").fill(
        "We would like places for ten examiners next spring."
    )
    page.get_by_role("button", name="Send my interest").click()
    page.wait_for_url("**/matches/*/")
    case = MatchCase.objects.get()
    assert case.state == "interest"
    body = page.locator("main").inner_text()
    assert "julien.moreau@sur.example.org" not in body and "Julien Moreau" not in body
    axe_check(page)
    page.goto("/en/matches/")
    axe_check(page)

    # 2. The provider answers in French: the case waits for them; no contact details yet.
    switch_user(page, live_server, cast["provider"])
    page.goto("/fr/matches/")
    assert f"/fr/matches/{case.pk}/" in page.content()
    axe_check(page)
    page.goto(f"/fr/matches/{case.pk}/")
    main = page.locator("main").inner_text()
    assert "awa.diop@osp.example.org" not in main and "Awa Diop" not in main
    assert "We would like places for ten examiners next spring." in main
    axe_check(page)
    page.locator(f"form[action='/fr/matches/{case.pk}/accept/'] button[type=submit]").click()
    page.wait_for_url(f"**/fr/matches/{case.pk}/")
    contacts = page.locator("[data-contacts]")
    assert "awa.diop@osp.example.org" in contacts.inner_text()
    axe_check(page)
    page.locator("textarea[name=body]").fill("Bonjour, avec plaisir ! Quand pouvons-nous parler ?")
    page.locator("section.conversation button[type=submit]").click()
    page.locator("section.conversation").get_by_text("Quand pouvons-nous parler").wait_for()

    # 3. The seeker sees the contacts and the message, and replies.
    switch_user(page, live_server, cast["seeker"])
    page.goto(f"/en/matches/{case.pk}/")
    assert "julien.moreau@sur.example.org" in page.locator("[data-contacts]").inner_text()
    assert "Quand pouvons-nous parler" in page.locator("section.conversation").inner_text()
    page.locator("textarea[name=body]").fill("Next Tuesday at 10:00 UTC?")
    page.locator("section.conversation button[type=submit]").click()
    page.locator("section.conversation").get_by_text("Next Tuesday").wait_for()
    axe_check(page)

    # 4. A facilitator works the board: filters, opens the case, notes, follow-up, closes it.
    switch_user(page, live_server, cast["facilitator"])
    page.goto("/en/matches/board/?state=mutual")
    axe_check(page)
    page.get_by_role("link", name=need.title[:20], exact=False).first.click()
    page.wait_for_url(f"**/en/matches/{case.pk}/")
    assert "Next Tuesday" in page.locator("section.conversation").inner_text()
    page.locator("#id_note-body").fill("Both sides met; follow up after the call.")
    page.get_by_role("button", name="Add the note").click()
    page.wait_for_url(f"**/en/matches/{case.pk}/")
    page.get_by_label("Follow up on").fill("2031-01-15")
    page.get_by_role("button", name="Save follow-up date").click()
    page.wait_for_url(f"**/en/matches/{case.pk}/")
    axe_check(page)
    page.locator("summary", has_text="Close the case with its outcome").click()
    page.get_by_label("Agreement", exact=True).check()
    page.get_by_label("What was agreed, or why there was no agreement").fill(
        "Ten examiners join the spring course."
    )
    page.get_by_role("button", name="Close the case", exact=True).click()
    page.wait_for_url(f"**/en/matches/{case.pk}/")
    case.refresh_from_db()
    assert case.state == "agreement" and case.follow_up_on.isoformat() == "2031-01-15"
    assert case.notes.count() == 1
    page.goto("/en/matches/propose/")
    axe_check(page)
    page.goto("/en/matches/api-token/")
    axe_check(page)

    # 5. The seeker rates the closed case; internal notes stay invisible to members.
    switch_user(page, live_server, cast["seeker"])
    page.goto(f"/en/matches/{case.pk}/")
    assert "follow up after the call" not in page.locator("main").inner_text()
    page.locator("#rating label", has_text="5").first.click()
    page.get_by_role("button", name="Save my rating").click()
    page.wait_for_url(f"**/en/matches/{case.pk}/")
    assert case.ratings.get().score == 5
    axe_check(page)
