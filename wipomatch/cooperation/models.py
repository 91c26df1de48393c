"""Cooperation initiatives: what two or more organisations do together after they agree.

An initiative has parties with roles; its modality (south-south, north-south, triangular, other)
and public-private flag are derived from them by `modality.derive_modality` and stored, so lists
filter on a column. A facilitator may override the derived modality with a reason. Results carry
indicators; progress reports, due on a cadence, record actual values.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wipomatch.core.models import TimeStampedModel
from wipomatch.members.models import good_standing_q

from . import modality as rule

LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]


class ActivityStatus(models.TextChoices):
    """The IATI ActivityStatus codelist (codes are the IATI codes)."""

    PIPELINE = "1", _("Pipeline/identification")
    IMPLEMENTATION = "2", _("Implementation")
    FINALISATION = "3", _("Finalisation")
    CLOSED = "4", _("Closed")
    CANCELLED = "5", _("Cancelled")
    SUSPENDED = "6", _("Suspended")


# Statuses in which progress reports are expected.
REPORTING_STATUSES = (
    ActivityStatus.PIPELINE,
    ActivityStatus.IMPLEMENTATION,
    ActivityStatus.FINALISATION,
)


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")


class Modality(models.TextChoices):
    SOUTH_SOUTH = rule.SOUTH_SOUTH, _("South-South")
    NORTH_SOUTH = rule.NORTH_SOUTH, _("North-South")
    TRIANGULAR = rule.TRIANGULAR, _("Triangular")
    OTHER = rule.OTHER, pgettext_lazy("modality", "Other")


class Cadence(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    SIX_MONTHLY = "six-monthly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


CADENCE_MONTHS = {Cadence.QUARTERLY: 3, Cadence.SIX_MONTHLY: 6, Cadence.YEARLY: 12}


class Role(models.TextChoices):
    BENEFICIARY = rule.BENEFICIARY, _("Beneficiary")
    PROVIDER = rule.PROVIDER, _("Provider")
    FUNDER = rule.FUNDER, _("Funder")
    IMPLEMENTING_PARTNER = rule.IMPLEMENTING_PARTNER, _("Implementing partner")
    FACILITATOR = rule.FACILITATOR, _("Facilitator")


class OrganisationType(models.TextChoices):
    """The platform's organisation types (taxonomy.json), each mapped to an IATI code on export."""

    IP_OFFICE = "ip-office", _("National or regional IP office")
    GOVERNMENT = "government", _("Government ministry or agency")
    PUBLIC_BODY = "public-body", _("Other public-sector body")
    ACADEMIA = "academia", _("University, academic, training or research institution")
    BUSINESS = "business", _("Company or SME")
    INDUSTRY_ASSOCIATION = (
        "industry-association",
        _("Industry or trade association, chamber of commerce"),
    )
    INNOVATION_HUB = "innovation-hub", _("Innovation hub, technology transfer office, incubator")
    NGO = "ngo", _("Non-governmental or civil-society organization")
    FOUNDATION = "foundation", _("Foundation or philanthropic donor")
    IGO = "igo", _("Intergovernmental or multilateral organization")
    PPP = "ppp", _("Public-private partnership entity")
    OTHER = "other", pgettext_lazy("organisation type", "Other")


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        """Published, whatever the standing of the organisation: NOT what the public sees."""
        return self.filter(review_status=ReviewStatus.PUBLISHED)

    def public(self):
        """What everyone may see on every surface (pages, API, IATI, sitemap, stories, exports):
        published initiatives whose responsible organisation (if any) is in good standing
        (`members.models.good_standing_q`; reinstating brings them back as they were)."""
        return self.filter(
            Q(organisation__isnull=True) | good_standing_q("organisation__"),
            review_status=ReviewStatus.PUBLISHED,
        )


