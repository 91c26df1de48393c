from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "wipomatch.listings"
    verbose_name = _("Needs and offers")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the listing_changed receivers)
