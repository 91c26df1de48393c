"""CSV and XLSX exports of the list pages (with their current filters) and of the measures.

Rows are produced lazily (`iterator()`), written by `csv` into a StreamingHttpResponse, or by
openpyxl in write-only mode (rows go to a temporary file, not into memory), so that a large
export does not build in memory. Only what the list page shows a visitor is exported: no
contact details, no description reserved to members, no unpublished listing.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from wipomatch.listings.forms import BrowseForm
from wipomatch.listings.models import Kind, Listing
from wipomatch.listings.search import listing_search
from wipomatch.listings.selectors import listing_browse_queryset, order_listings
from wipomatch.members.forms import DirectoryFilterForm
from wipomatch.members.selectors import organisation_directory
from wipomatch.reference.models import VocabularyTerm
from wipomatch.stories.forms import StoryBrowseForm
from wipomatch.stories.models import Story
from wipomatch.stories.selectors import story_search

from .selectors import Breakdown, Period, metrics_for

FORMATS = ("csv", "xlsx")
# A text query ranks with the search engine: its results are capped like a search page's.
MAX_SEARCH_ROWS = 5000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    name: str
    headers: list[str]
    rows: Iterable[list]


def _cell(value):
    """Plain values; text that a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(table: Table) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # spreadsheet programs then read the file as UTF-8
        yield writer.writerow(table.headers)
        for row in table.rows:
            yield writer.writerow([_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(table.name, "csv")}"'
    return response


def xlsx_response(table: Table) -> FileResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.name[:31])
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append([_cell(v) for v in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_filename(table.name, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _filename(name: str, fmt: str) -> str:
    return f"wipomatch-{name}-{timezone.localdate().isoformat()}.{fmt}"


def respond(table: Table, fmt: str):
    return xlsx_response(table) if fmt == "xlsx" else csv_response(table)


# --- Datasets ---------------------------------------------------------------------------------


def _term_labels() -> dict[tuple[str, str], str]:
    return {(t.kind, t.slug): t.display_label for t in VocabularyTerm.objects.all()}


def listings_table(kind: str, params) -> Table:
    """The published needs or offers the browse page shows for the same query string."""
    filters = BrowseForm(params, kind=kind).filters()
    if filters.q:
        result = listing_search(kind=kind, filters=filters, page=1, page_size=MAX_SEARCH_ROWS)
        ids = [listing.pk for listing in result.items]
        order = {pk: i for i, pk in enumerate(ids)}
        qs = Listing.objects.filter(pk__in=ids)
    else:
        order = None
        qs = order_listings(listing_browse_queryset(kind=kind, filters=filters), filters.sort)
    qs = qs.select_related("organisation", "organisation__country").prefetch_related(
        "terms", "countries", "regions"
    )
    labels = _term_labels()

    def rows() -> Iterator[list]:
        items = qs.iterator(chunk_size=500)
        if order is not None:
            items = sorted(items, key=lambda listing: order[listing.pk])
        for listing in items:
            terms = list(listing.terms.all())

            def of(vocab, terms=terms):
                return [labels.get((t.kind, t.slug), t.slug) for t in terms if t.kind == vocab]

            yield [
                listing.pk,
                listing.title,
                listing.summary,
                listing.organisation.name,
                listing.organisation.country.iso2,
                listing.get_language_display(),
                of(VocabularyTerm.Kind.THEME),
                of(VocabularyTerm.Kind.IP_AREA),
                of(
                    VocabularyTerm.Kind.ASSISTANCE_TYPE
                    if kind == Kind.NEED
                    else VocabularyTerm.Kind.RESOURCE_TYPE
                ),
                _("Worldwide")
                if listing.worldwide
                else [c.iso2 for c in listing.countries.all()]
                + [r.code for r in listing.regions.all()],
                listing.published_at,
                listing.expires_at,
            ]

    headers = [
        _("ID"),
        _("Title"),
        _("Summary"),
        _("Organisation"),
        _("Organisation's country"),
        _("Language"),
        _("Themes"),
        _("IP areas"),
        _("Assistance types") if kind == Kind.NEED else _("Resource types"),
        _("Where it applies"),
        _("Published"),
        _("Expires"),
    ]
    return Table("needs" if kind == Kind.NEED else "offers", headers, rows())


def organisations_table(params) -> Table:
    """The member directory's public fields, filtered as the directory page."""
    filters = DirectoryFilterForm(params).filters()
    qs = organisation_directory(**filters)
    labels = _term_labels()

    def rows() -> Iterator[list]:
        for org in qs.iterator(chunk_size=500):
            yield [
                org.pk,
                org.name,
                org.acronym,
                labels.get((VocabularyTerm.Kind.ORGANISATION_TYPE, org.org_type), org.org_type),
                org.country.iso2,
                org.country.name,
                org.website,
                [labels.get((VocabularyTerm.Kind.THEME, t), t) for t in org.themes or []],
                org.approved_at,
            ]

    headers = [
        _("ID"),
        _("Name"),
        _("Acronym"),
        _("Organisation type"),
        _("Country code"),
        _("Country"),
        _("Website"),
        _("Themes"),
        _("Member since"),
    ]
    return Table("organisations", headers, rows())


def flatten_metrics(metrics: dict, prefix: str = "") -> Iterator[tuple[str, object]]:
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from flatten_metrics(value, f"{name}.")
        elif isinstance(value, list):
            yield name, len(value)
            for i, item in enumerate(value):
                if isinstance(item, dict) and "name" in item:
                    yield f"{name}[{i}]", item["name"]
        else:
            yield name, value


def measures_table(period: Period, breakdown: Breakdown) -> Table:
    metrics = metrics_for(period, breakdown)
    rows = [[name, value] for name, value in flatten_metrics(metrics)]
    return Table("measures", [_("Measure"), _("Value")], rows)


def initiatives_table(params) -> Table:
    """Published initiatives as the initiatives directory shows them, with its filters."""
    from wipomatch.cooperation.forms import DirectoryFilterForm as InitiativeFilterForm
    from wipomatch.cooperation.selectors import InitiativeFilters, public_initiatives

    form = InitiativeFilterForm(params or None)
    filters = InitiativeFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = InitiativeFilters(
            q=d.get("q") or "",
            theme=[d["theme"]] if d.get("theme") else [],
            modality=[d["modality"]] if d.get("modality") else [],
            ppp={"yes": True, "no": False}.get(d.get("ppp") or ""),
            country=d.get("country") or "",
            region=d.get("region") or "",
            ldc=bool(d.get("ldc")),
            status=[d["status"]] if d.get("status") else [],
            sdg=[d["sdg"]] if d.get("sdg") else [],
            year=d.get("year"),
        )
    qs = (
        public_initiatives(filters)
        .prefetch_related("themes", "countries", "parties__organisation", "parties__country")
        .order_by("-published_at", "-id")
    )

    def rows() -> Iterator[list]:
        for item in qs.iterator(chunk_size=200):
            yield [
                item.pk,
                item.title,
                item.summary,
                item.get_status_display(),
                item.get_modality_display(),
                _("Yes") if item.ppp else _("No"),
                [t.display_label for t in item.themes.all()],
                [c.iso2 for c in item.countries.all()],
                [
                    f"{p.display_name} ({p.get_role_display()}"
                    + (f", {p.country.iso2})" if p.country_id else ")")
                    for p in item.parties.all()
                ],
                item.planned_start,
                item.planned_end,
                item.published_at,
            ]

    headers = [
        _("ID"),
        _("Title"),
        _("Summary"),
        _("Status"),
        _("Modality"),
        _("Public-private partnership"),
        _("Themes"),
        _("Countries that benefit"),
        _("Parties"),
        _("Planned start"),
        _("Planned end"),
        _("Published"),
    ]
    return Table("initiatives", headers, rows())


def stories_table(params) -> Table:
    """Published stories as the stories list shows them for the same query string: one row per
    story, in the reader's language when that version is published (ranked as the list when a
    text query is given, at most MAX_SEARCH_ROWS)."""
    filters = StoryBrowseForm(params).filters()
    result = story_search(filters=filters, page=1, page_size=MAX_SEARCH_ROWS, with_facets=False)
    goals: dict[int, list[int]] = {}
    for story_id, number in (
        Story.sdg_goals.through.objects.filter(story_id__in=[s.pk for s in result.items])
        .order_by("sdggoal__number")
        .values_list("story_id", "sdggoal__number")
    ):
        goals.setdefault(story_id, []).append(number)

    def rows() -> Iterator[list]:
        for story in result.items:
            yield [
                story.pk,
                story.title,
                story.summary,
                story.get_kind_display(),
                story.language,
                story.other_languages,
                story.organisation.name,
                [t.display_label for t in story.themes],
                [t.display_label for t in story.ip_areas],
                goals.get(story.pk, []),
                [c.iso2 for c in story.countries.all()],
                story.published_at,
            ]

    headers = [
        _("ID"),
        _("Title"),
        _("Summary"),
        _("Kind of story"),
        _("Language"),
        _("Other languages"),
        _("Organisation"),
        _("Themes"),
        _("IP areas"),
        _("Sustainable Development Goals"),
        _("Countries"),
        _("Published"),
    ]
    return Table("stories", headers, rows())


def _flag(params, name: str) -> bool:
    return (params.get(name) or "").lower() in ("1", "on", "true", "yes")


def cases_table(params, *, facilitator: bool, user=None) -> Table:
    """Match cases with the case board's filters: complete for facilitators; for everyone else
    anonymised (no organisation, person, message or note; only stage, dates, themes and where
    each side is) and filtered on those fields only."""
    from wipomatch.brokering import selectors as board

    fields = board.BoardFilters.__dataclass_fields__
    values = {name: (params.get(name) or "")[:100] for name in fields}
    values["ldc"] = _flag(params, "ldc")
    values["overdue"] = _flag(params, "overdue")
    if not facilitator:
        values.update(q="", assigned="", overdue=False)
    qs = (
        board.case_board(user, board.BoardFilters(**values))
        .filter(kind="match")
        .prefetch_related("need__terms", "ratings")
        .order_by("-created_at", "-id")
    )

    def themes(case):
        return [t.display_label for t in case.need.terms.all() if t.kind == "themes"]

    def public_rows() -> Iterator[list]:
        for case in qs.iterator(chunk_size=500):
            yield [
                case.pk,
                case.get_state_display(),
                case.created_at.date(),
                case.answered_at.date() if case.answered_at else None,
                case.mutual_at.date() if case.mutual_at else None,
                case.closed_at.date() if case.closed_at else None,
                themes(case),
                case.need.organisation.country.iso2,
                case.offer.organisation.country.iso2,
            ]

    def full_rows() -> Iterator[list]:
        for case in qs.iterator(chunk_size=500):
            yield [
                case.pk,
                case.get_state_display(),
                case.created_at,
                case.get_initiated_by_display(),
                case.need.title,
                case.need.organisation.name,
                case.need.organisation.country.iso2,
                case.offer.title,
                case.offer.organisation.name,
                case.offer.organisation.country.iso2,
                case.answered_at,
                case.mutual_at,
                case.closed_at,
                case.get_decline_reason_display() if case.decline_reason else "",
                case.outcome_note,
                case.assigned_to.display_name if case.assigned_to_id else "",
                case.follow_up_on,
                [r.score for r in case.ratings.all()],
                themes(case),
            ]

    if not facilitator:
        headers = [
            _("ID"),
            _("Stage"),
            _("Opened"),
            _("Answered"),
            _("Mutual interest"),
            _("Closed"),
            _("Themes"),
            _("Need's country"),
            _("Offer's country"),
        ]
        return Table("cases", headers, public_rows())
    headers = [
        _("ID"),
        _("Stage"),
        _("Opened"),
        _("Initiated by"),
        _("Need"),
        _("Need's organisation"),
        _("Need's country"),
        _("Offer"),
        _("Offer's organisation"),
        _("Offer's country"),
        _("Answered"),
        _("Mutual interest"),
        _("Closed"),
        _("Reason for declining"),
        _("Outcome"),
        _("Assigned facilitator"),
        _("Follow up on"),
        _("Ratings"),
        _("Themes"),
    ]
    return Table("cases", headers, full_rows())


DATASETS: dict[str, Callable] = {
    "needs": lambda request, **kw: listings_table(Kind.NEED, request.GET),
    "offers": lambda request, **kw: listings_table(Kind.OFFER, request.GET),
    "organisations": lambda request, **kw: organisations_table(request.GET),
    "initiatives": lambda request, **kw: initiatives_table(request.GET),
    "stories": lambda request, **kw: stories_table(request.GET),
    "cases": lambda request, facilitator=False, **kw: cases_table(
        request.GET, facilitator=facilitator, user=request.user
    ),
}
