"""The cast of the API permission matrix, built with the members app's factories.

One organisation the matrix looks at (`target`) with a contributor, another organisation with its
focal point, a pending application, a facilitator and an admin (both with TOTP, so the staff 2FA
middleware lets their sessions through).
"""

import pytest
from rest_framework.test import APIClient

from wipomatch.core.tests.helpers import client_for
from wipomatch.members.models import Membership, Organisation
from wipomatch.members.tests.factories import (
    AdminFactory,
    ApplicationFactory,
    FacilitatorFactory,
    FocalPointFactory,
    MembershipFactory,
    OrganisationFactory,
)
from wipomatch.reference.models import Country

ROLES = [
    "anonymous",
    "pending_applicant",
    "contributor",
    "other_focal_point",
    "facilitator",
    "admin",
]


@pytest.fixture(autouse=True)
def _reference_data_and_fresh_throttle_counters(reference_data, fresh_cache):
    """Throttle counters live in the cache: each test starts without any (the language is reset
    by the project's conftest.py)."""


@pytest.fixture
def make_member_organisation(db):
    """An approved organisation (with its focal point) in a real country."""

    def build(name: str, *, country: str = "KE", **fields) -> Organisation:
        fields.setdefault("org_type", "ngo")
        fields.setdefault("themes", ["ip-management"])
        fields.setdefault("description", f"{name} works on IP and development.")
        fields.setdefault("website", "https://example.org")
        organisation = OrganisationFactory(
            name=name, country=Country.objects.get(iso2=country), **fields
        )
        FocalPointFactory(organisation=organisation)
        return organisation

    return build


@pytest.fixture
def world(db, make_member_organisation):
    target = make_member_organisation(
        "Nairobi Technology Transfer Office", country="KE", org_type="innovation-hub"
    )
    other = make_member_organisation(
        "Réseau sénégalais d'innovation agricole",
        country="SN",
        org_type="ngo",
        themes=["food-security-agriculture"],
    )
    contributor = MembershipFactory(organisation=target, role=Membership.Role.CONTRIBUTOR).user
    application = ApplicationFactory(
        organisation__name="Pending Innovation Agency",
        organisation__country=Country.objects.get(iso2="KE"),
    )
    users = {
        "anonymous": None,
        "pending_applicant": application.applicant,
        "contributor": contributor,
        "other_focal_point": other.memberships.get().user,
        "facilitator": FacilitatorFactory(),
        "admin": AdminFactory(),
    }
    return {"target": target, "other": other, "pending": application.organisation, "users": users}


@pytest.fixture
def client_as(world):
    """An API client signed in (session) as one of the roles of the matrix."""
    return lambda role: client_for(world["users"][role], client_class=APIClient)
