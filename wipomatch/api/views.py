"""API documentation served from the vendored Swagger UI (drf-spectacular-sidecar)."""

import json

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView

# The one <style> element Swagger UI (the vendored version) adds at start-up, allowed by its hash
# on this page only.
SWAGGER_UI_STYLE_HASH = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"


@method_decorator(csp_update({"style-src": [SWAGGER_UI_STYLE_HASH]}), name="dispatch")
class LocalSwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI that contacts no other site.

    Swagger UI's default `validatorUrl` makes the browser fetch a badge from validator.swagger.io
    (sending it the schema's address); `None` turns that off, so the page loads only /static/ files
    and the schema. Its start-up script is a separate request (`?script`), not inline, for the
    Content-Security-Policy.
    """

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        configured = spectacular_settings.SWAGGER_UI_SETTINGS
        if isinstance(configured, dict) and "settings" in response.data:
            response.data["settings"] = json.dumps({**configured, "validatorUrl": None}, indent=2)
        return response
