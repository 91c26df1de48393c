"""Match cases: a need and an offer (or a contact request about any published object) moving
from interest to mutual consent to an outcome, with internal notes and the two sides' ratings.

Contacts of the people behind each side are released only once the case reaches `mutual`.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wipomatch.core.models import TimeStampedModel


class CaseKind(models.TextChoices):
    MATCH = "match", _("Match between a need and an offer")
    CONTACT = "contact", _("Contact request")


class CaseState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by a facilitator")
    INTEREST = "interest", _("Interest expressed")
    MUTUAL = "mutual", _("Mutual interest")
    AGREEMENT = "agreement", _("Agreement")
    NO_AGREEMENT = "no_agreement", _("No agreement")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Lapsed")


OPEN_STATES = (CaseState.PROPOSED, CaseState.INTEREST, CaseState.MUTUAL)
AWAITING_ANSWER_STATES = (CaseState.PROPOSED, CaseState.INTEREST)
CLOSED_STATES = (CaseState.AGREEMENT, CaseState.NO_AGREEMENT)
REOPENABLE_STATES = (CaseState.DECLINED, CaseState.LAPSED)


class InitiatedBy(models.TextChoices):
    NEED = "need", _("The need's organisation")
    OFFER = "offer", _("The offer's organisation")
    FACILITATOR = "facilitator", _("A facilitator")


class DeclineReason(models.TextChoices):
    NOT_RELEVANT = "not_relevant", _("Not relevant")
    NO_CAPACITY = "no_capacity", _("No capacity now")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    NO_AGREEMENT = "no_agreement", _("No agreement")


class MatchCaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def for_organisation(self, organisation_id):
        return self.filter(
            Q(requesting_organisation_id=organisation_id)
            | Q(receiving_organisation_id=organisation_id)
        )


class MatchCase(TimeStampedModel):
    kind = models.CharField(
        _("kind"), max_length=8, choices=CaseKind.choices, default=CaseKind.MATCH
    )
    need = models.ForeignKey(
        "listings.Listing",
        verbose_name=_("need"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cases_as_need",
    )
    offer = models.ForeignKey(
        "listings.Listing",
        verbose_name=_("offer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cases_as_offer",
    )
    # What a contact request is about (a story, an initiative...); null for matches.
    subject_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_object_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_content_type", "subject_object_id")
    # For a match: the initiating side's organisation and the other side's (for a facilitator's
    # proposal: the need's organisation and the offer's). For a contact request: who asks, who
    # is asked.
    requesting_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("requesting organisation"),
        on_delete=models.CASCADE,
        related_name="cases_requested",
    )
    receiving_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("receiving organisation"),
        on_delete=models.CASCADE,
        related_name="cases_received",
    )
    state = models.CharField(_("state"), max_length=16, choices=CaseState.choices, db_index=True)
    initiated_by = models.CharField(_("initiated by"), max_length=12, choices=InitiatedBy.choices)
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("initiator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    answer_message = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A facilitator's proposal needs the consent of both sides.
    need_side_accepted_at = models.DateTimeField(null=True, blank=True)
    offer_side_accepted_at = models.DateTimeField(null=True, blank=True)
    mutual_at = models.DateTimeField(_("mutual interest since"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=16, choices=DeclineReason.choices, blank=True
    )
    decline_comment = models.TextField(_("comment"), max_length=2000, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True, db_index=True)
    follow_up_reminded_on = models.DateField(null=True, blank=True, editable=False)
    outcome_note = models.TextField(_("outcome"), max_length=4000, blank=True)
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminded_7_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_21_at = models.DateTimeField(null=True, blank=True, editable=False)
    lapsed_at = models.DateTimeField(_("lapsed"), null=True, blank=True)
    # When the interest was (re)opened: reminders and lapse count from here.
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)

    objects = MatchCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("match case")
        verbose_name_plural = _("match cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-created_at"]),
            models.Index(fields=["requesting_organisation", "state"]),
            models.Index(fields=["receiving_organisation", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "offer"],
                condition=Q(state__in=["proposed", "interest", "mutual"]),
                name="one_open_case_per_pair",
            ),
            models.UniqueConstraint(
                fields=["requesting_organisation", "subject_content_type", "subject_object_id"],
                condition=Q(kind="contact", state__in=["proposed", "interest", "mutual"]),
                name="one_open_contact_request_per_subject",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="match", need__isnull=False, offer__isnull=False)
                    | Q(kind="contact", subject_content_type__isnull=False)
                ),
                name="case_kind_has_its_objects",
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "proposed",
                        "interest",
                        "mutual",
                        "agreement",
                        "no_agreement",
                        "declined",
                        "withdrawn",
                        "lapsed",
                    ]
                ),
                name="case_state_valid",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == CaseKind.MATCH:
            return f"#{self.pk}: {self.need_id} ↔ {self.offer_id}"
        return f"#{self.pk}: {self.requesting_organisation_id} → {self.receiving_organisation_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("brokering:case_detail", args=[self.pk])

    def conversation_title(self) -> str:
        """How the conversation page names its subject (no people, only organisations)."""
        return _("Case #%(number)s: %(requesting)s and %(receiving)s") % {
            "number": self.pk,
            "requesting": self.requesting_organisation.name,
            "receiving": self.receiving_organisation.name,
        }

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES

    @property
    def organisation_ids(self) -> set[int]:
        return {self.requesting_organisation_id, self.receiving_organisation_id}


class CaseNote(models.Model):
    """An internal note on a case: facilitators only, members never see it."""

    case = models.ForeignKey(MatchCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.body[:40]}"


class CaseRating(models.Model):
    """One side's satisfaction with a closed case (1 to 5), one per organisation per case."""

    case = models.ForeignKey(MatchCase, on_delete=models.CASCADE, related_name="ratings")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="case_ratings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("rated"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="one_rating_per_side"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.score}"
