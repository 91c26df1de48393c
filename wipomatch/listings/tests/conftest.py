"""The team most listings tests work with."""

import pytest

from wipomatch.members.models import Membership
from wipomatch.members.tests.factories import (
    FacilitatorFactory,
    FocalPointFactory,
    MembershipFactory,
    OrganisationFactory,
    country,
)


@pytest.fixture
def team(db):
    """An approved organisation in Senegal with a French-speaking focal point and an
    English-speaking contributor, and a facilitator."""
    org = OrganisationFactory(name="Senegal IP Office", country=country("SN"))
    focal = FocalPointFactory(organisation=org, user__preferred_language="fr").user
    contributor = MembershipFactory(organisation=org, role=Membership.Role.CONTRIBUTOR).user
    return {
        "org": org,
        "focal": focal,
        "contributor": contributor,
        "facilitator": FacilitatorFactory(email="facilitator@wipo.example.org"),
    }
