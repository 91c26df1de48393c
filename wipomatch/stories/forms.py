"""Forms of the stories pages: they check the shape of the input; the services hold the rules
and their ValidationErrors come back onto these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wipomatch.core.forms import StyledForm
from wipomatch.listings.forms import country_choices, sdg_goal_choices, vocabulary_choices
from wipomatch.members.forms import region_choices
from wipomatch.members.models import Organisation
from wipomatch.reference.models import VocabularyTerm

from .images import MAX_BYTES
from .models import STORY_LANGUAGES, Kind, Story
from .selectors import StoryFilters, linkable_cases, linkable_initiatives
from .services import KeyResultData, StoryData

KEY_RESULT_ROWS = 4


class StoryBrowseForm(StyledForm):
    """The GET parameters of /stories/. Unknown values are ignored, never a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.MultipleChoiceField(label=_("Kind"), required=False, choices=Kind.choices)
    theme = forms.MultipleChoiceField(label=_("Thematic area"), required=False)
    ip_area = forms.MultipleChoiceField(label=_("IP area"), required=False)
    sdg = forms.MultipleChoiceField(label=_("Sustainable Development Goal"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    ldc = forms.BooleanField(label=_("Least developed countries only"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    year = forms.ChoiceField(label=_("Year published"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        vocabularies = vocabulary_choices()
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.fields["theme"].choices = vocabularies.get(VocabularyTerm.Kind.THEME, [])
        self.fields["ip_area"].choices = vocabularies.get(VocabularyTerm.Kind.IP_AREA, [])
        self.fields["sdg"].choices = [(str(n), label) for n, label in sdg_goal_choices()]
        self.fields["country"].choices = [("", _("All countries")), *country_choices()]
        self.fields["region"].choices = [("", _("All regions")), *region_choices()]
        self.fields["language"].choices = [("", _("All languages")), *STORY_LANGUAGES]
        self.fields["year"].choices = [("", _("All years")), *[(str(y), str(y)) for y in years]]

    def filters(self) -> StoryFilters:
        """The valid part of the query: a stale or forged value is dropped, the rest applies."""
        data = self.data
        result = StoryFilters(q=(data.get("q") or "").strip()[:200])
        for param in ("kind", "theme", "ip_area", "sdg"):
            allowed = {str(value) for value, _label in self.fields[param].choices}
            values = data.getlist(param) if hasattr(data, "getlist") else []
            kept = [v for v in dict.fromkeys(values) if v in allowed]
            setattr(result, param, [int(v) for v in kept] if param == "sdg" else kept)
        for param in ("country", "region", "language"):
            value = (data.get(param) or "").strip()
            if param == "country":
                value = value.upper()
            allowed = {str(v) for v, _label in self.fields[param].choices if v}
            setattr(result, param, value if value in allowed else "")
        result.ldc = (data.get("ldc") or "") in ("1", "on", "true", "yes")
        year = (data.get("year") or "").strip()
        result.year = int(year) if year.isdigit() and len(year) == 4 else None
        return result


class StoryForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Kind of story"), choices=Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown in lists and when the story is shared."),
    )
    body = forms.CharField(
        label=_("The story"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "What the problem was, what was done, by whom, what changed, and what others can "
            "learn. Markdown: ## heading, **bold**, *italics*, - lists, [link](https://...)."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the story"), choices=STORY_LANGUAGES)
    themes = forms.MultipleChoiceField(
        label=_("Thematic areas"), widget=forms.CheckboxSelectMultiple
    )
    ip_areas = forms.MultipleChoiceField(
        label=_("IP areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        help_text=_("Where it happened. Hold Ctrl (or Cmd) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    sdg_goals = forms.MultipleChoiceField(
        label=_("Sustainable Development Goals"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations_involved = forms.MultipleChoiceField(
        label=_("Other member organisations involved"),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    initiatives = forms.MultipleChoiceField(
        label=_("Initiatives this story comes from"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    cases = forms.MultipleChoiceField(
        label=_("Brokering cases this story comes from"),
        required=False,
        help_text=_(
            "Only people who may see a case (its two organisations and the facilitators) "
            "see this link; the public page does not show it."
        ),
        error_messages={
            "invalid_choice": _(
                "Choose brokering cases your organisation is a party to and that ended in "
                "an agreement."
            )
        },
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation: Organisation, user, **kwargs):
        super().__init__(*args, **kwargs)
        vocabularies = vocabulary_choices()
        cases = [(str(c.pk), c.conversation_title()) for c in linkable_cases(user, organisation)]
        if cases:
            self.fields["cases"].choices = cases
        else:
            del self.fields["cases"]
        initiatives = [(str(i.pk), i.title) for i in linkable_initiatives(organisation)]
        if initiatives:
            self.fields["initiatives"].choices = initiatives
        else:
            del self.fields["initiatives"]
        self.fields["themes"].choices = vocabularies.get(VocabularyTerm.Kind.THEME, [])
        self.fields["ip_areas"].choices = vocabularies.get(VocabularyTerm.Kind.IP_AREA, [])
        self.fields["countries"].choices = country_choices()
        self.fields["sdg_goals"].choices = [(str(n), label) for n, label in sdg_goal_choices()]
        self.fields["organisations_involved"].choices = [
            (str(pk), name)
            for pk, name in Organisation.objects.approved()
            .exclude(pk=organisation.pk)
            .values_list("pk", "name")
        ]
        for i in range(1, KEY_RESULT_ROWS + 1):
            self.fields[f"figure_{i}"] = forms.DecimalField(
                label=_("Figure"), required=False, max_digits=14, decimal_places=2
            )
            self.fields[f"unit_{i}"] = forms.CharField(
                label=_("Unit"), required=False, max_length=40
            )
            self.fields[f"label_{i}"] = forms.CharField(
                label=_("What it measures"), required=False, max_length=200
            )

    @property
    def key_result_rows(self):
        return [
            (i, self[f"figure_{i}"], self[f"unit_{i}"], self[f"label_{i}"])
            for i in range(1, KEY_RESULT_ROWS + 1)
        ]

    @classmethod
    def initial_from(cls, story: Story) -> dict:
        initial = {
            "kind": story.kind,
            "title": story.title,
            "summary": story.summary,
            "body": story.body,
            "language": story.language,
            "themes": [t.slug for t in story.themes],
            "ip_areas": [t.slug for t in story.ip_areas],
            "countries": [c.iso2 for c in story.countries.all()],
            "sdg_goals": [str(g.number) for g in story.sdg_goals.all()],
            "organisations_involved": [str(o.pk) for o in story.organisations_involved.all()],
            "initiatives": [str(i.pk) for i in story.initiatives.all()],
            "cases": [str(c.pk) for c in story.cases.all()],
        }
        for i, result in enumerate(story.key_results.all()[:KEY_RESULT_ROWS], start=1):
            initial[f"figure_{i}"] = result.figure_display
            initial[f"unit_{i}"] = result.unit
            initial[f"label_{i}"] = result.label
        return initial

    def story_data(self) -> StoryData:
        data = self.cleaned_data
        results = []
        for i in range(1, KEY_RESULT_ROWS + 1):
            figure, unit, label = (data.get(f"{n}_{i}") for n in ("figure", "unit", "label"))
            if figure is None and not label and not unit:
                continue
            results.append(
                KeyResultData(
                    figure="" if figure is None else figure, unit=unit or "", label=label or ""
                )
            )
        return StoryData(
            kind=data["kind"],
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            language=data["language"],
            themes=data["themes"],
            ip_areas=data.get("ip_areas") or [],
            countries=data["countries"],
            sdg_goals=[int(n) for n in data.get("sdg_goals") or []],
            organisations_involved=[int(pk) for pk in data.get("organisations_involved") or []],
            initiatives=[int(pk) for pk in data.get("initiatives") or []],
            cases=[int(pk) for pk in data.get("cases") or []],
            key_results=results,
        )


class StoryImageForm(StyledForm):
    file = forms.FileField(
        label=_("Picture"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Text alternative"),
        max_length=300,
        help_text=_("Describe what the picture shows, for people who cannot see it."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("JPEG, PNG or WebP, at most %(mb)d MB.") % {
            "mb": MAX_BYTES // (1024 * 1024)
        }


class ReviewForm(StyledForm):
    DECISIONS = (
        ("publish", _("Publish")),
        ("request_changes", _("Ask for changes")),
        ("reject", _("Reject")),
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment to the authors"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you ask for changes or reject the story."),
    )


class ContactTeamForm(StyledForm):
    message = forms.CharField(
        label=_("Your message to the team"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Say who you are and what you would like to learn or do together. The team sees "
            "your organisation's name; e-mail addresses are shared only if they accept."
        ),
    )
