"""Demo content for `manage.py seed_demo`: fictional organisations and one account per role.

The organisations are invented (any likeness to a real body is a matter of its plausible name),
their websites are under example.org and their descriptions are written in the language a real
member from that country would use. Everything is created through the membership services
(application → assessment against every published criterion → approval), so each demo
organisation has the same audit trail as a real one.

The organisations, the pending applications and the motivations are data, in
`demo_data/organisations.yml`, read by `load_demo_data()`; the five demo accounts are below.

Seeding is idempotent: a demo organisation exists when its focal point already belongs to an
organisation or has applied, and then nothing is done for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Count, Q

from wipomatch.core.demo import background_work_held_back
from wipomatch.reference.models import Country

from . import services
from .criteria import CRITERIA
from .models import Membership, MembershipApplication, Organisation, User

DEMO_PASSWORD = "demo-pass-2026"
DEMO_DOMAIN = "demo.wipomatch.org"

APPLICANT_EMAIL = f"applicant@{DEMO_DOMAIN}"
CONTRIBUTOR_EMAIL = f"contributor@{DEMO_DOMAIN}"
FOCAL_EMAIL = f"focal@{DEMO_DOMAIN}"
FACILITATOR_EMAIL = f"facilitator@{DEMO_DOMAIN}"
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str  # shown in the README table and in the command's output
    staff_role: str = ""
    superuser: bool = False


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(APPLICANT_EMAIL, "Awa Ndiaye", "visitor with a pending application"),
    DemoAccount(CONTRIBUTOR_EMAIL, "Peter Otieno", "contributor"),
    DemoAccount(FOCAL_EMAIL, "Grace Wanjiru", "focal point"),
    DemoAccount(
        FACILITATOR_EMAIL,
        "Lucía Fernández",
        "facilitator",
        staff_role=User.StaffRole.FACILITATOR,
    ),
    DemoAccount(
        ADMIN_EMAIL,
        "Tomasz Kowalski",
        "platform admin",
        staff_role=User.StaffRole.ADMIN,
        superuser=True,
    ),
)


@dataclass(frozen=True)
class DemoOrganisation:
    key: str  # stable identifier: the focal point is focal.<key>@demo.wipomatch.org
    name: str
    org_type: str
    country: str  # ISO alpha-2
    language: str  # of the description, and the focal point's preferred language
    person: str  # the focal point's name
    description: str
    themes: tuple[str, ...] = ()
    acronym: str = ""
    focal_email: str = ""  # when the focal point is one of the demo accounts

    @property
    def email(self) -> str:
        return self.focal_email or f"focal.{self.key}@{DEMO_DOMAIN}"

    @property
    def website(self) -> str:
        return f"https://{self.key}.example.org"

    @property
    def contact_email(self) -> str:
        return f"contact@{self.key}.example.org"


@dataclass(frozen=True)
class DemoApplication:
    """An application left open, so that the review queue has work in it."""

    organisation: DemoOrganisation
    applicant_email: str
    request_info: str = ""  # a facilitator's question, when more information is asked for


DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "organisations.yml"


def _organisation(values: dict) -> DemoOrganisation:
    return DemoOrganisation(**{**values, "themes": tuple(values.get("themes", ()))})


@lru_cache(maxsize=1)
def load_demo_data(path: Path = DATA_FILE) -> DemoData:
    """The demo organisations, pending applications and motivations of `demo_data/`."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    return DemoData(
        motivations=dict(content["motivations"]),
        organisations=tuple(_organisation(o) for o in content["organisations"]),
        pending_applications=tuple(
            DemoApplication(**{**a, "organisation": _organisation(a["organisation"])})
            for a in content["pending_applications"]
        ),
    )


@dataclass(frozen=True)
class DemoData:
    motivations: dict[str, str]  # why an organisation wants to join, per language
    organisations: tuple[DemoOrganisation, ...]
    pending_applications: tuple[DemoApplication, ...]


# --- Seeding ------------------------------------------------------------------------------------


class ReferenceDataMissing(Exception):
    pass


@dataclass
class SeedReport:
    created_accounts: list[str] = field(default_factory=list)
    created_organisations: list[str] = field(default_factory=list)
    created_applications: list[str] = field(default_factory=list)
    created_memberships: list[str] = field(default_factory=list)
    skipped: int = 0
    figures: dict[str, int] = field(default_factory=dict)

    @property
    def created_anything(self) -> bool:
        return bool(
            self.created_accounts
            or self.created_organisations
            or self.created_applications
            or self.created_memberships
        )


