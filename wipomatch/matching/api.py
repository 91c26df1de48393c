"""/api/v1/needs/<id>/suggestions/ and /api/v1/offers/<id>/suggestions/."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from wipomatch.api.base import LANGUAGE_PARAMETER, PublicReadOnlyAPIMixin
from wipomatch.listings.models import Kind
from wipomatch.listings.selectors import get_listing_for_user

from .explanations import explain, explanation_names, seeker_country
from .selectors import can_see_suggestions, suggestions_for_listing
from .serializers import SuggestionSerializer


class ListingSuggestionsView(PublicReadOnlyAPIMixin, APIView):
    """Ranked, explained suggestions of a published listing, for its organisation and staff."""

    permission_classes = [IsAuthenticated]
    kind: str = Kind.NEED

    @extend_schema(parameters=[LANGUAGE_PARAMETER], responses=SuggestionSerializer(many=True))
    def get(self, request, pk: int):
        listing = get_listing_for_user(request.user, pk, kind=self.kind)
        if not can_see_suggestions(request.user, listing):
            raise Http404
        try:
            views = suggestions_for_listing(request.user, listing)
        except PermissionDenied:
            raise Http404 from None
        reader = "need" if listing.kind == Kind.NEED else "offer"
        names = explanation_names()
        items = [
            {
                "view": view,
                "reasons": explain(
                    view.suggestion.explanation,
                    reader=reader,
                    names=names,
                    country_iso2=seeker_country(listing, view.listing),
                ),
            }
            for view in views
        ]
        serializer = SuggestionSerializer(
            items, many=True, context={"show_signals": request.user.is_facilitator}
        )
        return Response(serializer.data)


class NeedSuggestionsView(ListingSuggestionsView):
    kind = Kind.NEED


class OfferSuggestionsView(ListingSuggestionsView):
    kind = Kind.OFFER