class Initiative(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(
        _("description"),
        max_length=10000,
        blank=True,
        help_text=_("Markdown: paragraphs, lists, links, emphasis. HTML is removed."),
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="en")
    status = models.CharField(
        _("activity status"),
        max_length=1,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PIPELINE,
        db_index=True,
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    themes = models.ManyToManyField(
        "reference.VocabularyTerm",
        blank=True,
        related_name="initiatives_by_theme",
        verbose_name=_("thematic areas"),
        limit_choices_to={"kind": "themes"},
    )
    ip_areas = models.ManyToManyField(
        "reference.VocabularyTerm",
        blank=True,
        related_name="initiatives_by_ip_area",
        verbose_name=_("IP areas"),
        limit_choices_to={"kind": "ip_areas"},
    )
    sdg_goals = models.ManyToManyField(
        "reference.SdgGoal", blank=True, related_name="initiatives", verbose_name=_("SDG goals")
    )
    sdg_targets = models.ManyToManyField(
        "reference.SdgTarget",
        blank=True,
        related_name="initiatives",
        verbose_name=_("SDG targets"),
    )
    countries = models.ManyToManyField(
        "reference.Country",
        blank=True,
        related_name="initiatives",
        verbose_name=_("countries that benefit"),
    )
    regions = models.ManyToManyField(
        "reference.Region",
        blank=True,
        related_name="initiatives",
        verbose_name=_("regions that benefit"),
    )
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. USD.")
    )
    budget_funder = models.CharField(_("funded by"), max_length=200, blank=True)

    organisation = models.ForeignKey(
        "members.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives_owned",
        verbose_name=_("organisation responsible"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    source_case = models.OneToOneField(
        "brokering.MatchCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiative",
        verbose_name=_("the case it came from"),
    )

    review_status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_index=True,
    )
    review_comment = models.TextField(_("comments from the facilitator"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    modality = models.CharField(
        _("modality"),
        max_length=16,
        choices=Modality.choices,
        default=Modality.OTHER,
        db_index=True,
    )
    modality_derived = models.CharField(
        _("derived modality"), max_length=16, choices=Modality.choices, default=Modality.OTHER
    )
    modality_reason = models.JSONField(_("why this modality"), default=dict, blank=True)
    modality_override = models.CharField(
        _("modality set by a facilitator"), max_length=16, choices=Modality.choices, blank=True
    )
    modality_override_reason = models.TextField(
        _("reason for the override"), max_length=2000, blank=True
    )
    ppp = models.BooleanField(_("public-private partnership"), default=False, db_index=True)

    reporting_cadence = models.CharField(
        _("reporting cadence"), max_length=16, choices=Cadence.choices, default=Cadence.SIX_MONTHLY
    )
    next_report_due = models.DateField(_("next report due"), null=True, blank=True, db_index=True)
    overdue_since = models.DateField(_("report overdue since"), null=True, blank=True)
    missed_reports = models.PositiveSmallIntegerField(_("reports missed in a row"), default=0)
    inactive = models.BooleanField(_("inactive"), default=False, db_index=True)
    reminded_14_for = models.DateField(null=True, blank=True, editable=False)
    reminded_3_for = models.DateField(null=True, blank=True, editable=False)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="initiative_planned_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_end__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="initiative_actual_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="initiative_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(modality_override="") | Q(modality=models.F("modality_derived")),
                name="initiative_modality_is_derived_unless_overridden",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.review_status == ReviewStatus.PUBLISHED

    @property
    def owner_in_good_standing(self) -> bool:
        return self.organisation_id is None or self.organisation.in_good_standing

    @property
    def is_public(self) -> bool:
        """`InitiativeQuerySet.public` for one initiative."""
        return self.is_published and self.owner_in_good_standing

    @property
    def modality_overridden(self) -> bool:
        return bool(self.modality_override)

    @property
    def modality_explanation(self) -> str:
        """Why the derived modality, in the active language."""
        from .selectors import render_reason

        return render_reason(self.modality_reason)

    @property
    def year(self) -> int | None:
        start = self.actual_start or self.planned_start
        return start.year if start else None


class Party(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "members.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiative_parties",
        verbose_name=_("member organisation"),
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("For an organisation that is not a member of the platform."),
    )
    country = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiative_parties",
        verbose_name=_("country"),
        help_text=_("None for an intergovernmental organisation."),
    )
    organisation_type = models.CharField(
        _("organisation type"), max_length=32, choices=OrganisationType.choices
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""),
                name="party_is_member_or_named",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.name


class Result(models.Model):
    class Type(models.TextChoices):
        """IATI ResultType codes."""

        OUTPUT = "1", _("Output")
        OUTCOME = "2", _("Outcome")
        IMPACT = "3", _("Impact")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="results")
    result_type = models.CharField(_("type"), max_length=1, choices=Type.choices)
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("e.g. people trained, %"))
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(TimeStampedModel):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    narrative = models.TextField(_("what happened"), max_length=6000)
    challenges = models.TextField(_("challenges"), max_length=3000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=3000, blank=True)
    status_change = models.CharField(
        _("new activity status"), max_length=1, choices=ActivityStatus.choices, blank=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = models.TextField(_("comments from the facilitator"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} {self.period_start}–{self.period_end}"


class IndicatorActual(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="actuals")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    value = models.DecimalField(_("actual value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("actual value")
        verbose_name_plural = _("actual values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_actual_per_report")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"
