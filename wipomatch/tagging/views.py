"""The htmx partial of the listing form that suggests themes, IP areas and SDGs while one writes.

The listing form posts its fields here (title, summary, description, language, and the themes,
IP areas and SDG goals already ticked); the partial lists the few best suggestions, each with an
"accept" checkbox that ticks the matching checkbox of the form (web/static/web/tag-suggestions.js).
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.views.decorators.http import require_POST

from wipomatch.reference.models import SdgGoal, VocabularyTerm

from . import MAX_TEXT_LENGTH, get_suggester, normalise_language

# Fewer characters than this (title, summary and description together) give no suggestions yet.
MIN_TEXT_LENGTH = 25
# Shown per vocabulary: at most `limit` labels scoring at least `threshold` (scores are calibrated
# 0..1 and read as the chance that the label applies); SDGs always show their best `minimum`.
SHORTLIST = {
    "themes": {"limit": 2, "threshold": 0.3, "minimum": 1},
    "ip_areas": {"limit": 3, "threshold": 0.3, "minimum": 0},
    "sdgs": {"limit": 3, "threshold": 0.15, "minimum": 1},
}
# Names of the form's checkbox fields.
FORM_FIELDS = {"themes": "themes", "ip_areas": "ip_areas", "sdgs": "sdg_goals"}


@dataclass(frozen=True)
class Suggestion:
    field: str  # name of the form's checkbox field
    value: str  # value of the checkbox to tick
    label: str
    score: float
    accepted: bool  # the form's checkbox is already ticked

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _shortlist(vocabulary: str, ranked: list[tuple]) -> list[tuple]:
    rules = SHORTLIST[vocabulary]
    # "other" is the residual theme: suggesting it would not help anyone.
    ranked = [pair for pair in ranked if pair[0] != "other"]
    kept = [pair for pair in ranked[: rules["limit"]] if pair[1] >= rules["threshold"]]
    return kept or ranked[: rules["minimum"]]


def _form_text(request: HttpRequest) -> str:
    parts = (request.POST.get(name, "") for name in ("title", "summary", "description"))
    return "\n".join(part.strip() for part in parts if part.strip())[:MAX_TEXT_LENGTH]


@require_POST
def tag_suggestions_partial(request: HttpRequest) -> HttpResponse:
    """Suggestions for the text of the listing form (members only: only they write listings)."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    text = _form_text(request)
    context: dict = {"too_short": len(text) < MIN_TEXT_LENGTH, "groups": []}
    if not context["too_short"]:
        language = normalise_language(request.POST.get("language", "")) or None
        suggestions = get_suggester().suggest(text, language)
        picked = {
            "themes": _shortlist("themes", suggestions.themes),
            "ip_areas": _shortlist("ip_areas", suggestions.ip_areas),
            "sdgs": _shortlist("sdgs", [(str(g), s) for g, s in suggestions.sdgs]),
        }
        labels = _labels(picked)
        for vocabulary, pairs in picked.items():
            field = FORM_FIELDS[vocabulary]
            ticked = set(request.POST.getlist(field))
            # A term staff deactivated has no checkbox on the form: it is not suggested.
            items = [
                Suggestion(field, value, labels[vocabulary][value], score, value in ticked)
                for value, score in pairs
                if value in labels[vocabulary]
            ]
            if items:
                context["groups"].append({"vocabulary": vocabulary, "items": items})
    return render(request, "tagging/_suggestions.html", context)


def _labels(picked: dict[str, list[tuple]]) -> dict[str, dict[str, str]]:
    """Translated labels of the suggested terms and goals (two small queries)."""
    labels: dict[str, dict[str, str]] = {"themes": {}, "ip_areas": {}, "sdgs": {}}
    slugs = [slug for vocab in ("themes", "ip_areas") for slug, _score in picked[vocab]]
    for term in VocabularyTerm.objects.filter(
        kind__in=("themes", "ip_areas"), slug__in=slugs, active=True
    ):
        labels[term.kind][term.slug] = term.display_label
    goals = [int(goal) for goal, _score in picked["sdgs"]]
    for goal in SdgGoal.objects.filter(number__in=goals):
        labels["sdgs"][str(goal.number)] = f"{goal.number}. {goal.short_name}"
    return labels
