"""Shared pieces of the public API: throttling and the language of the response.

Every API view of the platform, read-only or writable, mixes in `ThrottledLocalisedAPIMixin`, so
that anonymous and signed-in clients are throttled at the rates of
`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` and translated fields (country names, vocabulary
labels) follow `?lang=` or, without it, the Accept-Language header (which `LocaleMiddleware` has
already applied to the request). Authentication is the settings' (`DEFAULT_AUTHENTICATION_CLASSES`).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

LANGUAGE_QUERY_PARAM = "lang"

LANGUAGE_PARAMETER = OpenApiParameter(
    LANGUAGE_QUERY_PARAM,
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    enum=[code for code, _name in settings.LANGUAGES],
    description=_(
        "Language of translated fields (names, labels). Without it, the Accept-Language header "
        "decides; English is the fallback."
    ),
)


def language_from_query(value: str) -> str | None:
    """The supported language a `?lang=` value asks for (`zh_Hans`, `zh-CN` and `FR` work too)."""
    code = value.strip().replace("_", "-").lower()
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class ThrottledLocalisedAPIMixin:
    """Throttled API views whose translated fields follow `?lang=` or Accept-Language."""

    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    def dispatch(self, request, *args, **kwargs):
        requested = request.GET.get(LANGUAGE_QUERY_PARAM, "")
        language = language_from_query(requested)
        # An unsupported value is reported by `initial`, where DRF turns exceptions into 400s.
        self.unsupported_language = requested if requested.strip() and not language else None
        self.response_language = language or translation.get_language() or settings.LANGUAGE_CODE
        # Serialisers evaluate every translated string inside this block; the JSON rendered
        # afterwards contains plain strings only.
        with translation.override(self.response_language):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.unsupported_language is not None:
            raise ValidationError(
                {
                    LANGUAGE_QUERY_PARAM: [
                        _("Unsupported language “%(value)s”. Use one of: %(choices)s.")
                        % {
                            "value": self.unsupported_language[:20],
                            "choices": ", ".join(code for code, _name in settings.LANGUAGES),
                        }
                    ]
                }
            )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = self.response_language
        return response


# The former name, kept while the branches written against it are merged; the lead removes it.
PublicReadOnlyAPIMixin = ThrottledLocalisedAPIMixin
