"""Reports are for facilitators: the download view checks who asks. The files themselves sit
under MEDIA_ROOT, which the web server serves to anyone (`static()` in development, the reverse
proxy in production), so their path must not be guessable from the report's number, period
and language."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from django.test import RequestFactory
from django.views.static import serve

from wipomatch.insights.models import Report
from wipomatch.insights.services import report_build
from wipomatch.members.tests.factories import FacilitatorFactory

pytestmark = pytest.mark.django_db


def test_report_files_are_not_at_a_guessable_public_path():
    report = Report.objects.create(
        period_start="2026-01-01",
        period_end="2026-12-31",
        language="en",
        formats=["html"],
        requested_by=FacilitatorFactory(),
    )
    report = report_build(report_id=report.pk)
    assert report.status == Report.Status.DONE
    relative = report.files["html"]
    assert (Path(settings.MEDIA_ROOT) / relative).is_file()
    guess = f"reports/{report.pk}/wipomatch-report-2026-01-01-2026-12-31-en.html"
    assert relative != guess
    with pytest.raises(Http404):
        serve(RequestFactory().get("/media/" + guess), guess, document_root=settings.MEDIA_ROOT)
    # The folder carries a secret of at least 128 bits.
    folder = Path(relative).parent.name
    assert re.fullmatch(rf"{report.pk}-[0-9a-f]{{32,}}", folder), folder
