"""Every public page of the foundation renders in the six UN languages, right-to-left in Arabic."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from wipomatch.members import services
from wipomatch.members.criteria import CRITERIA
from wipomatch.members.models import User
from wipomatch.reference.models import Country

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]

# URL name → arguments ("org" stands for an approved organisation's id).
PAGES = {
    "home": ("web:home", []),
    "about": ("web:about", []),
    "members directory": ("members:directory", []),
    "organisation profile": ("members:organisation_detail", ["org"]),
    "membership criteria": ("members:criteria", []),
    "sign in": ("account_login", []),
    "sign up": ("account_signup", []),
    "password reset": ("account_reset_password", []),
}


@pytest.fixture
def organisation():
    facilitator = User.objects.create_user(
        "facilitator@example.org", "pw-for-tests-123", staff_role="facilitator"
    )
    applicant = User.objects.create_user("focal@example.org", "pw-for-tests-123")
    application = services.application_submit(
        user=applicant,
        name="Bureau malien du droit d'auteur",
        org_type="public-body",
        country=Country.objects.get(iso2="ML"),
        description="Gestion collective des droits des artistes maliens.",
        contact_email="contact@bumda.example.org",
        motivation="Partager notre expérience.",
        accepted_code_of_conduct=True,
        themes=["creative-industries"],
    )
    services.application_assess(
        facilitator=facilitator,
        application=application,
        assessments={c.slug: (True, "") for c in CRITERIA},
    )
    return services.application_approve(facilitator=facilitator, application=application)


def _url(language: str, name: str, args: list, organisation) -> str:
    with translation.override(language):
        url = reverse(name, args=[organisation.pk if a == "org" else a for a in args])
    assert url.startswith(f"/{language}/"), url
    return url


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", list(PAGES))
def test_public_page_renders_in_every_language(client, organisation, page, language):
    name, args = PAGES[page]
    url = _url(language, name, args, organisation)
    response = client.get(url)
    assert response.status_code == 200, f"{page} ({url}) answered {response.status_code}"
    html = response.content.decode()
    match = re.search(r"<html[^>]*>", html)
    assert match, f"{page} ({url}) has no <html> element"
    tag = match.group(0)
    assert f'lang="{language}"' in tag, tag
    expected_dir = "rtl" if language == "ar" else "ltr"
    assert f'dir="{expected_dir}"' in tag, tag
    if page == "organisation profile":
        assert "Bureau malien du droit d" in html
        assert "contact@bumda.example.org" not in html  # a visitor never sees the contact


@pytest.mark.parametrize("language", LANGUAGES)
def test_arabic_pages_use_the_rtl_stylesheet_and_others_do_not(client, language):
    html = client.get(f"/{language}/").content.decode()
    if language == "ar":
        assert "bootstrap.rtl.min.css" in html
    else:
        assert "bootstrap.rtl.min.css" not in html
        assert "bootstrap.min.css" in html
