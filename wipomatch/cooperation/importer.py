"""Bulk import of initiatives by staff: the CSV / XLSX template, reading an upload, and checking
every row through the same services as the forms, all or nothing.

One row per initiative. Lists inside a cell are separated by ";". Parties are written
`role:country:type:name` (country empty for an intergovernmental organisation), or
`role:member:<organisation id>` for a member organisation, e.g.
`provider:BR:ip-office:INPI Brazil; funder::igo:UNDP; beneficiary:member:12`.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wipomatch.core.permissions import require_facilitator

from . import services
from .services import InitiativeData, PartyData

COLUMNS = [
    "title",
    "summary",
    "description",
    "language",
    "status",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "themes",
    "ip_areas",
    "sdg_goals",
    "sdg_targets",
    "countries",
    "regions",
    "budget",
    "budget_currency",
    "budget_funder",
    "reporting_cadence",
    "parties",
    "publish",
]
REQUIRED = ("title", "summary", "parties")
EXAMPLE = {
    "title": "Patent examination training for Mozambique",
    "summary": "Brazil's IP office trains ten examiners of Mozambique's IP office.",
    "description": "Two workshops and a twinning visit.",
    "language": "en",
    "status": "2",
    "planned_start": "2026-01-01",
    "planned_end": "2027-06-30",
    "actual_start": "",
    "actual_end": "",
    "themes": "ip-management",
    "ip_areas": "patents",
    "sdg_goals": "9",
    "sdg_targets": "9.5",
    "countries": "MZ",
    "regions": "",
    "budget": "120000",
    "budget_currency": "USD",
    "budget_funder": "JICA",
    "reporting_cadence": "six-monthly",
    "parties": "provider:BR:ip-office:INPI Brazil; beneficiary:MZ:ip-office:IPI Mozambique; "
    "funder:JP:government:JICA",
    "publish": "yes",
}
MAX_ROWS = 1000
MAX_BYTES = 2 * 1024 * 1024


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "initiatives"
    sheet.append(COLUMNS)
    sheet.append([EXAMPLE[c] for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@dataclass
class RowError:
    row: int  # 1 is the header line; data starts at 2
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    valid: int = 0
    created: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class UnreadableFile(ValueError):
    """The upload is not a CSV or XLSX file of the template's shape (said in `message`)."""


