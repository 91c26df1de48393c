"""Each filter of the public initiative directory keeps the initiatives it names and drops the
others (one initiative in Mozambique, one in Chile, differing on every filter). Both are
provided by an office in Brazil, so the Americas match both."""

from datetime import date

import pytest
from django.urls import reverse

from .factories import initiative_team, make_initiative

pytestmark = pytest.mark.django_db

MZ = "Examiner training for Mozambique"
CL = "Health innovation support for Chile"


@pytest.fixture
def two_initiatives():
    team = initiative_team()
    make_initiative(team, published=True, title=MZ)
    make_initiative(
        team,
        published=True,
        title=CL,
        extra_parties=(("beneficiary", "CL", "business", "Chilean health start-up"),),
        countries=["CL"],
        themes=["public-health"],
        sdg_goals=[3],
        status="4",
        planned_start=date(2019, 1, 1),
        planned_end=date(2020, 6, 30),
    )


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"theme": "ip-management"}, MZ, CL),
        ({"theme": "public-health"}, CL, MZ),
        ({"region": "002"}, MZ, CL),  # Africa
        ({"region": "142"}, None, MZ),  # Asia: neither
        ({"country": "MZ"}, MZ, CL),
        ({"country": "CL"}, CL, MZ),
        ({"ldc": "on"}, MZ, CL),
        ({"status": "2"}, MZ, CL),
        ({"status": "4"}, CL, MZ),
        ({"sdg": "9"}, MZ, CL),
        ({"sdg": "3"}, CL, MZ),
        ({"year": "2026"}, MZ, CL),
        ({"year": "2019"}, CL, MZ),
    ],
)
def test_each_directory_filter(client, two_initiatives, query, shown, hidden):
    response = client.get(reverse("cooperation:directory"), query)
    assert response.status_code == 200
    body = response.content.decode()
    if shown:
        assert shown in body
    assert hidden not in body
