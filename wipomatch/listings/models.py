"""Needs (requests for assistance) and offers (resources), one table with a `kind`.

One table because both sides share the lifecycle, the facets, search and matching; `Need` and
`Offer` are proxies for readable code. Facet terms of every vocabulary hang off one through
table (`ListingTerm`), so a single GROUP BY gives the counts of all facets at once. `coverage`
materialises where a listing applies (a need's countries; the countries an offer can be delivered
to, regions expanded) so that country, region and LDC filters are plain joins.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wipomatch.core.models import TimeStampedModel
from wipomatch.members.models import good_standing_q
from wipomatch.reference.models import VocabularyTerm

# ISO 639-1 codes, as in the matching benchmark; the UI calls Chinese "zh-hans".
LISTING_LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LANGUAGE_CODES = [code for code, _label in LISTING_LANGUAGES]


def ui_to_listing_language(ui_code: str) -> str:
    code = (ui_code or "en").lower()
    return "zh" if code.startswith("zh") else code.split("-")[0]


class Kind(models.TextChoices):
    NEED = "need", _("Need")
    OFFER = "offer", _("Offer")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class ClosedReason(models.TextChoices):
    FULFILLED = "fulfilled", _("Fulfilled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses in which the owner may still edit the content.
EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED, Status.PUBLISHED, Status.EXPIRED)


class ListingQuerySet(models.QuerySet):
    def needs(self):
        return self.filter(kind=Kind.NEED)

    def offers(self):
        return self.filter(kind=Kind.OFFER)

    def published(self):
        """Published, whatever the standing of the organisation: NOT what the public sees."""
        return self.filter(status=Status.PUBLISHED)

    def public(self):
        """What everyone may see, on every surface (pages, API, search and facets, suggestions,
        feeds, sitemap, exports, hubs): published listings of organisations in good standing
        (`members.models.good_standing_q`). Suspension rewrites no status, so reinstating
        brings back exactly what was published."""
        return self.filter(good_standing_q("organisation__"), status=Status.PUBLISHED)

    def with_term(self, kind: str, slug: str):
        return self.filter(
            pk__in=ListingTerm.objects.filter(term__kind=kind, term__slug=slug).values("listing")
        )


class Listing(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="listings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=500,
        help_text=_("One or two sentences shown to everyone, including visitors."),
    )
    description = models.TextField(
        _("description"),
        max_length=6000,
        help_text=_("The full details, shown to members of the platform."),
    )
    language = models.CharField(
        _("language of the listing"), max_length=2, choices=LISTING_LANGUAGES
    )
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("Optional title and summary in other UN languages."),
    )
    terms = models.ManyToManyField(
        VocabularyTerm, through="ListingTerm", related_name="listings", blank=True
    )
    countries = models.ManyToManyField(
        "reference.Country",
        blank=True,
        related_name="listings",
        verbose_name=_("countries"),
    )
    regions = models.ManyToManyField(
        "reference.Region", blank=True, related_name="listings", verbose_name=_("regions")
    )
    worldwide = models.BooleanField(_("worldwide"), default=False)
    coverage = models.ManyToManyField(
        "reference.Country", blank=True, related_name="covering_listings", editable=False
    )
    delivery_languages = models.JSONField(_("languages of delivery"), default=list, blank=True)
    # "|en|fr|": lets every database filter by language with a plain LIKE.
    language_index = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    budget_min = models.PositiveIntegerField(_("budget from"), null=True, blank=True)
    budget_max = models.PositiveIntegerField(_("budget up to"), null=True, blank=True)
    budget_currency = models.CharField(_("currency"), max_length=3, blank=True)
    sdg_goals = models.ManyToManyField(
        "reference.SdgGoal", blank=True, related_name="listings", verbose_name=_("SDG goals")
    )
    sdg_targets = models.ManyToManyField(
        "reference.SdgTarget", blank=True, related_name="listings", verbose_name=_("SDG targets")
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    closed_reason = models.CharField(
        _("reason for closing"), max_length=16, choices=ClosedReason.choices, blank=True
    )
    review_comment = models.TextField(_("comments from the facilitator"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    content_updated_at = models.DateTimeField(_("content last updated"), default=timezone.now)
    # When a facilitator last approved the content (publication or accepted revision); a
    # renewal republishes at once only if the content did not change since.
    reviewed_at = models.DateTimeField(_("content last reviewed"), null=True, blank=True)
    reminded_30_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_7_at = models.DateTimeField(null=True, blank=True, editable=False)
    stale_prompted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Multilingual sentence embedding of title + summary + description (float32 bytes), stored
    # so that search and matching never re-embed a listing per request.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=64, blank=True, editable=False)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "status", "-published_at"]),
            models.Index(fields=["kind", "status", "expires_at"]),
            # Search caches check MAX(updated_at) per kind on every request.
            models.Index(fields=["kind", "updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="listing_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_max__gte=models.F("budget_min")),
                name="listing_budget_in_order",
            ),
            models.CheckConstraint(
                condition=Q(kind="offer")
                | (Q(budget_min__isnull=True) & Q(budget_max__isnull=True)),
                name="listing_budget_only_on_offers",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"listings:{self.kind}_detail", args=[self.pk])

    @property
    def is_need(self) -> bool:
        return self.kind == Kind.NEED

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        """`ListingQuerySet.public` for one listing."""
        return self.is_published and self.organisation.in_good_standing

    def _slugs(self, kind: str) -> list[str]:
        # Uses the prefetched terms when the selector prefetched them.
        return [t.slug for t in self.terms.all() if t.kind == kind]

    def terms_of(self, kind: str) -> list[VocabularyTerm]:
        return [t for t in self.terms.all() if t.kind == kind]

    @property
    def themes(self) -> list[str]:
        return self._slugs(VocabularyTerm.Kind.THEME)

    @property
    def ip_areas(self) -> list[str]:
        return self._slugs(VocabularyTerm.Kind.IP_AREA)

    @property
    def assistance_types(self) -> list[str]:
        return self._slugs(VocabularyTerm.Kind.ASSISTANCE_TYPE)

    @property
    def resource_types(self) -> list[str]:
        return self._slugs(VocabularyTerm.Kind.RESOURCE_TYPE)

    @property
    def modalities(self) -> list[str]:
        return self._slugs(VocabularyTerm.Kind.MODALITY)

    @property
    def display_title(self) -> str:
        """The title in the reader's language when a translation was given."""
        lang = ui_to_listing_language(get_language() or "en")
        return (self.translations.get(lang) or {}).get("title") or self.title

    @property
    def display_summary(self) -> str:
        lang = ui_to_listing_language(get_language() or "en")
        return (self.translations.get(lang) or {}).get("summary") or self.summary


