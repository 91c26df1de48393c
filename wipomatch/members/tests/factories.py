"""Factories for people, organisations and applications. They need the reference data (the
`db` fixture loads it once per session, see wipomatch/conftest.py)."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from wipomatch.reference.models import Country

from ..models import Invitation, JoinRequest, Membership, MembershipApplication, Organisation, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A registered person whose e-mail address is verified (allauth lets them sign in)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    preferred_language = "en"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class FacilitatorFactory(UserFactory):
    """A WIPO facilitator with TOTP activated, so the staff 2FA middleware lets them through.
    `totp=False` gives one who has not set it up yet."""

    staff_role = User.StaffRole.FACILITATOR

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(obj, generate_totp_secret())


class AdminFactory(FacilitatorFactory):
    staff_role = User.StaffRole.ADMIN
    is_staff = True
    is_superuser = True


def country(iso2: str = "SN") -> Country:
    return Country.objects.get(iso2=iso2)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An approved member organisation in a real country of the reference data."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n:03d}")
    acronym = ""
    org_type = "ip-office"
    country = factory.LazyFunction(country)
    website = "https://www.example.org"
    description = factory.Faker("paragraph")
    contact_email = factory.Sequence(lambda n: f"contact{n}@org.example.org")
    themes = factory.LazyFunction(lambda: ["public-health"])
    status = Organisation.Status.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.CONTRIBUTOR


class FocalPointFactory(MembershipFactory):
    role = Membership.Role.FOCAL_POINT


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An open application for a new (pending) organisation."""

    class Meta:
        model = MembershipApplication

    organisation = factory.SubFactory(
        OrganisationFactory, status=Organisation.Status.PENDING, approved_at=None
    )
    applicant = factory.SubFactory(UserFactory)
    motivation = "We want to share our experience of IP management with other offices."
    accepted_code_of_conduct = True
    status = MembershipApplication.Status.SUBMITTED


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    message = "I run the licensing unit."


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.CONTRIBUTOR
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
