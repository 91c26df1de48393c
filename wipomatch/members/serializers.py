"""API representations of member organisations. The contact e-mail is never part of them: it is
shared only between members who have both agreed to a contact."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wipomatch.reference.models import VocabularyTerm
from wipomatch.reference.serializers import CountryCodeField, RegionCodeField

from .models import Organisation


class OrganisationFilterSerializer(serializers.Serializer):
    """The directory's filters (`organisation_directory` applies them, for the UI and the API)."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Text to find in the name, acronym or description."),
    )
    country = CountryCodeField(required=False, allow_blank=True)
    region = RegionCodeField(required=False, allow_blank=True)
    org_type = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Organisation type (slug of the organisation_types vocabulary)."),
    )
    theme = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Thematic area (slug of the themes vocabulary)."),
    )

    def _known_slug(self, kind: str, value: str, message) -> str:
        if value and not VocabularyTerm.objects.filter(kind=kind, slug=value).exists():
            raise serializers.ValidationError(message % {"value": value[:64]})
        return value

    def validate_org_type(self, value: str) -> str:
        return self._known_slug(
            VocabularyTerm.Kind.ORGANISATION_TYPE,
            value,
            _("Unknown organisation type “%(value)s”. See /api/v1/vocabularies/."),
        )

    def validate_theme(self, value: str) -> str:
        return self._known_slug(
            VocabularyTerm.Kind.THEME,
            value,
            _("Unknown thematic area “%(value)s”. See /api/v1/vocabularies/."),
        )


class OrganisationSerializer(serializers.ModelSerializer):
    org_type_label = serializers.SerializerMethodField(
        help_text=_("Organisation type in the language of the response.")
    )
    country = serializers.SlugRelatedField(
        slug_field="iso2", read_only=True, help_text=_("ISO 3166-1 alpha-2 code.")
    )
    country_name = serializers.CharField(source="country.name", read_only=True)
    region = serializers.SerializerMethodField(help_text=_("M49 code of the country's region."))
    region_name = serializers.SerializerMethodField()
    themes = serializers.ListField(
        child=serializers.SlugField(),
        read_only=True,
        help_text=_("Thematic areas (slugs of the themes vocabulary)."),
    )
    member_since = serializers.SerializerMethodField(
        help_text=_("Date the organisation was admitted.")
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "acronym",
            "org_type",
            "org_type_label",
            "country",
            "country_name",
            "region",
            "region_name",
            "website",
            "description",
            "themes",
            "member_since",
        ]
        read_only_fields = fields

    def _org_type_labels(self) -> dict[str, str]:
        # One query per response, not per organisation: the context is shared by the whole list.
        labels = self.context.get("_org_type_labels")
        if labels is None:
            labels = {
                term.slug: term.display_label
                for term in VocabularyTerm.objects.filter(
                    kind=VocabularyTerm.Kind.ORGANISATION_TYPE
                )
            }
            self.context["_org_type_labels"] = labels
        return labels

    @extend_schema_field(OpenApiTypes.STR)
    def get_org_type_label(self, obj: Organisation) -> str:
        return self._org_type_labels().get(obj.org_type, obj.org_type)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_region(self, obj: Organisation) -> str | None:
        region = obj.country.region
        return region.code if region else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_region_name(self, obj: Organisation) -> str | None:
        region = obj.country.region
        return region.name if region else None

    @extend_schema_field({"type": "string", "format": "date", "nullable": True})
    def get_member_since(self, obj: Organisation) -> str | None:
        if obj.approved_at is None:
            return None
        return timezone.localdate(obj.approved_at).isoformat()