def _create_user(
    *,
    email: str,
    full_name: str,
    language: str = "en",
    password: str | None = None,
    staff_role: str = "",
    superuser: bool = False,
) -> User:
    # password=None gives an unusable password: the people behind the demo organisations never
    # sign in, only the five demo accounts do.
    extra = {"full_name": full_name, "preferred_language": language}
    if superuser:
        user = User.objects.create_superuser(email, password, **extra)
    else:
        user = User.objects.create_user(email, password, staff_role=staff_role, **extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _submit(org: DemoOrganisation, user: User, countries: dict[str, Country]):
    return services.application_submit(
        user=user,
        name=org.name,
        acronym=org.acronym,
        org_type=org.org_type,
        country=countries[org.country],
        website=org.website,
        description=org.description,
        contact_email=org.contact_email,
        themes=list(org.themes),
        motivation=load_demo_data().motivations[org.language],
        accepted_code_of_conduct=True,
    )


def _admit(org: DemoOrganisation, user: User, facilitator: User, countries) -> None:
    application = _submit(org, user, countries)
    services.application_assess(
        facilitator=facilitator,
        application=application,
        assessments={
            criterion.slug: (True, "Checked against the organisation's website and documents.")
            for criterion in CRITERIA
        },
    )
    services.application_approve(
        facilitator=facilitator,
        application=application,
        reason="Meets every membership criterion.",
    )


def _summary_figures() -> dict[str, int]:
    demo = Organisation.objects.filter(memberships__user__email__endswith=f"@{DEMO_DOMAIN}")
    approved = demo.filter(status=Organisation.Status.APPROVED).distinct()
    figures = approved.aggregate(
        organisations=Count("pk", distinct=True),
        countries=Count("country", distinct=True),
        regions=Count("country__region", distinct=True),
        ldc_organisations=Count("pk", filter=Q(country__ldc=True), distinct=True),
        organisation_types=Count("org_type", distinct=True),
    )
    figures["pending_applications"] = MembershipApplication.objects.filter(
        applicant__email__endswith=f"@{DEMO_DOMAIN}",
        status__in=MembershipApplication.OPEN_STATUSES,
    ).count()
    return figures


def seed_demo(*, log: Callable[[str], None] = lambda message: None) -> SeedReport:
    """Create whatever part of the demo content is missing; return what was created.

    Call it outside any transaction (as the command does): each organisation is committed on its
    own, so the e-mails its services queue on commit are dropped inside the hold-back.
    """
    report = SeedReport()
    data = load_demo_data()
    codes = {o.country for o in data.organisations} | {
        a.organisation.country for a in data.pending_applications
    }
    countries = {c.iso2: c for c in Country.objects.filter(iso2__in=codes)}
    missing = sorted(codes - set(countries))
    if missing:
        raise ReferenceDataMissing(
            f"Reference data is missing (countries {', '.join(missing)}). "
            "Run `manage.py load_reference` first."
        )

    org_emails = [o.email for o in data.organisations] + [
        a.applicant_email for a in data.pending_applications
    ]
    all_emails = [a.email for a in ACCOUNTS] + org_emails
    users = {u.email: u for u in User.objects.filter(email__in=all_emails)}
    # A demo person who already belongs somewhere or has applied has been seeded.
    settled = set(
        User.objects.filter(email__in=org_emails)
        .filter(Q(memberships__isnull=False) | Q(applications__isnull=False))
        .values_list("email", flat=True)
    )

    with background_work_held_back() as backend:
        for account in ACCOUNTS:
            if account.email in users:
                continue
            users[account.email] = _create_user(
                email=account.email,
                full_name=account.full_name,
                password=DEMO_PASSWORD,
                staff_role=account.staff_role,
                superuser=account.superuser,
            )
            report.created_accounts.append(account.email)
            log(f"  + account {account.email} ({account.role})")
        facilitator = users[FACILITATOR_EMAIL]

        for org in data.organisations:
            if org.email in settled:
                report.skipped += 1
                continue
            with transaction.atomic():
                user = users.get(org.email) or _create_user(
                    email=org.email, full_name=org.person, language=org.language
                )
                users[org.email] = user
                _admit(org, user, facilitator, countries)
            report.created_organisations.append(org.name)
            log(f"  + {org.name} ({org.country})")

        _seed_contributor(users, report, log)

        for pending in data.pending_applications:
            if pending.applicant_email in settled:
                report.skipped += 1
                continue
            org = pending.organisation
            with transaction.atomic():
                user = users.get(pending.applicant_email)
                if user is None:
                    user = _create_user(
                        email=pending.applicant_email, full_name=org.person, language=org.language
                    )
                application = _submit(org, user, countries)
                if pending.request_info:
                    services.application_request_info(
                        facilitator=facilitator,
                        application=application,
                        reason=pending.request_info,
                    )
            report.created_applications.append(org.name)
            log(f"  + application of {org.name} ({org.country}), left open for review")
        if backend.dropped:
            log(f"  {backend.dropped} notification e-mails were not sent (demo addresses).")

    report.figures = _summary_figures()
    return report


def _seed_contributor(users: dict[str, User], report: SeedReport, log) -> None:
    """contributor@ joins focal@'s organisation the way a colleague would: asks, and is approved."""
    contributor, focal = users[CONTRIBUTOR_EMAIL], users[FOCAL_EMAIL]
    if Membership.objects.filter(user=contributor).exists():
        return
    membership = Membership.objects.filter(user=focal).select_related("organisation").first()
    if membership is None:
        return
    with transaction.atomic():
        join_request = services.join_request_create(
            user=contributor,
            organisation=membership.organisation,
            message="I coordinate our licensing projects and would like to post our offers.",
        )
        services.join_request_approve(actor=focal, join_request=join_request)
    report.created_memberships.append(contributor.email)
    log(f"  + {contributor.email} joined {membership.organisation.name} as contributor")
