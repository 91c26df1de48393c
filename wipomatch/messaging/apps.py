from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "wipomatch.messaging"
    verbose_name = _("Messaging")

    def ready(self):
        from . import digest, receivers
        from .models import Category

        digest.register_section(
            receivers.SUGGESTIONS_SECTION,
            receivers.strong_suggestions_section,
            category=Category.SUGGESTIONS,
        )
