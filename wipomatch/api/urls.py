"""The REST API, version 1. Each app owns its serializers and API views; they are routed here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from wipomatch.listings.api import NeedViewSet, OfferViewSet
from wipomatch.matching.api import NeedSuggestionsView, OfferSuggestionsView
from wipomatch.members.api import OrganisationViewSet
from wipomatch.reference.api import CountryViewSet, RegionViewSet, VocabularyViewSet
from wipomatch.tagging.api import TagSuggestionView

from .reference import api_reference
from .views import LocalSwaggerView

router = DefaultRouter()
router.register("countries", CountryViewSet, basename="country")
router.register("regions", RegionViewSet, basename="region")
router.register("vocabularies", VocabularyViewSet, basename="vocabulary")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("needs", NeedViewSet, basename="need")
router.register("offers", OfferViewSet, basename="offer")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the default documentation is an accessible reference page; Swagger UI stays available
    path("docs/", api_reference, name="api-docs"),
    path("docs/swagger/", LocalSwaggerView.as_view(url_name="api-schema"), name="api-swagger"),
    path("tag-suggestions/", TagSuggestionView.as_view(), name="tag-suggestions"),
    path("needs/<int:pk>/suggestions/", NeedSuggestionsView.as_view(), name="need-suggestions"),
    path("offers/<int:pk>/suggestions/", OfferSuggestionsView.as_view(), name="offer-suggestions"),
    path("", include("wipomatch.brokering.api_urls")),
    path("", include("wipomatch.messaging.api_urls")),
    path("", include("wipomatch.cooperation.api_urls")),
    path("", include("wipomatch.stories.api_urls")),
    path("", include("wipomatch.insights.api_urls")),
    path("", include(router.urls)),
]
