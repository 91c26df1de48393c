"""/api/v1/auth/token/ and /api/v1/matches/…: cases through the API, same services as pages."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied as APIPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from wipomatch.api.base import LANGUAGE_PARAMETER, ThrottledLocalisedAPIMixin
from wipomatch.api.pagination import StandardPagination
from wipomatch.listings.models import Kind, Listing
from wipomatch.listings.permissions import can_see_listing
from wipomatch.messaging.selectors import conversation_for, messages_for
from wipomatch.messaging.services import conversation_open, message_post

from . import permissions as perms
from . import services
from .models import CaseState, MatchCase
from .selectors import cases_for_user, get_case_for_user
from .serializers import (
    AcceptSerializer,
    CloseSerializer,
    DeclineSerializer,
    MatchCaseCreateSerializer,
    MatchCaseSerializer,
    MessageCreateSerializer,
    MessageSerializer,
    RatingResultSerializer,
    RatingSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)

# --- token ----------------------------------------------------------------------------------


class TokenByAddressThrottle(SimpleRateThrottle):
    """Sign-in attempts per client address, whoever they claim to be."""

    scope = "auth_token"
    rate = "10/minute"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AuthTokenView(ThrottledLocalisedAPIMixin, APIView):
    """Exchange an e-mail address and password (plus a TOTP code for staff) for an API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenByAddressThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, 400: OpenApiResponse(description="Bad input")},
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request, email=data.validated_data["email"], password=data.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise ValidationError({"detail": [_("Wrong e-mail address or password.")]})
        if user.is_staff_member:
            otp = (data.validated_data.get("otp") or "").strip()
            authenticator = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).first()
            if authenticator is None:
                raise ValidationError(
                    {
                        "otp": [
                            _(
                                "Staff accounts must set up two-factor authentication on the "
                                "website before using the API."
                            )
                        ]
                    }
                )
            if not otp:
                raise ValidationError(
                    {"otp": [_("Staff accounts also send “otp”, a current authenticator code.")]}
                )
            if not TOTP(authenticator).validate_code(otp):
                raise ValidationError({"otp": [_("This authenticator code is not valid.")]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


# --- cases ----------------------------------------------------------------------------------


def _listing(pk: int, kind: str, field: str, user) -> Listing:
    listing = Listing.objects.select_related("organisation").filter(pk=pk, kind=kind).first()
    if listing is None or not can_see_listing(user, listing):
        raise ValidationError({field: [_("No such %(kind)s.") % {"kind": Kind(kind).label}]})
    return listing


class MatchListView(ThrottledLocalisedAPIMixin, generics.GenericAPIView):
    # A generic view, so that the schema describes the paginated envelope the list returns.
    permission_classes = [IsAuthenticated]
    pagination_class = StandardPagination
    serializer_class = MatchCaseSerializer
    queryset = MatchCase.objects.none()  # for the schema only; `get` reads cases_for_user

    @extend_schema(
        parameters=[
            LANGUAGE_PARAMETER,
            OpenApiParameter(
                "state",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=False,
                enum=CaseState.values,
                description=gettext_lazy("Only the cases in this state."),
            ),
        ],
        responses=MatchCaseSerializer(many=True),
        tags=["matches"],
    )
    def get(self, request):
        """The cases of the caller's organisation (every case for facilitators)."""
        qs = cases_for_user(request.user).order_by("-created_at", "-id")
        state = request.GET.get("state", "")
        if state:
            if state not in CaseState.values:
                raise ValidationError(
                    {
                        "state": [
                            _("Unknown state. Use one of: %(states)s.")
                            % {"states": ", ".join(CaseState.values)}
                        ]
                    }
                )
            qs = qs.filter(state=state)
        page = self.paginate_queryset(qs)
        data = MatchCaseSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        request=MatchCaseCreateSerializer,
        responses={201: MatchCaseSerializer},
        tags=["matches"],
    )
    def post(self, request):
        """Express interest: the caller belongs to the need's or the offer's organisation."""
        data = MatchCaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        need = _listing(data.validated_data["need"], Kind.NEED, "need", request.user)
        offer = _listing(data.validated_data["offer"], Kind.OFFER, "offer", request.user)
        case = services.match_express_interest(
            user=request.user,
            need=need,
            offer=offer,
            message=data.validated_data["message"],
        )
        case = get_case_for_user(request.user, case.pk)
        return Response(
            MatchCaseSerializer(case, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class _CaseView(ThrottledLocalisedAPIMixin, APIView):
    permission_classes = [IsAuthenticated]

    def get_case(self, request, pk):
        return get_case_for_user(request.user, pk)

    def respond(self, request, case):
        case = get_case_for_user(request.user, case.pk)
        return Response(MatchCaseSerializer(case, context={"request": request}).data)


class MatchDetailView(_CaseView):
    @extend_schema(parameters=[LANGUAGE_PARAMETER], responses=MatchCaseSerializer, tags=["matches"])
    def get(self, request, pk: int):
        return self.respond(request, self.get_case(request, pk))


class MatchAcceptView(_CaseView):
    @extend_schema(request=AcceptSerializer, responses=MatchCaseSerializer, tags=["matches"])
    def post(self, request, pk: int):
        case = self.get_case(request, pk)
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.match_accept(
            user=request.user, case=case, message=data.validated_data["message"]
        )
        return self.respond(request, case)


class MatchDeclineView(_CaseView):
    @extend_schema(request=DeclineSerializer, responses=MatchCaseSerializer, tags=["matches"])
    def post(self, request, pk: int):
        case = self.get_case(request, pk)
        data = DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.match_decline(
            user=request.user,
            case=case,
            reason=data.validated_data["reason"],
            comment=data.validated_data["comment"],
        )
        return self.respond(request, case)


class MatchWithdrawView(_CaseView):
    @extend_schema(request=None, responses=MatchCaseSerializer, tags=["matches"])
    def post(self, request, pk: int):
        case = services.match_withdraw(user=request.user, case=self.get_case(request, pk))
        return self.respond(request, case)


class MatchCloseView(_CaseView):
    @extend_schema(request=CloseSerializer, responses=MatchCaseSerializer, tags=["matches"])
    def post(self, request, pk: int):
        case = self.get_case(request, pk)
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.match_close(
            user=request.user,
            case=case,
            outcome=data.validated_data["outcome"],
            note=data.validated_data["note"],
            expected_start=data.validated_data["expected_start"],
        )
        return self.respond(request, case)


class MatchRatingView(_CaseView):
    @extend_schema(request=RatingSerializer, responses=RatingResultSerializer, tags=["matches"])
    def post(self, request, pk: int):
        case = self.get_case(request, pk)
        data = RatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.case_rate(
            user=request.user,
            case=case,
            score=data.validated_data["score"],
            comment=data.validated_data["comment"],
        )
        return Response({"score": rating.score, "comment": rating.comment})


class MatchMessagesView(_CaseView):
    """The conversation between the two organisations, open once both agreed."""

    def _conversation(self, request, case):
        if perms.MESSAGE not in perms.case_allowed_actions(request.user, case):
            raise APIPermissionDenied(
                _(
                    "Messages open once both organisations have agreed to get in touch "
                    "(mutual interest); this case is “%(state)s”."
                )
                % {"state": case.get_state_display()}
            )
        return conversation_for(case) or conversation_open(
            subject=case,
            organisations=[case.requesting_organisation, case.receiving_organisation],
        )

    @staticmethod
    def _rows(messages):
        return [
            {
                "id": m.pk,
                "organisation": m.organisation.name if m.organisation_id else None,
                "author": m.author.display_name if m.author_id else "",
                "body": m.body,
                "created_at": m.created_at,
            }
            for m in messages
        ]

    @extend_schema(
        parameters=[LANGUAGE_PARAMETER],
        responses=MessageSerializer(many=True),
        tags=["matches"],
    )
    def get(self, request, pk: int):
        case = self.get_case(request, pk)
        conversation = self._conversation(request, case)
        messages = messages_for(conversation).select_related("author", "organisation")
        return Response(MessageSerializer(self._rows(messages), many=True).data)

    @extend_schema(
        request=MessageCreateSerializer,
        responses={201: MessageSerializer},
        tags=["matches"],
    )
    def post(self, request, pk: int):
        case = self.get_case(request, pk)
        data = MessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conversation = self._conversation(request, case)
        message = message_post(
            conversation=conversation, author=request.user, body=data.validated_data["body"]
        )
        return Response(self._rows([message])[0], status=status.HTTP_201_CREATED)
