"""Page-number pagination whose malformed parameters are a 400, not a silent default."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

_DIGITS = re.compile(r"[0-9]+")


class StandardPagination(PageNumberPagination):
    """`?page=` (a number from 1, or `last`) and `?page_size=` (1 to 100; larger is capped).

    A page after the last one is a 404, as DRF answers; a value that is not a positive whole
    number is a 400 that says so.
    """

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        errors = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and page not in self.last_page_strings and not _is_positive(page):
            errors[self.page_query_param] = [_("Page must be a whole number from 1 (or “last”).")]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not _is_positive(size):
            errors[self.page_size_query_param] = [
                _("Page size must be a whole number from 1 to %(max)d.")
                % {"max": self.max_page_size}
            ]
        if errors:
            raise ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)


def _is_positive(value: str) -> bool:
    # No int(): a very long number is still a number (and then simply a page that does not exist).
    return bool(_DIGITS.fullmatch(value)) and value.strip("0") != ""
