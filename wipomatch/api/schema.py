"""Post-processing of the OpenAPI schema so that it says exactly what the API returns."""

from wipomatch.listings.serializers import ListingDetailSerializer

# Response fields left out below some detail level (public < member < owner): present in the
# component, never required.
OPTIONAL_RESPONSE_FIELDS = {
    "ListingDetail": set(ListingDetailSerializer.MEMBER_FIELDS)
    | set(ListingDetailSerializer.OWNER_FIELDS),
}


# Request bodies whose fields the services require on creation and full replacement (POST,
# PUT; the PATCH variants stay all-optional). The serializers leave them optional so that the
# service reports every bad field at once, in one 400.
REQUIRED_REQUEST_FIELDS = {"ListingInput": ["title", "summary", "description"]}


def optional_detail_fields(result, generator, request, public):
    schemas = result.get("components", {}).get("schemas", {})
    for component, required in REQUIRED_REQUEST_FIELDS.items():
        schema = schemas.get(component)
        if schema is not None:
            schema["required"] = sorted({*schema.get("required", []), *required})
    for component, optional in OPTIONAL_RESPONSE_FIELDS.items():
        schema = schemas.get(component)
        if not schema or "required" not in schema:
            continue
        schema["required"] = [name for name in schema["required"] if name not in optional]
        if not schema["required"]:
            del schema["required"]
    return result
