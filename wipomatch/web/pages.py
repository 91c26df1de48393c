"""Long static pages (code of conduct, privacy notice, terms of use, contact, help): one
template per language, `web/pages/<slug>.<language>.html`, rather than hundreds of msgids.
A language without its own version falls back to English."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

PAGES = ("code_of_conduct", "privacy", "terms", "contact", "help")


@require_GET
def static_page(request: HttpRequest, slug: str) -> HttpResponse:
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    try:
        template = select_template(
            [f"web/pages/{slug}.{language}.html", f"web/pages/{slug}.en.html"]
        )
    except TemplateDoesNotExist as error:  # only the slugs of urls.py reach this view
        raise ValueError(f"no page {slug!r}") from error
    context = {
        "contact_email": settings.PLATFORM_CONTACT_EMAIL,
        "page_slug": slug,
    }
    return render(request, template.template.name, context)
