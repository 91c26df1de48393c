from django.db.models import Count, Q

from wipomatch.members.models import Organisation


def home_figures() -> dict[str, int]:
    """Headline figures of the network shown on the home page."""
    return Organisation.objects.approved().aggregate(
        organisations=Count("pk"),
        countries=Count("country", distinct=True),
        ldc_organisations=Count("pk", filter=Q(country__ldc=True)),
    )
