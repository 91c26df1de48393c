"""Reference data: countries and M49 groupings, the platform's vocabularies, SDGs, IATI codes.

Names are stored per UN language (`names` = {"en": ..., "fr": ..., "zh-hans": ...}) because the
source files publish them that way; `name` picks the active language and falls back to English.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


def _pick(names: dict, fallback: str = "") -> str:
    lang = (get_language() or "en").lower()
    return names.get(lang) or names.get(lang.split("-")[0]) or names.get("en") or fallback


class Region(models.Model):
    """A UN M49 region, sub-region or intermediate region."""

    class Level(models.TextChoices):
        REGION = "region", _("Region")
        SUBREGION = "subregion", _("Sub-region")
        INTERMEDIATE = "intermediate", _("Intermediate region")

    code = models.CharField(_("M49 code"), max_length=3, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    names = models.JSONField(_("names"), default=dict)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self.names, self.code)


class Country(models.Model):
    iso2 = models.CharField(_("ISO alpha-2 code"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO alpha-3 code"), max_length=3, blank=True)
    m49 = models.CharField(_("M49 code"), max_length=3, blank=True)
    names = models.JSONField(_("names"), default=dict)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subregion = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intermediate_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ldc = models.BooleanField(_("least developed country (LDC)"), default=False)
    lldc = models.BooleanField(_("landlocked developing country (LLDC)"), default=False)
    sids = models.BooleanField(_("small island developing State (SIDS)"), default=False)
    global_south = models.BooleanField(
        _("Global South"),
        default=False,
        help_text=_(
            "Seeded from the legacy UN M49 developing designation; decides South-South and "
            "triangular modality. Changes are audited."
        ),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["iso2"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self.names, self.iso2)

    @property
    def region_codes(self) -> list[str]:
        """M49 codes of every grouping the country lies in, broadest first."""
        return [
            r.code for r in (self.region, self.subregion, self.intermediate_region) if r is not None
        ]


class VocabularyTerm(models.Model):
    """One term of a controlled vocabulary of taxonomy.json (theme, IP area, ...)."""

    class Kind(models.TextChoices):
        THEME = "themes", _("Thematic area")
        IP_AREA = "ip_areas", _("IP area")
        ASSISTANCE_TYPE = "assistance_types", _("Assistance type")
        RESOURCE_TYPE = "resource_types", _("Resource type")
        MODALITY = "cooperation_modalities", _("Cooperation modality")
        ORGANISATION_TYPE = "organisation_types", _("Organisation type")

    kind = models.CharField(_("vocabulary"), max_length=32, choices=Kind.choices)
    slug = models.SlugField(_("slug"), max_length=64)
    label = models.CharField(_("English label"), max_length=200)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_('Labels in other languages for terms added by staff, e.g. {"fr": "..."}.'),
    )
    iati_code = models.CharField(_("IATI code"), max_length=8, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("vocabulary term")
        verbose_name_plural = _("vocabulary terms")
        ordering = ["kind", "position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="unique_vocabulary_slug")
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        lang = (get_language() or "en").lower()
        return self.translations.get(lang) or gettext(self.label)


class SdgGoal(models.Model):
    number = models.PositiveSmallIntegerField(
        _("goal"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    short_names = models.JSONField(_("short names"), default=dict)
    titles = models.JSONField(_("titles"), default=dict)

    class Meta:
        verbose_name = _("SDG goal")
        verbose_name_plural = _("SDG goals")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.short_name}"

    @property
    def short_name(self) -> str:
        return _pick(self.short_names)

    @property
    def title(self) -> str:
        return _pick(self.titles)


class SdgTarget(models.Model):
    code = models.CharField(_("target"), max_length=8, unique=True)
    goal = models.ForeignKey(SdgGoal, on_delete=models.CASCADE, related_name="targets")
    titles = models.JSONField(_("titles"), default=dict)

    class Meta:
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        ordering = ["goal__number", "id"]

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return _pick(self.titles)


class IatiCode(models.Model):
    codelist = models.CharField(_("codelist"), max_length=64)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=500)
    status = models.CharField(_("status"), max_length=16, default="active")

    class Meta:
        verbose_name = _("IATI code")
        verbose_name_plural = _("IATI codes")
        ordering = ["codelist", "code"]
        constraints = [
            models.UniqueConstraint(fields=["codelist", "code"], name="unique_iati_code")
        ]

    def __str__(self) -> str:
        return f"{self.codelist} {self.code}: {self.name}"


class LoadedDataset(models.Model):
    """Fingerprint of the data files last loaded, so an unchanged data set is not reloaded."""

    name = models.CharField(max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("loaded data set")
        verbose_name_plural = _("loaded data sets")

    def __str__(self) -> str:
        return f"{self.name} ({self.loaded_at:%Y-%m-%d})"
