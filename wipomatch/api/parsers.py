"""The API's JSON parser: nesting depth is bounded before Python's parser sees the body.

`json.loads` recurses once per level, so 50,000 nested brackets raise RecursionError (a 500).
No request body of this API nests deeper than a few levels; API_JSON_MAX_DEPTH is generous.
"""

import io
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Strings first (their brackets do not nest), then any bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    depth = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        limit = settings.API_JSON_MAX_DEPTH
        if json_depth_exceeds(body, limit):
            raise ParseError(
                _("JSON nested deeper than %(limit)d levels is not accepted.") % {"limit": limit}
            )
        return super().parse(io.BytesIO(body), media_type, parser_context)
