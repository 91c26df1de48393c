"""The periodic report, in HTML and PDF, in Arabic and Chinese: the title is really in the PDF."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from wipomatch.insights.report import report_render
from wipomatch.insights.selectors import Period
from wipomatch.listings.tests.factories import NeedFactory
from wipomatch.members.tests.factories import FacilitatorFactory, OrganisationFactory, country

from . import pdftext

pytestmark = pytest.mark.django_db

TITLES = {
    "ar": "التعاون بين بلدان الجنوب والتعاون الثلاثي على منصة WIPO Match",
    "zh-hans": "WIPO Match 平台上的南南合作与三方合作",
}


@pytest.fixture
def data():
    NeedFactory(
        organisation=OrganisationFactory(country=country("SN")),
        status="published",
        facilitator=FacilitatorFactory(),
    )


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_report_in_html_and_pdf_carries_the_title_in_that_script(data, tmp_path, language):
    today = date.today()
    period = Period(date(today.year, 1, 1), date(today.year, 12, 31))
    written = report_render(period=period, language=language, output_dir=tmp_path)
    assert set(written) == {"html", "pdf"}
    html = written["html"].read_text(encoding="utf-8")
    assert f'<html lang="{language}"' in html
    assert TITLES[language] in html
    assert ('dir="rtl"' in html) is (language == "ar")
    pdf = written["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdftext.contains_words(pdf, TITLES[language]), pdftext.text(pdf)[:500]
    # The shipped fonts are embedded: Arabic and Chinese glyphs come from them.
    expected_font = "WM-Sans" if language == "ar" else "WM-Chinese"
    assert expected_font in pdftext.font_names(pdf)
    # Only the fonts shipped with the project, the charts' text included: nothing depends on
    # the fonts of the machine that builds it.
    assert all(name.startswith("WM-") for name in pdftext.font_names(pdf)), pdftext.font_names(pdf)
    chart_label = {"ar": "العدد", "zh-hans": "数量"}[language]  # the funnel chart's axis title
    assert chart_label in pdftext.text(pdf)
    # A table of contents with page numbers, and numbered pages.
    assert "target-counter" in html
    assert translation.get_language() == "en"  # the language was only switched for the build


def test_pdf_text_extractor_reads_a_latin_report(data, tmp_path):
    period = Period(date(2026, 1, 1), date(2026, 1, 31))
    written = report_render(period=period, language="fr", formats=("pdf",), output_dir=tmp_path)
    pdf = written["pdf"].read_bytes()
    assert pdftext.contains_words(pdf, "La coopération Sud-Sud et triangulaire sur WIPO Match")
    assert not pdftext.contains_words(pdf, "cooperation on WIPO Match")


def test_build_report_command_writes_the_files(data, tmp_path, capsys):
    call_command(
        "build_report",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--language",
        "es",
        "--format",
        "html",
        "--output",
        str(tmp_path / "out"),
    )
    files = sorted(p.name for p in Path(tmp_path / "out").iterdir())
    assert files == ["wipomatch-report-2026-01-01-2026-03-31-es.html"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2026-05-01", "--to", "2026-01-01"], "before it starts"),
        (["--from", "2026-01-01", "--to", "2026-02-30"], "YYYY-MM-DD"),
        (["--from", "2026-01-01", "--to", "2026-02-01", "--format", "docx"], "Unknown format"),
    ],
)
def test_build_report_command_refuses_bad_input(args, message, tmp_path):
    with pytest.raises(CommandError, match=message):
        call_command("build_report", *args, "--output", str(tmp_path))
