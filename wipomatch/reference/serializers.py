"""API representations of the reference data, and the validated query filters that use it."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Country, Region, SdgGoal, VocabularyTerm

_DIGITS = re.compile(r"[0-9]{1,3}")
_ISO2 = re.compile(r"[A-Za-z]{2}")


# --- Query parameters shared by the endpoints that filter by place ------------------------------


class CountryCodeField(serializers.CharField):
    """An ISO 3166-1 alpha-2 code of a known country, in any case; cleaned to upper case."""

    default_error_messages = {
        "unknown": _("Unknown country code “{value}”. Use an ISO 3166-1 alpha-2 code, e.g. SN."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("ISO 3166-1 alpha-2 code of a country, e.g. SN for Senegal.")
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).upper()
        if not _ISO2.fullmatch(value) or not Country.objects.filter(iso2=value).exists():
            self.fail("unknown", value=value[:10])
        return value


class RegionCodeField(serializers.CharField):
    """A UN M49 code of a region, sub-region or intermediate region; `2` is read as `002`."""

    default_error_messages = {
        "not_a_code": _(
            "A region is given by its UN M49 code, in digits (for example 002 for Africa)."
        ),
        "unknown": _("Unknown M49 region code “{value}”."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _(
                "UN M49 code of a region, sub-region or intermediate region, e.g. 002 (Africa), "
                "019 (Americas), 142 (Asia), 150 (Europe), 009 (Oceania)."
            ),
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not _DIGITS.fullmatch(value):
            self.fail("not_a_code")
        code = value.zfill(3)
        if not Region.objects.filter(code=code).exists():
            self.fail("unknown", value=code)
        return code


class CountryFilterSerializer(serializers.Serializer):
    region = RegionCodeField(required=False, allow_blank=True)
    ldc = serializers.BooleanField(
        required=False, help_text=_("true: least developed countries only; false: the others.")
    )
    lldc = serializers.BooleanField(
        required=False, help_text=_("true: landlocked developing countries only.")
    )
    sids = serializers.BooleanField(
        required=False, help_text=_("true: small island developing States only.")
    )
    global_south = serializers.BooleanField(
        required=False, help_text=_("true: countries of the platform's Global South grouping.")
    )


# --- Representations --------------------------------------------------------------------------


class RegionCodeRelatedField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        # Not every country has a region, sub-region or intermediate region (Antarctica…).
        super().__init__(slug_field="code", read_only=True, allow_null=True, **kwargs)


class CountrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        read_only=True, help_text=_("Name in the language of the response.")
    )
    region = RegionCodeRelatedField(help_text=_("M49 code of the region."))
    subregion = RegionCodeRelatedField(help_text=_("M49 code of the sub-region."))
    intermediate_region = RegionCodeRelatedField(
        help_text=_("M49 code of the intermediate region, if any.")
    )

    class Meta:
        model = Country
        fields = [
            "iso2",
            "iso3",
            "m49",
            "name",
            "region",
            "subregion",
            "intermediate_region",
            "ldc",
            "lldc",
            "sids",
            "global_south",
        ]
        read_only_fields = fields


class RegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        read_only=True, help_text=_("Name in the language of the response.")
    )
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "level", "parent", "name"]
        read_only_fields = fields


class VocabularyTermSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    label = serializers.CharField(
        source="display_label",
        read_only=True,
        help_text=_("Label in the language of the response."),
    )


class SdgGoalSerializer(serializers.ModelSerializer):
    short_name = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)

    class Meta:
        model = SdgGoal
        fields = ["number", "short_name", "title"]
        read_only_fields = fields


def _vocabularies_fields() -> dict:
    fields = {
        kind.value: VocabularyTermSerializer(many=True, read_only=True, help_text=kind.label)
        for kind in VocabularyTerm.Kind
    }
    fields["sdg_goals"] = SdgGoalSerializer(
        many=True, read_only=True, help_text=_("Sustainable Development Goals.")
    )
    return fields


# One list per vocabulary of taxonomy.json (keyed by its name there), plus the SDG goals.
VocabulariesSerializer = type(
    "VocabulariesSerializer", (serializers.Serializer,), _vocabularies_fields()
)
