"""The REST API, version 1. Each app owns its serializers and API views; they are routed here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from wipomatch.members.api import OrganisationViewSet
from wipomatch.reference.api import CountryViewSet, RegionViewSet, VocabularyViewSet

from .views import LocalSwaggerView

router = DefaultRouter()
router.register("countries", CountryViewSet, basename="country")
router.register("regions", RegionViewSet, basename="region")
router.register("vocabularies", VocabularyViewSet, basename="vocabulary")
router.register("organisations", OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", LocalSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
