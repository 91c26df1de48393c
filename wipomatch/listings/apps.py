from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "wipomatch.listings"
    verbose_name = _("Needs and offers")

    def ready(self) -> None:
        # Not at the top: receivers imports the models, which need the app registry that is
        # being populated when this module is imported.
        from . import receivers  # noqa: F401  (connects the listing_changed receivers)
