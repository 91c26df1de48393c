"""Concurrent transitions with real concurrent transactions (PostgreSQL row locks): one wins,
the other gets a clear ValidationError; never a 500, never a half-written case."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from wipomatch.brokering import services
from wipomatch.brokering.models import CaseState, MatchCase
from wipomatch.core.models import AuditEvent
from wipomatch.core.tests.helpers import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _fresh_case(world):
    return services.match_express_interest(
        user=world.seeker, need=world.need, offer=world.offer, message="Race"
    )


def test_two_accepts_at_once(world):
    case = _fresh_case(world)
    second_provider = type(world.provider).objects.create_user(
        email="second@provider.example.org", password="x"
    )
    world.provider_org.memberships.create(user=second_provider, role="contributor")
    results = race(
        lambda: services.match_accept(user=world.provider, case=case),
        lambda: services.match_accept(user=second_provider, case=case),
    )
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["ok", "refused"], results
    assert "no longer waiting for an answer" in next(r[1] for r in results if r[0] == "refused")
    case.refresh_from_db()
    assert case.state == CaseState.MUTUAL
    assert AuditEvent.objects.filter(action="accepted").count() == 1


def test_accept_against_withdraw(world):
    case = _fresh_case(world)
    results = race(
        lambda: services.match_accept(user=world.provider, case=case),
        lambda: services.match_withdraw(user=world.seeker, case=case),
    )
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    case.refresh_from_db()
    assert case.state in (CaseState.MUTUAL, CaseState.WITHDRAWN)
    if case.state == CaseState.WITHDRAWN:
        assert case.mutual_at is None
    else:
        assert case.closed_at is None


def test_accept_against_lapse(world):
    case = _fresh_case(world)
    MatchCase.objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(days=31))
    results = race(
        lambda: services.match_accept(user=world.provider, case=case),
        lambda: services.cases_send_reminders_and_lapse(),
    )
    assert all(r[0] in ("ok", "refused") for r in results), results
    case.refresh_from_db()
    if case.state == CaseState.LAPSED:
        assert results[0][0] == "refused" and case.mutual_at is None
    else:
        assert case.state == CaseState.MUTUAL and results[1] == (
            "ok",
            {"7": 0, "21": 0, "lapsed": 0},
        )


def test_two_interests_in_the_same_pair_at_once(world):
    results = race(
        lambda: services.match_express_interest(
            user=world.seeker, need=world.need, offer=world.offer, message="A"
        ),
        lambda: services.match_express_interest(
            user=world.provider, need=world.need, offer=world.offer, message="B"
        ),
    )
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    assert MatchCase.objects.count() == 1
