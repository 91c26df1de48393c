"""The cast of the members tests: one organisation with its team, another organisation, a
pending applicant and the staff."""

import pytest

from wipomatch.core.tests.helpers import client_for

from ..models import Membership
from .factories import (
    AdminFactory,
    ApplicationFactory,
    FacilitatorFactory,
    FocalPointFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Office of Industrial Property of Senegal", acronym="OSPI")


@pytest.fixture
def focal_point(organisation):
    return FocalPointFactory(organisation=organisation).user


@pytest.fixture
def contributor(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.CONTRIBUTOR).user


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Kenya Industrial Property Institute", country__iso2="KE")


@pytest.fixture
def other_focal_point(other_organisation):
    return FocalPointFactory(organisation=other_organisation).user


@pytest.fixture
def application(db):
    return ApplicationFactory(organisation__name="Andean Innovation Hub")


@pytest.fixture
def applicant(application):
    return application.applicant


@pytest.fixture
def facilitator(db):
    return FacilitatorFactory(email="facilitator@wipo.example.org")


@pytest.fixture
def admin_user(db):
    return AdminFactory(email="admin@wipo.example.org")


@pytest.fixture
def visitor(db):
    """Registered and verified, belongs to nothing yet."""
    return UserFactory(email="visitor@example.org")


@pytest.fixture
def login():
    """`login(user)`: a client signed in as `user` (anonymous for None)."""
    return client_for
