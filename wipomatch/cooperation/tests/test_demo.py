"""Demo initiatives: forty and more, every theme and modality, LDCs, PPP, reports, overdue,
one inactive, several from the agreed demo cases; running it again creates nothing."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from wipomatch.cooperation import iati
from wipomatch.cooperation.models import Initiative, ProgressReport
from wipomatch.reference.models import Country, VocabularyTerm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_demo_initiatives():
    call_command("seed_demo", stdout=StringIO(), force=True)
    initiatives = Initiative.objects.all()
    assert initiatives.count() >= 40
    published = initiatives.filter(review_status="published")
    modalities = Counter(published.values_list("modality", flat=True))
    assert set(modalities) == {"south-south", "north-south", "triangular", "other"}, modalities
    assert published.filter(ppp=True).count() >= 3
    themes = set(
        VocabularyTerm.objects.filter(initiatives_by_theme__in=published).values_list(
            "slug", flat=True
        )
    )
    assert (
        themes
        == set(VocabularyTerm.objects.filter(kind="themes").values_list("slug", flat=True))
        - {"other"}
        or len(themes) >= 5
    )
    countries = Country.objects.filter(initiatives__in=published).distinct()
    party_countries = Country.objects.filter(
        initiative_parties__initiative__in=published
    ).distinct()
    assert (countries | party_countries).distinct().count() >= 20
    assert countries.filter(ldc=True).count() >= 5
    assert ProgressReport.objects.filter(state="accepted").count() >= 20
    assert ProgressReport.objects.filter(state="submitted").exists()
    assert published.filter(overdue_since__isnull=False).count() >= 2
    assert published.filter(inactive=True).count() >= 1
    assert published.filter(source_case__isnull=False).count() >= 3
    assert published.exclude(modality_override="").exists()
    assert initiatives.filter(review_status="submitted").exists()
    assert iati.validate(iati.activities_xml()) == []

    before = initiatives.count()
    call_command("seed_demo", stdout=StringIO(), force=True)
    assert Initiative.objects.count() == before
