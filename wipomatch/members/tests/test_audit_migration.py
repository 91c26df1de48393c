"""The data migration that turned the sentences of old audit events into structured data."""

from importlib import import_module

import pytest
from django.apps import apps

from wipomatch.core.audit import audit_record, audit_trail_for

from .factories import ApplicationFactory, OrganisationFactory

migration = import_module("wipomatch.members.migrations.0002_structured_audit_data")


@pytest.mark.django_db
def test_old_assessment_and_profile_sentences_become_data_and_back():
    application = ApplicationFactory()
    org = OrganisationFactory()
    audit_record(
        target=application,
        actor=None,
        action="assessed",
        reason="legal-status: met; ip-focus: not met",
    )
    audit_record(target=org, actor=None, action="profile_updated", reason="name, website")
    audit_record(target=org, actor=None, action="member_removed", reason="a@example.org")
    migration.forwards(apps, None)
    assessed = audit_trail_for(application).get()
    assert (assessed.reason, assessed.data) == (
        "",
        {"assessments": {"legal-status": True, "ip-focus": False}},
    )
    updated, removed = audit_trail_for(org).order_by("id")
    assert (updated.reason, updated.data) == ("", {"fields": ["name", "website"]})
    assert (removed.reason, removed.data) == ("a@example.org", {})  # not a sentence to convert
    migration.backwards(apps, None)
    assert audit_trail_for(application).get().reason == "ip-focus: not met; legal-status: met"
    assert audit_trail_for(org).order_by("id").first().reason == "name, website"
