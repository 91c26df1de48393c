"""The suggestion rules on the Django side: stored lists, pages, API, recompute, measurement."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.matching import index_store
from wipomatch.matching.explanations import explain, explanation_names
from wipomatch.matching.models import MatchState, Suggestion
from wipomatch.matching.quality import measure_rules
from wipomatch.matching.services import suggestions_refresh_all
from wipomatch.members.tests.factories import OrganisationFactory

from .test_suggestions import MATCHING_OFFER, NEED

pytestmark = pytest.mark.django_db


@pytest.fixture
def same_org(on_commit):
    """An organisation that both seeks and provides, and another provider."""
    both = OrganisationFactory()
    with on_commit():
        need = NeedFactory(organisation=both, status="published", **NEED)
        own = OfferFactory(organisation=both, status="published", **MATCHING_OFFER)
        other = OfferFactory(
            status="published", **{**MATCHING_OFFER, "title": "Patent examination workshops"}
        )
    return {"need": need, "own": own, "other": other}


def test_stored_suggestions_never_pair_an_organisation_with_itself(same_org):
    need, own, other = same_org["need"], same_org["own"], same_org["other"]
    assert not Suggestion.objects.filter(need=need, offer=own).exists()
    assert Suggestion.objects.filter(need=need, offer=other, need_rank=1).exists()
    assert not Suggestion.objects.filter(
        need__organisation=need.organisation, offer__organisation=need.organisation
    ).exists()


def test_page_and_api_leave_out_a_stale_own_organisation_row(client, same_org):
    need, own = same_org["need"], same_org["own"]
    # a row stored by an older engine
    Suggestion.objects.create(need=need, offer=own, need_rank=1, need_score=9.0)
    client.force_login(need.created_by)
    page = client.get(reverse("matching:suggestions", args=[need.pk])).content.decode()
    assert same_org["other"].title in page
    assert own.title not in page
    data = client.get(f"/api/v1/needs/{need.pk}/suggestions/").json()
    assert [item["id"] for item in data] == [same_org["other"].pk]


def test_recompute_all_drops_stale_own_rows_and_refreshes_every_list(same_org):
    need, own = same_org["need"], same_org["own"]
    Suggestion.objects.create(need=need, offer=own, need_rank=1, need_score=9.0)
    MatchState.objects.all().delete()
    count = suggestions_refresh_all()
    assert count == 3
    assert not Suggestion.objects.filter(need=need, offer=own).exists()
    assert MatchState.objects.count() == 3


def test_the_refresh_command_recomputes_lists(same_org, capsys):
    MatchState.objects.all().delete()
    call_command("refresh_suggestions")
    assert "3 suggestion lists recomputed" in capsys.readouterr().out
    assert MatchState.objects.count() == 3


def test_an_offer_delivered_in_chinese_only_is_ranked_last_and_says_so(on_commit, client):
    with on_commit():
        need = NeedFactory(
            status="published", **{**NEED, "language": "en", "delivery_languages": ["en"]}
        )
        chinese = OfferFactory(
            status="published", **{**MATCHING_OFFER, "delivery_languages": ["zh"]}
        )
        english = OfferFactory(
            status="published",
            **{**MATCHING_OFFER, "title": "Examiner exchange", "delivery_languages": ["en"]},
        )
    ranked = list(
        Suggestion.objects.filter(need=need).order_by("need_rank").values_list("offer", flat=True)
    )
    assert ranked == [english.pk, chinese.pk]
    row = Suggestion.objects.get(need=need, offer=chinese)
    assert row.explanation["language_mismatch"] is True
    with translation.override("en"):
        reasons = explain(row.explanation, reader="need", names=explanation_names())
        assert reasons[0] == "Delivered in Chinese only, not in a language you asked for"
        provider = explain(row.explanation, reader="offer", names=explanation_names())
        assert provider[0] == "Asks for delivery in English, which this offer does not list"
    with translation.override("fr"):
        reasons = explain(row.explanation, reader="need", names=explanation_names())
        assert reasons[0].startswith("Proposé en") and "chinois" in reasons[0].lower()
    client.force_login(need.created_by)
    page = client.get(reverse("matching:suggestions", args=[need.pk])).content.decode()
    assert "Delivered in Chinese only" in page


def test_measure_rules_counts_nothing_wrong_on_a_clean_catalogue(same_org):
    report = measure_rules(index_store.build_index())
    assert report.needs == 1 and report.offers == 2
    assert report.own_share == 0.0
    assert report.own_share_offers == 0.0
    assert report.language_violation_share == 0.0


def test_the_rules_command_prints_the_shares(same_org, capsys):
    call_command("matching_rules")
    out = capsys.readouterr().out
    assert "with an own-organisation offer in their top 10: 0 (0.0%)" in out


def test_the_data_migration_drops_own_rows_and_marks_every_list_stale(same_org):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "wipomatch.matching.migrations.0002_recompute_without_own_organisation"
    )
    need, own = same_org["need"], same_org["own"]
    Suggestion.objects.create(need=need, offer=own, need_rank=1, need_score=9.0)
    assert MatchState.objects.exists()
    migration.forward(apps, None)
    assert not Suggestion.objects.filter(need=need, offer=own).exists()
    assert Suggestion.objects.filter(need=need, offer=same_org["other"]).exists()
    assert not MatchState.objects.exists()  # the periodic refresh recomputes every list
