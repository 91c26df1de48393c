from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "wipomatch.cooperation"
    verbose_name = _("Cooperation")

    def ready(self) -> None:
        from . import receivers  # noqa: F401
