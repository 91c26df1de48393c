"""`manage.py matching_rules`: check the suggestion rules on the published catalogue."""

import json

from django.core.management.base import BaseCommand

from wipomatch.matching.index_store import build_index
from wipomatch.matching.quality import measure_rules


class Command(BaseCommand):
    help = (
        "Rank every published need and offer and report the share of needs whose top 10 holds "
        "an offer of their own organisation (must be 0), the share of top-3 suggestions that "
        "violate a requested delivery language, and how many suggestions show matched phrases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        report = measure_rules(build_index())
        if options["json"]:
            self.stdout.write(json.dumps(report.to_dict(), indent=2))
            return
        r = report
        self.stdout.write(
            f"needs ranked: {r.needs}; with an own-organisation offer in their top 10: "
            f"{r.needs_with_own_offer_in_top10} ({r.own_share:.1%})\n"
            f"offers ranked: {r.offers}; with an own-organisation need in their top 10: "
            f"{r.offers_with_own_need_in_top10} ({r.own_share_offers:.1%})\n"
            f"needs naming delivery languages: {r.needs_requesting_languages}; top-3 "
            f"suggestions violating them: {r.top3_language_violations} of "
            f"{r.top3_for_those_needs} ({r.language_violation_share:.1%})\n"
            f"suggestions with matched phrases: {r.suggestions_with_phrases} of "
            f"{r.suggestions_explained} ({r.phrases_shown} phrases)"
        )
