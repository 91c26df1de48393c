from rest_framework import serializers


class SuggestionSerializer(serializers.Serializer):
    """One ranked counterpart of a listing, with its reasons in the response's language."""

    id = serializers.IntegerField(source="view.listing.pk")
    kind = serializers.CharField(source="view.listing.kind")
    title = serializers.CharField(source="view.listing.display_title")
    summary = serializers.CharField(source="view.listing.display_summary")
    organisation = serializers.CharField(source="view.listing.organisation.name")
    country = serializers.CharField(source="view.listing.organisation.country.iso2")
    rank = serializers.IntegerField(source="view.rank")
    score = serializers.FloatField(source="view.score")
    reasons = serializers.ListField(child=serializers.CharField())
    explanation = serializers.JSONField(source="view.suggestion.explanation")
    signals = serializers.SerializerMethodField()

    def get_signals(self, item) -> dict | None:
        # The signals behind a score are shown to facilitators only.
        if self.context.get("show_signals"):
            return item["view"].suggestion.signals
        return None
