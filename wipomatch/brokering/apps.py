from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokeringConfig(AppConfig):
    name = "wipomatch.brokering"
    verbose_name = _("Brokering")

    def ready(self) -> None:
        from wipomatch.messaging.digest import register_section

        from .digest import SECTION_TITLE, open_cases_section

        register_section(SECTION_TITLE, open_cases_section)
