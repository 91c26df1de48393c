"""`POST /api/v1/tag-suggestions/`: themes, IP areas and SDGs suggested for a text.

Open to anyone, throttled harder than the read-only API because each call embeds the text
(anonymous clients 30 a minute, signed-in clients 120 a minute; both overridable in
`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` under the scopes below).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from . import LANGUAGES, MAX_TEXT_LENGTH, get_suggester, normalise_language

ANON_SCOPE = "tag_suggestions_anon"
USER_SCOPE = "tag_suggestions_user"
DEFAULT_RATES = {ANON_SCOPE: "30/minute", USER_SCOPE: "120/minute"}


class _ConfiguredRate:
    def get_rate(self):
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope, DEFAULT_RATES[self.scope])


class TagSuggestionAnonThrottle(_ConfiguredRate, AnonRateThrottle):
    scope = ANON_SCOPE


class TagSuggestionUserThrottle(_ConfiguredRate, UserRateThrottle):
    scope = USER_SCOPE


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers and other non-strings instead of converting them."""

    default_error_messages = {"invalid": _("Not a valid string.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TagSuggestionRequestSerializer(serializers.Serializer):
    text = StrictCharField(
        max_length=MAX_TEXT_LENGTH,
        help_text=_("The text to tag (title, summary, description), in any UN language."),
    )
    language = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("Optional language of the text: ar, zh, en, fr, ru or es."),
    )

    def validate_language(self, value: str) -> str:
        if not value.strip():
            return ""
        code = normalise_language(value)
        if code is None:
            raise serializers.ValidationError(
                _("Unsupported language “%(value)s”. Use one of: %(choices)s.")
                % {"value": value[:20], "choices": ", ".join(LANGUAGES)}
            )
        return code


class _LabelScoreSerializer(serializers.Serializer):
    slug = serializers.CharField()
    score = serializers.FloatField(min_value=0, max_value=1)


class _GoalScoreSerializer(serializers.Serializer):
    goal = serializers.IntegerField(min_value=1, max_value=17)
    score = serializers.FloatField(min_value=0, max_value=1)


class TagSuggestionResponseSerializer(serializers.Serializer):
    themes = _LabelScoreSerializer(many=True)
    ip_areas = _LabelScoreSerializer(many=True)
    sdgs = _GoalScoreSerializer(many=True)


class TagSuggestionView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [TagSuggestionAnonThrottle, TagSuggestionUserThrottle]

    @extend_schema(
        operation_id="tag_suggestions",
        summary="Suggest thematic areas, IP areas and SDGs for a text",
        description=(
            "Scores every thematic area, IP area and Sustainable Development Goal (all 17) for "
            "a text written in any of the six UN languages, best first. Scores lie between 0 and "
            "1 and read roughly as the chance that the label applies. Texts longer than "
            f"{MAX_TEXT_LENGTH} characters are refused. Rate-limited."
        ),
        request=TagSuggestionRequestSerializer,
        responses={200: TagSuggestionResponseSerializer},
        examples=[
            OpenApiExample(
                "Plant varieties for smallholders",
                value={
                    "text": "Protection des obtentions végétales pour les petits exploitants",
                    "language": "fr",
                },
                request_only=True,
            )
        ],
        tags=["tag suggestions"],
    )
    def post(self, request):
        serializer = TagSuggestionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        suggestions = get_suggester().suggest(data["text"], data.get("language") or None)
        return Response(suggestions.as_dict())
