"""API of needs and offers: /api/v1/needs/ and /api/v1/offers/.

Thin views: the filters are those of the /needs/ and /offers/ pages (`BrowseFilters`, searched by
`listing_search`), every object read goes through `get_listing_for_user` (404 for what the reader
may not see), and every write calls a service, whose ValidationError becomes a 400 with one
message per field (wipomatch/api/errors.py) and whose PermissionDenied becomes a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from wipomatch.api.base import LANGUAGE_PARAMETER, ThrottledLocalisedAPIMixin
from wipomatch.reference.models import VocabularyTerm

from . import services
from .filters import BrowseFilters
from .models import Kind, Listing, Need, Offer, Status
from .permissions import can_edit_listing, is_member, organisation_for_new_listing
from .search import listing_search
from .selectors import (
    apply_browse_filters,
    browse_facet_counts,
    get_listing_for_user,
    listing_card_queryset,
    listings_for_review,
    listings_of_user,
    order_listings,
)
from .serializers import (
    ListingCloseSerializer,
    ListingCommentSerializer,
    ListingDetailSerializer,
    ListingFilterSerializer,
    ListingInputSerializer,
    ListingPageSerializer,
    ListingRejectSerializer,
    ListingSummarySerializer,
    listing_data_of,
)

# Facet names in responses, plural like the fields of a listing: the vocabularies (taxonomy slugs
# as keys), countries (ISO alpha-2), regions (M49), languages, organisation types; `ldc` is a count.
FACET_NAMES = {
    VocabularyTerm.Kind.MODALITY: "modalities",
    "country": "countries",
    "region": "regions",
    "language": "languages",
    "org_type": "org_types",
}
FILTER_FIELDS = (
    "q",
    "theme",
    "ip_area",
    "assistance_type",
    "resource_type",
    "modality",
    "country",
    "region",
    "ldc",
    "language",
    "org_type",
    "sort",
)


def _with_cards(items: list[Listing]) -> list[Listing]:
    """Everything a list item shows, in one query per relation whatever the page size (lookups
    the search already prefetched are not fetched again)."""
    prefetch_related_objects(
        items,
        "organisation__country",
        Prefetch("terms", queryset=VocabularyTerm.objects.order_by("kind", "position")),
        "countries",
        "regions",
        "sdg_goals",
    )
    return items


def _owned_or_reviewed_queryset(user, *, kind: str, mine: bool, status_filter: str | None):
    """My organisations' listings (mine), or, for facilitators, listings in one status; the
    validation queue (submitted) oldest first, as on the review page."""
    if mine:
        qs = listings_of_user(user)
    elif status_filter == Status.SUBMITTED:
        qs = listings_for_review()
    else:
        qs = listing_card_queryset()
    qs = qs.filter(kind=kind)
    if status_filter:
        qs = qs.filter(status=status_filter)
    return qs


class ListingSchema(AutoSchema):
    """The list answers one page object (results + facets), not a bare array."""

    def _is_list_view(self, serializer=None) -> bool:
        if isinstance(serializer, ListingPageSerializer) or serializer is ListingPageSerializer:
            return False
        return super()._is_list_view(serializer)


_DETAIL = {200: ListingDetailSerializer}
_ACTION_ERRORS = {
    400: OpenApiResponse(description=_("The listing is not in a state that allows this.")),
    403: OpenApiResponse(description=_("You may see the listing but not do this.")),
    404: OpenApiResponse(description=_("No such listing, or not one you may see.")),
}


REVISION_RULE = _(
    "On a published listing, a member's change of a substantive field (anything but "
    "start_date, end_date and delivery_languages) is not published at once: it becomes the "
    "listing's pending revision, reviewed by a facilitator, and the answer is 200 with the "
    "published version unchanged and the proposal in `pending_revision`. The other fields "
    "change at once. A facilitator's change is published directly."
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Published listings, filtered and searched"),
        description=_(
            "Published listings for everyone (with mine=true, the listings of your own "
            "organisations in every status), with the filters of the browse page as query "
            "parameters named after the vocabularies; repeat a parameter for several values. "
            "Each page carries the facet counts of the whole result; a facet in use is "
            "counted without its own values, so that each count is what choosing that value "
            "would give. Visitors and members get the same summary per listing; the detail "
            "gives members the full text. Contact e-mails are never published."
        ),
        parameters=[ListingFilterSerializer, LANGUAGE_PARAMETER],
        responses={200: ListingPageSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One listing"),
        description=_(
            "Visitors get the public summary; members of approved organisations also get the "
            "description and every detail; the owner organisation and facilitators also get the "
            "review comments and the history. Unpublished listings of other organisations are "
            "a 404."
        ),
        parameters=[LANGUAGE_PARAMETER],
        responses={200: ListingDetailSerializer, **_ACTION_ERRORS},
    ),
    create=extend_schema(
        summary=_("Create a listing (members of approved organisations)"),
        description=_(
            "Kept as a draft, or submitted for review at once with submit=true. Every invalid "
            "field is reported in a 400, keyed by field."
        ),
        request=ListingInputSerializer,
        responses={201: ListingDetailSerializer},
    ),
    update=extend_schema(
        summary=_("Replace the content of a listing (owner organisation, facilitators)"),
        description=REVISION_RULE,
        request=ListingInputSerializer,
        responses=_DETAIL,
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of a listing (owner organisation, facilitators)"),
        description=REVISION_RULE,
        request=ListingInputSerializer,
        responses=_DETAIL,
    ),
)
class ListingViewSet(
    ThrottledLocalisedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    kind: str = ""
    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends: list = []
    pagination_class = None
    serializer_class = ListingDetailSerializer
    lookup_value_regex = r"[0-9]+"
    schema = ListingSchema()

    # --- reading ---------------------------------------------------------------------------

    def get_object(self) -> Listing:
        return get_listing_for_user(self.request.user, int(self.kwargs["pk"]), kind=self.kind)

    def _detail(self, listing: Listing, *, status_code: int = 200) -> Response:
        user = self.request.user
        if can_edit_listing(user, listing):
            level = "owner"
        elif is_member(user):
            level = "member"
        else:
            level = "public"
        data = ListingDetailSerializer(
            listing, context={"request": self.request, "detail_level": level}
        ).data
        return Response(data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def list(self, request, *args, **kwargs):
        query = ListingFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        filters = BrowseFilters(**{name: params[name] for name in FILTER_FIELDS if name in params})
        page_number, page_size = params["page"], params["page_size"]
        mine, wanted_status = params.get("mine", False), params.get("status")

        if mine or (wanted_status and wanted_status != Status.PUBLISHED):
            if not request.user.is_authenticated:
                raise exceptions.NotAuthenticated
            if not mine and not request.user.is_facilitator:
                raise exceptions.PermissionDenied(
                    _(
                        "Only facilitators can list listings in every status; use mine=true for "
                        "the listings of your own organisation."
                    )
                )
            qs = _owned_or_reviewed_queryset(
                request.user, kind=self.kind, mine=mine, status_filter=wanted_status
            )
            items, total, facets = self._page_of(qs, filters, page_number, page_size)
        else:
            result = listing_search(
                kind=self.kind, filters=filters, page=page_number, page_size=page_size
            )
            items, total, facets = list(result.items), result.total, result.facets
        num_pages = max(1, -(-total // page_size))
        if page_number > num_pages:
            raise exceptions.NotFound(_("Invalid page."))
        results = ListingSummarySerializer(
            _with_cards(items), many=True, context={"request": request}
        ).data
        return Response(
            {
                "count": total,
                "page": page_number,
                "num_pages": num_pages,
                "next": self._page_link(page_number + 1) if page_number < num_pages else None,
                "previous": self._page_link(page_number - 1) if page_number > 1 else None,
                "results": results,
                "facets": {FACET_NAMES.get(name, name): counts for name, counts in facets.items()},
            }
        )

    @staticmethod
    def _page_of(qs, filters: BrowseFilters, page_number: int, page_size: int):
        """A page of the owner's or the reviewer's listings (not searched: a plain text match)."""
        if filters.q:
            qs = qs.filter(
                Q(title__icontains=filters.q)
                | Q(summary__icontains=filters.q)
                | Q(description__icontains=filters.q)
            )
        facets = browse_facet_counts(qs, filters)
        qs = apply_browse_filters(qs, filters)
        if filters.sort in ("newest", "expiring"):
            qs = order_listings(qs, filters.sort)
        total = qs.count()
        start = (page_number - 1) * page_size
        items = list(qs[start : start + page_size]) if start < total else []
        return items, total, facets

    def _page_link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, "page")
        return replace_query_param(url, "page", number)

    # --- writing ---------------------------------------------------------------------------

    def create(self, request, *args, **kwargs):
        payload = ListingInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            organisation = organisation_for_new_listing(
                request.user, payload.validated_data.get("organisation")
            )
        except PermissionDenied as refusal:  # DRF would drop the message
            raise exceptions.PermissionDenied(str(refusal)) from refusal
        listing = services.listing_create(
            user=request.user,
            organisation=organisation,
            kind=self.kind,
            data=payload.listing_data(),
            submit=payload.validated_data.get("submit", False),
        )
        listing = get_listing_for_user(request.user, listing.pk)
        return self._detail(listing, status_code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        listing = get_listing_for_user(
            request.user, int(self.kwargs["pk"]), kind=self.kind, write=True
        )
        payload = ListingInputSerializer(data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        data = payload.listing_data(base=listing_data_of(listing) if partial else None)
        services.listing_update(user=request.user, listing=listing, data=data)
        return self._detail(get_listing_for_user(request.user, listing.pk))

    # --- lifecycle -------------------------------------------------------------------------

    def _act(self, request, service, **arguments) -> Response:
        listing = self.get_object()
        service(listing=listing, **arguments)
        return self._detail(get_listing_for_user(request.user, listing.pk))

    @extend_schema(
        summary=_("Submit a draft for review (owner organisation)"),
        request=None,
        responses={**_DETAIL, **_ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, services.listing_submit, user=request.user)

    @extend_schema(
        summary=_("Publish a submitted listing (facilitators)"),
        request=ListingCommentSerializer,
        responses={**_DETAIL, **_ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        payload = ListingCommentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._act(
            request,
            services.listing_publish,
            facilitator=request.user,
            comment=payload.validated_data.get("comment", ""),
        )

    @extend_schema(
        summary=_("Send a submitted listing back with comments (facilitators)"),
        request=ListingCommentSerializer,
        responses={**_DETAIL, **_ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        payload = ListingCommentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._act(
            request,
            services.listing_request_changes,
            facilitator=request.user,
            comment=payload.validated_data.get("comment", ""),
        )

    @extend_schema(
        summary=_("Reject a listing under review, with the reason (facilitators)"),
        request=ListingRejectSerializer,
        responses={**_DETAIL, **_ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        payload = ListingRejectSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._act(
            request,
            services.listing_reject,
            facilitator=request.user,
            reason=payload.validated_data.get("reason", ""),
        )

    @extend_schema(
        summary=_("Close a listing as fulfilled or withdrawn (owner organisation)"),
        request=ListingCloseSerializer,
        responses={**_DETAIL, **_ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        payload = ListingCloseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._act(
            request,
            services.listing_close,
            user=request.user,
            reason=payload.validated_data["reason"],
            note=payload.validated_data.get("note", ""),
        )

    @extend_schema(
        summary=_("Renew a published or expired listing for another period (owner organisation)"),
        request=None,
        responses={**_DETAIL, **_ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        return self._act(request, services.listing_renew, user=request.user)


class NeedViewSet(ListingViewSet):
    """Needs: requests for IP-related technical assistance."""

    kind = Kind.NEED
    queryset = Need.objects.none()


class OfferViewSet(ListingViewSet):
    """Offers: technical, human, financial or in-kind resources."""

    kind = Kind.OFFER
    queryset = Offer.objects.none()
