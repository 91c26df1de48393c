"""Staff edit the country groupings; every change is audited and shown on the admin page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wipomatch.core.audit import audit_trail_for
from wipomatch.members.tests.factories import AdminFactory, FacilitatorFactory, UserFactory
from wipomatch.reference.models import Country
from wipomatch.reference.services import country_update_groupings

pytestmark = pytest.mark.django_db


def test_each_changed_grouping_is_recorded_with_who_from_to_and_why(reference_data):
    admin = AdminFactory()
    china = Country.objects.get(iso2="CN")
    assert china.global_south and not china.ldc
    changed = country_update_groupings(
        actor=admin,
        country=china,
        reason="<b>Board</b> decision 2026/3",
        global_south=False,
        ldc=False,
        sids=False,
    )
    assert changed == ["global_south"]
    china.refresh_from_db()
    assert china.global_south is False
    [event] = audit_trail_for(china)
    assert (event.actor, event.action, event.from_state, event.to_state, event.reason) == (
        admin,
        "grouping_changed",
        "global_south=true",
        "global_south=false",
        "Board decision 2026/3",
    )


def test_nothing_is_recorded_when_nothing_changes(reference_data):
    senegal = Country.objects.get(iso2="SN")
    assert country_update_groupings(actor=AdminFactory(), country=senegal, ldc=True) == []
    assert not audit_trail_for(senegal).exists()


def test_the_stored_value_is_compared_not_an_edited_instance(reference_data):
    senegal = Country.objects.get(iso2="SN")
    senegal.ldc = False  # as an admin form does before saving
    changed = country_update_groupings(actor=AdminFactory(), country=senegal, ldc=False)
    assert changed == ["ldc"]
    assert Country.objects.get(iso2="SN").ldc is False


def test_unknown_groupings_are_refused(reference_data):
    with pytest.raises(ValidationError):
        country_update_groupings(
            actor=AdminFactory(), country=Country.objects.get(iso2="SN"), developed=True
        )


def test_only_staff_with_the_right_may_change_groupings(reference_data):
    kenya = Country.objects.get(iso2="KE")
    for actor in (UserFactory(), FacilitatorFactory(), None):
        with pytest.raises(PermissionDenied):
            country_update_groupings(actor=actor, country=kenya, global_south=False)
    assert Country.objects.get(iso2="KE").global_south is True


def test_admin_change_page_saves_through_the_service_and_shows_the_history(reference_data, client):
    admin = AdminFactory(full_name="Ada Admin")
    client.force_login(admin)
    chile = Country.objects.get(iso2="CL")
    url = reverse("admin:reference_country_change", args=[chile.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "ldc": "",
            "lldc": "",
            "sids": "",
            "global_south": "" if chile.global_south else "on",
            "change_reason": "Reclassified by the board.",
        },
    )
    assert response.status_code == 302
    chile.refresh_from_db()
    [event] = audit_trail_for(chile)
    assert event.actor == admin and event.reason == "Reclassified by the board."
    history = client.get(url).content.decode()
    assert "Reclassified by the board." in history
    assert "Ada Admin" in history
    assert "Global South: " in history


def test_countries_cannot_be_added_or_deleted_in_the_admin(reference_data, client):
    client.force_login(AdminFactory())
    assert client.get(reverse("admin:reference_country_add")).status_code == 403
    chile = Country.objects.get(iso2="CL")
    assert client.get(reverse("admin:reference_country_delete", args=[chile.pk])).status_code == 403


@pytest.mark.parametrize(
    "model",
    ["country", "region", "vocabularyterm", "sdggoal", "sdgtarget", "iaticode"],
)
def test_reference_admin_lists_load(reference_data, client, model):
    client.force_login(AdminFactory())
    response = client.get(reverse(f"admin:reference_{model}_changelist"))
    assert response.status_code == 200
