"""Forms of the needs and offers pages. They check the shape of the input; the services (through
`validate_listing`) hold the rules, and their ValidationErrors come back onto these fields.

Choices are read from the reference data when the form is built, so labels follow the language
of the request (vocabulary labels, country and region names, SDG short names).
"""

import threading
import time

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wipomatch.core.forms import StyledForm
from wipomatch.core.widgets import PickerCheckboxes
from wipomatch.members.forms import region_choices
from wipomatch.reference.models import Country, SdgGoal, SdgTarget, VocabularyTerm

from .filters import SORTS, TERM_PARAMS, BrowseFilters
from .models import LISTING_LANGUAGES, ClosedReason, Kind, Listing, ui_to_listing_language
from .validation import CURRENCIES, MAX_LENGTHS, ListingData

# Form field (as in ListingData) → vocabulary.
TERM_FIELDS = {
    "themes": VocabularyTerm.Kind.THEME,
    "ip_areas": VocabularyTerm.Kind.IP_AREA,
    "assistance_types": VocabularyTerm.Kind.ASSISTANCE_TYPE,
    "resource_types": VocabularyTerm.Kind.RESOURCE_TYPE,
    "modalities": VocabularyTerm.Kind.MODALITY,
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "newest": _("Newest first"),
    "expiring": _("Expiring soon"),
}


def vocabulary_choices() -> dict[str, list[tuple[str, str]]]:
    """Active terms of every listing vocabulary, in one query, labels in the active language."""
    choices: dict[str, list[tuple[str, str]]] = {kind: [] for kind in TERM_FIELDS.values()}
    kinds = [*TERM_FIELDS.values(), VocabularyTerm.Kind.ORGANISATION_TYPE]
    for term in VocabularyTerm.objects.filter(kind__in=kinds, active=True):
        choices.setdefault(term.kind, []).append((term.slug, term.display_label))
    return choices


def country_choices() -> list[tuple[str, str]]:
    return sorted(
        ((c.iso2, c.name) for c in Country.objects.only("iso2", "names")),
        key=lambda pair: pair[1].casefold(),
    )


_browse_choices: dict[str, tuple[float, dict]] = {}
_browse_choices_lock = threading.Lock()


def browse_choices() -> dict:
    """The choices of the browse form in the active language (vocabularies, countries, regions).

    Kept in this process for `LISTING_BROWSE_CACHE_SECONDS` per language (reference data changes
    with a deployment, not per request: rebuilding them cost a fifth of a browse page); 0 reads
    them at every request (the tests)."""
    seconds = settings.LISTING_BROWSE_CACHE_SECONDS
    language = get_language() or ""
    now = time.monotonic()
    if seconds:
        hit = _browse_choices.get(language)
        if hit is not None and hit[0] > now:
            return hit[1]
    value = {
        "vocabularies": vocabulary_choices(),
        "countries": country_choices(),
        "regions": region_choices(),
    }
    if seconds:
        with _browse_choices_lock:
            _browse_choices[language] = (now + seconds, value)
    return value


def clear_browse_choices() -> None:
    with _browse_choices_lock:
        _browse_choices.clear()


def sdg_goal_choices() -> list[tuple[int, str]]:
    return [(g.number, f"{g.number}. {g.short_name}") for g in SdgGoal.objects.all()]


