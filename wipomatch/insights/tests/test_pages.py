"""Dashboards, drill-down, methodology, reports: who sees what (permission matrix)."""

import re

import pytest

from wipomatch.core.tests.helpers import client_for
from wipomatch.insights.models import Report
from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.members.models import Organisation
from wipomatch.members.tests.factories import (
    FacilitatorFactory,
    MembershipFactory,
    OrganisationFactory,
    country,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator():
    return FacilitatorFactory()


@pytest.fixture
def member():
    return MembershipFactory(organisation=OrganisationFactory(country=country("KE"))).user


@pytest.fixture
def records(facilitator):
    """Public records, and records that must never show on the public dashboard."""
    kenya = OrganisationFactory(name="Kenya Institute", country=country("KE"))
    NeedFactory(
        organisation=kenya,
        status="published",
        title="Public need about vaccines",
        facilitator=facilitator,
    )
    OfferFactory(
        organisation=kenya,
        status="published",
        title="Public offer about seeds",
        facilitator=facilitator,
    )
    secret_org = OrganisationFactory(
        name="Secret Applicant Office", status=Organisation.Status.PENDING, approved_at=None
    )
    draft = NeedFactory(organisation=kenya, title="Draft need never published")
    submitted = NeedFactory(organisation=kenya, status="submitted", title="Need awaiting review")
    member = MembershipFactory(organisation=kenya).user
    member.full_name = "Amina Person-Name"
    member.save()
    return {"secret_org": secret_org, "draft": draft, "submitted": submitted, "member": member}


PUBLIC_FORBIDDEN = (
    "Secret Applicant Office",
    "Draft need never published",
    "Need awaiting review",
    "Amina Person-Name",
    "Public need about vaccines",  # aggregates only: not even a public listing's title
    "@",  # no e-mail address
)


@pytest.mark.parametrize("who", ["anonymous", "member", "facilitator"])
def test_public_dashboard_shows_aggregates_only(records, who, facilitator, member):
    user = {"anonymous": None, "member": member, "facilitator": facilitator}[who]
    response = client_for(user).get("/en/insights/")
    assert response.status_code == 200
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    for forbidden in PUBLIC_FORBIDDEN:
        assert forbidden not in main, forbidden
    assert "Key figures" in main
    figures = {f["key"]: f["value"] for f in response.context["figures"]}
    assert figures["published_needs"] == 1
    assert figures["published_offers"] == 1


def test_public_dashboard_has_no_drill_down_links(records):
    body = client_for().get("/en/insights/").content.decode()
    assert "/insights/facilitator/figures/" not in body


def test_public_dashboard_in_arabic_is_right_to_left(records):
    body = client_for().get("/ar/insights/").content.decode()
    assert 'dir="rtl"' in body


def test_dashboard_charts_have_text_alternatives_and_tables(records):
    response = client_for().get("/en/insights/")
    body = response.content.decode()
    funnel = next(c for c in response.context["charts"] if c.key == "funnel")
    assert "Needs published: 1" in funnel.alt_text
    assert funnel.alt_text in body
    assert "<summary>Data table</summary>" in body
    # Once the worker drew it (tasks run immediately in tests), the SVG is inline.
    again = client_for().get("/en/insights/").content.decode()
    assert '<svg aria-hidden="true" focusable="false" direction="ltr"' in again


def test_bad_period_on_the_dashboard_is_explained_not_a_500(records):
    response = client_for().get("/en/insights/", {"from": "2026-05-01", "to": "2026-01-01"})
    assert response.status_code == 200
    assert "before it starts" in response.content.decode()


@pytest.mark.parametrize(
    "who, expected",
    [("anonymous", 302), ("member", 403), ("facilitator", 200)],
)
@pytest.mark.parametrize(
    "url",
    [
        "/en/insights/facilitator/",
        "/en/insights/facilitator/figures/active_organisations/",
        "/en/insights/reports/",
    ],
)
def test_facilitator_pages_permission_matrix(records, url, who, expected, facilitator, member):
    user = {"anonymous": None, "member": member, "facilitator": facilitator}[who]
    assert client_for(user).get(url).status_code == expected


def test_facilitator_drill_down_lists_the_records_behind_a_figure(records, facilitator):
    client = client_for(facilitator)
    dashboard = client.get("/en/insights/facilitator/").content.decode()
    link = re.search(r'href="(/en/insights/facilitator/figures/published_needs/[^"]*)"', dashboard)
    assert link, "the figure links to its records"
    detail = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "Public need about vaccines" in detail
    assert "Draft need never published" not in detail
    orgs = client.get("/en/insights/facilitator/figures/active_organisations/").content.decode()
    assert "Kenya Institute" in orgs
    assert "Secret Applicant Office" not in orgs


def test_unknown_figure_is_404(facilitator):
    assert client_for(facilitator).get("/en/insights/facilitator/figures/nope/").status_code == 404


def test_methodology_page_is_public():
    body = client_for().get("/en/insights/methodology/").content.decode()
    assert "H ÷ ln K" in body


def test_report_started_from_the_page_is_built_and_downloadable(
    records, facilitator, member, django_capture_on_commit_callbacks
):
    client = client_for(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/insights/reports/",
            {"start": "2026-01-01", "end": "2026-12-31", "language": "fr", "formats": ["html"]},
        )
    report = Report.objects.get()
    assert response.status_code == 302
    assert report.status == Report.Status.DONE
    assert report.progress == 100
    assert set(report.files) == {"html"}
    download = client.get(f"/en/insights/reports/{report.pk}/html/")
    assert download.status_code == 200
    html = b"".join(download.streaming_content).decode()
    assert '<html lang="fr"' in html
    # Members and visitors cannot download it.
    assert client_for(member).get(f"/en/insights/reports/{report.pk}/html/").status_code == 403
    assert client_for().get(f"/en/insights/reports/{report.pk}/html/").status_code == 302
    assert client.get(f"/en/insights/reports/{report.pk}/pdf/").status_code == 404
    listing = client.get("/en/insights/reports/").content.decode()
    assert f"/en/insights/reports/{report.pk}/html/" in listing


def test_report_form_refuses_an_inverted_period(facilitator):
    response = client_for(facilitator).post(
        "/en/insights/reports/",
        {"start": "2026-05-01", "end": "2026-01-01", "language": "en", "formats": ["pdf"]},
    )
    assert response.status_code == 200
    assert "before it starts" in response.content.decode()
    assert not Report.objects.exists()


def test_member_cannot_start_a_report(member):
    response = client_for(member).post(
        "/en/insights/reports/",
        {"start": "2026-01-01", "end": "2026-12-31", "language": "en", "formats": ["pdf"]},
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_periodic_job_prepares_measures_shared_with_the_web(records, monkeypatch):
    from django.core.cache import cache

    from wipomatch.core.periodic import run_job
    from wipomatch.insights import selectors, services

    # Every single breakdown value in production; two of them here, to keep the test short.
    monkeypatch.setattr(
        services,
        "default_selections",
        lambda: [selectors.Breakdown(), selectors.Breakdown(theme="public-health")],
    )
    summary = run_job("insights-prepare")
    assert "charts drawn" in summary
    cache.clear()  # another process: only the shared store is left

    def no_compute(*args, **kwargs):
        raise AssertionError("computed on the request path")

    monkeypatch.setattr(selectors, "compute_metrics", no_compute)
    response = client_for().get("/en/insights/")
    assert response.status_code == 200
    assert client_for().get("/en/insights/", {"theme": "public-health"}).status_code == 200
    assert '<svg aria-hidden="true"' in response.content.decode()
