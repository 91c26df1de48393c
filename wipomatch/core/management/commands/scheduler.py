import time

from django.core.management.base import BaseCommand

from wipomatch.core.periodic import JOBS
from wipomatch.core.tasks import run_periodic_job_task


class Command(BaseCommand):
    help = "Enqueue each periodic job on its interval for the task worker (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=30.0, help="Seconds between checks.")

    def handle(self, *args, **options):
        next_run = {job.name: 0.0 for job in JOBS}  # everything is due at start-up
        try:
            while True:
                now = time.monotonic()
                for job in JOBS:
                    if now >= next_run[job.name]:
                        run_periodic_job_task.enqueue(name=job.name)
                        next_run[job.name] = now + job.every_seconds
                time.sleep(options["tick"])
        except KeyboardInterrupt:
            return
