"""`manage.py refresh_suggestions`: recompute stored suggestion lists now."""

from django.core.management.base import BaseCommand

from wipomatch.matching.services import suggestions_refresh_all, suggestions_refresh_stale


class Command(BaseCommand):
    help = (
        "Recompute the stored suggestions of published listings whose list is older than the "
        "listing (what the periodic job does), or of every published listing with --all "
        "(after a change of the matching rules or settings)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="recompute every list")

    def handle(self, *args, **options):
        if options["all"]:
            count = suggestions_refresh_all()
        else:
            count = suggestions_refresh_stale(limit=1_000_000)
        self.stdout.write(f"{count} suggestion lists recomputed.")
