"""Accounts, organisations, memberships and the vetted path into the platform."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wipomatch.core.models import TimeStampedModel

from .criteria import CRITERION_CHOICES


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, staff_role=User.StaffRole.ADMIN)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person. Signs in with an e-mail address; staff roles are facilitator and admin."""

    class StaffRole(models.TextChoices):
        NONE = "", _("None")
        FACILITATOR = "facilitator", _("Facilitator")
        ADMIN = "admin", _("Platform administrator")

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    staff_role = models.CharField(
        _("staff role"), max_length=16, choices=StaffRole.choices, blank=True, default=""
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@")[0]

    @property
    def is_facilitator(self) -> bool:
        """Facilitators review members and listings; platform admins can do all they can."""
        return self.is_active and (
            self.staff_role in (self.StaffRole.FACILITATOR, self.StaffRole.ADMIN)
            or self.is_superuser
        )

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and (self.staff_role == self.StaffRole.ADMIN or self.is_superuser)

    @property
    def is_staff_member(self) -> bool:
        return self.is_facilitator or self.is_staff


def good_standing_q(prefix: str = "") -> Q:
    """THE rule of standing, as a filter: an organisation is in good standing when it is an
    approved member (not pending, rejected or suspended). Whatever an organisation publishes
    (listings, stories, initiatives) is public only while it is; nothing else is rewritten on
    suspension, so reinstating brings back exactly what was published. `prefix` reaches the
    organisation from another model ("organisation__")."""
    return Q(**{f"{prefix}status": Organisation.Status.APPROVED})


class OrganisationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(good_standing_q())


class Organisation(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved member")
        REJECTED = "rejected", _("Not admitted")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    org_type = models.CharField(_("organisation type"), max_length=32)
    country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), max_length=4000)
    contact_email = models.EmailField(
        _("contact e-mail"),
        help_text=_("Shared with other members only after both sides agree to a contact."),
    )
    themes = models.JSONField(_("thematic areas"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    approved_at = models.DateTimeField(_("member since"), null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:organisation_detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def in_good_standing(self) -> bool:
        """`good_standing_q` for one organisation (members.permissions.organisation_in_good_standing)."""
        return self.is_approved


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        FOCAL_POINT = "focal_point", _("Focal point")
        CONTRIBUTOR = "contributor", _("Contributor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class MembershipApplication(TimeStampedModel):
    """An application for a new organisation's membership, reviewed by a facilitator."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        MORE_INFO = "more_info", _("More information requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    OPEN_STATUSES = (Status.SUBMITTED, Status.MORE_INFO)

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="application"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    motivation = models.TextField(_("why your organisation wants to join"), max_length=4000)
    accepted_code_of_conduct = models.BooleanField(_("accepts the code of conduct"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    decision_reason = models.TextField(_("reason given"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    possible_duplicates = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("possible duplicates")
    )

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_code_of_conduct=True), name="application_accepts_conduct"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def get_absolute_url(self) -> str:
        return reverse("members:application_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class CriterionAssessment(TimeStampedModel):
    application = models.ForeignKey(
        MembershipApplication, on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.CharField(_("criterion"), max_length=64, choices=CRITERION_CHOICES)
    met = models.BooleanField(_("met"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("criterion assessment")
        verbose_name_plural = _("criterion assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="unique_assessment_per_criterion"
            )
        ]


class JoinRequest(TimeStampedModel):
    """A registered person asks to join an existing member organisation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message to the focal point"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(TimeStampedModel):
    """A focal point invites a colleague by e-mail; the link adds them to the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role.choices, default="contributor"
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
