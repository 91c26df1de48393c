"""Read-only API of the member directory: approved organisations only, filtered as in the UI."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from wipomatch.api.base import LANGUAGE_PARAMETER, ThrottledLocalisedAPIMixin

from .selectors import organisation_directory
from .serializers import OrganisationFilterSerializer, OrganisationSerializer


@extend_schema_view(
    list=extend_schema(
        summary=_("Approved member organisations"),
        description=_(
            "The public directory, paginated (page, page_size up to 100), with the directory's "
            "filters. An unknown country, region, organisation type or theme is a 400 that says "
            "which. Contact e-mails are never published."
        ),
        parameters=[OrganisationFilterSerializer, LANGUAGE_PARAMETER],
    ),
    retrieve=extend_schema(
        summary=_("One approved member organisation"),
        description=_("Organisations that are not (or no longer) approved members are a 404."),
        parameters=[LANGUAGE_PARAMETER],
    ),
)
class OrganisationViewSet(ThrottledLocalisedAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    filter_backends: list = []

    def get_queryset(self):
        if self.action != "list":
            return organisation_directory()
        # `.dict()`: the last value of a repeated parameter, as the UI reads it.
        filters = OrganisationFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        return organisation_directory(**filters.validated_data)
