from django.core.management.base import BaseCommand, CommandError

from wipomatch.core.periodic import JOBS, JOBS_BY_NAME, run_job


class Command(BaseCommand):
    help = "Run the periodic jobs once (expiry, reminders, …). Safe to run as often as you like."

    def add_arguments(self, parser):
        parser.add_argument("--job", action="append", help="Run only this job (repeatable).")

    def handle(self, *args, **options):
        names = options["job"] or [job.name for job in JOBS]
        unknown = [n for n in names if n not in JOBS_BY_NAME]
        if unknown:
            raise CommandError(
                f"Unknown job: {', '.join(unknown)}. Known jobs: {', '.join(JOBS_BY_NAME)}."
            )
        for name in names:
            self.stdout.write(f"{name}: {run_job(name)}")
