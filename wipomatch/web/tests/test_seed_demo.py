"""`manage.py seed_demo`: the demo network `make run` shows, and its five demo accounts."""

import json
import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command

from wipomatch.core.audit import audit_trail_for
from wipomatch.core.models import AuditEvent
from wipomatch.members.demo import DEMO_PASSWORD
from wipomatch.members.models import (
    JoinRequest,
    Membership,
    MembershipApplication,
    Organisation,
    User,
)
from wipomatch.reference.loader import DATA_DIR
from wipomatch.reference.models import Country

pytestmark = pytest.mark.django_db

M49_REGIONS = {"002", "019", "142", "150", "009"}  # Africa, Americas, Asia, Europe, Oceania


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def _snapshot() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            EmailAddress,
            Organisation,
            MembershipApplication,
            Membership,
            JoinRequest,
            AuditEvent,
        )
    }


def test_demo_network_is_large_varied_and_went_through_review():
    output = seed(force=True)
    approved = Organisation.objects.approved().select_related("country__region")
    assert approved.count() >= 40
    assert len({o.country_id for o in approved}) >= 25
    assert {o.country.region.code for o in approved} == M49_REGIONS
    assert sum(o.country.ldc for o in approved) >= 8
    taxonomy = json.loads((DATA_DIR / "taxonomy.json").read_text(encoding="utf-8"))
    assert {o.org_type for o in approved} == set(taxonomy["organisation_types"])
    assert all(o.themes and set(o.themes) <= set(taxonomy["themes"]) for o in approved)
    # Descriptions in several UN languages: Arabic, Chinese and Cyrillic scripts, French, Spanish.
    descriptions = " ".join(o.description for o in approved)
    for script in (r"[\u0600-\u06ff]", r"[\u4e00-\u9fff]", r"[\u0400-\u04ff]"):
        assert re.search(script, descriptions), script
    assert "Nous " in descriptions
    assert "Buscamos " in descriptions

    # Every organisation was admitted by the services: assessed against each criterion, approved,
    # with its focal point, and the whole story in the audit trail.
    for org in approved:
        application = org.application
        assert application.status == MembershipApplication.Status.APPROVED
        assert application.assessments.filter(met=True).count() == 5
        assert org.memberships.filter(role=Membership.Role.FOCAL_POINT).count() == 1
        actions = set(audit_trail_for(application).values_list("action", flat=True))
        assert {"submitted", "assessed", "approved"} <= actions, (org.name, actions)
    assert "Demo data ready" in output


def test_demo_accounts_one_per_role():
    seed(force=True)
    domain = "demo.wipomatch.org"
    accounts = {u.email: u for u in User.objects.filter(email__endswith=f"@{domain}")}
    for role in ("applicant", "contributor", "focal", "facilitator", "admin"):
        user = accounts[f"{role}@{domain}"]
        assert user.check_password(DEMO_PASSWORD), role
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists(), role

    applicant = accounts[f"applicant@{domain}"]
    assert not applicant.memberships.exists()
    application = applicant.applications.get()
    assert application.is_open
    assert application.organisation.status == Organisation.Status.PENDING

    contributor = accounts[f"contributor@{domain}"].memberships.get()
    focal = accounts[f"focal@{domain}"].memberships.get()
    assert contributor.role == Membership.Role.CONTRIBUTOR
    assert focal.role == Membership.Role.FOCAL_POINT
    assert contributor.organisation == focal.organisation
    assert focal.organisation.is_approved

    facilitator = accounts[f"facilitator@{domain}"]
    assert facilitator.staff_role == User.StaffRole.FACILITATOR
    assert facilitator.is_facilitator
    assert not facilitator.is_superuser

    admin = accounts[f"admin@{domain}"]
    assert admin.is_superuser
    assert admin.staff_role == User.StaffRole.ADMIN

    # Only the five demo accounts can sign in; the people behind the demo organisations cannot.
    others = User.objects.exclude(
        email__in=[
            f"{r}@{domain}" for r in ("applicant", "contributor", "focal", "facilitator", "admin")
        ]
    )
    assert others.exists()
    assert not any(u.has_usable_password() for u in others)

    # The review queue has work in it: a duplicate to spot and a request for more information.
    open_applications = MembershipApplication.objects.filter(
        status__in=MembershipApplication.OPEN_STATUSES
    )
    assert open_applications.count() == 3
    assert open_applications.filter(possible_duplicates__isnull=False).exists()
    assert open_applications.filter(status=MembershipApplication.Status.MORE_INFO).exists()


@pytest.mark.django_db(transaction=True)
def test_seeding_sends_and_queues_no_email():
    # Transactional, so that each organisation's transaction really commits and the services'
    # on-commit e-mails are enqueued (and, with the test task backend, sent at once) as in
    # `make run`. Without the hold-back, the outbox would fill with ~200 e-mails.
    output = seed(force=True)
    assert Organisation.objects.approved().count() >= 40
    assert mail.outbox == []
    assert "notification e-mails were not sent" in output


def test_email_hold_back_drops_only_emails_and_only_inside_the_block(
    django_capture_on_commit_callbacks,
):
    from django_tasks import task_backends

    from wipomatch.core.demo import background_work_held_back
    from wipomatch.core.mail import email_after_commit
    from wipomatch.core.models import OutboxEmail

    def email():
        with django_capture_on_commit_callbacks(execute=True):
            email_after_commit(
                template="membership_removed", to=["a@example.org"], language="en", context={}
            )

    real = task_backends["default"]
    with background_work_held_back() as held:
        email()
        assert held.dropped == 1
        assert mail.outbox == []
        assert not OutboxEmail.objects.exists()
    assert task_backends["default"] is real
    email()
    assert len(mail.outbox) == 1


def test_second_run_creates_nothing_and_is_quick(settings, django_assert_max_num_queries):
    settings.DEBUG = True  # as under `make run`: no --force needed
    seed()
    before = _snapshot()
    with django_assert_max_num_queries(15):
        output = seed()
    assert _snapshot() == before
    assert "Nothing new to create." in output


def test_refused_when_debug_is_off_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        seed()
    assert not User.objects.filter(email__endswith="@demo.wipomatch.org").exists()
    assert not Organisation.objects.exists()


def test_refused_without_reference_data():
    Country.objects.all().delete()
    with pytest.raises(CommandError, match="load_reference"):
        seed(force=True)
    assert not Organisation.objects.exists()


def test_home_page_shows_the_demo_network(client):
    seed(force=True)
    html = client.get("/en/").content.decode()
    approved = Organisation.objects.approved().count()
    assert str(approved) in html
