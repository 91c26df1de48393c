"""The cast of the messaging tests: two organisations in a conversation, an outsider and staff."""

import pytest

from wipomatch.members.models import Membership
from wipomatch.members.tests.factories import (
    FacilitatorFactory,
    FocalPointFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

from ..services import conversation_open


@pytest.fixture
def seeker_org(db):
    return OrganisationFactory(name="Office of Industrial Property of Senegal")


@pytest.fixture
def provider_org(db):
    return OrganisationFactory(name="Kenya Industrial Property Institute", country__iso2="KE")


@pytest.fixture
def seeker(seeker_org):
    return FocalPointFactory(organisation=seeker_org).user


@pytest.fixture
def seeker_colleague(seeker_org):
    return MembershipFactory(organisation=seeker_org, role=Membership.Role.CONTRIBUTOR).user


@pytest.fixture
def provider(provider_org):
    return FocalPointFactory(organisation=provider_org, user__preferred_language="fr").user


@pytest.fixture
def outsider(db):
    return FocalPointFactory(organisation=OrganisationFactory(name="Unrelated Org")).user


@pytest.fixture
def facilitator(db):
    return FacilitatorFactory()


@pytest.fixture
def loner(db):
    """Signed in, member of no organisation."""
    return UserFactory()


@pytest.fixture
def subject(db):
    # Any model instance can be the subject of a conversation; brokering uses its cases.
    return OrganisationFactory(name="Subject of the conversation")


@pytest.fixture
def conversation(subject, seeker_org, provider_org):
    return conversation_open(subject=subject, organisations=[seeker_org, provider_org])
