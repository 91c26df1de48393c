"""Every filter of the facilitator case board narrows the board to the cases it names, and
only those (each filter checked on a value that matches and on one that does not)."""

import datetime

import pytest
from django.urls import reverse

from wipomatch.brokering import services
from wipomatch.members.tests.factories import FacilitatorFactory
from wipomatch.reference.models import VocabularyTerm

from .helpers import to_mutual

pytestmark = pytest.mark.django_db


def _board(client, query: str) -> str:
    response = client.get(reverse("brokering:board") + "?" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_each_board_filter_keeps_the_matching_case_and_drops_it_otherwise(client, world):
    case = to_mutual(world)
    title = world.need.title[:30]
    client.force_login(world.facilitator)
    need_theme = world.need.terms.filter(kind="themes").values_list("slug", flat=True).first()
    assert need_theme, "the factory gives every need a theme"
    # Theme: the need's theme matches; a theme neither listing has does not.
    used = set(world.need.terms.values_list("slug", flat=True)) | set(
        world.offer.terms.values_list("slug", flat=True)
    )
    unused_theme = (
        VocabularyTerm.objects.filter(kind=VocabularyTerm.Kind.THEME)
        .exclude(slug__in=used)
        .values_list("slug", flat=True)
        .first()
    )
    assert title in _board(client, f"theme={need_theme}")
    assert title not in _board(client, f"theme={unused_theme}")
    # Region: Africa (002, the seeker in Senegal) and the Americas (019, the provider in
    # Brazil) both match; Europe (150) does not. Sub-regions too.
    assert title in _board(client, "region=002")
    assert title in _board(client, "region=019")
    assert title in _board(client, "region=202")  # Sub-Saharan Africa
    assert title not in _board(client, "region=150")
    # Country, either side.
    assert title in _board(client, "country=BR")
    assert title not in _board(client, "country=KE")
    # LDC: Senegal is one.
    assert title in _board(client, "ldc=on")
    world.seeker_org.country = world.outsider.memberships.first().organisation.country  # Kenya
    world.seeker_org.save(update_fields=["country"])
    assert title not in _board(client, "ldc=on")
    # Organisation type, either side.
    assert title in _board(client, "org_type=ip-office")
    assert title not in _board(client, "org_type=academia")
    # Assigned facilitator: me, nobody, someone by id.
    other = FacilitatorFactory(full_name="Other Facilitator")
    assert title in _board(client, "assigned=none")
    assert title not in _board(client, "assigned=me")
    services.match_assign(facilitator=world.facilitator, case=case, assignee=world.facilitator)
    assert title in _board(client, "assigned=me")
    assert title in _board(client, f"assigned={world.facilitator.pk}")
    assert title not in _board(client, f"assigned={other.pk}")
    assert title not in _board(client, "assigned=none")
    # Overdue: only when the follow-up date has passed.
    assert title not in _board(client, "overdue=on")
    services.match_set_follow_up(
        facilitator=world.facilitator, case=case, on=datetime.date.today() + datetime.timedelta(3)
    )
    assert title not in _board(client, "overdue=on")
    services.match_set_follow_up(
        facilitator=world.facilitator, case=case, on=datetime.date(2000, 1, 1)
    )
    assert title in _board(client, "overdue=on")
