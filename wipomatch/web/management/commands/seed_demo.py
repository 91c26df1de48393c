"""`manage.py seed_demo`: the whole demo network, app by app (idempotent): organisations and one
account per role, listings, match cases, initiatives and stories. It lives in `web`, the top
layer, because it is the one place that may call every domain app's demo loader."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from wipomatch.brokering.demo import seed_demo_brokering, seed_demo_provider
from wipomatch.cooperation.demo import seed_demo_cooperation
from wipomatch.members.demo import ACCOUNTS, DEMO_PASSWORD, ReferenceDataMissing, seed_demo


class Command(BaseCommand):
    help = (
        "Create demo organisations (through the membership services, so they have audit trails) "
        "and one demo account per role. Refused when DEBUG is off unless --force is given. "
        "Running it again creates nothing new."
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
                "Refusing to seed demo data because DEBUG is off: demo accounts with a published "
                "password must never reach a production database. Use --force only for tests."
            )
        verbose = options["verbosity"] >= 1
        write = self.stdout.write if verbose else (lambda message: None)
        write("Seeding demo data…")
        try:
            report = seed_demo(log=write)
        except ReferenceDataMissing as exc:
            raise CommandError(str(exc)) from exc
        figures = report.figures
        if report.skipped and verbose:
            write(f"  {report.skipped} demo organisations or applications were already there.")
        write(
            self.style.SUCCESS(
                "Demo data ready: {organisations} approved organisations from {countries} countries "
                "in {regions} regions, {ldc_organisations} in LDCs, {organisation_types} "
                "organisation types; {pending_applications} applications awaiting review.".format(
                    **figures
                )
            )
        )
        if report.created_anything:
            write(
                f"Created {len(report.created_accounts)} accounts, "
                f"{len(report.created_organisations)} organisations, "
                f"{len(report.created_applications)} open applications."
            )
        else:
            write("Nothing new to create.")
        if verbose:
            accounts = ", ".join(f"{a.email} ({a.role})" for a in ACCOUNTS)
            write(f"Demo accounts (password {DEMO_PASSWORD}): {accounts}.")
        seed_demo_provider(log=write)
        call_command(
            "seed_demo_listings", force=True, verbosity=options["verbosity"], stdout=self.stdout
        )
        seed_demo_brokering(log=write)
        seed_demo_cooperation(log=write)
        call_command("seed_demo_stories", verbosity=options["verbosity"], stdout=self.stdout)
