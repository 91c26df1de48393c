"""Pages: notifications, preferences, unsubscribe and conversations, with their permission matrix."""

import pytest
from django.urls import reverse
from django.utils import timezone

from wipomatch.core.tests.helpers import client_for, text

from ..models import Category, Frequency, Message, Notification
from ..selectors import frequency_for
from ..services import conversation_open, message_post, preference_set
from ..unsubscribe import unsubscribe_token
from .factories import NotificationFactory


def login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Notifications --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(db):
    for name in ("messaging:notifications", "messaging:preferences", "messaging:conversations"):
        assert login_redirect(client_for().get(reverse(name)))
    assert login_redirect(client_for().post(reverse("messaging:notifications_read_all")))


def test_the_list_shows_only_ones_own_notifications_and_the_bell_counts_them(seeker, outsider):
    NotificationFactory(recipient=seeker, params={"title": "Mine"})
    NotificationFactory(recipient=seeker, params={"title": "Old"}, read_at=timezone.now())
    NotificationFactory(recipient=outsider, params={"title": "Theirs"})
    response = client_for(seeker).get(reverse("messaging:notifications"))
    body = text(response)
    assert "Published: Mine" in body and "Published: Old" in body
    assert "Theirs" not in body
    assert 'data-unread="1"' in body  # the bell in the navigation
    assert body.index("Published: Mine") < body.index("Published: Old")
    assert "Mark all as read" in body


def test_an_empty_list_says_what_will_appear_there(seeker):
    body = text(client_for(seeker).get(reverse("messaging:notifications")))
    assert "You have no notifications yet." in body
    assert "Mark all as read" not in body
    assert "data-unread" not in body


def test_the_list_is_paginated(seeker):
    NotificationFactory.create_batch(30, recipient=seeker)
    response = client_for(seeker).get(reverse("messaging:notifications"), {"page": 2})
    assert len(response.context["notifications"]) == 5
    assert 'aria-label="Result pages"' in text(response)


def test_opening_marks_read_and_follows_the_link(seeker, outsider):
    notification = NotificationFactory(recipient=seeker, url="/en/needs/")
    assert (
        client_for(outsider)
        .get(reverse("messaging:notification_open", args=[notification.pk]))
        .status_code
        == 404
    )
    response = client_for(seeker).get(
        reverse("messaging:notification_open", args=[notification.pk])
    )
    assert response.status_code == 302 and response["Location"] == "/en/needs/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_an_outside_link_is_never_followed(seeker):
    notification = NotificationFactory(recipient=seeker, url="https://evil.example.com/")
    response = client_for(seeker).get(
        reverse("messaging:notification_open", args=[notification.pk])
    )
    assert response["Location"] == reverse("messaging:notifications")


def test_mark_one_and_mark_all_read(seeker, outsider):
    one, two = NotificationFactory.create_batch(2, recipient=seeker)
    theirs = NotificationFactory(recipient=outsider)
    url = reverse("messaging:notification_read", args=[one.pk])
    assert client_for(seeker).get(url).status_code == 405
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(seeker).post(url).status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    response = client_for(seeker).post(reverse("messaging:notifications_read_all"), follow=True)
    assert "All notifications are marked as read." in text(response)
    assert list(Notification.objects.filter(read_at__isnull=True)) == [theirs]


# --- Preferences and unsubscribe --------------------------------------------------------------------


def test_preferences_show_the_defaults_and_save_choices(seeker):
    url = reverse("messaging:preferences")
    response = client_for(seeker).get(url)
    form = response.context["form"]
    assert form["suggestions"].value() == "weekly" and form["cases"].value() == "immediate"
    assert "Default: Weekly digest" in text(response)
    data = dict.fromkeys(Category.values, "immediate") | {"news": "off", "messages": "daily"}
    response = client_for(seeker).post(url, data, follow=True)
    assert "Your notification preferences are saved." in text(response)
    assert frequency_for(seeker, Category.NEWS) == Frequency.OFF
    assert frequency_for(seeker, Category.MESSAGES) == Frequency.DAILY


