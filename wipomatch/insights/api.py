"""GET /api/v1/insights/metrics/: every network-quality measure over a period."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from wipomatch.api.base import LANGUAGE_PARAMETER, ThrottledLocalisedAPIMixin

from .selectors import metrics_for, parse_breakdown, parse_period
from .serializers import MetricsSerializer


def _param(name, help_text, fmt=OpenApiTypes.STR):
    return OpenApiParameter(
        name, fmt, OpenApiParameter.QUERY, required=False, description=help_text
    )


METRICS_PARAMETERS = [
    _param("from", _("First day (YYYY-MM-DD); default: 364 days before `to`."), OpenApiTypes.DATE),
    _param("to", _("Last day, included (YYYY-MM-DD); default: today."), OpenApiTypes.DATE),
    _param("theme", _("Theme slug (vocabularies API).")),
    _param("region", _("M49 code of a region, sub-region or intermediate region.")),
    _param("country_group", _("ldc, lldc or sids: organisations in that group of countries.")),
    _param("modality", _("south-south, triangular, north-south or other.")),
    _param("organisation_type", _("Organisation type slug (vocabularies API).")),
    LANGUAGE_PARAMETER,
]


class MetricsView(ThrottledLocalisedAPIMixin, APIView):
    """Network-quality measures of a period; formulas on the public methodology page."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="insights_metrics",
        parameters=METRICS_PARAMETERS,
        responses={
            200: MetricsSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=_("A parameter is wrong: each one named, with what is wrong."),
            ),
        },
    )
    def get(self, request):
        period = parse_period(request.query_params.get("from"), request.query_params.get("to"))
        breakdown = parse_breakdown(request.query_params)
        return Response(MetricsSerializer(metrics_for(period, breakdown)).data)
