"""The default API documentation: a server-rendered reference built from the OpenAPI schema,
in the site's layout (language, navigation back to the site, accessible markup), with Swagger UI
kept one link away as an interactive explorer."""

import threading

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")
_cache: dict[str, dict] = {}
_lock = threading.Lock()


def api_schema(language: str) -> dict:
    """The public schema, generated once per language (descriptions are translated)."""
    with _lock:
        schema = _cache.get(language)
        if schema is None:
            schema = _cache[language] = SchemaGenerator().get_schema(request=None, public=True)
        return schema


def _type_of(schema: dict) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    if kind == "array":
        return f"{_type_of(schema.get('items') or {})}[]"
    if schema.get("enum"):
        return " | ".join(str(v) for v in schema["enum"][:8])
    return kind


def operations(schema: dict) -> list[dict]:
    """Operations grouped by resource (first path segment after /api/v1/)."""
    groups: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        resource = path.removeprefix("/api/v1/").split("/", 1)[0] or "api"
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            groups.setdefault(resource, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p.get("name"),
                            "where": p.get("in"),
                            "required": p.get("required", False),
                            "type": _type_of(p.get("schema") or {}),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _type_of(
                        next(
                            iter((operation.get("requestBody") or {}).get("content", {}).values()),
                            {},
                        ).get("schema")
                        or {}
                    ),
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return [{"name": name, "operations": ops} for name, ops in sorted(groups.items())]


@require_GET
def api_reference(request: HttpRequest) -> HttpResponse:
    schema = api_schema(get_language() or "en")
    context = {"info": schema.get("info", {}), "groups": operations(schema)}
    return render(request, "web/api_reference.html", context)
