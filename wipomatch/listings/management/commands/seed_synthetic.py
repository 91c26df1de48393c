"""`manage.py seed_synthetic --needs N --offers M`: generated published listings for scale tests."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wipomatch.listings.embeddings import EMBEDDERS, embedder_name_setting
from wipomatch.listings.synthetic import seed_synthetic


class Command(BaseCommand):
    help = (
        "Fill the database with generated, published needs and offers (texts in the six UN "
        "languages, every facet, countries and regions, synthetic organisations) to measure "
        "speed at scale. Embeddings are computed for a pool of distinct texts per kind and reused. "
        "Refused when DEBUG is off unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--needs", type=int, default=0, help="How many needs to add.")
        parser.add_argument("--offers", type=int, default=0, help="How many offers to add.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed (deterministic).")
        parser.add_argument(
            "--embedder",
            choices=sorted(EMBEDDERS),
            default=None,
            help="Embedder of the stored vectors (default: the LISTING_EMBEDDER setting). "
            "'hashing' is fast but lexical only.",
        )
        parser.add_argument(
            "--pool",
            type=int,
            default=400,
            help="Distinct texts (each embedded once) per kind; listings reuse them.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never on a production database).",
        )

    def handle(self, *args, needs, offers, seed, embedder, pool, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to add synthetic listings because DEBUG is off: they must never reach "
                "a production database. Use --force for a benchmark database."
            )
        if needs < 0 or offers < 0 or pool < 1:
            raise CommandError("--needs and --offers must be >= 0 and --pool >= 1.")
        name = embedder or embedder_name_setting()
        quiet = options["verbosity"] < 1
        self.stdout.write(
            f"Seeding {needs} needs and {offers} offers (seed {seed}) with the '{name}' embedder "
            f"over at most {pool} distinct texts per kind…"
        )
        try:
            report = seed_synthetic(
                needs=needs,
                offers=offers,
                seed=seed,
                embedder_name=name,
                pool=pool,
                progress=not quiet,
                stream=self.stderr,
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        texts = ", ".join(f"{n} {kind} texts" for kind, n in report.distinct_texts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {report.needs} needs and {report.offers} offers in "
                f"{report.seconds.get('total', 0):.1f}s; {report.organisations_created} new "
                f"synthetic organisations. Embeddings: {report.embedder}, computed once for "
                f"{texts or 'no texts'} and reused by the listings that share them."
            )
        )
        if name != embedder_name_setting():
            self.stdout.write(
                self.style.WARNING(
                    f"Search embeds queries with '{embedder_name_setting()}' (LISTING_EMBEDDER): "
                    f"these '{name}' vectors give no semantic signal until `embed_listings --all`."
                )
            )
