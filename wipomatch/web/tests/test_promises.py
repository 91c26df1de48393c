"""A site that keeps its promises: the pages a public platform needs, in six languages; the
code of conduct readable from the application form; sign-up asks for a name; account e-mails
carry the platform's name."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from wipomatch.members.models import User
from wipomatch.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = ("code_of_conduct", "privacy", "terms", "contact", "help")
TITLES = {
    "en": "Code of conduct",
    "fr": "Code de conduite",
    "es": "Código de conducta",
    "ru": "Кодекс поведения",
    "ar": "مدونة السلوك",
    "zh-hans": "行为守则",
}


@pytest.mark.parametrize("language", sorted(TITLES))
@pytest.mark.parametrize("slug", PAGES)
def test_every_page_exists_in_every_language(client, slug, language):
    with translation.override(language):
        url = reverse(f"web:{slug}")
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    assert "wipomatch@wipo.int" in body or slug in ("terms", "help")
    if slug == "code_of_conduct":
        assert f"<h1>{TITLES[language]}</h1>" in body


def test_the_footer_links_every_page(client):
    body = client.get(reverse("web:home")).content.decode()
    for slug in PAGES:
        assert f'href="{reverse(f"web:{slug}")}"' in body


def test_the_privacy_notice_says_what_why_how_long_and_how_to_delete(client):
    body = client.get(reverse("web:privacy")).content.decode()
    for heading in ("What personal data we hold", "Why", "How long", "deletion"):
        assert heading in body


def test_the_application_form_links_the_code_of_conduct(client):
    client.force_login(UserFactory())
    body = client.get(reverse("members:apply")).content.decode()
    assert f'href="{reverse("web:code_of_conduct")}"' in body


def test_sign_up_asks_for_the_name_and_the_e_mail_names_the_platform(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["*"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "full_name": " Amina Diallo ",
                "email": "amina@example.org",
                "password1": "a-long-pass-phrase-2026",
                "password2": "a-long-pass-phrase-2026",
            },
            HTTP_HOST="127.0.0.1:8791",
        )
    assert response.status_code == 302
    assert User.objects.get(email="amina@example.org").full_name == "Amina Diallo"
    body = mail.outbox[-1].body
    assert "WIPO Match" in body
    assert "Hello from 127.0.0.1" not in body


def test_sign_up_without_a_name_is_refused(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.org", "password1": "a-long-pass-1", "password2": "a-long-pass-1"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.org").exists()


def test_organisation_profiles_list_published_listings_and_link_country_pages(client):
    from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
    from wipomatch.members.tests.factories import OrganisationFactory, country

    org = OrganisationFactory(country=country("KE"))
    need = NeedFactory(organisation=org, status="published", title="Published need of ours")
    offer = OfferFactory(organisation=org, status="published", title="Published offer of ours")
    draft = NeedFactory(organisation=org, title="A draft nobody may see")
    body = client.get(reverse("members:organisation_detail", args=[org.pk])).content.decode()
    assert need.title in body and offer.title in body
    assert draft.title not in body
    country_url = reverse("web:country_page", args=["KE"])
    assert f'href="{country_url}"' in body
    directory = client.get(reverse("members:directory")).content.decode()
    assert f'href="{country_url}"' in directory
    detail = client.get(reverse("listings:need_detail", args=[need.pk])).content.decode()
    assert f'href="{country_url}"' in detail