def sdg_target_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Targets grouped under their goal; long titles are shortened to keep the list readable."""
    groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for target in SdgTarget.objects.select_related("goal"):
        goal = target.goal
        label, options = groups.setdefault(goal.number, (f"{goal.number}. {goal.short_name}", []))
        title = target.title
        if len(title) > 110:
            title = title[:107].rstrip() + "…"
        options.append((target.code, f"{target.code} {title}"))
    return [groups[number] for number in sorted(groups)]


# --- Browsing ----------------------------------------------------------------------------------


class BrowseForm(StyledForm):
    """The GET parameters of /needs/ and /offers/. Unknown values are ignored, never a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    theme = forms.MultipleChoiceField(label=_("Thematic area"), required=False)
    ip_area = forms.MultipleChoiceField(label=_("IP area"), required=False)
    assistance_type = forms.MultipleChoiceField(label=_("Type of assistance"), required=False)
    resource_type = forms.MultipleChoiceField(label=_("Type of resources"), required=False)
    modality = forms.MultipleChoiceField(label=_("Cooperation modality"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    ldc = forms.BooleanField(label=_("Least developed countries only"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    org_type = forms.ChoiceField(label=_("Organisation type"), required=False)

    def __init__(self, *args, kind: str = Kind.NEED, vocabularies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        choices = browse_choices()
        vocabularies = vocabularies or choices["vocabularies"]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.fields["sort"].choices = list(SORT_LABELS.items())
        for param, vocab in TERM_PARAMS.items():
            self.fields[param].choices = vocabularies.get(vocab, [])
        if kind != Kind.OFFER:
            del self.fields["resource_type"]
        self.fields["country"].choices = [("", _("All countries")), *choices["countries"]]
        self.fields["region"].choices = [("", _("All regions")), *choices["regions"]]
        self.fields["language"].choices = [("", _("All languages")), *LISTING_LANGUAGES]
        self.fields["org_type"].choices = [
            ("", _("All types")),
            *vocabularies.get(VocabularyTerm.Kind.ORGANISATION_TYPE, []),
        ]

    def filters(self) -> BrowseFilters:
        """The valid part of the query: a stale or forged value is dropped, the rest applies."""
        data = self.data
        result = BrowseFilters()
        q = (data.get("q") or "").strip()
        result.q = q[:200]
        sort = data.get("sort") or ""
        result.sort = sort if sort in SORTS else "relevance"
        for param in TERM_PARAMS:
            if param not in self.fields:
                continue
            allowed = {str(value) for value, _label in self.fields[param].choices}
            values = data.getlist(param) if hasattr(data, "getlist") else data.get(param) or []
            setattr(result, param, [v for v in dict.fromkeys(values) if v in allowed])
        for param in ("country", "region", "language", "org_type"):
            value = (data.get(param) or "").strip()
            if param == "country":
                value = value.upper()
            allowed = {str(v) for v, _label in self.fields[param].choices if v}
            setattr(result, param, value if value in allowed else "")
        result.ldc = (data.get("ldc") or "") in ("1", "on", "true", "yes")
        return result


# --- Writing a need or an offer ----------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ListingForm(StyledForm):
    """One form per kind (`kind` decides which fields exist) mapping onto `ListingData`."""

    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_LENGTHS["title"],
        help_text=_(
            "A short, specific title, for instance “Training examiners in plant variety "
            "protection”."
        ),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=MAX_LENGTHS["summary"],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown to everyone, including visitors."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_LENGTHS["description"],
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "The full details, shown to members of the platform: context, what is expected, "
            "who benefits. Plain text; markup is removed."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the listing"),
        choices=LISTING_LANGUAGES,
        help_text=_("The language in which you wrote the title, summary and description."),
    )
    themes = forms.MultipleChoiceField(
        label=_("Thematic areas"), widget=forms.CheckboxSelectMultiple
    )
    ip_areas = forms.MultipleChoiceField(
        label=_("IP areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    assistance_types = forms.MultipleChoiceField(
        label=_("Types of assistance"), widget=forms.CheckboxSelectMultiple
    )
    resource_types = forms.MultipleChoiceField(
        label=_("Resources offered"), widget=forms.CheckboxSelectMultiple
    )
    modalities = forms.MultipleChoiceField(
        label=_("Cooperation modalities accepted"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    coverage = forms.ChoiceField(
        label=_("Where can it be delivered?"),
        choices=[
            ("worldwide", _("Anywhere in the world")),
            ("chosen", _("In the countries and regions chosen below")),
        ],
        initial="worldwide",
        widget=forms.RadioSelect,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"), required=False, widget=PickerCheckboxes
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        required=False,
        help_text=_("UN M49 regions and sub-regions. Tick as many as apply."),
        widget=PickerCheckboxes,
    )
    delivery_languages = forms.MultipleChoiceField(
        label=_("Languages of delivery"),
        choices=LISTING_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end_date = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    budget_min = forms.IntegerField(label=_("Budget from"), required=False, min_value=0)
    budget_max = forms.IntegerField(label=_("Budget up to"), required=False, min_value=0)
    budget_currency = forms.ChoiceField(
        label=_("Currency"),
        required=False,
        choices=[("", _("Choose a currency")), *((c, c) for c in CURRENCIES)],
    )
    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_targets = forms.MultipleChoiceField(
        label=_("SDG targets"),
        required=False,
        help_text=_("Optional. Type a number or a word to filter the list; tick as many as apply."),
        widget=PickerCheckboxes,
    )

    def __init__(self, *args, kind: str, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.organisation = organisation
        vocabularies = vocabulary_choices()
        for name, vocab in TERM_FIELDS.items():
            self.fields[name].choices = vocabularies.get(vocab, [])
        self.fields["countries"].choices = country_choices()
        self.fields["sdg_goals"].choices = sdg_goal_choices()
        self.fields["sdg_targets"].choices = sdg_target_choices()
        if kind == Kind.OFFER:
            self.fields["regions"].choices = region_choices()
            self.fields["countries"].help_text = _(
                "Type a name to filter the list; tick as many countries as apply."
            )
            self.fields["budget_min"].help_text = _(
                "Only for offers of financial resources. Leave empty otherwise."
            )
        else:
            for name in ("resource_types", "coverage", "regions"):
                del self.fields[name]
            for name in ("budget_min", "budget_max", "budget_currency"):
                del self.fields[name]
            self.fields["countries"].label = _("Countries where the assistance is needed")
            self.fields["countries"].help_text = _(
                "Leave empty for your organisation’s country. Type a name to filter the list."
            )
        if not self.is_bound and "language" not in self.initial:
            self.initial["language"] = ui_to_listing_language(get_language() or "en")
        self.translation_fields = []
        for code, name in LISTING_LANGUAGES:
            title, summary = f"title_{code}", f"summary_{code}"
            self.fields[title] = forms.CharField(
                label=_("Title in %(language)s") % {"language": name},
                required=False,
                max_length=MAX_LENGTHS["title"],
            )
            self.fields[summary] = forms.CharField(
                label=_("Summary in %(language)s") % {"language": name},
                required=False,
                max_length=MAX_LENGTHS["summary"],
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[title].widget.attrs["lang"] = code
            self.fields[summary].widget.attrs["lang"] = code
            self.translation_fields.append((code, name, self[title], self[summary]))

    # Groups of fields for the template, so that each part of the form has its own fieldset.
    def bound(self, *names):
        return [self[name] for name in names if name in self.fields]

    @property
    def facet_fields(self):
        return self.bound("themes", "ip_areas", "assistance_types", "resource_types", "modalities")

    @property
    def place_fields(self):
        return self.bound("coverage", "countries", "regions", "delivery_languages")

    @property
    def has_translations(self) -> bool:
        return any(
            title.value() or summary.value() for _c, _n, title, summary in self.translation_fields
        )

    def clean(self):
        data = super().clean()
        chosen = self.kind == Kind.OFFER and data.get("coverage") == "chosen"
        if chosen and not data.get("countries") and not data.get("regions"):
            self.add_error(
                "countries",
                _("Choose at least one country or region, or choose “Anywhere in the world”."),
            )
        return data

    def listing_data(self) -> ListingData:
        data = self.cleaned_data
        worldwide = self.kind == Kind.OFFER and data.get("coverage") == "worldwide"
        translations = {}
        for code, _name in LISTING_LANGUAGES:
            title = (data.get(f"title_{code}") or "").strip()
            summary = (data.get(f"summary_{code}") or "").strip()
            if (title or summary) and code != data.get("language"):
                translations[code] = {"title": title, "summary": summary}
        return ListingData(
            title=data.get("title", ""),
            summary=data.get("summary", ""),
            description=data.get("description", ""),
            language=data.get("language", ""),
            themes=list(data.get("themes") or []),
            ip_areas=list(data.get("ip_areas") or []),
            assistance_types=list(data.get("assistance_types") or []),
            resource_types=list(data.get("resource_types") or []),
            modalities=list(data.get("modalities") or []),
            countries=[] if worldwide else list(data.get("countries") or []),
            regions=[] if worldwide else list(data.get("regions") or []),
            delivery_languages=list(data.get("delivery_languages") or []),
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            budget_min=data.get("budget_min"),
            budget_max=data.get("budget_max"),
            budget_currency=data.get("budget_currency") or "",
            sdg_goals=list(data.get("sdg_goals") or []),
            sdg_targets=list(data.get("sdg_targets") or []),
            translations=translations,
        )

    @staticmethod
    def initial_from_data(data) -> dict:
        """The form's initial values from `ListingData` (changes awaiting review)."""
        initial = {
            "title": data.title,
            "summary": data.summary,
            "description": data.description,
            "language": data.language,
            "countries": list(data.countries),
            "regions": list(data.regions),
            "coverage": "chosen" if (data.countries or data.regions) else "worldwide",
            "delivery_languages": list(data.delivery_languages),
            "start_date": data.start_date,
            "end_date": data.end_date,
            "budget_min": data.budget_min,
            "budget_max": data.budget_max,
            "budget_currency": data.budget_currency,
            "sdg_goals": list(data.sdg_goals),
            "sdg_targets": list(data.sdg_targets),
        }
        for name in TERM_FIELDS:
            initial[name] = list(getattr(data, name))
        for code, parts in (data.translations or {}).items():
            initial[f"title_{code}"] = parts.get("title", "")
            initial[f"summary_{code}"] = parts.get("summary", "")
        return initial

    @staticmethod
    def initial_from(listing: Listing) -> dict:
        """The form's initial values for editing a stored listing."""
        initial = {
            "title": listing.title,
            "summary": listing.summary,
            "description": listing.description,
            "language": listing.language,
            "countries": [c.iso2 for c in listing.countries.all()],
            "regions": [r.code for r in listing.regions.all()],
            "coverage": "worldwide" if listing.worldwide else "chosen",
            "delivery_languages": list(listing.delivery_languages or []),
            "start_date": listing.start_date,
            "end_date": listing.end_date,
            "budget_min": listing.budget_min,
            "budget_max": listing.budget_max,
            "budget_currency": listing.budget_currency,
            "sdg_goals": [g.number for g in listing.sdg_goals.all()],
            "sdg_targets": [t.code for t in listing.sdg_targets.all()],
        }
        for name, vocab in TERM_FIELDS.items():
            initial[name] = [t.slug for t in listing.terms.all() if t.kind == vocab]
        for code, parts in (listing.translations or {}).items():
            initial[f"title_{code}"] = parts.get("title", "")
            initial[f"summary_{code}"] = parts.get("summary", "")
        return initial


# --- Lifecycle actions -------------------------------------------------------------------------


class CloseForm(StyledForm):
    reason = forms.ChoiceField(
        label=_("Why are you closing this listing?"),
        choices=ClosedReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For instance, who helped you. Recorded in the history of the listing."),
    )


class ReviewForm(StyledForm):
    """A facilitator's decision on a submitted listing."""

    DECISIONS = [
        ("publish", _("Publish")),
        ("changes", _("Ask for changes")),
        ("reject", _("Reject")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment to the owner"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required when you ask for changes (say what should change) or reject (give the "
            "reason). Sent to the owner and recorded in the history."
        ),
    )


class RevisionDecisionForm(StyledForm):
    """A facilitator's decision on changes proposed to a published listing."""

    DECISIONS = [("accept", _("Accept the changes")), ("reject", _("Do not accept the changes"))]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment to the owner"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required when you do not accept the changes (give the reason). Sent to the owner "
            "and recorded in the history."
        ),
    )


class BulkPublishForm(forms.Form):
    listings = forms.TypedMultipleChoiceField(coerce=int, required=False)
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listings"].choices = [(pk, pk) for pk in choices]
