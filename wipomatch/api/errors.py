"""API errors: Django's ValidationError and bad input become 400s with a clear message."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, OverflowError):
        # A number beyond what the database stores (10**20 on SQLite), in a URL or a body.
        exc = exceptions.ValidationError({"detail": [_("A number in the request is too large.")]})
    elif isinstance(exc, RecursionError):
        exc = exceptions.ParseError(_("The request is nested too deeply."))
    elif isinstance(exc, Http404):
        # `get_object_or_404` says "No Organisation matches the given query." in English only;
        # DRF's own "Not found." is translated into the language of the response.
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
