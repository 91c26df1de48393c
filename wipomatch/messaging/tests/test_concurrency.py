"""Digests and conversations under real concurrent transactions (PostgreSQL row locks): two
scheduler runs at the same moment send each digest once; two requests opening the conversation
of one subject get the same conversation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from wipomatch.core.tests.helpers import race
from wipomatch.members.tests.factories import FocalPointFactory, OrganisationFactory

from .. import digest
from ..models import Category, Conversation, DigestDelivery, Notification
from ..services import conversation_open, digests_send_weekly, notify

PEOPLE = 30

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.fixture(autouse=True)
def reference(transactional_db, reference_data):
    """Transactional tests may start from an emptied database: the reference data again."""


@pytest.mark.parametrize("first_digest", [True, False])
def test_two_weekly_runs_at_once_send_each_digest_once(first_digest):
    people = [FocalPointFactory().user for _ in range(PEOPLE)]
    if not first_digest:  # last week's digest went out: the runs race on existing rows
        for person in people:
            DigestDelivery.objects.create(
                user=person, frequency="weekly", sent_at=timezone.now() - timedelta(days=8)
            )
    notify(recipients=people, category=Category.NEWS, kind="news", title="A story", url="/en/")
    mail.outbox.clear()
    # A section that always has something (like "your open cases") must not go out twice either.
    digest.register_section("Open cases", lambda user, since: [{"title": "Case 1", "url": ""}])
    try:
        results = race(digests_send_weekly, digests_send_weekly)
    finally:
        digest.unregister_section("Open cases")
    assert all(status == "ok" for status, _summary in results), results
    assert sum(summary["sent"] for _status, summary in results) == PEOPLE
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert not Notification.objects.filter(digested_at__isnull=True).exists()


def test_two_requests_open_one_conversation():
    subject, first, second = (OrganisationFactory() for _ in range(3))
    results = race(
        lambda: conversation_open(subject=subject, organisations=[first, second]).pk,
        lambda: conversation_open(subject=subject, organisations=[first, second]).pk,
    )
    assert all(status == "ok" for status, _pk in results), results
    assert results[0][1] == results[1][1]
    assert Conversation.objects.count() == 1
    assert set(Conversation.objects.get().organisations.all()) == {first, second}
