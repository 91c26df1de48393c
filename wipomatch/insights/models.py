"""Built reports. Insights stores only what it produces; it never writes other apps' data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wipomatch.core.models import TimeStampedModel


class Report(TimeStampedModel):
    """A periodic report of the platform's South-South and triangular work, built in the
    background. Files live under MEDIA_ROOT/reports/<id>-<secret>/ and are downloaded through a
    view that checks the reader is a facilitator."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    formats = models.JSONField(_("formats"), default=list)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=32, blank=True)
    error = models.TextField(_("error"), blank=True)
    files = models.JSONField(_("files"), default=dict, blank=True)  # format -> path in MEDIA_ROOT
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="insights_report_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="insights_report_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start} – {self.period_end} ({self.language})"
