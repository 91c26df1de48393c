"""Responsiveness: shown on an organisation's profile to members, fed to the matching engine."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from wipomatch.brokering import services
from wipomatch.brokering.selectors import organisation_responsiveness, responsiveness_priors
from wipomatch.listings.models import Status
from wipomatch.listings.tests.factories import NeedFactory
from wipomatch.matching.documents import listing_document
from wipomatch.members.tests.factories import FocalPointFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _interests(world, count: int, *, answer: int):
    """`count` interests in the provider's offer from new seekers; the first `answer` are
    answered two days later."""
    for index in range(count):
        org = OrganisationFactory()
        user = FocalPointFactory(organisation=org).user
        need = NeedFactory(organisation=org, user=user, status=Status.PUBLISHED)
        with freeze_time(timezone.now() - timedelta(days=10)):
            case = services.match_express_interest(
                user=user, need=need, offer=world.offer, message="Interested"
            )
        if index < answer:
            with freeze_time(timezone.now() - timedelta(days=8)):
                services.match_decline(user=world.provider, case=case, reason="no_capacity")


def test_profile_shows_responsiveness_to_members_only(client, world):
    _interests(world, 4, answer=3)
    url = reverse("members:organisation_detail", args=[world.provider_org.pk])
    assert "data-responsiveness" not in client.get(url).content.decode()
    client.force_login(world.outsider)
    page = client.get(url).content.decode()
    assert "Answers 75% of the expressions of interest it receives (3 of 4)." in page
    assert "Median time to answer: 2.0 days." in page


def test_prior_reaches_the_matching_documents(world):
    cache.clear()
    assert listing_document(world.offer).responsiveness is None
    _interests(world, 4, answer=4)
    cache.clear()
    stats = organisation_responsiveness(world.provider_org.pk)
    assert stats.share_answered == 1.0
    prior = responsiveness_priors()[world.provider_org.pk]
    assert 0.9 < prior <= 1.0
    assert listing_document(world.offer).responsiveness == pytest.approx(prior)
    # An organisation that never answers gets a low prior.
    cache.clear()
    for case in world.offer.cases_as_offer.all():
        case.answered_at = None
        case.state = "lapsed"
        case.save()
    cache.clear()
    assert responsiveness_priors()[world.provider_org.pk] == 0.0
