"""The bell counts unread notifications, "mark all read" empties it, preferences are saved and a
message posted in a conversation appears without a page load. axe-core checks every page."""

import re

import pytest

from .helpers import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(live_reference):
    from wipomatch.members.tests.factories import FocalPointFactory, OrganisationFactory
    from wipomatch.messaging.services import conversation_open
    from wipomatch.messaging.tests.factories import NotificationFactory

    seeker_org = OrganisationFactory(name="Office of Industrial Property of Senegal")
    provider_org = OrganisationFactory(name="Kenya Industrial Property Institute")
    seeker = FocalPointFactory(organisation=seeker_org).user
    for title in ("Patent training", "Coffee GI", "Music rights"):
        NotificationFactory(recipient=seeker, params={"title": title}, url="/en/needs/")
    conversation = conversation_open(subject=seeker_org, organisations=[seeker_org, provider_org])
    return {"seeker": seeker, "conversation": conversation}


def test_bell_mark_all_read_and_preferences(page, live_server, axe_check, cast):
    from wipomatch.messaging.models import Message, Notification
    from wipomatch.messaging.selectors import frequency_for

    sign_in(page, live_server, cast["seeker"])
    page.goto("/en/messages/")
    bell = page.locator("#notification-bell")
    assert bell.locator(".badge").inner_text().startswith("3")
    assert page.get_by_role("link", name="Published: Music rights").is_visible()
    axe_check(page)

    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_url(re.compile(r"/en/messages/$"))
    assert page.get_by_text("All notifications are marked as read.").is_visible()
    assert bell.locator(".badge").count() == 0
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    axe_check(page)

    page.get_by_role("link", name="E-mail preferences").click()
    news = page.get_by_role("group", name="News (published stories and initiatives)")
    assert news.get_by_label("Weekly digest").is_checked()  # the default is shown
    news.get_by_label("No e-mail").check()
    page.get_by_role("group", name="New messages in a conversation").get_by_label(
        "Daily digest"
    ).check()
    axe_check(page)
    page.get_by_role("button", name="Save preferences").click()
    assert page.get_by_text("Your notification preferences are saved.").is_visible()
    assert frequency_for(cast["seeker"], "news") == "off"
    assert frequency_for(cast["seeker"], "messages") == "daily"
    assert (
        page.get_by_role("group", name="New messages in a conversation")
        .get_by_label("Daily digest")
        .is_checked()
    )

    # A conversation: the message is posted with htmx and appears in place.
    page.goto(f"/en/messages/conversations/{cast['conversation'].pk}/")
    assert page.get_by_text("No messages yet. Write the first one.").is_visible()
    axe_check(page)
    page.get_by_label("Your message").fill("Shall we plan the training for March?")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Shall we plan the training for March?").wait_for()
    assert Message.objects.filter(body="Shall we plan the training for March?").exists()
    assert page.get_by_label("Your message").input_value() == ""
    axe_check(page)

    # The same pages right-to-left.
    page.goto("/ar/messages/preferences/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    axe_check(page)
