"""Bulk import by staff: templates, row-by-row report, dry run, all or nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from wipomatch.cooperation import importer
from wipomatch.cooperation.models import Initiative, Party
from wipomatch.members.tests.factories import FacilitatorFactory

from .factories import initiative_team

pytestmark = pytest.mark.django_db


def _csv(rows: list[dict], columns=importer.COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


GOOD = dict(importer.EXAMPLE)


def test_templates_download_for_staff_only(client):
    url_csv = reverse("cooperation:import_template", args=["csv"])
    url_xlsx = reverse("cooperation:import_template", args=["xlsx"])
    client.force_login(initiative_team()["focal"])
    assert client.get(url_csv).status_code == 403
    client.force_login(FacilitatorFactory())
    response = client.get(url_csv)
    assert response.status_code == 200
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == importer.COLUMNS
    response = client.get(url_xlsx)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == importer.COLUMNS


def test_the_template_example_imports(client):
    rows = importer.read_upload("t.csv", importer.template_csv())
    report = importer.initiatives_import(actor=FacilitatorFactory(), rows=rows)
    assert report.ok and len(report.created) == 1
    initiative = Initiative.objects.get()
    assert initiative.review_status == "published" and initiative.modality == "triangular"
    assert initiative.budget == 120000 and initiative.budget_currency == "USD"


def test_xlsx_upload_dry_run_creates_nothing():
    workbook = Workbook()
    workbook.active.append(importer.COLUMNS)
    workbook.active.append([GOOD[c] for c in importer.COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    rows = importer.read_upload("t.xlsx", out.getvalue())
    report = importer.initiatives_import(actor=FacilitatorFactory(), rows=rows, dry_run=True)
    assert report.ok and report.valid == 1 and report.created == []
    assert not Initiative.objects.exists()


def test_a_malformed_file_is_rejected_row_by_row_and_leaves_nothing(client):
    bad_rows = [
        GOOD,
        {**GOOD, "title": "", "countries": "QQ"},
        {**GOOD, "planned_start": "31/12/2026", "budget": "lots"},
        {**GOOD, "parties": "provider:BR:pirate:Captain; sponsor:FR:business:Acme"},
        {**GOOD, "parties": "nonsense"},
    ]
    client.force_login(FacilitatorFactory(preferred_language="fr"))
    upload = SimpleUploadedFile("initiatives.csv", _csv(bad_rows), content_type="text/csv")
    response = client.post(
        "/fr/initiatives/import/", {"file": upload, "dry_run": ""}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 200
    report = response.context["report"]
    problems = {(e.row, e.column) for e in report.errors}
    assert (3, "title") in problems
    assert (4, "planned_start") in problems and (4, "budget") in problems
    assert (5, "parties") in problems and (6, "parties") in problems
    assert all(e.row != 2 for e in report.errors)  # the good row has no error...
    assert not Initiative.objects.exists()  # ...and is not created either
    assert not Party.objects.exists()
    body = response.content.decode()
    assert "rien n'a été importé" in body or "rien n&#x27;a été importé" in body
    assert "Cette colonne est obligatoire." in body


def test_unknown_codes_name_their_column_and_value():
    rows = [{**GOOD, "countries": "QQ"}, {**GOOD, "themes": "astrology"}]
    report = importer.initiatives_import(actor=FacilitatorFactory(), rows=rows)
    assert [(e.row, e.column) for e in report.errors] == [(2, "countries"), (3, "themes")]
    assert "QQ" in report.errors[0].message and "astrology" in report.errors[1].message


def test_messages_follow_the_user_language():
    with translation.override("fr"):
        report = importer.initiatives_import(
            actor=FacilitatorFactory(), rows=[{**GOOD, "status": "9"}]
        )
    assert report.errors[0].column == "status"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.txt", b"title,summary"),
        ("x.csv", b""),
        ("x.csv", b"name,colour\nA,blue\n"),
        ("x.csv", b"\xff\xfe\x00bad"),
        ("x.xlsx", b"not a zip"),
    ],
)
def test_unreadable_files(name, content):
    with pytest.raises(importer.UnreadableFile):
        importer.read_upload(name, content)


def test_import_page_is_for_staff(client):
    client.force_login(initiative_team()["focal"])
    assert client.get(reverse("cooperation:import")).status_code == 403
    client.force_login(FacilitatorFactory())
    assert client.get(reverse("cooperation:import")).status_code == 200
    upload = SimpleUploadedFile("x.txt", b"hello")
    response = client.post(reverse("cooperation:import"), {"file": upload})
    assert response.status_code == 200 and response.context["file_error"]
