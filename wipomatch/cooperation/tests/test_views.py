"""The pages: who sees and may do what (anonymous, outsider, the initiative's people, staff)."""

from datetime import date

import pytest
from django.urls import reverse

from wipomatch.cooperation import services
from wipomatch.cooperation.models import Initiative, ProgressReport
from wipomatch.cooperation.services import ReportData
from wipomatch.members.tests.factories import UserFactory

from .factories import initiative_team, make_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return initiative_team()


@pytest.fixture
def people(team):
    return {
        "anonymous": None,
        "outsider": initiative_team("KE")["focal"],
        "registered": UserFactory(),
        "member": team["contributor"],
        "facilitator": team["facilitator"],
    }


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _status(client, user, method, url, data=None):
    c = _client(client, user)
    response = c.post(url, data or {}) if method == "post" else c.get(url)
    return response.status_code


def _code(status):
    """302 to the sign-in page for anonymous visitors counts as "no"."""
    return status


@pytest.mark.parametrize(
    ("who", "draft_page", "published_page", "edit_page"),
    [
        ("anonymous", 404, 200, 302),
        ("outsider", 404, 200, 403),
        ("registered", 404, 200, 403),
        ("member", 200, 200, 200),
        ("facilitator", 200, 200, 200),
    ],
)
def test_page_matrix(client, team, people, who, draft_page, published_page, edit_page):
    draft = make_initiative(team)
    published = make_initiative(team, published=True)
    user = people[who]
    assert (
        _status(client, user, "get", reverse("cooperation:detail", args=[draft.pk])) == draft_page
    )
    assert (
        _status(client, user, "get", reverse("cooperation:detail", args=[published.pk]))
        == published_page
    )
    edit = _status(client, user, "get", reverse("cooperation:edit", args=[published.pk]))
    assert edit == edit_page


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("outsider", 403), ("member", 403), ("facilitator", 302)],
)
def test_only_facilitators_publish(client, team, people, who, expected):
    initiative = make_initiative(team, submitted=True)
    status = _status(
        client, people[who], "post", reverse("cooperation:publish", args=[initiative.pk])
    )
    assert status == expected
    initiative.refresh_from_db()
    assert (initiative.review_status == "published") == (who == "facilitator")


@pytest.mark.parametrize(
    ("who", "expected"), [("outsider", 403), ("member", 403), ("facilitator", 302)]
)
def test_only_facilitators_override(client, team, people, who, expected):
    initiative = make_initiative(team, published=True)
    url = reverse("cooperation:override", args=[initiative.pk])
    status = _status(client, people[who], "post", url, {"modality": "other", "reason": "because"})
    assert status == expected
    initiative.refresh_from_db()
    assert (initiative.modality == "other") == (who == "facilitator")


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("outsider", 403), ("member", 200), ("facilitator", 200)],
)
def test_report_form_matrix(client, team, people, who, expected):
    initiative = make_initiative(team, published=True)
    status = _status(
        client, people[who], "get", reverse("cooperation:report_create", args=[initiative.pk])
    )
    assert status == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("registered", 404),
        ("member", 200),
        ("facilitator", 200),
    ],
)
def test_report_page_matrix(client, team, people, who, expected):
    initiative = make_initiative(team, published=True)
    report = services.report_submit(
        actor=team["focal"],
        initiative=initiative,
        data=ReportData(period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), narrative="n"),
    )
    url = reverse("cooperation:report", args=[report.pk])
    assert _status(client, people[who], "get", url) == expected


