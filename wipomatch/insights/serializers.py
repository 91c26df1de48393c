"""Shapes of the insights API (they make /api/v1/schema/ exact)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .measures import MODALITIES


def _share(help_text=None, **kwargs):
    return serializers.FloatField(
        allow_null=True, min_value=0, max_value=1, help_text=help_text, **kwargs
    )


def _days(help_text=None):
    return serializers.FloatField(allow_null=True, min_value=0, help_text=help_text)


class PeriodSerializer(serializers.Serializer):
    # "from" is a Python keyword: declared below.
    to = serializers.DateField(help_text=_("Last day of the period (included)."))


PeriodSerializer._declared_fields = {
    "from": serializers.DateField(help_text=_("First day of the period (included).")),
    "to": PeriodSerializer._declared_fields["to"],
}


class ReachSerializer(serializers.Serializer):
    active_organisations = serializers.IntegerField(min_value=0)
    countries = serializers.IntegerField(min_value=0)
    ldcs = serializers.IntegerField(min_value=0)
    new_organisations = serializers.IntegerField(min_value=0)


class MedianDaysSerializer(serializers.Serializer):
    interest_to_mutual = _days()
    mutual_to_agreement = _days()
    agreement_to_initiative = _days()
    initiative_to_completed = _days()


class FunnelSerializer(serializers.Serializer):
    published_needs = serializers.IntegerField(min_value=0)
    published_offers = serializers.IntegerField(min_value=0)
    suggested = serializers.IntegerField(min_value=0)
    interest = serializers.IntegerField(min_value=0)
    mutual = serializers.IntegerField(min_value=0)
    agreement = serializers.IntegerField(min_value=0)
    initiatives = serializers.IntegerField(min_value=0)
    completed_with_results = serializers.IntegerField(min_value=0)
    median_days = MedianDaysSerializer()


class ResponsivenessSerializer(serializers.Serializer):
    answered_share = _share()
    median_answer_days = _days()


class DiversitySerializer(serializers.Serializer):
    regions = _share(_("Shannon evenness of the regions of active organisations."))
    organisation_types = _share(_("Shannon evenness of the types of active organisations."))
    themes = _share(_("Shannon evenness of the themes of active organisations and initiatives."))


class BridgingOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    regions = serializers.ListField(child=serializers.CharField(), help_text=_("M49 codes."))
    links = serializers.IntegerField(min_value=0)


class ConnectednessSerializer(serializers.Serializer):
    organisations = serializers.IntegerField(min_value=0)
    links = serializers.IntegerField(min_value=0)
    components = serializers.IntegerField(min_value=0)
    largest_component_share = _share()
    bridging_organisations = BridgingOrganisationSerializer(many=True)
    repeat_collaborations = serializers.IntegerField(min_value=0)


ModalityShareSerializer = type(
    "ModalityShareSerializer",
    (serializers.Serializer,),
    {modality: _share() for modality in MODALITIES},
)


class DistributionSerializer(serializers.Serializer):
    pass


DistributionSerializer._declared_fields = {
    str(v): serializers.IntegerField(min_value=0) for v in range(1, 6)
}


class SatisfactionSerializer(serializers.Serializer):
    responses = serializers.IntegerField(min_value=0)
    mean = serializers.FloatField(allow_null=True, min_value=1, max_value=5)
    distribution = DistributionSerializer()


class SuggestionFiguresSerializer(serializers.Serializer):
    dismissed_share = _share()
    acted_share = _share()


class MetricsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    reach = ReachSerializer()
    funnel = FunnelSerializer()
    responsiveness = ResponsivenessSerializer()
    diversity = DiversitySerializer()
    connectedness = ConnectednessSerializer()
    modality_share = ModalityShareSerializer()
    ppp_share = _share()
    ldc_beneficiary_share = _share()
    satisfaction = SatisfactionSerializer()
    suggestions = SuggestionFiguresSerializer()
