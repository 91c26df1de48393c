from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "wipomatch.matching"
    verbose_name = _("Matching")

    def ready(self):
        # Not at the top: receivers imports the models, which need the app registry that is
        # being populated when this module is imported.
        from . import receivers  # noqa: F401  (connects the listing_changed receiver)
