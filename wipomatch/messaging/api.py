"""/api/v1/notifications/: the caller's notifications, marking one or all read."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from wipomatch.api.base import LANGUAGE_PARAMETER, ThrottledLocalisedAPIMixin

from .selectors import notification_for_user, notifications_for
from .serializers import MarkedReadSerializer, NotificationSerializer
from .services import notification_mark_read, notifications_mark_all_read

_UNAUTHENTICATED = OpenApiResponse(description=_("Sign in or send a token."))
_READ_PARAMETER = OpenApiParameter(
    "read",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    enum=["true", "false"],
    description=_("Only read (true) or only unread (false) notifications."),
)


class NotificationViewSet(
    ThrottledLocalisedAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """The signed-in caller's notifications, unread first; nobody else's are reachable (404)."""

    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer

    def get_queryset(self):
        queryset = notifications_for(self.request.user)
        read = self.request.query_params.get("read")
        if read is None or self.action != "list":
            return queryset
        if read not in ("true", "false"):
            raise ValidationError({"read": [_("Use “true” or “false”.")]})
        return queryset.filter(read_at__isnull=read == "false")

    def get_object(self):
        return notification_for_user(self.request.user, self.kwargs["pk"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "language": self.response_language}

    @extend_schema(
        parameters=[LANGUAGE_PARAMETER, _READ_PARAMETER],
        responses={
            200: NotificationSerializer(many=True),
            400: OpenApiResponse(description=_("A query parameter has a value it cannot take.")),
            401: _UNAUTHENTICATED,
        },
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=None,
        parameters=[LANGUAGE_PARAMETER],
        responses={
            200: NotificationSerializer,
            401: _UNAUTHENTICATED,
            404: OpenApiResponse(description=_("No such notification among yours.")),
        },
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of the caller's notifications read (already read: no change)."""
        notification = self.get_object()
        notification_mark_read(user=request.user, notification=notification)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: MarkedReadSerializer, 401: _UNAUTHENTICATED})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every unread notification of the caller read."""
        return Response({"marked": notifications_mark_all_read(user=request.user)})
