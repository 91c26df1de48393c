"""Read-only API of the reference data: countries, M49 regions, vocabularies and SDG goals."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from wipomatch.api.base import LANGUAGE_PARAMETER, ThrottledLocalisedAPIMixin

from .models import Country, Region, SdgGoal, VocabularyTerm
from .serializers import (
    CountryFilterSerializer,
    CountrySerializer,
    RegionSerializer,
    VocabulariesSerializer,
)


def _validated_query(serializer_class, request) -> dict:
    # `.dict()`: a missing boolean must stay missing (DRF reads absent HTML-form booleans as False).
    filters = serializer_class(data=request.query_params.dict())
    filters.is_valid(raise_exception=True)
    return {key: value for key, value in filters.validated_data.items() if value != ""}


@extend_schema_view(
    list=extend_schema(
        summary=_("All countries and areas"),
        description=_(
            "Every country and area of the UN M49 standard (249), in one unpaginated list: the "
            "list is small, fixed and usually needed whole (e.g. to fill a menu). Names follow "
            "?lang= or Accept-Language. Filters: region (M49 code at any level), ldc, lldc, "
            "sids, global_south."
        ),
        parameters=[CountryFilterSerializer, LANGUAGE_PARAMETER],
    ),
    retrieve=extend_schema(
        summary=_("One country, by ISO alpha-2 code"), parameters=[LANGUAGE_PARAMETER]
    ),
)
class CountryViewSet(ThrottledLocalisedAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CountrySerializer
    pagination_class = None
    filter_backends: list = []
    lookup_field = "iso2"

    def get_queryset(self):
        qs = Country.objects.select_related("region", "subregion", "intermediate_region")
        if self.action != "list":
            return qs
        filters = _validated_query(CountryFilterSerializer, self.request)
        region = filters.pop("region", None)
        if region:
            qs = qs.filter(
                Q(region__code=region)
                | Q(subregion__code=region)
                | Q(intermediate_region__code=region)
            )
        return qs.filter(**filters).order_by("iso2")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), iso2=self.kwargs["iso2"].upper())


@extend_schema_view(
    list=extend_schema(
        summary=_("UN M49 regions, sub-regions and intermediate regions"),
        description=_(
            "The codes accepted by the region filters, with their names in the language of the "
            "response. Unpaginated."
        ),
        parameters=[LANGUAGE_PARAMETER],
    ),
    retrieve=extend_schema(summary=_("One region, by M49 code"), parameters=[LANGUAGE_PARAMETER]),
)
class RegionViewSet(ThrottledLocalisedAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer
    pagination_class = None
    filter_backends: list = []
    lookup_field = "code"
    queryset = Region.objects.select_related("parent").order_by("code")


class _OneObjectSchema(AutoSchema):
    """`list` of this viewset returns one object (vocabulary → terms), not an array of them."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class VocabularyViewSet(ThrottledLocalisedAPIMixin, viewsets.ViewSet):
    schema = _OneObjectSchema()

    @extend_schema(
        summary=_("All controlled vocabularies and the SDG goals"),
        description=_(
            "The active terms of every vocabulary of the platform (thematic areas, IP areas, "
            "assistance types, resource types, cooperation modalities, organisation types), "
            "each as a list of {slug, label}, and the 17 Sustainable Development Goals. Labels "
            "follow ?lang= or Accept-Language; slugs are stable identifiers."
        ),
        parameters=[LANGUAGE_PARAMETER],
        responses=VocabulariesSerializer,
    )
    def list(self, request):
        vocabularies: dict[str, list[VocabularyTerm]] = {
            kind.value: [] for kind in VocabularyTerm.Kind
        }
        for term in VocabularyTerm.objects.filter(active=True).order_by("kind", "position", "slug"):
            vocabularies.setdefault(term.kind, []).append(term)
        vocabularies["sdg_goals"] = list(SdgGoal.objects.order_by("number"))
        return Response(VocabulariesSerializer(vocabularies).data)