def test_member_cannot_accept_own_report(client, team):
    initiative = make_initiative(team, published=True)
    report = services.report_submit(
        actor=team["focal"],
        initiative=initiative,
        data=ReportData(period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), narrative="n"),
    )
    client.force_login(team["focal"])
    response = client.post(reverse("cooperation:report", args=[report.pk]), {"decision": "accept"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED
    client.force_login(team["facilitator"])
    response = client.post(reverse("cooperation:report", args=[report.pk]), {"decision": "accept"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "accepted"


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("member", 403), ("facilitator", 200)]
)
def test_review_queue_is_for_facilitators(client, people, who, expected):
    assert _status(client, people[who], "get", reverse("cooperation:review_queue")) == expected


def test_directory_filters_and_search(client, team):
    make_initiative(team, published=True, title="Geographical indication for coffee")
    make_initiative(team, published=True, title="Patent examiners", countries=["SN"])
    make_initiative(team, title="Hidden draft")
    response = client.get(reverse("cooperation:directory"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Geographical indication" in body and "Hidden draft" not in body
    assert reverse("initiative-iati") in body
    body = client.get(reverse("cooperation:directory"), {"q": "coffee"}).content.decode()
    assert "Geographical indication" in body and "Patent examiners" not in body
    body = client.get(reverse("cooperation:directory"), {"country": "SN"}).content.decode()
    assert "Patent examiners" in body and "Geographical indication" not in body
    body = client.get(reverse("cooperation:directory"), {"modality": "triangular"}).content.decode()
    assert "No initiative matches" in body


def test_detail_shows_modality_reason_override_and_chart(client, team):
    initiative = make_initiative(team, published=True, results=True)
    services.initiative_override_modality(
        actor=team["facilitator"],
        initiative=initiative,
        modality="triangular",
        reason="UNDP funds the travel",
    )
    body = client.get(reverse("cooperation:detail", args=[initiative.pk])).content.decode()
    assert "the provider (Brazil) and the beneficiary (Mozambique) are in the Global South" in body
    assert "UNDP funds the travel" in body
    assert "<svg" in body and "Examiners trained" in body
    assert "<strong>workshops</strong>" in body  # markdown rendered


def test_markdown_is_sanitised(client, team):
    initiative = make_initiative(
        team, published=True, description="<script>alert(1)</script> [x](javascript:alert(1))"
    )
    body = client.get(reverse("cooperation:detail", args=[initiative.pk])).content.decode()
    assert "<script>alert" not in body and 'href="javascript' not in body
    assert "&lt;script&gt;alert(1)" in body


def test_create_with_parties_through_the_form(client, team):
    client.force_login(team["focal"])
    url = reverse("cooperation:create")
    assert client.get(url).status_code == 200
    data = {
        "title": "Copyright office twinning",
        "summary": "Senegal and Mali share their experience.",
        "language": "fr",
        "status": "1",
        "reporting_cadence": "yearly",
        "themes": ["creative-industries"],
        "parties-TOTAL_FORMS": "3",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "30",
        "parties-0-organisation": str(team["org"].pk),
        "parties-0-role": "provider",
        "parties-1-name": "BURIDA",
        "parties-1-country": "CI",
        "parties-1-organisation_type": "public-body",
        "parties-1-role": "beneficiary",
        "parties-2-name": "Norad",
        "parties-2-country": "NO",
        "parties-2-organisation_type": "government",
        "parties-2-role": "funder",
        "submit": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    initiative = Initiative.objects.get(title="Copyright office twinning")
    assert initiative.modality == "triangular" and initiative.review_status == "submitted"
    # The live preview answers the same parties.
    preview = client.post(reverse("cooperation:modality_preview"), data)
    assert preview.status_code == 200 and "Triangular" in preview.content.decode()


def test_form_shows_errors_of_an_incomplete_party(client, team):
    client.force_login(team["focal"])
    data = {
        "title": "T",
        "summary": "S",
        "language": "en",
        "status": "1",
        "reporting_cadence": "yearly",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "30",
        "parties-0-name": "Somebody",
    }
    response = client.post(reverse("cooperation:create"), data)
    assert response.status_code == 200
    assert "Choose the role of this party." in response.content.decode()
    assert not Initiative.objects.exists()


def test_submit_report_and_review_through_pages(client, team):
    initiative = make_initiative(team, published=True, results=True)
    indicator = initiative.results.get().indicators.get()
    client.force_login(team["contributor"])
    response = client.post(
        reverse("cooperation:report_create", args=[initiative.pk]),
        {
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "narrative": "Eight trained.",
            f"actual_{indicator.pk}": "8",
        },
    )
    assert response.status_code == 302
    report = initiative.reports.get()
    client.force_login(team["facilitator"])
    response = client.post(
        reverse("cooperation:report", args=[report.pk]), {"decision": "changes", "comment": ""}
    )
    assert response.status_code == 200 and "Say what should change." in response.content.decode()
    response = client.post(reverse("cooperation:report", args=[report.pk]), {"decision": "accept"})
    assert response.status_code == 302
    body = client.get(reverse("cooperation:detail", args=[initiative.pk])).content.decode()
    assert ">8.00<" in body or "8.00" in body


def test_history_is_shown_in_the_reader_language(client, team):
    initiative = make_initiative(team, submitted=True)
    client.force_login(team["facilitator"])
    body = client.get(f"/fr/initiatives/{initiative.pk}/").content.decode()
    assert "Soumis pour examen" in body or "Soumise pour examen" in body
    assert "submitted</td>" not in body


@pytest.mark.parametrize(
    ("who", "create", "mine", "add_result", "submit", "request_changes"),
    [
        ("anonymous", 302, 302, 302, 302, 302),
        ("registered", 403, 200, 403, 404, 403),
        ("outsider", 200, 200, 403, 404, 403),
        ("member", 200, 200, 200, 302, 403),
        ("facilitator", 200, 200, 200, 302, 302),
    ],
)
def test_more_of_the_matrix(
    client, team, people, who, create, mine, add_result, submit, request_changes
):
    """create / my initiatives / add a result (published) / submit a draft / ask for changes to
    a submitted initiative. 302 for anonymous visitors is the sign-in redirect; for the others a
    302 is the action done."""
    published = make_initiative(team, published=True)
    draft = make_initiative(team, title="Draft")
    submitted = make_initiative(team, title="Submitted", submitted=True)
    user = people[who]
    assert _status(client, user, "get", reverse("cooperation:create")) == create
    assert _status(client, user, "get", reverse("cooperation:mine")) == mine
    assert (
        _status(client, user, "get", reverse("cooperation:add_result", args=[published.pk]))
        == add_result
    )
    assert _status(client, user, "post", reverse("cooperation:submit", args=[draft.pk])) == submit
    status = _status(
        client,
        user,
        "post",
        reverse("cooperation:request_changes", args=[submitted.pk]),
        {"reason": "More detail"},
    )
    assert status == request_changes
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert (draft.review_status == "submitted") == (who in ("member", "facilitator"))
    assert (submitted.review_status == "changes_requested") == (who == "facilitator")


def test_modality_preview_page_is_open_and_csrf_protected(team):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("cooperation:modality_preview"), {})
    assert response.status_code == 403
    response = Client().post(
        reverse("cooperation:modality_preview"),
        {
            "parties-TOTAL_FORMS": "2",
            "parties-INITIAL_FORMS": "0",
            "parties-0-name": "A",
            "parties-0-country": "FR",
            "parties-0-organisation_type": "ip-office",
            "parties-0-role": "provider",
            "parties-1-name": "B",
            "parties-1-country": "SN",
            "parties-1-organisation_type": "ip-office",
            "parties-1-role": "beneficiary",
        },
    )
    assert response.status_code == 200 and "North-South" in response.content.decode()
