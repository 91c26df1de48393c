"""API representations of needs and offers, and the translation of JSON into `ListingData`.

The serializers check only the shape of the input (a list where a list is expected, a date that
is a date); what the values mean (known slugs, lengths once HTML is stripped, dates in order, a
budget only on financial offers) is checked by `validate_listing`, once, for the UI and the API
alike. Contact e-mails are never part of a listing's representation.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wipomatch.core.audit import audit_trail_for
from wipomatch.reference.models import VocabularyTerm
from wipomatch.reference.serializers import CountryCodeField, RegionCodeField

from .filters import SORTS, TERM_PARAMS
from .models import LANGUAGE_CODES, ClosedReason, Listing, Status, ui_to_listing_language
from .permissions import LISTING_ACTIONS, listing_allowed_actions
from .validation import MAX_BUDGET, SDG_GOAL_RANGE, ListingData

# --- Query parameters of the list endpoints ----------------------------------------------------


class ListingLanguageField(serializers.CharField):
    """One of the six UN languages as an ISO 639-1 code (`zh-hans` and `zh_Hans` read as `zh`)."""

    default_error_messages = {
        "unknown": _("Unknown language “{value}”. Use one of: {choices}."),
    }

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip()
        if not value:
            return ""
        code = ui_to_listing_language(value.replace("_", "-"))
        if code not in LANGUAGE_CODES:
            self.fail("unknown", value=value[:20], choices=", ".join(LANGUAGE_CODES))
        return code


def _slug_list(help_text):
    return serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        max_length=20,
        help_text=help_text,
    )


class ListingFilterSerializer(serializers.Serializer):
    """The filters of the /needs/ and /offers/ pages, as query parameters named after the vocabulary."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Text to search for, in any of the six UN languages."),
    )
    # Repeat a parameter for several values: a listing with any of them matches; different
    # parameters narrow the results.
    theme = _slug_list(_("Thematic area: slug of the themes vocabulary; repeatable (any of them)."))
    ip_area = _slug_list(_("IP area: slug of the ip_areas vocabulary; repeatable."))
    assistance_type = _slug_list(
        _("Type of assistance: slug of the assistance_types vocabulary; repeatable.")
    )
    resource_type = _slug_list(
        _("Type of resources (offers): slug of the resource_types vocabulary; repeatable.")
    )
    modality = _slug_list(
        _("Cooperation modality: slug of the cooperation_modalities vocabulary; repeatable.")
    )
    country = CountryCodeField(
        required=False,
        allow_blank=True,
        help_text=_(
            "ISO 3166-1 alpha-2 code: listings that apply to this country (worldwide offers too)."
        ),
    )
    region = RegionCodeField(required=False, allow_blank=True)
    ldc = serializers.BooleanField(
        required=False, help_text=_("true: listings that apply to least developed countries.")
    )
    language = ListingLanguageField(
        required=False,
        allow_blank=True,
        help_text=_("Written or delivered in this language: ar, zh, en, fr, ru or es."),
    )
    org_type = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text=_("Organisation type (slug of the organisation_types vocabulary)."),
    )
    sort = serializers.ChoiceField(
        choices=SORTS,
        required=False,
        default="relevance",
        help_text=_("relevance (with q; otherwise newest first), newest or expiring."),
    )
    mine = serializers.BooleanField(
        required=False,
        help_text=_(
            "true: the listings of your own organisation(s), in every status (signed-in members)."
        ),
    )
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text=_(
            "With mine=true, or for facilitators: only listings in this status "
            "(e.g. submitted for the validation queue)."
        ),
    )
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        default=25,
        help_text=_("Listings per page, 1 to 100 (larger values are capped)."),
    )

    def validate(self, attrs):
        errors = {}
        wanted = {param: attrs.get(param) or [] for param in TERM_PARAMS}
        wanted_org_type = attrs.get("org_type") or ""
        if any(wanted.values()) or wanted_org_type:
            # One query for every vocabulary, only when a vocabulary filter is given.
            known = set(
                VocabularyTerm.objects.filter(
                    kind__in=[*TERM_PARAMS.values(), VocabularyTerm.Kind.ORGANISATION_TYPE]
                ).values_list("kind", "slug")
            )
            for param, vocabulary in TERM_PARAMS.items():
                unknown = [s for s in wanted[param] if (vocabulary, s) not in known]
                if unknown:
                    errors[param] = [
                        _("Unknown value: %(values)s. See /api/v1/vocabularies/.")
                        % {"values": ", ".join(v[:64] for v in unknown)}
                    ]
            if (
                wanted_org_type
                and (VocabularyTerm.Kind.ORGANISATION_TYPE, wanted_org_type) not in known
            ):
                errors["org_type"] = [
                    _("Unknown organisation type “%(value)s”. See /api/v1/vocabularies/.")
                    % {"value": wanted_org_type[:64]}
                ]
        if errors:
            raise serializers.ValidationError(errors)
        attrs["page_size"] = min(attrs.get("page_size", 25), 100)
        return attrs


