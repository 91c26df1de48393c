"""Audit events of memberships written before `AuditEvent.data`: the sentences the services
stored in `reason` become structured data, so that pages render them in the reader's language
and nothing parses them any more.

- "assessed": reason "slug: met; slug: not met" -> data {"assessments": {slug: bool}}
- "profile_updated": reason "name, website" -> data {"fields": ["name", "website"]}
"""

from django.db import migrations


def _assessments(reason: str) -> dict | None:
    parsed = {}
    for part in reason.split("; "):
        slug, sep, verdict = part.partition(": ")
        if not sep or verdict not in ("met", "not met"):
            return None
        parsed[slug] = verdict == "met"
    return parsed


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for event in AuditEvent.objects.filter(action="assessed").exclude(reason=""):
        assessments = _assessments(event.reason)
        if assessments is not None:
            event.data = {**event.data, "assessments": assessments}
            event.reason = ""
            event.save(update_fields=["data", "reason"])
    for event in AuditEvent.objects.filter(action="profile_updated").exclude(reason=""):
        event.data = {**event.data, "fields": event.reason.split(", ")}
        event.reason = ""
        event.save(update_fields=["data", "reason"])


def backwards(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for event in AuditEvent.objects.filter(action="assessed", reason=""):
        assessments = event.data.get("assessments")
        if assessments:
            event.reason = "; ".join(
                f"{slug}: {'met' if met else 'not met'}" for slug, met in sorted(assessments.items())
            )
            event.save(update_fields=["reason"])
    for event in AuditEvent.objects.filter(action="profile_updated", reason=""):
        if event.data.get("fields"):
            event.reason = ", ".join(event.data["fields"])
            event.save(update_fields=["reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("core", "0003_audit_data"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