def read_upload(name: str, content: bytes) -> list[dict]:
    """Rows of an uploaded CSV or XLSX file as dicts keyed by column (values stripped)."""
    if len(content) > MAX_BYTES:
        raise UnreadableFile(_("The file is larger than 2 MB."))
    if name.lower().endswith(".xlsx"):
        table = _read_xlsx(content)
    elif name.lower().endswith(".csv"):
        table = _read_csv(content)
    else:
        raise UnreadableFile(_("Upload a .csv or .xlsx file made from the template."))
    if not table:
        raise UnreadableFile(_("The file is empty."))
    header = [str(h or "").strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise UnreadableFile(
            _("The header line lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise UnreadableFile(
            _("Unknown column(s) in the header line: %(columns)s.")
            % {"columns": ", ".join(unknown[:10])}
        )
    rows = []
    for values in table[1:]:
        if not any(str(v or "").strip() for v in values):
            continue
        rows.append({h: _cell(v) for h, v in zip(header, values, strict=False) if h})
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
    return rows


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(_("The CSV file is not UTF-8 text.")) from None
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise UnreadableFile(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from None


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (any parse failure of an untrusted file is "unreadable")
        raise UnreadableFile(_("The XLSX file cannot be read.")) from None
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]


def _list(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _date(value: str, column: str, errors: list[tuple[str, str]]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        errors.append(
            (column, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value[:20]})
        )
        return None


def _parties(value: str, errors: list[tuple[str, str]]) -> list[PartyData]:
    parties = []
    for item in _list(value):
        bits = [b.strip() for b in item.split(":")]
        if len(bits) == 3 and bits[1] == "member":
            if not bits[2].isdigit():
                errors.append(
                    (
                        "parties",
                        _("“%(value)s”: the member id must be a number.") % {"value": item[:60]},
                    )
                )
                continue
            parties.append(PartyData(role=bits[0], organisation=int(bits[2])))
        elif len(bits) >= 4:
            parties.append(
                PartyData(
                    role=bits[0],
                    country=bits[1] or None,
                    organisation_type=bits[2],
                    name=":".join(bits[3:]),
                )
            )
        else:
            errors.append(
                (
                    "parties",
                    _("“%(value)s” is not role:country:type:name or role:member:id.")
                    % {"value": item[:60]},
                )
            )
    return parties


def parse_row(
    row: dict,
) -> tuple[InitiativeData | None, list[PartyData], bool, list[tuple[str, str]]]:
    """One row → (data, parties, publish, [(column, message)])."""
    errors: list[tuple[str, str]] = []
    for column in REQUIRED:
        if not row.get(column):
            errors.append((column, _("This column is required.")))
    budget = None
    if row.get("budget"):
        try:
            budget = Decimal(row["budget"].replace(",", ""))
        except InvalidOperation:
            errors.append(
                ("budget", _("“%(value)s” is not a number.") % {"value": row["budget"][:20]})
            )
    goals = []
    for g in _list(row.get("sdg_goals", "")):
        if g.isdigit():
            goals.append(int(g))
        else:
            errors.append(
                ("sdg_goals", _("“%(value)s” is not an SDG goal number.") % {"value": g[:10]})
            )
    language = row.get("language") or "en"
    if language not in {"ar", "zh", "en", "fr", "ru", "es"}:
        errors.append(("language", _("Use one of ar, zh, en, fr, ru, es.")))
    status = row.get("status") or "1"
    if status not in {"1", "2", "3", "4", "5", "6"}:
        errors.append(("status", _("Use an IATI activity status code from 1 to 6.")))
    cadence = row.get("reporting_cadence") or "six-monthly"
    if cadence not in {"quarterly", "six-monthly", "yearly"}:
        errors.append(("reporting_cadence", _("Use quarterly, six-monthly or yearly.")))
    publish_value = (row.get("publish") or "").lower()
    if publish_value not in {"", "yes", "no", "true", "false", "1", "0"}:
        errors.append(("publish", _("Use yes or no.")))
    parties = _parties(row.get("parties", ""), errors)
    data = InitiativeData(
        title=row.get("title", ""),
        summary=row.get("summary", ""),
        description=row.get("description", ""),
        language=language,
        status=status,
        planned_start=_date(row.get("planned_start", ""), "planned_start", errors),
        planned_end=_date(row.get("planned_end", ""), "planned_end", errors),
        actual_start=_date(row.get("actual_start", ""), "actual_start", errors),
        actual_end=_date(row.get("actual_end", ""), "actual_end", errors),
        themes=_list(row.get("themes", "")),
        ip_areas=_list(row.get("ip_areas", "")),
        sdg_goals=goals,
        sdg_targets=_list(row.get("sdg_targets", "")),
        countries=_list(row.get("countries", "")),
        regions=_list(row.get("regions", "")),
        budget=budget,
        budget_currency=row.get("budget_currency", ""),
        budget_funder=row.get("budget_funder", ""),
        reporting_cadence=cadence,
    )
    return data, parties, publish_value in {"yes", "true", "1"}, errors


class _Rollback(Exception):
    pass


def initiatives_import(*, actor, rows: list[dict], dry_run: bool = False) -> ImportReport:
    """Check every row and create the initiatives, all or nothing (nothing at all on a dry run
    or when any row has an error). Staff only."""
    require_facilitator(actor)
    report = ImportReport(rows=len(rows), dry_run=dry_run)
    try:
        with transaction.atomic():
            for number, row in enumerate(rows, start=2):
                data, parties, publish, errors = parse_row(row)
                for column, message in errors:
                    report.errors.append(RowError(number, column, str(message)))
                if errors:
                    continue
                try:
                    with transaction.atomic():
                        initiative = services.initiative_create(
                            actor=actor, data=data, parties=parties
                        )
                        if publish:
                            # Staff publish what they import: no "to review" e-mail per row.
                            services.initiative_mark_submitted(actor=actor, initiative=initiative)
                            services.initiative_publish(actor=actor, initiative=initiative)
                except ValidationError as error:
                    for column, message in _flatten(error):
                        report.errors.append(RowError(number, column, message))
                except PermissionDenied:
                    report.errors.append(RowError(number, "", _("Not allowed.")))
                else:
                    report.valid += 1
                    report.created.append(initiative.pk)
            if dry_run or report.errors:
                raise _Rollback
    except _Rollback:
        report.created = []
    return report


def _flatten(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            (column if column in COLUMNS else "", str(message))
            for column, errors in error.error_dict.items()
            for item in errors
            for message in item.messages
        ]
    return [("", str(m)) for m in error.messages]
