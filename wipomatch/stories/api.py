"""API of stories: GET /api/v1/stories/ and /api/v1/stories/{id}/ (published stories only).

The filters are those of the /stories/ page (`StoryFilters`, searched by `story_search`), so a
filter means the same thing everywhere; a malformed or unknown value is a 400 that says which.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from wipomatch.api.base import LANGUAGE_PARAMETER, ThrottledLocalisedAPIMixin
from wipomatch.listings.models import ui_to_listing_language

from .selectors import (
    StoryFilters,
    attach_published_versions,
    story_card_queryset,
    story_search,
)
from .serializers import StoryFilterSerializer, StoryPageSerializer, StorySerializer


@extend_schema_view(
    list=extend_schema(
        summary=_("Published stories"),
        description=_(
            "Success stories, best practices and lessons learned, one item per story in the "
            "language asked for with `lang` when that version exists, newest first (by "
            "relevance with `q`)."
        ),
        parameters=[StoryFilterSerializer, LANGUAGE_PARAMETER],
        responses={
            200: StoryPageSerializer,
            400: OpenApiResponse(description=_("Invalid filter.")),
        },
    ),
    retrieve=extend_schema(
        summary=_("One published story"),
        parameters=[LANGUAGE_PARAMETER],
        responses={200: StorySerializer, 404: OpenApiResponse(description=_("No such story."))},
    ),
)
class StoryViewSet(ThrottledLocalisedAPIMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = StorySerializer
    pagination_class = None

    def get_queryset(self):
        return (
            story_card_queryset()
            .public()
            .prefetch_related(
                "sdg_goals", "key_results", "organisations_involved__country", "initiatives"
            )
        )

    def list(self, request, *args, **kwargs):
        query = StoryFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        filters = StoryFilters(
            q=params.get("q", ""),
            kind=params.get("kind", []),
            theme=params.get("theme", []),
            country=params.get("country", ""),
            region=params.get("region", ""),
            sdg=params.get("sdg", []),
            language=params.get("language", ""),
        )
        page_number, page_size = params["page"], params["page_size"]
        language = ui_to_listing_language(self.response_language)
        result = story_search(
            filters=filters,
            page=page_number,
            page_size=page_size,
            language=language,
            with_facets=False,
        )
        if page_number > result.num_pages:
            raise exceptions.NotFound(_("Invalid page."))
        items = list(self.get_queryset().filter(pk__in=[s.pk for s in result.items]))
        by_id = {s.pk: s for s in items}
        ordered = [by_id[s.pk] for s in result.items if s.pk in by_id]
        attach_published_versions(ordered)
        data = StorySerializer(ordered, many=True, context={"request": request}).data
        return Response(
            {
                "count": result.total,
                "page": result.page,
                "num_pages": result.num_pages,
                "next": self._page_link(page_number + 1)
                if page_number < result.num_pages
                else None,
                "previous": self._page_link(page_number - 1) if page_number > 1 else None,
                "results": data,
            }
        )

    def _page_link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, "page")
        return replace_query_param(url, "page", number)
