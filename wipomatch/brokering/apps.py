from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokeringConfig(AppConfig):
    name = "wipomatch.brokering"
    verbose_name = _("Brokering")

    def ready(self) -> None:
        # Imported here, not at module level: models cannot be imported before the registry is ready.
        from wipomatch.matching.documents import register_responsiveness_source
        from wipomatch.messaging.digest import register_section

        from .digest import SECTION_TITLE, open_cases_section
        from .selectors import responsiveness_priors

        register_section(SECTION_TITLE, open_cases_section)
        register_responsiveness_source(responsiveness_priors)
