"""The stored modality follows the parties and the Global South grouping; overrides stick."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wipomatch.cooperation.models import Initiative, Party
from wipomatch.cooperation.services import (
    initiative_override_modality,
    initiative_recompute_modality,
)
from wipomatch.core.audit import audit_trail_for
from wipomatch.members.tests.factories import AdminFactory, FacilitatorFactory, UserFactory
from wipomatch.reference.models import Country
from wipomatch.reference.services import country_update_groupings

pytestmark = pytest.mark.django_db


def _initiative(*parties):
    initiative = Initiative.objects.create(title="Patent examiner twinning", summary="s")
    for role, iso2, org_type in parties:
        Party.objects.create(
            initiative=initiative,
            name=f"{role} {iso2}",
            country=Country.objects.get(iso2=iso2) if iso2 else None,
            organisation_type=org_type,
            role=role,
        )
    initiative_recompute_modality(initiative=initiative)
    initiative.refresh_from_db()
    return initiative


def test_stored_modality_is_derived_from_parties():
    initiative = _initiative(("provider", "BR", "ip-office"), ("beneficiary", "MZ", "ip-office"))
    assert initiative.modality == initiative.modality_derived == "south-south"
    assert initiative.modality_reason["code"] == "south_south"
    assert "Brazil" in initiative.modality_explanation


def test_adding_a_northern_funder_makes_it_triangular_and_is_audited():
    initiative = _initiative(("provider", "BR", "ip-office"), ("beneficiary", "MZ", "ip-office"))
    Party.objects.create(
        initiative=initiative,
        name="JICA",
        country=Country.objects.get(iso2="JP"),
        organisation_type="government",
        role="funder",
    )
    assert initiative_recompute_modality(initiative=initiative, cause="parties_changed")
    initiative.refresh_from_db()
    assert initiative.modality == "triangular"
    event = audit_trail_for(initiative).filter(action="modality_derived").order_by("pk").last()
    assert event.data["derived"] == "triangular"
    assert event.data["previous_derived"] == "south-south"


def test_global_south_edit_recomputes_initiatives():
    initiative = _initiative(("provider", "CN", "ip-office"), ("beneficiary", "MZ", "ip-office"))
    assert initiative.modality == "south-south"
    country_update_groupings(
        actor=AdminFactory(),
        country=Country.objects.get(iso2="CN"),
        global_south=False,
        reason="test",
    )
    initiative.refresh_from_db()
    assert initiative.modality == "north-south"
    country_update_groupings(
        actor=AdminFactory(), country=Country.objects.get(iso2="CN"), global_south=True
    )
    initiative.refresh_from_db()
    assert initiative.modality == "south-south"


def test_override_survives_recompute_and_can_be_removed():
    initiative = _initiative(("provider", "FR", "ip-office"), ("beneficiary", "SN", "ip-office"))
    assert initiative.modality == "north-south"
    facilitator = FacilitatorFactory()
    initiative_override_modality(
        actor=facilitator,
        initiative=initiative,
        modality="triangular",
        reason="Senegal trains Mali's examiners with French funding",
    )
    initiative.refresh_from_db()
    assert (initiative.modality, initiative.modality_derived) == ("triangular", "north-south")
    initiative_recompute_modality(initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.modality == "triangular"
    event = audit_trail_for(initiative).get(action="modality_overridden")
    assert event.reason.startswith("Senegal") and event.data["override"] == "triangular"
    initiative_override_modality(actor=facilitator, initiative=initiative, modality="", reason="")
    initiative.refresh_from_db()
    assert initiative.modality == "north-south" and not initiative.modality_override_reason


def test_override_needs_a_reason_and_a_facilitator():
    initiative = _initiative(("provider", "FR", "ip-office"), ("beneficiary", "SN", "ip-office"))
    with pytest.raises(ValidationError):
        initiative_override_modality(
            actor=FacilitatorFactory(), initiative=initiative, modality="other", reason=" "
        )
    with pytest.raises(PermissionDenied):
        initiative_override_modality(
            actor=UserFactory(), initiative=initiative, modality="other", reason="because"
        )
