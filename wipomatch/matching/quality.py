"""Rules every suggestion list must keep, measured over the published catalogue.

- no organisation is suggested its own listings (share must be 0);
- offers that cannot be delivered in a language the seeker asked for do not take the top places
  (share of top-3 suggestions that violate a requested delivery language);
- matched phrases are content words (how many suggestions show phrases, and how many).
"""

from dataclasses import asdict, dataclass

from wipomatch.listings.models import Kind, Status
from wipomatch.listings.selectors import listing_card_queryset

from .documents import listing_document
from .engine.index import MatchIndex


@dataclass
class RuleReport:
    needs: int = 0
    needs_with_own_offer_in_top10: int = 0
    offers: int = 0
    offers_with_own_need_in_top10: int = 0
    needs_requesting_languages: int = 0
    top3_for_those_needs: int = 0
    top3_language_violations: int = 0
    top3_violations_avoidable: int = 0  # a deliverable offer was ranked lower
    suggestions_explained: int = 0
    suggestions_with_phrases: int = 0
    phrases_shown: int = 0

    @property
    def own_share(self) -> float:
        return self.needs_with_own_offer_in_top10 / self.needs if self.needs else 0.0

    @property
    def own_share_offers(self) -> float:
        return self.offers_with_own_need_in_top10 / self.offers if self.offers else 0.0

    @property
    def language_violation_share(self) -> float:
        total = self.top3_for_those_needs
        return self.top3_language_violations / total if total else 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(
            own_share=self.own_share,
            own_share_offers=self.own_share_offers,
            language_violation_share=self.language_violation_share,
        )
        return data


def measure_rules(index: MatchIndex, *, k: int = 10) -> RuleReport:
    """Rank the whole published catalogue with `index` and count rule violations."""
    report = RuleReport()
    published = list(listing_card_queryset().filter(status=Status.PUBLISHED).order_by("pk"))
    org_of = {str(x.pk): x.organisation_id for x in published}
    for listing in published:
        doc = listing_document(listing)
        if listing.kind == Kind.NEED:
            results = index.search(doc, k=k)
            report.needs += 1
            if any(org_of.get(r.ref) == listing.organisation_id for r in results):
                report.needs_with_own_offer_in_top10 += 1
            for result in results:
                explanation = result.explanation
                if explanation is None:
                    continue
                report.suggestions_explained += 1
                if explanation.matched_phrases:
                    report.suggestions_with_phrases += 1
                    report.phrases_shown += len(explanation.matched_phrases)
            if doc.requested_languages:
                report.needs_requesting_languages += 1
                top = results[:3]
                report.top3_for_those_needs += len(top)
                bad = [r for r in top if r.explanation and r.explanation.language_mismatch]
                report.top3_language_violations += len(bad)
                if bad and any(
                    r.explanation and not r.explanation.language_mismatch for r in results[3:]
                ):
                    report.top3_violations_avoidable += len(bad)
        else:
            results = index.search_needs(doc, k=k, explain=False)
            report.offers += 1
            if any(org_of.get(r.ref) == listing.organisation_id for r in results):
                report.offers_with_own_need_in_top10 += 1
    return report
