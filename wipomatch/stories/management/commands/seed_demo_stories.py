"""`manage.py seed_demo_stories`: the demo stories (run at the end of `seed_demo`)."""

from django.core.management.base import BaseCommand, CommandError

from wipomatch.stories.demo import DemoPrerequisiteMissing, seed_demo_stories


class Command(BaseCommand):
    help = "Create the demo success stories and best practices (idempotent; after seed_demo)."

    def handle(self, *args, **options):
        write = self.stdout.write if options["verbosity"] >= 1 else (lambda message: None)
        try:
            seed_demo_stories(log=write)
        except DemoPrerequisiteMissing as exc:
            raise CommandError(str(exc)) from exc
