"""API of cooperation initiatives: /api/v1/initiatives/, the IATI file and the modality preview.

Thin views: reads through the scoped selectors (drafts are a 404 for those who may not see them),
filters validated by a serializer (an unknown value is a 400 that names it), the preview through
the same rule as the pages.
"""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from wipomatch.api.base import LANGUAGE_PARAMETER, ThrottledLocalisedAPIMixin

from . import iati, services
from .selectors import (
    InitiativeFilters,
    get_initiative_for_user,
    initiative_detail_queryset,
    initiative_filter,
    initiative_list_visible_to,
    render_reason,
)
from .serializers import (
    InitiativeFilterSerializer,
    InitiativeSerializer,
    ModalityPreviewRequestSerializer,
    ModalityPreviewResponseSerializer,
)


class InitiativeListView(ThrottledLocalisedAPIMixin, generics.ListAPIView):
    serializer_class = InitiativeSerializer
    filter_backends: list = []

    def get_queryset(self):
        query = InitiativeFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        filters = InitiativeFilters(
            modality=[params["modality"]] if params.get("modality") else [],
            ppp=params.get("ppp"),
            theme=[params["theme"]] if params.get("theme") else [],
            country=params.get("country", ""),
            region=params.get("region", ""),
            status=[params["status"]] if params.get("status") else [],
            sdg=[params["sdg"]] if params.get("sdg") else [],
        )
        visible = initiative_list_visible_to(self.request.user).values("pk")
        qs = initiative_detail_queryset().filter(pk__in=visible)
        return initiative_filter(qs, filters).order_by("-published_at", "-id")

    @extend_schema(
        summary=_("Cooperation initiatives"),
        description=_(
            "Published initiatives (and, for their people and facilitators, drafts), with their "
            "parties and roles, the modality derived from them and why, the public-private flag, "
            "themes, SDGs, dates, status and results with indicators."
        ),
        parameters=[InitiativeFilterSerializer, LANGUAGE_PARAMETER],
        responses={
            200: InitiativeSerializer(many=True),
            400: OpenApiResponse(
                description=_("A filter value is unknown; the message names it, by parameter.")
            ),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class InitiativeDetailView(ThrottledLocalisedAPIMixin, generics.RetrieveAPIView):
    serializer_class = InitiativeSerializer

    def get_object(self):
        return get_initiative_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary=_("One cooperation initiative"),
        description=_(
            "A published initiative (or, for its people and facilitators, a draft), with the "
            "same fields as in the list. Drafts of others are a 404."
        ),
        parameters=[LANGUAGE_PARAMETER],
        responses={
            200: InitiativeSerializer,
            404: OpenApiResponse(description=_("No such initiative, or not one you may see.")),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class IatiActivitiesView(ThrottledLocalisedAPIMixin, APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary=_("IATI 2.03 activity file of all published initiatives"),
        operation_id="initiatives_iati_activities",
        description=_(
            "An iati-activities document that validates against the IATI 2.03 schema; codes "
            "from the IATI codelists. The mapping is described in docs/iati.md."
        ),
        responses={(200, "application/xml"): OpenApiTypes.BINARY},
    )
    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            iati.activities_xml(), content_type="application/xml; charset=utf-8"
        )
        response["Content-Disposition"] = 'inline; filename="wipomatch-iati-activities.xml"'
        return response


class ModalityPreviewView(ThrottledLocalisedAPIMixin, APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        summary=_("Preview the modality of a set of parties"),
        description=_(
            "Open to anonymous clients (throttled). Facilitators never count; each other party "
            "is Southern, Northern or multilateral (no country). Unknown country codes, "
            "organisation types or roles are a 400 that names the bad value. The reason is in "
            "the language of the request (?lang= or Accept-Language)."
        ),
        parameters=[LANGUAGE_PARAMETER],
        request={"application/json": ModalityPreviewRequestSerializer},
        responses={
            200: ModalityPreviewResponseSerializer,
            400: OpenApiResponse(
                description=_(
                    "A country code, organisation type or role is unknown; the message names "
                    "the value, by party and field."
                )
            ),
        },
        tags=["initiatives"],
    )
    def post(self, request, *args, **kwargs):
        serializer = ModalityPreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.modality_preview(parties=serializer.validated_data["parties"])
        return Response(
            {
                "modality": result.modality,
                "ppp": result.ppp,
                "reason": render_reason(result.reason.as_dict()),
            }
        )
