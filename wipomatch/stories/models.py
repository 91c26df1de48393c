"""Success stories, best practices and lessons learned.

A story is written in one language; its versions in other languages share a `group` (one row per
language, each reviewed on its own). Themes and IP areas are vocabulary terms, countries and SDGs
reference data, so the facets mean the same thing as on needs and offers. The body is markdown,
stored as typed and rendered through the sanitiser (`rendering.render_markdown`) on output.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wipomatch.core.models import TimeStampedModel
from wipomatch.listings.models import LISTING_LANGUAGES
from wipomatch.members.models import good_standing_q
from wipomatch.reference.models import VocabularyTerm

STORY_LANGUAGES = LISTING_LANGUAGES


class Kind(models.TextChoices):
    SUCCESS_STORY = "success_story", _("Success story")
    BEST_PRACTICE = "best_practice", _("Best practice")
    LESSON_LEARNED = "lesson_learned", _("Lesson learned")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


# Statuses in which the authors may still change the text.
EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED, Status.PUBLISHED)


class StoryQuerySet(models.QuerySet):
    def published(self):
        """Published, whatever the standing of the organisation: NOT what the public sees."""
        return self.filter(status=Status.PUBLISHED)

    def public(self):
        """What everyone may see on every surface (pages, API, feeds, sitemap, hubs, exports):
        published stories of an organisation in good standing (`members.models.good_standing_q`;
        reinstating brings them back as they were)."""
        return self.filter(good_standing_q("organisation__"), status=Status.PUBLISHED)


class Story(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=500,
        help_text=_("One or two sentences shown in lists and when the story is shared."),
    )
    body = models.TextField(
        _("story"),
        max_length=20000,
        help_text=_("Markdown: headings, lists, links, emphasis. No HTML."),
    )
    language = models.CharField(_("language"), max_length=2, choices=STORY_LANGUAGES)
    # Language versions of one story share a group; one version per language.
    group = models.UUIDField(_("translation group"), default=uuid.uuid4, db_index=True)
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="stories",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    organisations_involved = models.ManyToManyField(
        "members.Organisation",
        verbose_name=_("organisations involved"),
        blank=True,
        related_name="stories_involved_in",
    )
    terms = models.ManyToManyField(
        VocabularyTerm, verbose_name=_("themes and IP areas"), blank=True, related_name="stories"
    )
    countries = models.ManyToManyField(
        "reference.Country", verbose_name=_("countries"), blank=True, related_name="stories"
    )
    sdg_goals = models.ManyToManyField(
        "reference.SdgGoal", verbose_name=_("SDG goals"), blank=True, related_name="stories"
    )
    initiatives = models.ManyToManyField(
        "cooperation.Initiative",
        verbose_name=_("initiatives"),
        blank=True,
        related_name="stories",
        help_text=_("The cooperation initiatives this story comes from."),
    )
    cases = models.ManyToManyField(
        "brokering.MatchCase",
        verbose_name=_("brokering cases"),
        blank=True,
        related_name="stories",
        help_text=_(
            "The brokering cases this story comes from; shown only to those who may see each case."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_comment = models.TextField(_("comments from the facilitator"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    # Multilingual embedding of title + summary + body (float32 bytes), computed in the
    # background with the catalogue's encoder so that search never embeds a story per request.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=64, blank=True, editable=False)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "language"], name="one_story_version_per_language"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_story_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        """`StoryQuerySet.public` for one story."""
        return self.is_published and self.organisation.in_good_standing

    def terms_of(self, kind: str) -> list[VocabularyTerm]:
        # Uses prefetched terms when the selector prefetched them.
        return [t for t in self.terms.all() if t.kind == kind]

    @property
    def themes(self) -> list[VocabularyTerm]:
        return self.terms_of(VocabularyTerm.Kind.THEME)

    @property
    def ip_areas(self) -> list[VocabularyTerm]:
        return self.terms_of(VocabularyTerm.Kind.IP_AREA)


class KeyResult(models.Model):
    """A figure the story can show: "1,200 | farmers | registered under the new label"."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="key_results")
    figure = models.DecimalField(_("figure"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    label = models.CharField(_("what it measures"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("key result")
        verbose_name_plural = _("key results")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.figure} {self.unit} {self.label}".strip()

    @property
    def figure_display(self):
        """12.00 → 12; 12.50 stays 12.5."""
        value = self.figure.normalize()
        return value.quantize(1) if value == value.to_integral() else value


def _image_path(instance, filename: str) -> str:
    # The name is chosen here, never taken from the upload; the extension follows the re-encoding.
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"stories/{uuid.uuid4().hex}.{ext}"


class StoryImage(TimeStampedModel):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="images")
    file = models.ImageField(
        _("image"), upload_to=_image_path, width_field="width", height_field="height"
    )
    alt_text = models.CharField(
        _("text alternative"),
        max_length=300,
        help_text=_("Describe the picture for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="story_image_has_alt_text")
        ]

    def __str__(self) -> str:
        return self.alt_text
