"""`manage.py embed_listings`: compute the embeddings that are missing (or all of them)."""

from django.core.management.base import BaseCommand

from wipomatch.listings.embeddings import EMBEDDERS, get_embedder, listings_embed_missing
from wipomatch.listings.synthetic import ProgressBar


class Command(BaseCommand):
    help = (
        "Store the multilingual embedding of every listing that has none from the configured "
        "embedder (LISTING_EMBEDDER), e.g. after a bulk import or a change of embedder. "
        "Listings are normally embedded by a background task when they are created or edited."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Recompute every embedding.")
        parser.add_argument("--batch-size", type=int, default=64)
        parser.add_argument(
            "--embedder",
            choices=sorted(EMBEDDERS),
            default=None,
            help="Override LISTING_EMBEDDER for this run.",
        )

    def handle(self, *args, **options):
        embedder = get_embedder(options["embedder"])
        bar = None
        if options["verbosity"] >= 1:
            bar = ProgressBar(f"embedding with {embedder.name}", 0, self.stderr)
        done = listings_embed_missing(
            embedder=embedder,
            all_listings=options["all"],
            batch_size=max(1, options["batch_size"]),
            progress=bar,
        )
        self.stdout.write(self.style.SUCCESS(f"Embedded {done} listings with {embedder.name}."))
