import csv

import pytest
from django.core.management import call_command

from wipomatch.reference.loader import DATA_DIR, load_taxonomy
from wipomatch.reference.models import Country, Region, SdgGoal, SdgTarget, VocabularyTerm
from wipomatch.reference.vocabulary_labels import LABELS

pytestmark = pytest.mark.django_db


def _flag_count(column: str) -> int:
    with (DATA_DIR / "countries" / "country-codes.csv").open(encoding="utf-8") as fh:
        return sum(1 for row in csv.DictReader(fh) if row[column] == "x")


def test_loader_creates_249_countries_with_the_data_files_groupings(reference_data):
    assert Country.objects.count() == 249
    assert Country.objects.filter(ldc=True).count() == _flag_count(
        "Least Developed Countries (LDC)"
    )
    assert Country.objects.filter(lldc=True).count() == _flag_count(
        "Land Locked Developing Countries (LLDC)"
    )
    assert Country.objects.filter(sids=True).count() == _flag_count(
        "Small Island Developing States (SIDS)"
    )
    # The legacy M49 designation lists 182 developing countries; all of them are in the Global
    # South grouping by default.
    assert Country.objects.filter(global_south=True).count() == 182


def test_countries_carry_their_m49_region_sub_region_and_intermediate_region(reference_data):
    senegal = Country.objects.get(iso2="SN")
    assert senegal.region.code == "002"  # Africa
    assert senegal.subregion.code == "202"  # Sub-Saharan Africa
    assert senegal.intermediate_region.code == "011"  # Western Africa
    assert senegal.ldc and senegal.global_south
    assert senegal.region_codes == ["002", "202", "011"]
    assert Region.objects.get(code="419").level == Region.Level.SUBREGION
    assert Region.objects.get(code="419").parent.code == "019"


def test_country_names_follow_the_active_language(reference_data):
    from django.utils import translation

    kyrgyzstan = Country.objects.get(iso2="KG")
    with translation.override("fr"):
        assert kyrgyzstan.name == "Kirghizistan"
    with translation.override("ru"):
        assert kyrgyzstan.name == "Кыргызстан"
    with translation.override("zh-hans"):
        assert kyrgyzstan.name == "吉尔吉斯斯坦"


def test_loader_is_idempotent_and_keeps_staff_edits_to_groupings(reference_data):
    Country.objects.filter(iso2="CN").update(global_south=False)
    call_command("load_reference", verbosity=0)
    assert Country.objects.count() == 249
    assert Country.objects.get(iso2="CN").global_south is False
    call_command("load_reference", "--update-groupings", verbosity=0)
    assert Country.objects.get(iso2="CN").global_south is True


def test_vocabularies_sdgs_are_loaded_in_six_languages(reference_data):
    taxonomy = load_taxonomy()
    assert VocabularyTerm.objects.filter(kind="themes").count() == len(taxonomy["themes"])
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.count() == 169
    goal = SdgGoal.objects.get(number=9)
    assert set(goal.titles) == {"en", "ar", "zh-hans", "fr", "ru", "es"}


def test_every_taxonomy_label_is_translatable():
    taxonomy = load_taxonomy()
    labels = set()
    for kind in VocabularyTerm.Kind.values:
        for value in taxonomy[kind].values():
            labels.add(value["label"] if isinstance(value, dict) else value)
    assert labels == set(LABELS)


def test_an_unchanged_data_set_is_not_reloaded(reference_data):
    from wipomatch.reference.loader import load_reference

    Country.objects.filter(iso2="SN").update(names={"en": "Edited"})
    assert load_reference().skipped is True
    assert Country.objects.get(iso2="SN").names == {"en": "Edited"}
    report = load_reference(force=True)
    assert report.skipped is False and report.counts["countries"] == 249
    assert Country.objects.get(iso2="SN").names["en"] == "Senegal"