def test_a_bad_preference_is_refused_with_a_message(seeker):
    data = dict.fromkeys(Category.values, "immediate") | {"news": "hourly"}
    response = client_for(seeker).post(reverse("messaging:preferences"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["news"]
    assert frequency_for(seeker, Category.NEWS) == Frequency.WEEKLY


def test_one_click_unsubscribe_needs_no_sign_in(seeker):
    token = unsubscribe_token(user=seeker, category=Category.SUGGESTIONS)
    response = client_for().get(reverse("messaging:unsubscribe", args=[token]))
    assert response.status_code == 200
    assert "You are unsubscribed" in text(response)
    assert reverse("messaging:preferences") in text(response)
    assert frequency_for(seeker, Category.SUGGESTIONS) == Frequency.OFF


def test_mail_clients_can_unsubscribe_with_a_post(seeker):
    # RFC 8058: "List-Unsubscribe=One-Click" is POSTed without a CSRF token.
    from django.test import Client

    token = unsubscribe_token(user=seeker, category=Category.NEWS)
    response = Client(enforce_csrf_checks=True).post(
        reverse("messaging:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert frequency_for(seeker, Category.NEWS) == Frequency.OFF


def test_a_tampered_token_changes_nothing(seeker, outsider):
    token = unsubscribe_token(user=seeker, category=Category.NEWS)
    forged = unsubscribe_token(user=outsider, category=Category.NEWS).split(":", 1)[0]
    for bad in (token[:-3] + "abc", forged + ":" + token.split(":", 1)[1], "nonsense"):
        response = client_for().get(reverse("messaging:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in text(response)
    assert frequency_for(seeker, Category.NEWS) == Frequency.WEEKLY
    assert frequency_for(outsider, Category.NEWS) == Frequency.WEEKLY


# --- Conversations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("seeker", 200),
        ("seeker_colleague", 200),
        ("provider", 200),
        ("facilitator", 200),
        ("outsider", 404),
        ("loner", 404),
    ],
)
def test_who_may_read_a_conversation(conversation, seeker, request, who, status):
    message_post(conversation=conversation, author=seeker, body="Our plan for the training")
    response = client_for(request.getfixturevalue(who)).get(
        reverse("messaging:conversation", args=[conversation.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert "Our plan for the training" in text(response)


def test_anonymous_cannot_read_or_post(conversation):
    url = reverse("messaging:conversation", args=[conversation.pk])
    assert login_redirect(client_for().get(url))
    post = reverse("messaging:conversation_post", args=[conversation.pk])
    assert login_redirect(client_for().post(post, {"body": "Hi"}))
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "who, status",
    [("seeker", 302), ("provider", 302), ("facilitator", 302), ("outsider", 404), ("loner", 404)],
)
def test_who_may_post(conversation, request, who, status):
    response = client_for(request.getfixturevalue(who)).post(
        reverse("messaging:conversation_post", args=[conversation.pk]), {"body": "Hello there"}
    )
    assert response.status_code == status
    assert Message.objects.filter(body="Hello there").exists() is (status == 302)


def test_posting_without_javascript_returns_to_the_embedding_page(conversation, seeker):
    post = reverse("messaging:conversation_post", args=[conversation.pk])
    response = client_for(seeker).post(post, {"body": "Hi", "next": "/en/needs/"})
    assert response["Location"] == "/en/needs/"
    response = client_for(seeker).post(post, {"body": "Hi", "next": "https://evil.example.com/"})
    assert response["Location"] == reverse("messaging:conversation", args=[conversation.pk])


def test_an_empty_or_too_long_message_gets_a_clear_error(conversation, seeker):
    post = reverse("messaging:conversation_post", args=[conversation.pk])
    response = client_for(seeker).post(post, {"body": "   "})
    assert response.status_code == 400
    assert "Write a message before sending it." in text(response)
    response = client_for(seeker).post(post, {"body": "x" * 5001})
    assert "at most 5000 characters (this one has 5001)" in text(response)
    response = client_for(seeker).post(post, {"body": "", "next": "/en/needs/"}, follow=True)
    assert "Write a message before sending it." in text(response)
    assert not Message.objects.exists()


def test_htmx_posting_returns_the_refreshed_conversation(conversation, seeker):
    post = reverse("messaging:conversation_post", args=[conversation.pk])
    response = client_for(seeker).post(post, {"body": "Via htmx"}, HTTP_HX_REQUEST="true")
    body = text(response)
    assert response.status_code == 200
    assert "<html" not in body and "Via htmx" in body
    assert f'id="conversation-{conversation.pk}"' in body
    response = client_for(seeker).post(post, {"body": ""}, HTTP_HX_REQUEST="true")
    assert "Write a message before sending it." in text(response)


def test_the_conversation_list_is_scoped(conversation, seeker, outsider, facilitator, subject):
    other = conversation_open(
        subject=seeker, organisations=[outsider.memberships.get().organisation]
    )
    url = reverse("messaging:conversations")
    assert list(client_for(seeker).get(url).context["conversations"]) == [conversation]
    assert list(client_for(outsider).get(url).context["conversations"]) == [other]
    assert set(client_for(facilitator).get(url).context["conversations"]) == {conversation, other}


def test_an_empty_conversation_list_explains_when_one_opens(loner):
    body = text(client_for(loner).get(reverse("messaging:conversations")))
    assert "No conversations yet." in body


def test_a_member_with_a_preference_for_messages_off_still_sees_the_bell(
    conversation, seeker, provider
):
    preference_set(user=provider, category=Category.MESSAGES, frequency=Frequency.OFF)
    message_post(conversation=conversation, author=seeker, body="Hi")
    body = text(client_for(provider).get(reverse("messaging:conversations")))
    assert 'data-unread="1"' in body


def test_pages_speak_the_readers_language(seeker, conversation):
    client = client_for(seeker)
    body = text(client.get("/fr/messages/"))
    assert "Vous n’avez encore aucune notification." in body
    body = text(client.get("/ar/messages/preferences/"))
    assert "ملخص أسبوعي" in body and 'dir="rtl"' in body


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_run_the_same_queries_whatever_their_length(conversation, seeker, provider):
    client = client_for(seeker)
    NotificationFactory.create_batch(2, recipient=seeker, actor=provider)
    message_post(conversation=conversation, author=provider, body="One")
    pages = [
        reverse("messaging:notifications"),
        reverse("messaging:conversations"),
        reverse("messaging:conversation", args=[conversation.pk]),
    ]
    few = [_count(client, url) for url in pages]
    NotificationFactory.create_batch(20, recipient=seeker, actor=provider)
    for n in range(10):
        message_post(conversation=conversation, author=provider, body=f"Message {n}")
        message_post(conversation=conversation, author=seeker, body=f"Answer {n}")
    assert [_count(client, url) for url in pages] == few


def test_the_conversation_links_to_its_subject_when_the_subject_has_a_page(
    conversation, seeker, monkeypatch
):
    from wipomatch.members.models import Organisation

    url = reverse("messaging:conversation", args=[conversation.pk])
    assert "/subject/page/" not in text(client_for(seeker).get(url))
    monkeypatch.setattr(
        Organisation, "get_absolute_url", lambda self: "/subject/page/", raising=False
    )
    body = text(client_for(seeker).get(url))
    assert 'href="/subject/page/"' in body
    assert "Open the page this conversation is about" in body
    monkeypatch.setattr(
        Organisation, "conversation_title", lambda self: "Patent training ↔ Kenya", raising=False
    )
    assert "Patent training ↔ Kenya</a>" in text(client_for(seeker).get(url))
