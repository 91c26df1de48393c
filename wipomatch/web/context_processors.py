from django.conf import settings
from django.utils.translation import get_language_bidi


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "is_rtl": get_language_bidi(),
        "ui_languages": settings.LANGUAGES,
    }
