"""python manage.py build_report --from DATE --to DATE [--language LANG] [--format html,pdf]
[--output DIR]: the periodic report of the platform's South-South and triangular work."""

import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wipomatch.insights.report import FORMATS, report_render
from wipomatch.insights.selectors import parse_period


class Command(BaseCommand):
    help = "Build the periodic report (HTML and/or PDF) of a period into a folder."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
        )
        parser.add_argument("--format", default="html,pdf", help="html, pdf or html,pdf")
        parser.add_argument(
            "--output", default=None, help="Folder for the files (default MEDIA_ROOT/reports)"
        )

    def handle(self, *args, **options):
        try:
            period = parse_period(options["start"], options["end"])
        except ValidationError as error:
            raise CommandError(
                " ".join(m for msgs in error.message_dict.values() for m in msgs)
            ) from None
        formats = tuple(f.strip().lower() for f in options["format"].split(",") if f.strip())
        unknown = [f for f in formats if f not in FORMATS]
        if unknown or not formats:
            raise CommandError(f"Unknown format {', '.join(unknown) or '(none)'}: use html, pdf.")
        output = Path(options["output"] or Path(settings.MEDIA_ROOT) / "reports")
        started = time.perf_counter()
        written = report_render(
            period=period, language=options["language"], formats=formats, output_dir=output
        )
        for fmt, path in written.items():
            self.stdout.write(f"{fmt}: {path}")
        self.stdout.write(f"built in {time.perf_counter() - started:.1f} s")
