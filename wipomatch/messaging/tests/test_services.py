"""Notifications, preferences, conversations and digests, through the services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from freezegun import freeze_time

from wipomatch.members.tests.factories import UserFactory

from .. import digest
from ..models import Category, Frequency, Message, Notification, NotificationPreference
from ..selectors import (
    conversation_for,
    frequency_for,
    messages_for,
    notifications_for,
    preferences_for,
    unread_count,
)
from ..services import (
    conversation_open,
    digests_send_daily,
    digests_send_weekly,
    message_post,
    notification_mark_read,
    notifications_mark_all_read,
    notify,
    preference_set,
)
from ..unsubscribe import read_unsubscribe_token, unsubscribe_token
from .factories import NotificationFactory


def _notify(recipients, **kwargs):
    defaults = {
        "category": Category.CASES,
        "kind": "test",
        "title": "Published: %(title)s",
        "params": {"title": "Patent training"},
        "url": "/en/needs/",
        "email_template": "messaging/message_posted",
        "email_context": {"organisation": "OSPI", "excerpt": "Hi", "truncated": False},
    }
    defaults.update(kwargs)
    return notify(recipients=recipients, **defaults)


def _mails_to(user):
    return [m for m in mail.outbox if user.email in m.to]


# --- notify ---------------------------------------------------------------------------------------


def test_one_notification_per_active_recipient(seeker, seeker_colleague):
    gone = UserFactory(is_active=False)
    made = _notify([seeker, seeker, gone, seeker_colleague], email_template=None)
    assert sorted(n.recipient_id for n in made) == sorted([seeker.pk, seeker_colleague.pk])
    assert unread_count(seeker) == 1
    assert unread_count(gone) == 0


def test_unknown_category_is_refused(seeker):
    with pytest.raises(ValueError):
        _notify([seeker], category="gossip")


@pytest.mark.parametrize(
    "frequency, emailed",
    [
        (Frequency.IMMEDIATE, True),
        (Frequency.DAILY, False),
        (Frequency.WEEKLY, False),
        (Frequency.OFF, False),
    ],
)
def test_the_preference_decides_whether_the_email_goes_at_once(
    seeker, on_commit, frequency, emailed
):
    preference_set(user=seeker, category=Category.CASES, frequency=frequency)
    with on_commit():
        [notification] = _notify([seeker])
    assert bool(_mails_to(seeker)) is emailed
    assert (notification.emailed_at is not None) is emailed
    # The in-app notification exists whatever the e-mail preference.
    assert notifications_for(seeker).count() == 1


def test_transactional_mail_reaches_even_those_who_turned_the_category_off(seeker, on_commit):
    preference_set(user=seeker, category=Category.CASES, frequency=Frequency.OFF)
    with on_commit():
        _notify([seeker], transactional=True)
    [message] = _mails_to(seeker)
    assert "/messages/unsubscribe/" not in message.body


def test_mail_is_in_the_recipients_language_with_a_signed_unsubscribe_link(provider, on_commit):
    translation.activate("en")  # whoever causes the mail writes in English
    with on_commit():
        _notify([provider])
    [message] = _mails_to(provider)
    assert message.body.startswith("Bonjour,")
    assert "http://testserver/fr/needs/" in message.body or "/fr/needs/" in message.body
    token = message.body.split("/fr/messages/unsubscribe/")[1].split("/")[0]
    assert read_unsubscribe_token(token) == (provider.pk, Category.CASES)


def test_a_title_is_rendered_in_the_readers_language(seeker):
    [notification] = _notify([seeker], title="Hello,", params={}, email_template=None)
    with translation.override("fr"):
        assert notification.rendered_title() == "Bonjour,"
    assert notification.rendered_title() == "Hello,"


def test_broken_parameters_never_break_rendering(seeker):
    notification = NotificationFactory(recipient=seeker, params={"wrong": 1})
    assert notification.rendered_title() == "Published: %(title)s"


# --- read state and preferences ----------------------------------------------------------------


def test_marking_read_is_for_the_recipient_only(seeker, outsider):
    notification = NotificationFactory(recipient=seeker)
    with pytest.raises(PermissionDenied):
        notification_mark_read(user=outsider, notification=notification)
    notification_mark_read(user=seeker, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is not None
    first = notification.read_at
    notification_mark_read(user=seeker, notification=notification)  # idempotent
    notification.refresh_from_db()
    assert notification.read_at == first


def test_mark_all_read_counts_only_the_users_unread(seeker, outsider):
    NotificationFactory.create_batch(3, recipient=seeker)
    NotificationFactory(recipient=seeker, read_at=timezone.now())
    NotificationFactory(recipient=outsider)
    assert notifications_mark_all_read(user=seeker) == 3
    assert unread_count(seeker) == 0
    assert unread_count(outsider) == 1


def test_unread_come_first(seeker):
    old_unread = NotificationFactory(recipient=seeker)
    read = NotificationFactory(recipient=seeker, read_at=timezone.now())
    new_unread = NotificationFactory(recipient=seeker)
    assert list(notifications_for(seeker)) == [new_unread, old_unread, read]


def test_preferences_have_defaults_and_are_validated(seeker):
    assert preferences_for(seeker) == {
        "cases": "immediate",
        "messages": "immediate",
        "reminders": "immediate",
        "suggestions": "weekly",
        "news": "weekly",
    }
    preference_set(user=seeker, category=Category.NEWS, frequency=Frequency.OFF)
    preference_set(user=seeker, category=Category.NEWS, frequency=Frequency.DAILY)
    assert NotificationPreference.objects.filter(user=seeker).count() == 1
    assert frequency_for(seeker, Category.NEWS) == Frequency.DAILY
    with pytest.raises(ValidationError):
        preference_set(user=seeker, category=Category.NEWS, frequency="hourly")
    with pytest.raises(ValidationError):
        preference_set(user=seeker, category="gossip", frequency=Frequency.OFF)


def test_unsubscribe_tokens_cannot_be_tampered_with(seeker, outsider):
    token = unsubscribe_token(user=seeker, category=Category.NEWS)
    assert read_unsubscribe_token(token) == (seeker.pk, Category.NEWS)
    forged = unsubscribe_token(user=outsider, category=Category.NEWS)
    payload_of_forged, _rest = forged.split(":", 1)
    _payload, signature = token.split(":", 1)
    assert read_unsubscribe_token(f"{payload_of_forged}:{signature}") is None
    assert read_unsubscribe_token(token[:-2] + "xx") is None
    assert read_unsubscribe_token("garbage") is None


# --- conversations -------------------------------------------------------------------------------


def test_opening_a_conversation_twice_gives_the_same_one(subject, seeker_org, provider_org):
    first = conversation_open(subject=subject, organisations=[seeker_org])
    second = conversation_open(subject=subject, organisations=[seeker_org, provider_org])
    assert first.pk == second.pk
    assert set(second.organisations.all()) == {seeker_org, provider_org}
    assert conversation_for(subject) == first


def test_members_of_each_side_and_facilitators_post(conversation, seeker, provider, facilitator):
    message_post(conversation=conversation, author=seeker, body="  Hello  ")
    message_post(conversation=conversation, author=provider, body="Bonjour")
    message_post(conversation=conversation, author=facilitator, body="Welcome both")
    bodies = [(m.body, m.organisation and m.organisation.name) for m in messages_for(conversation)]
    assert bodies == [
        ("Hello", "Office of Industrial Property of Senegal"),
        ("Bonjour", "Kenya Industrial Property Institute"),
        ("Welcome both", None),
    ]


@pytest.mark.parametrize("who", ["outsider", "loner"])
def test_outsiders_cannot_post(conversation, request, who):
    with pytest.raises(PermissionDenied):
        message_post(conversation=conversation, author=request.getfixturevalue(who), body="Hi")
    assert not Message.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n ", "<script>alert(1)</script>", "x" * 5001])
def test_empty_or_too_long_messages_are_refused(conversation, seeker, body):
    with pytest.raises(ValidationError) as error:
        message_post(conversation=conversation, author=seeker, body=body)
    assert "body" in error.value.message_dict
    assert not Message.objects.exists()


def test_a_message_of_exactly_the_limit_is_accepted_and_markup_is_stripped(conversation, seeker):
    assert len(message_post(conversation=conversation, author=seeker, body="x" * 5000).body) == 5000
    assert message_post(conversation=conversation, author=seeker, body="<b>R&D</b>").body == "R&D"


def test_a_message_notifies_the_other_participants_in_their_language(
    conversation, seeker, seeker_colleague, provider, outsider, facilitator, on_commit
):
    message_post(conversation=conversation, author=facilitator, body="I follow this case.")
    Notification.objects.all().delete()
    with on_commit():
        message_post(conversation=conversation, author=seeker, body="Shall we meet on Monday?")
    notified = set(Notification.objects.values_list("recipient_id", flat=True))
    # The author's colleague, the other side and the facilitator who wrote; not the author.
    assert notified == {seeker_colleague.pk, provider.pk, facilitator.pk}
    note = Notification.objects.get(recipient=provider)
    assert note.category == Category.MESSAGES
    assert note.rendered_title() == "New message from Office of Industrial Property of Senegal"
    [french] = _mails_to(provider)
    assert french.subject == "Nouveau message de Office of Industrial Property of Senegal"
    assert "a écrit un nouveau message dans votre conversation" in french.body
    assert "/fr/messages/conversations/" in french.body
    assert "Shall we meet on Monday?" in french.body
    assert not _mails_to(seeker) and not _mails_to(outsider)


# --- digests -------------------------------------------------------------------------------------


def test_weekly_digest_is_sent_once_per_week_with_what_is_new(seeker, provider, on_commit):
    with freeze_time("2026-03-02 08:00"):
        _notify([seeker, provider], category=Category.NEWS, title="First news", params={})
        assert not mail.outbox  # news is weekly by default
        with on_commit():
            summary = digests_send_weekly()
        assert summary["sent"] >= 2
        [digest_en] = _mails_to(seeker)
        assert "weekly summary" in digest_en.subject
        assert "First news" in digest_en.body
        [digest_fr] = _mails_to(provider)
        assert digest_fr.body.startswith("Bonjour,") and "First news" in digest_fr.body
        assert digest_fr.subject == "Votre résumé hebdomadaire de WIPO Match"
        assert "Actualités (histoires et initiatives publiées)" in digest_fr.body
        assert not Notification.objects.filter(digested_at__isnull=True).exists()
        mail.outbox.clear()
        with on_commit():
            assert digests_send_weekly()["sent"] == 0  # idempotent
    with freeze_time("2026-03-05 08:00"):
        _notify([seeker], category=Category.NEWS, title="Next news", params={})
        with on_commit():
            assert digests_send_weekly()["sent"] == 0  # not a week yet
    with freeze_time("2026-03-09 08:00"):
        with on_commit():
            digests_send_weekly()
        [second] = _mails_to(seeker)
        assert "Next news" in second.body and "First news" not in second.body
        assert not _mails_to(provider)  # nothing new for them: no empty digest
        mail.outbox.clear()
        with on_commit():
            digests_send_weekly()
        assert not mail.outbox


def test_daily_digest_only_for_those_who_chose_it(seeker, provider, on_commit):
    preference_set(user=seeker, category=Category.CASES, frequency=Frequency.DAILY)
    with on_commit():
        _notify([seeker, provider])
    assert not _mails_to(seeker) and len(_mails_to(provider)) == 1
    with on_commit():
        assert digests_send_daily()["sent"] == 1
    [daily] = _mails_to(seeker)
    assert "daily summary" in daily.subject
    assert "Published: Patent training" in daily.body
    assert "/en/messages/unsubscribe/" in daily.body
    assert len(_mails_to(provider)) == 1  # already e-mailed at once, never again in a digest


def test_read_or_switched_off_notifications_are_not_listed(seeker, on_commit):
    preference_set(user=seeker, category=Category.CASES, frequency=Frequency.DAILY)
    [read] = _notify([seeker], title="Already read", params={})
    notification_mark_read(user=seeker, notification=read)
    with on_commit():
        digests_send_daily()
    assert not _mails_to(seeker)


def test_registered_sections_join_the_weekly_digest(seeker, on_commit):
    calls = []

    def open_items(user, since):
        calls.append((user, since))
        return [{"title": f"Open case for {user.email}", "url": "/en/cases/1/"}]

    digest.register_section("Your open cases", open_items)
    try:
        with on_commit():
            digests_send_weekly()
    finally:
        digest.unregister_section("Your open cases")
    [weekly] = _mails_to(seeker)
    assert "Your open cases" in weekly.body
    assert f"Open case for {seeker.email}" in weekly.body
    assert "http://testserver/en/cases/1/" in weekly.body or "/en/cases/1/" in weekly.body
    assert calls[0][1] <= timezone.now() - timedelta(days=6)


def test_no_weekly_digest_for_someone_with_no_weekly_category(seeker, on_commit):
    for category in (Category.SUGGESTIONS, Category.NEWS):
        preference_set(user=seeker, category=category, frequency=Frequency.OFF)
    digest.register_section("Always something", lambda user, since: [{"title": "x", "url": ""}])
    try:
        with on_commit():
            digests_send_weekly()
    finally:
        digest.unregister_section("Always something")
    assert not _mails_to(seeker)


def test_any_callers_template_gets_the_unsubscribe_footer_unless_transactional(
    seeker, provider, on_commit
):
    # A template of another app that knows nothing about unsubscribing.
    context = {"kind": "need", "title": "Patent training", "expires": "1 March", "url": "/en/"}
    with on_commit():
        _notify([seeker], email_template="listing_published", email_context=context)
        _notify(
            [provider],
            email_template="listing_published",
            email_context=context,
            transactional=True,
        )
    [mine] = _mails_to(seeker)
    assert mine.subject == "Published: Patent training"
    assert "has checked your need “Patent training”" in mine.body
    assert "To stop e-mails like this one, open:\nhttp://" in mine.body
    assert "/en/messages/unsubscribe/" in mine.body
    assert "/en/messages/preferences/" in mine.body
    [transactional] = _mails_to(provider)
    assert "unsubscribe" not in transactional.body
    assert "Patent training" in transactional.subject


def test_a_long_digest_is_capped_and_a_broken_section_is_skipped(seeker, provider, on_commit):
    preference_set(user=seeker, category=Category.CASES, frequency=Frequency.WEEKLY)
    for n in range(25):
        _notify([seeker], title=f"Case event {n:02d}", params={})

    def broken(user, since):
        raise RuntimeError("a bug in another app")

    digest.register_section("Broken", broken)
    try:
        with on_commit():
            summary = digests_send_weekly()
    finally:
        digest.unregister_section("Broken")
    assert summary["sent"] >= 1
    [weekly] = _mails_to(seeker)
    assert "Case event 19" in weekly.body and "Case event 20" not in weekly.body
    assert "… and 5 more." in weekly.body
    assert _mails_to(provider) == []  # nothing for them, and the run went on past the failure


def test_the_digest_hour_does_not_creep(seeker, on_commit):
    preference_set(user=seeker, category=Category.CASES, frequency=Frequency.DAILY)
    with freeze_time("2026-03-02 08:00:30"):
        _notify([seeker], title="Monday", params={})
        with on_commit():
            digests_send_daily()
    with freeze_time("2026-03-03 06:00:00"):
        _notify([seeker], title="Tuesday", params={})
        with on_commit():
            digests_send_daily()
        assert len(_mails_to(seeker)) == 1  # not two hours early
    with freeze_time("2026-03-03 08:00:10"):  # the hourly job a few seconds early
        with on_commit():
            digests_send_daily()
        assert len(_mails_to(seeker)) == 2
