"""The cast of the brokering tests: a seeker with a published need, a provider with a published
offer, an unrelated member, a facilitator."""

from types import SimpleNamespace

import pytest

from wipomatch.listings.models import Status
from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.members.tests.factories import (
    FacilitatorFactory,
    FocalPointFactory,
    MembershipFactory,
    OrganisationFactory,
    country,
)


@pytest.fixture(autouse=True)
def _clean_cache(fresh_cache):
    """Each test starts with an empty cache (the language is reset by the project's conftest.py)."""


@pytest.fixture
def world(reference_data):
    seeker_org = OrganisationFactory(name="Seeker IP Office", country=country("SN"))
    provider_org = OrganisationFactory(
        name="Provider Patent Office", country=country("BR"), org_type="ip-office"
    )
    other_org = OrganisationFactory(name="Unrelated Institute", country=country("KE"))
    seeker = FocalPointFactory(
        organisation=seeker_org,
        user__full_name="Awa Seeker",
        user__email="awa.seeker@seeker.example.org",
    ).user
    seeker_contributor = MembershipFactory(organisation=seeker_org).user
    provider = FocalPointFactory(
        organisation=provider_org,
        user__full_name="Paulo Provider",
        user__email="paulo.provider@provider.example.org",
        user__preferred_language="fr",
    ).user
    outsider = FocalPointFactory(organisation=other_org).user
    facilitator = FacilitatorFactory(full_name="Fatima Facilitator")
    need = NeedFactory(organisation=seeker_org, user=seeker, status=Status.PUBLISHED)
    offer = OfferFactory(organisation=provider_org, user=provider, status=Status.PUBLISHED)
    return SimpleNamespace(
        seeker_org=seeker_org,
        provider_org=provider_org,
        other_org=other_org,
        seeker=seeker,
        seeker_contributor=seeker_contributor,
        provider=provider,
        outsider=outsider,
        facilitator=facilitator,
        need=need,
        offer=offer,
    )


SECRETS = (
    "awa.seeker@seeker.example.org",
    "paulo.provider@provider.example.org",
    "Awa Seeker",
    "Paulo Provider",
)