# --- Representations ---------------------------------------------------------------------------


class ListingOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    country = serializers.CharField(
        source="country.iso2", read_only=True, help_text=_("ISO 3166-1 alpha-2 code.")
    )


class ListingTranslationSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)


def _slugs_field():
    return serializers.ListField(child=serializers.SlugField(), read_only=True)


class ListingSummarySerializer(serializers.Serializer):
    """What everyone, visitors included, sees of a listing: its summary and its facets."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=["need", "offer"], read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    title = serializers.CharField(read_only=True, help_text=_("In the language of the listing."))
    summary = serializers.CharField(read_only=True)
    display_title = serializers.CharField(
        read_only=True,
        help_text=_("The title in the language of the response when a translation was given."),
    )
    display_summary = serializers.CharField(read_only=True)
    language = serializers.CharField(
        read_only=True, help_text=_("Language of the listing (ISO 639-1).")
    )
    translations = serializers.DictField(
        child=ListingTranslationSerializer(),
        read_only=True,
        help_text=_("Title and summary in other UN languages, keyed by ISO 639-1 code."),
    )
    # Slugs of the vocabularies of /api/v1/vocabularies/ (modalities: cooperation_modalities).
    themes = _slugs_field()
    ip_areas = _slugs_field()
    assistance_types = _slugs_field()
    resource_types = _slugs_field()
    modalities = _slugs_field()
    countries = serializers.SerializerMethodField(help_text=_("ISO 3166-1 alpha-2 codes."))
    regions = serializers.SerializerMethodField(help_text=_("UN M49 codes."))
    worldwide = serializers.BooleanField(read_only=True)
    delivery_languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    sdg_goals = serializers.SerializerMethodField(help_text=_("Numbers of the SDG goals."))
    organisation = ListingOrganisationSerializer(read_only=True)
    published_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    url = serializers.SerializerMethodField(
        help_text=_("The listing's page on the platform, in the language of the response.")
    )

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_countries(self, obj: Listing) -> list[str]:
        return sorted(c.iso2 for c in obj.countries.all())

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_regions(self, obj: Listing) -> list[str]:
        return sorted(r.code for r in obj.regions.all())

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_sdg_goals(self, obj: Listing) -> list[int]:
        return sorted(g.number for g in obj.sdg_goals.all())

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj: Listing) -> str:
        path = obj.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ListingAuditEventSerializer(serializers.Serializer):
    action = serializers.CharField(read_only=True)
    from_state = serializers.CharField(read_only=True)
    to_state = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(source="created_at", read_only=True)
    by = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_by(self, obj) -> str | None:
        return obj.actor.display_name if obj.actor_id else None


class ListingDetailSerializer(ListingSummarySerializer):
    """One listing. Members see the full details; the owner organisation and facilitators also
    see the review and its history. Fields a reader may not see are left out of the response."""

    MEMBER_FIELDS = (
        "description",
        "sdg_targets",
        "start_date",
        "end_date",
        "budget_min",
        "budget_max",
        "budget_currency",
        "content_updated_at",
    )
    OWNER_FIELDS = (
        "review_comment",
        "closed_reason",
        "submitted_at",
        "closed_at",
        "created_at",
        "updated_at",
        "history",
        "allowed_actions",
    )

    description = serializers.CharField(read_only=True, help_text=_("Members only."))
    sdg_targets = serializers.SerializerMethodField(
        help_text=_("Codes of the SDG targets (members only).")
    )
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True)
    budget_min = serializers.IntegerField(read_only=True)
    budget_max = serializers.IntegerField(read_only=True)
    budget_currency = serializers.CharField(read_only=True)
    content_updated_at = serializers.DateTimeField(read_only=True)
    review_comment = serializers.CharField(
        read_only=True, help_text=_("The owner organisation and facilitators only.")
    )
    closed_reason = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    history = serializers.SerializerMethodField(
        help_text=_("Every change of the listing, oldest first (owner and facilitators only).")
    )
    allowed_actions = serializers.SerializerMethodField(
        help_text=_(
            "What the requesting user may do with the listing now (edit, submit, renew, close, "
            "review, publish, request_changes, reject; owner and facilitators only)."
        )
    )

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_sdg_targets(self, obj: Listing) -> list[str]:
        return sorted(t.code for t in obj.sdg_targets.all())

    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": LISTING_ACTIONS}})
    def get_allowed_actions(self, obj: Listing) -> list[str]:
        request = self.context.get("request")
        user = request.user if request is not None else None
        return [name for name, allowed in listing_allowed_actions(user, obj).items() if allowed]

    @extend_schema_field(ListingAuditEventSerializer(many=True))
    def get_history(self, obj: Listing) -> list[dict]:
        events = audit_trail_for(obj).order_by("created_at", "id")
        return ListingAuditEventSerializer(events, many=True).data

    def to_representation(self, instance):
        # The level is decided by the view from the permissions ("public", "member", "owner");
        # fields above it are not computed at all.
        level = self.context.get("detail_level", "public")
        hidden = set()
        if level == "public":
            hidden = {*self.MEMBER_FIELDS, *self.OWNER_FIELDS}
        elif level == "member":
            hidden = set(self.OWNER_FIELDS)
        for name in hidden:
            self.fields.pop(name, None)
        return super().to_representation(instance)


def _counts(help_text):
    return serializers.DictField(
        child=serializers.IntegerField(), required=False, help_text=help_text
    )


class ListingFacetsSerializer(serializers.Serializer):
    """Facet counts: value → number of matching listings. Vocabulary facets always; the others
    on the published catalogue (not with mine=true or status=)."""

    themes = _counts(_("By thematic area (slug)."))
    ip_areas = _counts(_("By IP area (slug)."))
    assistance_types = _counts(_("By type of assistance (slug)."))
    resource_types = _counts(_("By type of resources (slug)."))
    modalities = _counts(_("By cooperation modality (slug)."))
    countries = _counts(
        _("By country where the listings apply (ISO alpha-2); worldwide ones count everywhere.")
    )
    regions = _counts(_("By M49 region, sub-region and intermediate region."))
    languages = _counts(_("By language written or delivered in (ISO 639-1)."))
    org_types = _counts(_("By organisation type (slug)."))
    ldc = serializers.IntegerField(
        required=False, help_text=_("Listings that apply to least developed countries.")
    )


class ListingPageSerializer(serializers.Serializer):
    """A page of listings with the facet counts of the whole result (for the schema)."""

    count = serializers.IntegerField(help_text=_("Listings matching the filters."))
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ListingSummarySerializer(many=True)
    facets = ListingFacetsSerializer(
        help_text=_("Counts over every listing that matches the filters (not only this page).")
    )


# --- Input --------------------------------------------------------------------------------------


class ListingInputSerializer(serializers.Serializer):
    """JSON in, `ListingData` out. Meaning is checked by the services (`validate_listing`)."""

    DATA_FIELDS = tuple(ListingData.__dataclass_fields__)

    organisation = serializers.IntegerField(
        required=False,
        help_text=_(
            "Id of your organisation; needed only when you belong to several (creation only)."
        ),
    )
    submit = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("true: submit for review at once instead of keeping a draft (creation only)."),
    )
    title = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    language = serializers.CharField(
        required=False, allow_blank=True, help_text=_("ISO 639-1 code: ar, zh, en, fr, ru or es.")
    )
    themes = serializers.ListField(child=serializers.CharField(), required=False)
    ip_areas = serializers.ListField(child=serializers.CharField(), required=False)
    assistance_types = serializers.ListField(child=serializers.CharField(), required=False)
    resource_types = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=_("Offers only.")
    )
    modalities = serializers.ListField(child=serializers.CharField(), required=False)
    countries = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("ISO 3166-1 alpha-2 codes. A need without countries applies to your own."),
    )
    regions = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_(
            "UN M49 codes (offers only). An offer without countries or regions is available "
            "worldwide."
        ),
    )
    delivery_languages = serializers.ListField(child=serializers.CharField(), required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    budget_min = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_BUDGET
    )
    budget_max = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_BUDGET
    )
    budget_currency = serializers.CharField(required=False, allow_blank=True)
    sdg_goals = serializers.ListField(
        child=serializers.IntegerField(min_value=SDG_GOAL_RANGE[0], max_value=SDG_GOAL_RANGE[1]),
        required=False,
    )
    sdg_targets = serializers.ListField(child=serializers.CharField(), required=False)
    translations = serializers.DictField(
        child=ListingTranslationSerializer(),
        required=False,
        help_text=_('Title and summary in other UN languages, e.g. {"fr": {"title": "..."}}.'),
    )

    def listing_data(self, base: ListingData | None = None) -> ListingData:
        """The validated input as `ListingData`; on a partial update, over the current values."""
        values = dict(base.__dict__) if base is not None else {}
        for name in self.DATA_FIELDS:
            if name in self.validated_data:
                value = self.validated_data[name]
                if name == "translations":
                    value = {lang: dict(parts) for lang, parts in value.items()}
                elif name == "budget_currency":
                    value = value.upper()
                values[name] = value
        return ListingData(**values)


def listing_data_of(listing: Listing) -> ListingData:
    """The current content of a listing as `ListingData` (the base of a partial update)."""
    return ListingData(
        title=listing.title,
        summary=listing.summary,
        description=listing.description,
        language=listing.language,
        themes=listing.themes,
        ip_areas=listing.ip_areas,
        assistance_types=listing.assistance_types,
        resource_types=listing.resource_types,
        modalities=listing.modalities,
        # A need stored with its organisation's country only (the default) stays that way.
        countries=[c.iso2 for c in listing.countries.all()],
        regions=[r.code for r in listing.regions.all()],
        delivery_languages=list(listing.delivery_languages),
        start_date=listing.start_date,
        end_date=listing.end_date,
        budget_min=listing.budget_min,
        budget_max=listing.budget_max,
        budget_currency=listing.budget_currency,
        sdg_goals=[g.number for g in listing.sdg_goals.all()],
        sdg_targets=[t.code for t in listing.sdg_targets.all()],
        translations=dict(listing.translations or {}),
    )


class ListingCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("For the owner: what should change (request-changes), or a note (publish)."),
    )


class ListingRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Why the listing is rejected.")
    )


class ListingCloseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=ClosedReason.choices, help_text=_("fulfilled or withdrawn.")
    )
    note = serializers.CharField(required=False, allow_blank=True)
