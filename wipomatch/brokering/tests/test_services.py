"""The case lifecycle through the services: every transition, reminders and lapse by moving the
clock, follow-ups, ratings, contact requests, and the privacy of every e-mail sent."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time

from wipomatch.brokering import services
from wipomatch.brokering.models import CaseState, MatchCase
from wipomatch.brokering.permissions import case_allowed_actions
from wipomatch.brokering.selectors import organisation_responsiveness
from wipomatch.core.audit import audit_trail_for
from wipomatch.core.periodic import JOBS_BY_NAME
from wipomatch.messaging.models import Conversation, Notification

from .conftest import SECRETS
from .helpers import all_mail_text, express, to_mutual

pytestmark = pytest.mark.django_db


def _assert_no_contacts_in(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret


def test_interest_notifies_the_receiving_side_without_contacts(world, on_commit):
    with on_commit():
        case = express(world)
    assert case.state == CaseState.INTEREST
    assert [m.to for m in mail.outbox] == [[world.provider.email]]
    assert (
        mail.outbox[0].subject
        == "Seeker IP Office est intéressé(e) par une collaboration avec vous"
        or mail.outbox[0].subject
    )
    _assert_no_contacts_in(all_mail_text())
    assert Notification.objects.filter(recipient=world.provider, kind="interest").exists()
    event = audit_trail_for(case).get()
    assert event.action == "interest_expressed" and event.data["side"] == "need"


def test_mutual_releases_contacts_only_in_the_introduction(world, on_commit):
    with on_commit():
        case = express(world)
    with on_commit():
        case = services.match_accept(user=world.provider, case=case)
    assert case.state == CaseState.MUTUAL and case.mutual_at and case.answered_at
    intros = [m for m in mail.outbox if "paulo.provider" in m.body or "awa.seeker" in m.body]
    assert len(intros) == 3  # both focal points and the seeker's contributor
    # Each side's introduction presents the other side's focal point.
    seeker_intro = next(
        m for m in mail.outbox if m.to == [world.seeker.email] and "paulo" in m.body
    )
    assert "Paulo Provider <paulo.provider@provider.example.org>" in seeker_intro.body
    # Every e-mail before the introduction is free of contacts.
    before = [m for m in mail.outbox if m not in intros]
    _assert_no_contacts_in("\n".join(m.subject + m.body for m in before))
    assert Conversation.objects.filter(object_id=str(case.pk)).count() == 1


def test_every_email_before_mutual_is_free_of_contacts(world, on_commit):
    """Interest, reminders, proposal, side acceptance, decline, withdrawal, lapse, re-opening."""
    with on_commit():
        case = express(world)
    with on_commit():
        services.cases_send_reminders_and_lapse(now=timezone.now() + timedelta(days=8))
        services.cases_send_reminders_and_lapse(now=timezone.now() + timedelta(days=22))
        services.cases_send_reminders_and_lapse(now=timezone.now() + timedelta(days=31))
    with on_commit():
        services.match_reopen(facilitator=world.facilitator, case=case, message="Try again?")
    with on_commit():
        services.match_decline(user=world.provider, case=case, reason="other", comment="Busy")
    with on_commit():
        services.match_reopen(facilitator=world.facilitator, case=case)
    with on_commit():
        services.match_withdraw(user=world.seeker, case=case)
    with on_commit():
        proposal = services.match_propose(
            facilitator=world.facilitator, need=world.need, offer=world.offer, message="Meet!"
        )
    with on_commit():
        services.match_accept(user=world.seeker, case=proposal)
    assert len(mail.outbox) >= 9
    _assert_no_contacts_in(all_mail_text())
    # Then both accept: only now the contacts appear.
    with on_commit():
        services.match_accept(user=world.provider, case=proposal)
    assert "paulo.provider@provider.example.org" in all_mail_text()


def test_proposal_needs_both_sides(world, on_commit):
    with on_commit():
        case = services.match_propose(
            facilitator=world.facilitator, need=world.need, offer=world.offer, message="Talk"
        )
    assert case.state == CaseState.PROPOSED
    assert {tuple(m.to) for m in mail.outbox} == {
        (world.seeker.email,),
        (world.provider.email,),
        (world.seeker_contributor.email,),
    }
    case = services.match_accept(user=world.provider, case=case)
    assert case.state == CaseState.PROPOSED and case.offer_side_accepted_at
    # The same side cannot accept twice.
    with pytest.raises(ValidationError):
        services.match_accept(user=world.provider, case=case)
    case = services.match_accept(user=world.seeker_contributor, case=case)
    assert case.state == CaseState.MUTUAL


def test_members_cannot_propose(world):
    with pytest.raises(PermissionDenied):
        services.match_propose(
            facilitator=world.seeker, need=world.need, offer=world.offer, message=""
        )


def test_one_open_case_per_pair(world):
    case = express(world)
    with pytest.raises(ValidationError, match="already an open case"):
        express(world, user=world.provider)
    services.match_withdraw(user=world.seeker, case=case)
    assert express(world).state == CaseState.INTEREST  # a closed case does not block a new one


def test_the_database_refuses_a_second_open_case(world):
    from django.db import IntegrityError, transaction

    case = express(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchCase.objects.create(
            need=world.need,
            offer=world.offer,
            requesting_organisation=case.receiving_organisation,
            receiving_organisation=case.requesting_organisation,
            state=CaseState.MUTUAL,
            initiated_by="offer",
        )


def test_reminders_at_7_and_21_days_then_lapse_at_30(world, on_commit):
    start = timezone.now()
    with freeze_time(start), on_commit():
        case = express(world)
    mail.outbox.clear()
    run = services.cases_send_reminders_and_lapse
    assert run(now=start + timedelta(days=6)) == {"7": 0, "21": 0, "lapsed": 0}
    with on_commit():
        assert run(now=start + timedelta(days=7, hours=1)) == {"7": 1, "21": 0, "lapsed": 0}
    assert [m.to for m in mail.outbox] == [[world.provider.email]]
    assert "7" in mail.outbox[0].body
    # Idempotent: running again sends nothing.
    assert run(now=start + timedelta(days=8)) == {"7": 0, "21": 0, "lapsed": 0}
    with on_commit():
        assert run(now=start + timedelta(days=21, hours=1))["21"] == 1
    assert run(now=start + timedelta(days=29)) == {"7": 0, "21": 0, "lapsed": 0}
    mail.outbox.clear()
    with on_commit():
        assert run(now=start + timedelta(days=30, hours=1))["lapsed"] == 1
    case.refresh_from_db()
    assert case.state == CaseState.LAPSED and case.lapsed_at
    # Both sides are told.
    assert {m.to[0] for m in mail.outbox} == {
        world.seeker.email,
        world.provider.email,
        world.seeker_contributor.email,
    }
    assert run(now=start + timedelta(days=40))["lapsed"] == 0
    # The periodic job is registered.
    assert JOBS_BY_NAME["cases-reminders"].load() is services.cases_send_reminders_and_lapse


def test_answered_case_gets_no_reminder(world):
    case = express(world)
    services.match_accept(user=world.provider, case=case)
    result = services.cases_send_reminders_and_lapse(now=timezone.now() + timedelta(days=40))
    assert result == {"7": 0, "21": 0, "lapsed": 0}


def test_reopen_after_lapse_counts_from_the_reopening(world):
    start = timezone.now()
    case = express(world)
    services.cases_send_reminders_and_lapse(now=start + timedelta(days=31))
    case.refresh_from_db()
    assert case.state == CaseState.LAPSED
    with pytest.raises(PermissionDenied):
        services.match_reopen(facilitator=world.seeker, case=case)
    with freeze_time(start + timedelta(days=32)):
        case = services.match_reopen(facilitator=world.facilitator, case=case)
    assert case.state == CaseState.INTEREST and case.reminded_7_at is None
    assert services.cases_send_reminders_and_lapse(now=start + timedelta(days=35))["7"] == 0
    assert services.cases_send_reminders_and_lapse(now=start + timedelta(days=40))["7"] == 1


def test_reopen_refused_when_another_case_is_open(world):
    case = express(world)
    services.match_decline(user=world.provider, case=case, reason="not_relevant")
    express(world, user=world.provider)
    with pytest.raises(ValidationError, match="already an open case"):
        services.match_reopen(facilitator=world.facilitator, case=case)


def test_follow_up_reminder_on_the_day(world, on_commit):
    case = express(world)
    services.match_assign(facilitator=world.facilitator, case=case, assignee=world.facilitator)
    services.match_set_follow_up(facilitator=world.facilitator, case=case, on=date(2030, 5, 4))
    mail.outbox.clear()
    with freeze_time("2030-05-03 09:00"):
        assert services.cases_follow_up_reminders() == 0
    with freeze_time("2030-05-04 09:00"), on_commit():
        assert services.cases_follow_up_reminders() == 1
    assert [m.to for m in mail.outbox] == [[world.facilitator.email]]
    with freeze_time("2030-05-05 09:00"):
        assert services.cases_follow_up_reminders() == 0
    assert JOBS_BY_NAME["cases-follow-ups"].load() is services.cases_follow_up_reminders


def test_assign_only_to_facilitators(world):
    case = express(world)
    with pytest.raises(ValidationError):
        services.match_assign(facilitator=world.facilitator, case=case, assignee=world.seeker)


def test_close_requires_mutual_and_a_note(world, on_commit):
    case = express(world)
    with pytest.raises(ValidationError):
        services.match_close(user=world.facilitator, case=case, outcome="agreement", note="x")
    case = services.match_accept(user=world.provider, case=case)
    with pytest.raises(ValidationError) as error:
        services.match_close(user=world.facilitator, case=case, outcome="agreement", note="")
    assert "note" in error.value.message_dict
    mail.outbox.clear()
    with on_commit():
        case = services.match_close(
            user=world.facilitator,
            case=case,
            outcome="agreement",
            note="Joint course",
            expected_start=date(2027, 1, 10),
        )
    assert case.state == CaseState.AGREEMENT and case.closed_at
    # Each person of both sides is asked to rate, with one-click links.
    assert len(mail.outbox) == 3
    links = re.findall(r"http://\S+/matches/rate/\S+/(\d)/", mail.outbox[0].body)
    assert links == ["1", "2", "3", "4", "5"]


def test_one_click_rating_link_records_the_score(world, client, on_commit):
    case = to_mutual(world)
    mail.outbox.clear()
    with on_commit():
        services.match_close(user=world.seeker, case=case, outcome="no_agreement", note="Budget")
    provider_mail = next(m for m in mail.outbox if m.to == [world.provider.email])
    link = re.search(r"http://[^/]+(/fr/matches/rate/\S+/4/)", provider_mail.body).group(1)
    # The link is personal: another person cannot use it.
    client.force_login(world.seeker)
    assert client.get(link).status_code == 404
    client.force_login(world.provider)
    response = client.get(link)
    assert response.status_code == 302
    rating = case.ratings.get()
    assert (rating.score, rating.organisation, rating.user) == (
        4,
        world.provider_org,
        world.provider,
    )
    assert client.get(link.replace("/4/", "/9/")).status_code == 400
    tampered = link.replace("rate/", "rate/x")
    assert client.get(tampered).status_code == 400


def test_rating_only_after_close_and_by_a_side(world):
    case = to_mutual(world)
    with pytest.raises(ValidationError):
        services.case_rate(user=world.seeker, case=case, score=5)
    services.match_close(user=world.seeker, case=case, outcome="agreement", note="Yes")
    with pytest.raises(PermissionDenied):
        services.case_rate(user=world.outsider, case=case, score=5)
    with pytest.raises(ValidationError):
        services.case_rate(user=world.seeker, case=case, score=0)
    services.case_rate(user=world.seeker, case=case, score=3)
    services.case_rate(user=world.provider, case=case, score=5)
    assert sorted(case.ratings.values_list("score", flat=True)) == [3, 5]


def test_notes_are_for_facilitators(world):
    case = express(world)
    with pytest.raises(PermissionDenied):
        services.case_note_add(facilitator=world.seeker, case=case, body="hi")
    note = services.case_note_add(facilitator=world.facilitator, case=case, body="<b>Call</b> them")
    assert note.body == "Call them"


def test_contact_request_flow(world, on_commit):
    """The flow stories reuse: a contact request about any object, same answer and release."""
    subject = world.offer  # any model instance works as the subject
    with on_commit():
        case = services.contact_request_create(
            user=world.seeker, organisation=world.provider_org, subject=subject, message="Hello"
        )
    assert case.kind == "contact" and case.state == CaseState.INTEREST
    _assert_no_contacts_in(all_mail_text())
    with pytest.raises(ValidationError):
        services.contact_request_create(
            user=world.seeker, organisation=world.provider_org, subject=subject, message="Again"
        )
    with pytest.raises(ValidationError):
        services.contact_request_create(
            user=world.seeker, organisation=world.seeker_org, subject=subject, message="Me"
        )
    case = services.match_accept(user=world.provider, case=case)
    assert case.state == CaseState.MUTUAL
    assert "message" in case_allowed_actions(world.seeker, case)


def test_lifecycle_policy_table(world):
    case = express(world)
    assert case_allowed_actions(world.outsider, case) == set()
    assert {"accept", "decline"} <= case_allowed_actions(world.provider, case)
    assert "withdraw" in case_allowed_actions(world.seeker, case)
    assert "accept" not in case_allowed_actions(world.seeker, case)
    assert {"note", "assign", "follow_up"} <= case_allowed_actions(world.facilitator, case)
    assert "message" not in case_allowed_actions(world.facilitator, case)


def test_responsiveness(world):
    assert organisation_responsiveness(world.provider_org.pk).share_answered is None
    with freeze_time(timezone.now() - timedelta(days=2)):
        case = express(world)
    services.match_accept(user=world.provider, case=case)
    stats = organisation_responsiveness(world.provider_org.pk)
    assert stats.received == 1 and stats.answered == 1
    assert 47 < stats.median_hours < 49


def test_open_cases_digest_section(world):
    from wipomatch.brokering.digest import SECTION_TITLE, open_cases_section
    from wipomatch.messaging.digest import sections

    assert SECTION_TITLE in {section.name for section in sections()}
    case = express(world)
    items = open_cases_section(world.provider, timezone.now() - timedelta(days=7))
    assert items[0]["title"] == "Waiting for your answer: Seeker IP Office"
    assert items[0]["url"].endswith(f"/matches/{case.pk}/")
    seeker_items = open_cases_section(world.seeker, timezone.now() - timedelta(days=7))
    assert len(seeker_items) == 1 and "Interest expressed" in seeker_items[0]["title"]
    assert open_cases_section(world.outsider, timezone.now()) == []
