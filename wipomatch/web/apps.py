import os
import sys

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "wipomatch.web"
    verbose_name = _("Website")

    def ready(self):
        from .warmup import is_web_process, warm_up_in_background

        # runserver's autoreloader runs ready() in a watcher process too: warm only the server
        reloader_parent = "runserver" in sys.argv and "--noreload" not in sys.argv
        if reloader_parent and os.environ.get("RUN_MAIN") != "true":
            return
        if getattr(settings, "WARM_UP_ON_START", True) and is_web_process():
            warm_up_in_background()
