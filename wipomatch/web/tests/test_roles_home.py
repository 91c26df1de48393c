"""Each role sees its own home; buttons lead only where the person may go; the home page says
only what is true."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.members.tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    MembershipFactory,
)
from wipomatch.web.warmup import is_web_process

pytestmark = pytest.mark.django_db


def page(client, user, name, *args):
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_a_facilitator_gets_a_work_dashboard_with_ages_and_overdue_items(client):
    old = ApplicationFactory()
    old.__class__.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=9)
    )
    fresh = ApplicationFactory()
    need = NeedFactory(status="submitted", title="Training of copyright officers")
    body = page(client, FacilitatorFactory(), "web:dashboard")
    assert "do not belong to a member organisation" not in body
    assert "Applications to review" in body and "Listings to validate" in body
    assert old.organisation.name in body and fresh.organisation.name in body
    assert "9 days" in body and "overdue" in body
    assert need.title in body
    assert reverse("listings:listing_review", args=[need.pk]) in body
    assert "Recent activity" in body


def test_a_member_still_sees_their_organisation(client):
    membership = MembershipFactory()
    body = page(client, membership.user, "web:dashboard")
    assert membership.organisation.name in body
    assert "Recent activity" not in body


@pytest.mark.parametrize(
    ("who", "shown"),
    [("anonymous", False), ("applicant", False), ("facilitator", False), ("member", True)],
)
def test_publish_buttons_only_for_members(client, who, shown):
    user = {
        "anonymous": lambda: None,
        "applicant": lambda: ApplicationFactory().applicant,
        "facilitator": FacilitatorFactory,
        "member": lambda: MembershipFactory().user,
    }[who]()
    for name, label in (
        ("listings:need_list", "Publish a need"),
        ("listings:offer_list", "Publish an offer"),
    ):
        assert (label in page(client, user, name)) is shown


def test_staff_navigation_drops_member_entries_and_names_match_titles(client):
    body = page(client, FacilitatorFactory(), "web:home")
    nav = body[body.index('id="main-nav"') : body.index("</nav>")]
    assert "How to join" not in nav and "My listings" not in nav
    assert "Applications to review" in nav and "Listings to validate" in nav
    queue = page(client, None, "members:review_queue")
    assert "<h1>Applications to review</h1>" in queue
    assert "<title>Applications to review" in queue
    listings = page(client, None, "listings:review_queue")
    assert "<h1>Listings to validate</h1>" in listings


def test_the_home_page_has_search_recent_listings_and_linked_figures(client):
    need = NeedFactory(status="published", title="Support for a new GI registry")
    offer = OfferFactory(status="published", title="Mentoring of TISC staff")
    body = page(client, None, "web:home")
    assert 'role="search"' in body and 'name="q"' in body
    assert need.title in body and offer.title in body
    assert f'href="{reverse("listings:need_list")}"' in body
    assert "success stories" not in body.lower()
    assert "results are shared" not in body


def test_dates_are_written_out_and_labelled(client):
    NeedFactory(status="published")
    body = page(client, None, "listings:need_list")
    today = timezone.localdate()
    assert "Published <time" in body
    assert f"{today.day} {today.strftime('%b')} {today.year}" in body
    with translation.override("zh-hans"):
        url = reverse("listings:need_list")
    assert f"{today.year}年{today.month}月{today.day}日" in client.get(url).content.decode()


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("web/favicon.svg")


def test_only_web_processes_warm_up():
    assert is_web_process(["manage.py", "runserver", "8000"])
    assert is_web_process(["/srv/.venv/bin/gunicorn", "config.wsgi:application"])
    assert not is_web_process(["manage.py", "migrate"])
    assert not is_web_process(["/usr/bin/pytest", "-q"])