class ListingTerm(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="listing_terms")
    term = models.ForeignKey(VocabularyTerm, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["listing", "term"], name="unique_listing_term")
        ]
        indexes = [models.Index(fields=["term", "listing"])]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.term_id}"


class NeedManager(models.Manager.from_queryset(ListingQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Kind.NEED)


class OfferManager(models.Manager.from_queryset(ListingQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Kind.OFFER)


class Need(Listing):
    objects = NeedManager()

    class Meta:
        proxy = True
        verbose_name = _("need")
        verbose_name_plural = _("needs")


class Offer(Listing):
    objects = OfferManager()

    class Meta:
        proxy = True
        verbose_name = _("offer")
        verbose_name_plural = _("offers")


# What a member may change on a published listing without review (`ListingData` names):
# everything else (title, summary, description, language, translations, facets, where it
# applies, SDGs, budget) is substantive and goes through a `ListingRevision`.
DIRECT_FIELDS = ("start_date", "end_date", "delivery_languages")


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ListingRevision(TimeStampedModel):
    """Substantive changes proposed to a published listing: the approved version stays public
    until a facilitator accepts them. One pending revision per listing (a new edit updates it)."""

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("listing")
    )
    # The whole proposed content, as `ListingData` (dates in ISO format).
    proposed = models.JSONField(_("proposed content"))
    # Names of the `ListingData` fields that differ from the live version when proposed.
    fields = models.JSONField(_("changed fields"), default=list)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RevisionStatus.choices,
        default=RevisionStatus.PENDING,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("listing revision")
        verbose_name_plural = _("listing revisions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing"],
                condition=Q(status="pending"),
                name="one_pending_revision_per_listing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("listings:revision_review", args=[self.pk])
