"""An agreed brokering case becomes a pre-filled initiative."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wipomatch.brokering.tests.helpers import to_agreement, to_mutual
from wipomatch.cooperation import services
from wipomatch.cooperation.models import Initiative

pytestmark = pytest.mark.django_db


def test_agreed_case_becomes_a_prefilled_draft(world):
    case = to_agreement(world)
    initiative = services.initiative_from_case(actor=world.seeker, case=case)
    assert initiative.source_case == case
    assert initiative.review_status == "draft"
    assert initiative.organisation == world.seeker_org
    roles = {(p.organisation_id, p.role) for p in initiative.parties.all()}
    assert roles == {(world.seeker_org.pk, "beneficiary"), (world.provider_org.pk, "provider")}
    assert initiative.modality == "south-south"  # Senegal and Brazil
    assert {t.slug for t in initiative.themes.all()} == set(world.need.themes) | set(
        world.offer.themes
    )
    assert {c.iso2 for c in initiative.countries.all()} == {
        c.iso2 for c in world.need.countries.all()
    }
    assert initiative.description == "Two training sessions in Dakar."
    # Once only.
    assert services.initiative_from_case(actor=world.provider, case=case) == initiative
    assert Initiative.objects.count() == 1


def test_only_agreed_cases_and_their_sides(world):
    case = to_mutual(world)
    with pytest.raises(ValidationError):
        services.initiative_from_case(actor=world.seeker, case=case)
    agreed = to_agreement_from(case, world)
    with pytest.raises(PermissionDenied):
        services.initiative_from_case(actor=world.outsider, case=agreed)


def to_agreement_from(case, world):
    from wipomatch.brokering import services as brokering

    return brokering.match_close(user=world.facilitator, case=case, outcome="agreement", note="ok")


def test_from_case_page_and_case_panel(client, world):
    case = to_agreement(world)
    client.force_login(world.provider)
    body = client.get(reverse("brokering:case_detail", args=[case.pk])).content.decode()
    assert reverse("cooperation:from_case", args=[case.pk]) in body
    body = client.get(reverse("cooperation:mine")).content.decode()
    assert reverse("cooperation:from_case", args=[case.pk]) in body
    response = client.post(reverse("cooperation:from_case", args=[case.pk]))
    initiative = Initiative.objects.get(source_case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:edit", args=[initiative.pk])
    body = client.get(reverse("brokering:case_detail", args=[case.pk])).content.decode()
    assert reverse("cooperation:detail", args=[initiative.pk]) in body
    client.force_login(world.outsider)
    assert client.post(reverse("cooperation:from_case", args=[case.pk])).status_code == 404
