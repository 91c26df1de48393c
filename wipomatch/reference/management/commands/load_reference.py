from django.core.management.base import BaseCommand

from wipomatch.reference.loader import load_reference


class Command(BaseCommand):
    help = "Load countries, M49 regions, vocabularies, SDGs and IATI codelists (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update-groupings",
            action="store_true",
            help="Re-apply LDC/LLDC/SIDS/Global South flags from the data files, "
            "overwriting staff edits.",
        )

        parser.add_argument(
            "--force", action="store_true", help="Reload even if the data files are unchanged."
        )

    def handle(self, *args, **options):
        report = load_reference(
            update_groupings=options["update_groupings"],
            force=options["force"],
            progress=lambda msg: self.stdout.write(f"  {msg}"),
        )
        if report.skipped:
            self.stdout.write("Reference data is up to date (data files unchanged).")
            return
        summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {summary}."))
