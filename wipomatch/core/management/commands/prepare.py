"""Everything `make run` needs before serving, in one process (each Django start costs seconds)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate the database, load the reference data and (with DEBUG on) the demo data."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo data.")

    def handle(self, *args, **options):
        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # the cache shared by every process
        call_command("load_reference", stdout=self.stdout)
        if options["no_demo"]:
            return
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: demo data is not loaded.")
            return
        call_command("seed_demo", stdout=self.stdout)
