"""Stored suggestions (need ↔ offer pairs ranked by the engine) and dismissals.

Pages read these rows; the engine runs only in background tasks when a listing changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Suggestion(models.Model):
    need = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, related_name="offer_suggestions"
    )
    offer = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, related_name="need_suggestions"
    )
    # The same pair is ranked from both sides: the offer among the need's suggestions, and the
    # need among the offer's. A side is null when the pair is not in that side's top list.
    need_rank = models.PositiveSmallIntegerField(_("rank for the need"), null=True)
    need_score = models.FloatField(_("score for the need"), null=True)
    offer_rank = models.PositiveSmallIntegerField(_("rank for the offer"), null=True)
    offer_score = models.FloatField(_("score for the offer"), null=True)
    signals = models.JSONField(_("signals"), default=dict)
    explanation = models.JSONField(_("explanation"), default=dict)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.UniqueConstraint(fields=["need", "offer"], name="unique_suggestion_pair")
        ]
        indexes = [
            models.Index(fields=["need", "need_rank"]),
            models.Index(fields=["offer", "offer_rank"]),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ↔ {self.offer_id}"


class Dismissal(models.Model):
    """A member marked a suggestion as not relevant for one of their listings.

    Kept for good: the pair no longer shows on that listing, and the judgements later measure
    the precision of the suggestions.
    """

    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, related_name="dismissals"
    )
    other = models.ForeignKey("listings.Listing", on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dismissed"), auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [
            models.UniqueConstraint(fields=["listing", "other"], name="unique_dismissal")
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} ✕ {self.other_id}"


class MatchState(models.Model):
    """When a listing's suggestions were last computed: the periodic refresh picks up the rest."""

    listing = models.OneToOneField(
        "listings.Listing", on_delete=models.CASCADE, related_name="match_state"
    )
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("matching state")
        verbose_name_plural = _("matching states")

    def __str__(self) -> str:
        return f"{self.listing_id} @ {self.refreshed_at:%Y-%m-%d %H:%M}"
