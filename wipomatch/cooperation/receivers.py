"""Keep derived modalities true when staff edit the Global South grouping of a country.

The reference app knows nothing of initiatives; it saves the country (through
`country_update_groupings` or the admin) and this receiver recomputes the initiatives that have a
party in that country.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from wipomatch.reference.models import Country


@receiver(post_save, sender=Country, dispatch_uid="cooperation_recompute_on_grouping_change")
def recompute_on_grouping_change(sender, instance: Country, created, update_fields, **kwargs):
    from .selectors import forget_country_names

    forget_country_names()
    if created or kwargs.get("raw"):
        return
    if update_fields is not None and "global_south" not in update_fields:
        return
    from .services import initiatives_recompute_for_country

    with transaction.atomic():
        initiatives_recompute_for_country(country=instance)
