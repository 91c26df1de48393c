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


DATASETS: dict[str, Callable] = {
    "needs": lambda request, **kw: listings_table(Kind.NEED, request.GET),
    "offers": lambda request, **kw: listings_table(Kind.OFFER, request.GET),
    "organisations": lambda request, **kw: organisations_table(request.GET),
}
