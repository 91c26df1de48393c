"""/api/v1/needs/<id>/suggestions/ and /api/v1/offers/<id>/suggestions/."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from wipomatch.api.base import LANGUAGE_PARAMETER, ThrottledLocalisedAPIMixin
from wipomatch.listings.models import Kind
from wipomatch.listings.selectors import get_listing_for_user

from .selectors import can_see_suggestions, explained_suggestions_for_listing
from .serializers import SuggestionSerializer


class ListingSuggestionsView(ThrottledLocalisedAPIMixin, APIView):
    """Ranked, explained suggestions of a published listing, for its organisation and staff."""

    permission_classes = [IsAuthenticated]
    kind: str = Kind.NEED

    @extend_schema(parameters=[LANGUAGE_PARAMETER], responses=SuggestionSerializer(many=True))
    def get(self, request, pk: int):
        listing = get_listing_for_user(request.user, pk, kind=self.kind)
        if not can_see_suggestions(request.user, listing):
            raise Http404
        try:
            items = explained_suggestions_for_listing(request.user, listing)
        except PermissionDenied:
            raise Http404 from None
        serializer = SuggestionSerializer(
            items, many=True, context={"show_signals": request.user.is_facilitator}
        )
        return Response(serializer.data)


class NeedSuggestionsView(ListingSuggestionsView):
    kind = Kind.NEED


class OfferSuggestionsView(ListingSuggestionsView):
    kind = Kind.OFFER
