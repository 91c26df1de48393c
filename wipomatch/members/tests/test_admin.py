"""The admin shows members and the audit trail, but decisions stay in the audited pages."""

import pytest
from django.urls import reverse

from wipomatch.core.audit import audit_trail_for
from wipomatch.core.models import AuditEvent

from .. import services
from .factories import AdminFactory, ApplicationFactory, FacilitatorFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


@pytest.mark.parametrize(
    "model",
    [
        "members_user",
        "members_organisation",
        "members_membership",
        "members_membershipapplication",
        "members_joinrequest",
        "members_invitation",
        "core_auditevent",
    ],
)
def test_admin_lists_load(admin_client, model):
    ApplicationFactory()
    assert admin_client.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_audit_events_are_read_only(admin_client):
    application = ApplicationFactory()
    services.application_reject(
        facilitator=FacilitatorFactory(), application=application, reason="No."
    )
    event = AuditEvent.objects.first()
    assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code
        == 403
    )
    page = admin_client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    admin_client.post(
        reverse("admin:core_auditevent_change", args=[event.pk]), {"reason": "Rewritten"}
    )
    event.refresh_from_db()
    assert event.reason != "Rewritten"


def test_organisation_edits_in_the_admin_are_audited_and_status_is_read_only(admin_client):
    org = OrganisationFactory(name="Old name", themes=["public-health"])
    url = reverse("admin:members_organisation_change", args=[org.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "name": "New <b>name</b>",
            "acronym": "",
            "org_type": org.org_type,
            "country": org.country_id,
            "website": org.website,
            "description": org.description,
            "contact_email": org.contact_email,
            "themes": ["public-health"],
            "status": "suspended",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert org.name == "New name"
    assert org.status == "approved"
    event = audit_trail_for(org).first()
    assert (event.action, event.data) == ("profile_updated", {"fields": ["name"]})


def test_no_organisation_is_added_outside_the_application_review(admin_client):
    assert admin_client.get(reverse("admin:members_organisation_add")).status_code == 403


def test_staff_create_and_edit_people_by_email(admin_client):
    response = admin_client.post(
        reverse("admin:members_user_add"),
        {
            "email": "new.facilitator@wipo.example.org",
            "usable_password": "true",
            "password1": "a-long-enough-password-2026",
            "password2": "a-long-enough-password-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    from ..models import User

    user = User.objects.get(email="new.facilitator@wipo.example.org")
    assert admin_client.get(reverse("admin:members_user_change", args=[user.pk])).status_code == 200
