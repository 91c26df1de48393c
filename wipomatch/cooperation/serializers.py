"""Serializers of the cooperation API: initiatives (read) and the modality preview."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wipomatch.reference.models import Country, Region, SdgGoal, VocabularyTerm

from . import modality as rule
from .models import ActivityStatus, Initiative, Modality, Result
from .selectors import render_reason


@extend_schema_field(
    {
        "type": "string",
        "enum": list(ActivityStatus.values),
        "description": "IATI ActivityStatus code: 1 pipeline/identification, 2 implementation, "
        "3 finalisation, 4 closed, 5 cancelled, 6 suspended.",
    }
)
class ActivityStatusField(serializers.ChoiceField):
    """The IATI code, documented inline (listings have their own `status` enum)."""

    def __init__(self, **kwargs):
        super().__init__(choices=ActivityStatus.choices, **kwargs)


class ModalitySerializer(serializers.Serializer):
    value = serializers.ChoiceField(
        choices=Modality.choices, help_text=_("The modality that applies (override or derived).")
    )
    derived = serializers.ChoiceField(
        choices=Modality.choices, help_text=_("The modality derived from the parties.")
    )
    overridden = serializers.BooleanField(help_text=_("true when a facilitator set it by hand."))
    reason = serializers.CharField(
        help_text=_(
            "Why, in the response language: the facilitator's reason when overridden, otherwise "
            "the explanation of the derived modality."
        )
    )


class PartySerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        allow_null=True, help_text=_("Id of the member organisation; null for an external one.")
    )
    name = serializers.CharField()
    country = serializers.CharField(
        allow_null=True,
        help_text=_("ISO 3166-1 alpha-2; null for an intergovernmental organisation."),
    )
    organisation_type = serializers.ChoiceField(choices=rule.ORGANISATION_TYPES)
    role = serializers.ChoiceField(choices=rule.ROLES)


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField()
    baseline_value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    baseline_year = serializers.IntegerField(allow_null=True)
    target_value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    actual_value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=_("The latest value reported in an accepted progress report."),
    )


class ResultSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["output", "outcome", "impact"])
    title = serializers.CharField()
    indicators = IndicatorSerializer(many=True)


RESULT_TYPE_NAMES = {
    Result.Type.OUTPUT: "output",
    Result.Type.OUTCOME: "outcome",
    Result.Type.IMPACT: "impact",
}


def latest_actual(indicator) -> object:
    """The value of the latest accepted report (prefetched `actuals` with their report)."""
    accepted = [a for a in indicator.actuals.all() if a.report.state == "accepted"]
    if not accepted:
        return None
    return max(accepted, key=lambda a: (a.report.period_end, a.report_id)).value


class InitiativeSerializer(serializers.ModelSerializer):
    modality = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField()
    status = ActivityStatusField(help_text=_("IATI ActivityStatus code."))
    status_label = serializers.SerializerMethodField()
    themes = serializers.SerializerMethodField()
    ip_areas = serializers.SerializerMethodField()
    sdg_goals = serializers.SerializerMethodField()
    sdg_targets = serializers.SerializerMethodField()
    countries = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    source_case = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("Id of the brokering case it came from.")
    )

    class Meta:
        model = Initiative
        fields = [
            "id",
            "title",
            "summary",
            "description",
            "language",
            "status",
            "status_label",
            "modality",
            "ppp",
            "parties",
            "themes",
            "ip_areas",
            "sdg_goals",
            "sdg_targets",
            "countries",
            "regions",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "budget",
            "budget_currency",
            "budget_funder",
            "reporting_cadence",
            "next_report_due",
            "inactive",
            "published_at",
            "source_case",
            "results",
        ]

    @extend_schema_field(ModalitySerializer)
    def get_modality(self, obj):
        overridden = bool(obj.modality_override)
        return {
            "value": obj.modality,
            "derived": obj.modality_derived,
            "overridden": overridden,
            "reason": obj.modality_override_reason
            if overridden
            else render_reason(obj.modality_reason),
        }

    @extend_schema_field(PartySerializer(many=True))
    def get_parties(self, obj):
        return [
            {
                "organisation": p.organisation_id,
                "name": p.display_name,
                "country": p.country.iso2 if p.country_id else None,
                "organisation_type": p.organisation_type,
                "role": p.role,
            }
            for p in obj.parties.all()
        ]

    def get_status_label(self, obj) -> str:
        return str(obj.get_status_display())

    def get_themes(self, obj) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    def get_ip_areas(self, obj) -> list[str]:
        return [t.slug for t in obj.ip_areas.all()]

    def get_sdg_goals(self, obj) -> list[int]:
        return [g.number for g in obj.sdg_goals.all()]

    def get_sdg_targets(self, obj) -> list[str]:
        return [t.code for t in obj.sdg_targets.all()]

    def get_countries(self, obj) -> list[str]:
        return [c.iso2 for c in obj.countries.all()]

    def get_regions(self, obj) -> list[str]:
        return [r.code for r in obj.regions.all()]

    @extend_schema_field(ResultSerializer(many=True))
    def get_results(self, obj):
        return [
            {
                "type": RESULT_TYPE_NAMES.get(r.result_type, "output"),
                "title": r.title,
                "indicators": IndicatorSerializer(
                    [
                        {
                            "id": i.pk,
                            "title": i.title,
                            "unit": i.unit,
                            "baseline_value": i.baseline_value,
                            "baseline_year": i.baseline_year,
                            "target_value": i.target_value,
                            "target_date": i.target_date,
                            "actual_value": latest_actual(i),
                        }
                        for i in r.indicators.all()
                    ],
                    many=True,
                ).data,
            }
            for r in obj.results.all()
        ]


class InitiativeFilterSerializer(serializers.Serializer):
    modality = serializers.ChoiceField(
        choices=Modality.choices,
        required=False,
        help_text=_("south-south, north-south, triangular or other."),
    )
    ppp = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: public-private partnerships only; false: the others."),
    )
    theme = serializers.SlugField(required=False, help_text=_("Slug of the themes vocabulary."))
    country = serializers.CharField(
        required=False,
        max_length=2,
        help_text=_("ISO 3166-1 alpha-2: benefiting country or a party's country."),
    )
    region = serializers.CharField(required=False, max_length=3, help_text=_("UN M49 region code."))
    status = ActivityStatusField(required=False, help_text=_("IATI ActivityStatus code (1 to 6)."))
    sdg = serializers.IntegerField(
        required=False, min_value=1, max_value=17, help_text=_("SDG goal number.")
    )

    def validate_theme(self, value):
        if not VocabularyTerm.objects.filter(kind=VocabularyTerm.Kind.THEME, slug=value).exists():
            raise serializers.ValidationError(
                _("Unknown thematic area “%(value)s”.") % {"value": value}
            )
        return value

    def validate_country(self, value):
        if not Country.objects.filter(iso2=value.upper()).exists():
            raise serializers.ValidationError(
                _("Unknown country code “%(value)s”.") % {"value": value}
            )
        return value.upper()

    def validate_region(self, value):
        if not Region.objects.filter(code=value).exists():
            raise serializers.ValidationError(
                _("Unknown region code “%(value)s”.") % {"value": value}
            )
        return value

    def validate_sdg(self, value):
        if not SdgGoal.objects.filter(number=value).exists():
            raise serializers.ValidationError(_("Unknown SDG goal “%(value)s”.") % {"value": value})
        return value


@extend_schema_field({"type": "string", "enum": list(rule.ORGANISATION_TYPES)})
class OrganisationTypeField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": list(rule.ROLES)})
class RoleField(serializers.CharField):
    pass


class PreviewPartySerializer(serializers.Serializer):
    country = serializers.CharField(
        allow_null=True,
        required=True,
        max_length=8,
        help_text=_("ISO 3166-1 alpha-2 code; null for an intergovernmental organisation."),
    )
    organisation_type = OrganisationTypeField(
        max_length=40,
        help_text=_("One of: %(values)s.") % {"values": ", ".join(rule.ORGANISATION_TYPES)},
    )
    role = RoleField(
        max_length=40,
        help_text=_("One of: %(values)s.") % {"values": ", ".join(rule.ROLES)},
    )
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Optional: names an organisation without a country in the reason."),
    )

    def validate_country(self, value):
        if value is None or value == "":
            return None
        if not Country.objects.filter(iso2=value.upper()).exists():
            raise serializers.ValidationError(
                _("Unknown country code “%(value)s”.") % {"value": value}
            )
        return value.upper()

    def validate_organisation_type(self, value):
        if value not in rule.ORGANISATION_TYPES:
            raise serializers.ValidationError(
                _("Unknown organisation type “%(value)s”.") % {"value": value}
            )
        return value

    def validate_role(self, value):
        if value not in rule.ROLES:
            raise serializers.ValidationError(_("Unknown role “%(value)s”.") % {"value": value})
        return value


class ModalityPreviewRequestSerializer(serializers.Serializer):
    parties = PreviewPartySerializer(many=True, allow_empty=True, max_length=50)


class ModalityPreviewResponseSerializer(serializers.Serializer):
    modality = serializers.ChoiceField(choices=Modality.choices)
    ppp = serializers.BooleanField()
    reason = serializers.CharField()
