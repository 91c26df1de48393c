"""API documentation served from the vendored Swagger UI (drf-spectacular-sidecar)."""

import json

from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerView


class LocalSwaggerView(SpectacularSwaggerView):
    """Swagger UI that contacts no other site.

    Swagger UI's default `validatorUrl` makes the browser fetch a badge from validator.swagger.io
    (sending it the schema's address); `None` turns that off, so the page loads only /static/ files
    and the schema.
    """

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        configured = spectacular_settings.SWAGGER_UI_SETTINGS
        if isinstance(configured, dict):
            response.data["settings"] = json.dumps({**configured, "validatorUrl": None}, indent=2)
        return response
