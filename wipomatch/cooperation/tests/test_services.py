"""Initiative lifecycle, parties, reports and the reporting cycle, through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wipomatch.cooperation import services
from wipomatch.cooperation.models import Indicator, Initiative, ProgressReport
from wipomatch.cooperation.selectors import overdue_initiatives
from wipomatch.cooperation.services import InitiativeData, PartyData, ReportData
from wipomatch.core.audit import audit_trail_for
from wipomatch.members.tests.factories import OrganisationFactory, UserFactory, country

from .factories import initiative_team, make_initiative, set_parties

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return initiative_team()


def _actions(initiative):
    return [e.action for e in audit_trail_for(initiative).order_by("created_at", "id")]


def test_create_derives_the_modality_from_a_member_and_an_external_party(team):
    initiative = make_initiative(team)
    assert initiative.review_status == "draft"
    assert initiative.organisation == team["org"]
    assert initiative.modality == "south-south"
    parties = list(initiative.parties.order_by("position"))
    assert parties[0].country.iso2 == "BR" and parties[0].organisation_type == "ip-office"
    assert parties[1].name == "Mozambique IP office"
    assert _actions(initiative)[-1] == "created"


def test_unknown_codes_are_rejected_with_the_bad_value(team):
    with pytest.raises(ValidationError) as error:
        make_initiative(team, extra_parties=(("beneficiary", "QQ", "ip-office", "Nowhere"),))
    assert "QQ" in str(error.value)
    with pytest.raises(ValidationError) as error:
        make_initiative(team, themes=["astrology"])
    assert "astrology" in str(error.value)
    with pytest.raises(ValidationError) as error:
        make_initiative(team, budget=Decimal("100"), budget_currency="XYZ")
    assert "XYZ" in str(error.value)
    assert not Initiative.objects.exists()


def test_outsider_cannot_create_for_another_organisation(team):
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.initiative_create(
            actor=outsider,
            data=InitiativeData(title="t", summary="s"),
            parties=[],
        )
    stranger = initiative_team("KE")["focal"]
    with pytest.raises(PermissionDenied):
        services.initiative_create(
            actor=stranger,
            data=InitiativeData(title="t", summary="s"),
            parties=[],
            organisation=team["org"],
        )


def test_review_lifecycle_and_emails(team, on_commit):
    initiative = make_initiative(team)
    with on_commit():
        services.initiative_submit(actor=team["focal"], initiative=initiative)
    assert any("Initiative to review" in m.subject for m in mail.outbox)
    with pytest.raises(PermissionDenied):
        services.initiative_publish(actor=team["focal"], initiative=initiative)
    with pytest.raises(ValidationError):
        services.initiative_request_changes(
            actor=team["facilitator"], initiative=initiative, reason=""
        )
    mail.outbox.clear()
    with on_commit():
        services.initiative_request_changes(
            actor=team["facilitator"], initiative=initiative, reason="Add the funder."
        )
    assert initiative.review_status == "changes_requested"
    assert [m.to for m in mail.outbox] == [[team["focal"].email]]
    services.initiative_submit(actor=team["focal"], initiative=initiative)
    services.initiative_publish(actor=team["facilitator"], initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.review_status == "published"
    assert initiative.next_report_due == services.add_months(timezone.localdate(), 6)
    assert _actions(initiative)[-3:] == ["changes_requested", "submitted", "published"]


def test_cannot_submit_without_counted_parties(team):
    initiative = make_initiative(team, extra_parties=())
    services.initiative_set_parties(
        actor=team["focal"],
        initiative=initiative,
        parties=[PartyData(role="facilitator", name="WIPO", organisation_type="igo")],
    )
    with pytest.raises(ValidationError):
        services.initiative_submit(actor=team["focal"], initiative=initiative)


def test_changing_parties_recomputes_and_audits(team):
    initiative = make_initiative(team)
    set_parties(
        team,
        initiative,
        PartyData(
            role="beneficiary", name="MZ office", country="MZ", organisation_type="ip-office"
        ),
        PartyData(role="funder", name="JICA", country="JP", organisation_type="government"),
        PartyData(
            role="implementing_partner", name="Acme", country="ZA", organisation_type="business"
        ),
    )
    assert initiative.modality == "triangular" and initiative.ppp is True
    assert "parties_changed" in _actions(initiative)
    event = audit_trail_for(initiative).get(action="parties_changed")
    assert [p["role"] for p in event.data["after"]] == [
        "provider",
        "beneficiary",
        "funder",
        "implementing_partner",
    ]


def test_member_party_organisation_member_may_edit(team):
    partner = initiative_team("MZ")
    initiative = make_initiative(team)
    set_parties(team, initiative, PartyData(role="beneficiary", organisation=partner["org"].pk))
    services.initiative_update(
        actor=partner["contributor"],
        initiative=initiative,
        data=InitiativeData(title="New title", summary="New summary"),
    )
    initiative.refresh_from_db()
    assert initiative.title == "New title"
    with pytest.raises(PermissionDenied):
        services.initiative_update(
            actor=initiative_team("KE")["focal"],
            initiative=initiative,
            data=InitiativeData(title="x", summary="y"),
        )


def _report(initiative, **extra):
    indicator = Indicator.objects.filter(result__initiative=initiative).first()
    return ReportData(
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        narrative="Ten examiners trained.",
        actuals={indicator.pk: Decimal("10")} if indicator else {},
        **extra,
    )


def test_report_accept_applies_status_change(team, on_commit):
    initiative = make_initiative(team, published=True, results=True)
    due = initiative.next_report_due
    report = services.report_submit(
        actor=team["contributor"],
        initiative=initiative,
        data=_report(initiative, status_change="3"),
    )
    initiative.refresh_from_db()
    assert initiative.next_report_due == services.add_months(due, 6)
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=team["focal"], report=report)
    mail.outbox.clear()
    with on_commit():
        services.report_accept(actor=team["facilitator"], report=report)
    initiative.refresh_from_db()
    assert initiative.status == "3"
    assert report.state == "accepted"
    assert [m.to for m in mail.outbox] == [[team["contributor"].email]]


def test_report_changes_requested_then_resubmitted(team):
    initiative = make_initiative(team, published=True, results=True)
    report = services.report_submit(
        actor=team["focal"], initiative=initiative, data=_report(initiative)
    )
    services.report_request_changes(
        actor=team["facilitator"], report=report, comment="Give the number of women trained."
    )
    assert report.state == ProgressReport.State.CHANGES_REQUESTED
    services.report_resubmit(
        actor=team["focal"], report=report, data=_report(initiative, challenges="Travel")
    )
    report.refresh_from_db()
    assert report.state == "submitted" and report.challenges == "Travel"
    with pytest.raises(PermissionDenied):
        services.report_resubmit(actor=team["focal"], report=report, data=_report(initiative))


def test_report_rejects_unknown_indicator(team):
    initiative = make_initiative(team, published=True, results=True)
    other = make_initiative(team, published=True, results=True)
    foreign = Indicator.objects.filter(result__initiative=other).first()
    data = _report(initiative)
    data.actuals = {foreign.pk: Decimal("1")}
    with pytest.raises(ValidationError):
        services.report_submit(actor=team["focal"], initiative=initiative, data=data)


def test_drafts_cannot_report(team):
    initiative = make_initiative(team, results=True)
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=team["focal"], initiative=initiative, data=_report(initiative))


class TestReportingCycle:
    """Move the clock: reminders 14 and 3 days before, overdue, inactive after two misses."""

    def _subjects(self):
        return [m.subject for m in mail.outbox]

    def test_reminders_overdue_and_inactive(self, team, on_commit):
        initiative = make_initiative(team, published=True, reporting_cadence="quarterly")
        due = initiative.next_report_due
        mail.outbox.clear()

        with on_commit():
            summary = services.reporting_cycle_run(today=due - timedelta(days=20))
        assert summary == {"reminded_14": 0, "reminded_3": 0, "overdue": 0, "inactive": 0}

        with on_commit():
            summary = services.reporting_cycle_run(today=due - timedelta(days=14))
        assert summary["reminded_14"] == 1
        assert any("due in 14 days" in s for s in self._subjects())
        with on_commit():  # idempotent
            assert services.reporting_cycle_run(today=due - timedelta(days=13))["reminded_14"] == 0

        with on_commit():
            summary = services.reporting_cycle_run(today=due - timedelta(days=3))
        assert summary["reminded_3"] == 1 and summary["reminded_14"] == 0

        mail.outbox.clear()
        with on_commit():
            summary = services.reporting_cycle_run(today=due + timedelta(days=1))
        assert summary["overdue"] == 1 and summary["inactive"] == 0
        assert any("overdue" in s for s in self._subjects())
        initiative.refresh_from_db()
        assert initiative.overdue_since == due
        assert initiative.missed_reports == 1 and not initiative.inactive
        assert initiative in overdue_initiatives()
        assert services.reporting_cycle_run(today=due + timedelta(days=2))["overdue"] == 0

        second_due = initiative.next_report_due
        assert second_due == services.add_months(due, 3)
        with on_commit():
            summary = services.reporting_cycle_run(today=second_due + timedelta(days=1))
        assert summary["inactive"] == 1
        initiative.refresh_from_db()
        assert initiative.inactive and initiative.missed_reports == 2
        assert "flagged_inactive" in _actions(initiative)
        # The initiative's people also see the reminders in the platform (messaging).
        from wipomatch.messaging.models import Notification

        kinds = set(
            Notification.objects.filter(recipient=team["focal"]).values_list("kind", flat=True)
        )
        assert {
            "initiative_report_due",
            "initiative_report_overdue",
            "initiative_inactive",
        } <= kinds

        # A late report clears the flags; the next due date stays where the cycle put it.
        next_due = initiative.next_report_due
        services.report_submit(
            actor=team["focal"],
            initiative=initiative,
            data=ReportData(
                period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), narrative="Late."
            ),
        )
        initiative.refresh_from_db()
        assert not initiative.inactive and initiative.missed_reports == 0
        assert initiative.overdue_since is None and initiative.next_report_due == next_due

    def test_one_long_gap_counts_each_missed_period(self, team):
        initiative = make_initiative(team, published=True, reporting_cadence="quarterly")
        due = initiative.next_report_due
        summary = services.reporting_cycle_run(today=due + timedelta(days=100))
        assert summary["overdue"] == 2 and summary["inactive"] == 1

    def test_closed_initiatives_are_not_chased(self, team):
        initiative = make_initiative(team, published=True, status="4")
        due = initiative.next_report_due
        assert services.reporting_cycle_run(today=due + timedelta(days=1))["overdue"] == 0

    def test_job_is_registered(self):
        from wipomatch.core.periodic import JOBS_BY_NAME

        job = JOBS_BY_NAME["initiatives-reporting-cycle"]
        assert job.load() is services.reporting_cycle_run


def test_member_organisation_of_other_country_keeps_its_country():
    org = OrganisationFactory(country=country("FR"), org_type="business")
    team = initiative_team()
    initiative = make_initiative(team)
    services.initiative_set_parties(
        actor=team["focal"],
        initiative=initiative,
        parties=[
            PartyData(role="provider", organisation=org.pk),
            PartyData(role="beneficiary", organisation=team["org"].pk),
        ],
    )
    assert initiative.modality == "north-south" and initiative.ppp is True
