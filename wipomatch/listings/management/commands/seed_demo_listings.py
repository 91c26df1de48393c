"""`manage.py seed_demo_listings`: the demo needs and offers, in the six UN languages (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wipomatch.listings.demo import DemoPrerequisiteMissing, seed_demo_listings


class Command(BaseCommand):
    help = (
        "Create the demo needs and offers (written in the six UN languages) for the demo "
        "organisations of seed_demo, through the listing services (create, submit, publish), so "
        "they have audit trails. Refused when DEBUG is off unless --force is given. Running it "
        "again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (tests; never on a production database).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to seed demo listings because DEBUG is off: demo content must never "
                "reach a production database. Use --force only for tests."
            )
        verbose = options["verbosity"] >= 1
        write = self.stdout.write if verbose else (lambda message: None)
        write("Seeding demo needs and offers…")
        try:
            report = seed_demo_listings(log=write)
        except DemoPrerequisiteMissing as exc:
            raise CommandError(str(exc)) from exc
        if not report.created_total:
            write("Demo listings: nothing new to create.")
            return
        by_status = ", ".join(
            f"{count} {kind}s {status.replace('_', ' ')}"
            for (kind, status), count in sorted(report.created.items())
        )
        write(f"Created {report.created_total} demo listings ({by_status}).")
        write(
            self.style.SUCCESS(
                "Demo listings ready: {needs} needs and {offers} offers published in {languages} "
                "languages, covering {countries} countries; {under_review} awaiting review.".format(
                    **report.figures
                )
            )
        )
