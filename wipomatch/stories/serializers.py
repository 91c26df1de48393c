"""API representations of stories. Bodies are served as sanitised HTML (`body_html`), never as
raw markdown rendered by the client."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wipomatch.listings.serializers import ListingLanguageField
from wipomatch.reference.models import VocabularyTerm
from wipomatch.reference.serializers import CountryCodeField, RegionCodeField

from .models import Kind, Story
from .rendering import render_markdown
from .selectors import visible_story_cases


class StoryFilterSerializer(serializers.Serializer):
    """The filters of the /stories/ page as query parameters; repeat a parameter for several
    values (any of them); different parameters narrow the results."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Text to search for, in any of the six UN languages."),
    )
    kind = serializers.ListField(
        child=serializers.ChoiceField(choices=Kind.choices),
        required=False,
        max_length=3,
        help_text=_("success_story, best_practice or lesson_learned; repeatable."),
    )
    theme = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        max_length=20,
        help_text=_("Thematic area: slug of the themes vocabulary; repeatable."),
    )
    country = CountryCodeField(
        required=False, allow_blank=True, help_text=_("ISO 3166-1 alpha-2 code.")
    )
    region = RegionCodeField(required=False, allow_blank=True)
    sdg = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=17),
        required=False,
        max_length=17,
        help_text=_("Sustainable Development Goal number (1 to 17); repeatable."),
    )
    language = ListingLanguageField(
        required=False,
        allow_blank=True,
        help_text=_("Written in this language: ar, zh, en, fr, ru or es."),
    )
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        default=25,
        help_text=_("Stories per page, 1 to 100 (larger values are capped)."),
    )

    def validate_theme(self, value):
        known = set(
            VocabularyTerm.objects.filter(
                kind=VocabularyTerm.Kind.THEME, slug__in=value
            ).values_list("slug", flat=True)
        )
        unknown = [slug for slug in value if slug not in known]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown thematic area “%(value)s”.") % {"value": unknown[0][:64]}
            )
        return list(dict.fromkeys(value))

    def validate_page_size(self, value):
        return min(value, 100)


class StoryTermSerializer(serializers.Serializer):
    slug = serializers.CharField()
    label = serializers.CharField(source="display_label")


class StoryCountrySerializer(serializers.Serializer):
    iso2 = serializers.CharField()
    name = serializers.CharField()
    ldc = serializers.BooleanField()


class StoryOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    country = serializers.CharField(source="country.iso2")


class StoryKeyResultSerializer(serializers.Serializer):
    figure = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)
    unit = serializers.CharField()
    label = serializers.CharField()


class StoryImageSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    alt_text = serializers.CharField()
    caption = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, image) -> str:
        request = self.context.get("request")
        url = image.file.url
        return request.build_absolute_uri(url) if request else url


class StoryVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    language = serializers.CharField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text=_("The story's page in this language."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, story) -> str:
        return _absolute(self.context, reverse("stories:detail", args=[story.pk]))


def _absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class StoryInitiativeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text=_("The initiative's page."))
    api_url = serializers.SerializerMethodField(help_text=_("The initiative in the API."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, initiative) -> str:
        return _absolute(self.context, reverse("cooperation:detail", args=[initiative.pk]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, initiative) -> str:
        return _absolute(self.context, f"/api/v1/initiatives/{initiative.pk}/")


class StoryCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    state = serializers.CharField(help_text=_("The state of the case (agreement)."))
    requesting_organisation = serializers.CharField(source="requesting_organisation.name")
    receiving_organisation = serializers.CharField(source="receiving_organisation.name")
    url = serializers.SerializerMethodField(help_text=_("The case's page."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, case) -> str:
        return _absolute(self.context, case.get_absolute_url())


class StorySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    url = serializers.SerializerMethodField(help_text=_("The story's page."))
    kind = serializers.CharField(help_text=_("success_story, best_practice or lesson_learned."))
    language = serializers.CharField(help_text=_("ISO 639-1 code of the language of the story."))
    title = serializers.CharField()
    summary = serializers.CharField()
    body_html = serializers.SerializerMethodField(
        help_text=_("The story as sanitised HTML (an allow-list of tags, no scripts).")
    )
    organisation = StoryOrganisationSerializer()
    organisations_involved = StoryOrganisationSerializer(many=True)
    themes = StoryTermSerializer(many=True)
    ip_areas = StoryTermSerializer(many=True)
    countries = StoryCountrySerializer(many=True, source="countries.all")
    sdg_goals = serializers.SerializerMethodField()
    key_results = StoryKeyResultSerializer(many=True, source="key_results.all")
    images = StoryImageSerializer(many=True, source="images.all")
    versions = serializers.SerializerMethodField(
        help_text=_("The published versions of this story in other languages.")
    )
    initiatives = serializers.SerializerMethodField(
        help_text=_("The published cooperation initiatives this story comes from.")
    )
    cases = serializers.SerializerMethodField(
        help_text=_(
            "The brokering cases this story comes from that the caller may see (the cases of "
            "the caller's organisations; every case for facilitators); empty for anyone else."
        )
    )
    published_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, story) -> str:
        return _absolute(self.context, reverse("stories:detail", args=[story.pk]))

    @extend_schema_field(StoryCaseSerializer(many=True))
    def get_cases(self, story) -> list[dict]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return []
        cases = visible_story_cases(user, story)
        return StoryCaseSerializer(cases, many=True, context=self.context).data

    def get_body_html(self, story) -> str:
        return render_markdown(story.body)

    def get_sdg_goals(self, story) -> list[int]:
        return [goal.number for goal in story.sdg_goals.all()]

    @staticmethod
    def _versions(story) -> list:
        versions = getattr(story, "published_versions", None)
        if versions is None:
            versions = list(
                Story.objects.public()
                .filter(group=story.group)
                .exclude(pk=story.pk)
                .only("pk", "language", "title")
            )
        return versions

    @extend_schema_field(StoryInitiativeSerializer(many=True))
    def get_initiatives(self, story) -> list[dict]:
        initiatives = [i for i in story.initiatives.all() if i.is_public]
        return StoryInitiativeSerializer(initiatives, many=True, context=self.context).data

    @extend_schema_field(StoryVersionSerializer(many=True))
    def get_versions(self, story) -> list[dict]:
        return StoryVersionSerializer(self._versions(story), many=True, context=self.context).data


class StoryPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Stories matching the filters."))
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = StorySerializer(many=True)
