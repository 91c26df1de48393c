"""Stored suggestions were computed by an engine that could suggest an organisation's own
listings to it and ignored requested delivery languages: drop the own-organisation pairs now,
and mark every list stale so that the periodic refresh (`suggestions_refresh_stale`, also
`manage.py refresh_suggestions`) recomputes all of them with the current rules."""

from django.db import migrations
from django.db.models import F


def forward(apps, schema_editor):
    Suggestion = apps.get_model("matching", "Suggestion")
    MatchState = apps.get_model("matching", "MatchState")
    Suggestion.objects.filter(need__organisation_id=F("offer__organisation_id")).delete()
    MatchState.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_initial"),
        ("listings", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
