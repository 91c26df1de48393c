"""A story names the brokering cases it comes from: only agreed cases of its own organisation,
and a case is shown (page and API) only to those who may see it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from wipomatch.brokering.models import CaseState, MatchCase
from wipomatch.members.models import Organisation
from wipomatch.members.tests.factories import MembershipFactory, OrganisationFactory

from ..models import Status, Story
from .factories import author_of, factory_facilitator, story_data, story_factory

pytestmark = pytest.mark.django_db


def make_case(requesting, receiving, state=CaseState.AGREEMENT) -> MatchCase:
    return MatchCase.objects.create(
        kind="contact",
        subject_content_type=ContentType.objects.get_for_model(Organisation),
        subject_object_id=str(receiving.pk),
        requesting_organisation=requesting,
        receiving_organisation=receiving,
        state=state,
        initiated_by="need",
    )


@pytest.fixture
def world():
    org, partner, stranger = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    author = author_of(org)
    return {
        "org": org,
        "partner": partner,
        "author": author,
        "partner_member": author_of(partner),
        "stranger": author_of(stranger),
        "agreed": make_case(partner, org),
        "mutual": make_case(org, partner, CaseState.MUTUAL),
        "foreign": make_case(partner, stranger),
    }


def _form_post(world, case_ids):
    data = story_data()
    return {
        "kind": data.kind,
        "title": data.title,
        "summary": data.summary,
        "body": data.body,
        "language": data.language,
        "themes": data.themes,
        "ip_areas": data.ip_areas,
        "countries": data.countries,
        "sdg_goals": [str(n) for n in data.sdg_goals],
        "cases": [str(pk) for pk in case_ids],
    }


def test_form_offers_only_agreed_cases_of_the_organisation(client, world):
    client.force_login(world["author"])
    page = client.get("/en/stories/new/").content.decode()
    assert 'name="cases"' in page
    assert f"Case #{world['agreed'].pk}:" in page
    assert f"Case #{world['mutual'].pk}:" not in page
    assert f"Case #{world['foreign'].pk}:" not in page
    response = client.post("/en/stories/new/", _form_post(world, [world["agreed"].pk]))
    assert response.status_code == 302
    story = Story.objects.get(organisation=world["org"])
    assert list(story.cases.all()) == [world["agreed"]]


@pytest.mark.parametrize("which", ["foreign", "mutual"])
def test_form_refuses_another_organisations_case_and_a_case_not_agreed(client, world, which):
    client.force_login(world["author"])
    response = client.post("/en/stories/new/", _form_post(world, [world[which].pk]))
    assert response.status_code == 200
    assert (
        "Choose brokering cases your organisation is a party to and that ended in an agreement"
        in (response.content.decode())
    )
    assert not Story.objects.filter(organisation=world["org"]).exists()


def test_service_says_which_rule_a_case_breaks(world):
    with pytest.raises(ValidationError) as exc:
        story_factory(organisation=world["org"], user=world["author"], cases=[world["foreign"].pk])
    assert exc.value.message_dict["cases"] == [
        "Choose brokering cases your organisation is a party to."
    ]
    with pytest.raises(ValidationError) as exc:
        story_factory(organisation=world["org"], user=world["author"], cases=[world["mutual"].pk])
    assert exc.value.message_dict["cases"] == ["Choose brokering cases that ended in an agreement."]


@pytest.fixture
def story(world):
    return story_factory(
        organisation=world["org"],
        user=world["author"],
        status=Status.PUBLISHED,
        cases=[world["agreed"].pk],
    )


def _viewers(world):
    return {
        "anonymous": None,
        "stranger": world["stranger"],
        "unrelated": MembershipFactory().user,
        "author": world["author"],
        "partner": world["partner_member"],
        "facilitator": factory_facilitator(),
    }


@pytest.mark.parametrize(
    "viewer,sees",
    [
        ("anonymous", False),
        ("unrelated", False),
        ("stranger", False),
        ("author", True),
        ("partner", True),
        ("facilitator", True),
    ],
)
def test_case_link_only_for_those_who_may_see_the_case(client, world, story, viewer, sees):
    user = _viewers(world)[viewer]
    if user is not None:
        client.force_login(user)
    case = world["agreed"]
    page = client.get(f"/en/stories/{story.pk}/?chosen=1").content.decode()
    assert story.title in page
    assert (f"/en/matches/{case.pk}/" in page) is sees
    assert ("Brokering cases" in page) is sees
    assert (f"Case #{case.pk}" in page) is sees
    data = client.get(f"/api/v1/stories/{story.pk}/").json()
    listed = client.get("/api/v1/stories/").json()["results"]
    in_list = next(item for item in listed if item["id"] == story.pk)
    if sees:
        assert [c["id"] for c in data["cases"]] == [case.pk]
        assert data["cases"][0]["url"] == f"http://testserver/en/matches/{case.pk}/"
        assert data["cases"][0]["state"] == "agreement"
        assert [c["id"] for c in in_list["cases"]] == [case.pk]
    else:
        assert data["cases"] == [] and in_list["cases"] == []
