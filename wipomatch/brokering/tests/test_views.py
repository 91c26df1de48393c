"""Pages: the permission matrix of every brokering page, and what each page shows."""

import pytest
from django.urls import reverse

from wipomatch.brokering import services
from wipomatch.brokering.models import CaseState, MatchCase

from .conftest import SECRETS
from .helpers import express, to_agreement, to_mutual

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "seeker", "provider", "facilitator"]


def _client(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("seeker", 200),
        ("provider", 200),
        ("facilitator", 200),
    ],
)
def test_case_page_matrix(client, world, role, expected):
    case = express(world)
    response = _client(client, world, role).get(reverse("brokering:case_detail", args=[case.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("seeker", 403),
        ("provider", 403),
        ("facilitator", 200),
    ],
)
def test_board_and_propose_pages_are_for_facilitators(client, world, role, expected):
    express(world)
    c = _client(client, world, role)
    assert c.get(reverse("brokering:board")).status_code == expected
    assert c.get(reverse("brokering:propose")).status_code == expected


@pytest.mark.parametrize("role", ["outsider", "seeker", "provider", "facilitator"])
def test_my_matches_and_token_pages_for_everyone_signed_in(client, world, role):
    express(world)
    c = _client(client, world, role)
    response = c.get(reverse("brokering:my_matches"))
    assert response.status_code == 200
    assert c.get(reverse("brokering:api_token")).status_code == 200
    if role == "provider":
        # Waiting for their answer: listed first.
        assert "Waiting for your answer" in response.content.decode()
        assert world.need.title in response.content.decode().split("stage-")[0]


def test_anonymous_is_sent_to_sign_in(client, world):
    for name in ("brokering:my_matches", "brokering:api_token"):
        assert client.get(reverse(name)).status_code == 302


@pytest.mark.parametrize(
    "role,expected", [("outsider", 404), ("seeker", 400), ("facilitator", 400), ("provider", 302)]
)
def test_accept_matrix(client, world, role, expected):
    case = express(world)
    response = _client(client, world, role).post(
        reverse("brokering:case_accept", args=[case.pk]), {"message": ""}
    )
    assert response.status_code == expected
    case.refresh_from_db()
    assert (case.state == CaseState.MUTUAL) == (role == "provider")


@pytest.mark.parametrize("role,expected", [("outsider", 404), ("seeker", 400), ("provider", 302)])
def test_decline_matrix(client, world, role, expected):
    case = express(world)
    response = _client(client, world, role).post(
        reverse("brokering:case_decline", args=[case.pk]),
        {"reason": "no_capacity", "comment": ""},
    )
    assert response.status_code == expected


def test_decline_other_without_comment_shows_the_error(client, world):
    case = express(world)
    client.force_login(world.provider)
    response = client.post(
        reverse("brokering:case_decline", args=[case.pk]), {"reason": "other", "comment": ""}
    )
    assert response.status_code == 400
    assert "Say in a few words why you decline." in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.INTEREST


@pytest.mark.parametrize("role,state", [("provider", "interest"), ("seeker", "withdrawn")])
def test_withdraw_only_by_the_initiator(client, world, role, state):
    case = express(world)
    _client(client, world, role).post(reverse("brokering:case_withdraw", args=[case.pk]))
    case.refresh_from_db()
    assert case.state == state


@pytest.mark.parametrize(
    "name,data",
    [
        ("case_note", {"note-body": "Called the provider."}),
        ("case_follow_up", {"follow_up_on": "2030-01-01"}),
        ("case_assign", {"assignee": ""}),
        ("case_reopen", {"reopen-message": ""}),
    ],
)
@pytest.mark.parametrize("role,expected", [("outsider", 403), ("seeker", 403), ("provider", 403)])
def test_facilitator_forms_refuse_members(client, world, name, data, role, expected):
    case = express(world)
    response = _client(client, world, role).post(reverse(f"brokering:{name}", args=[case.pk]), data)
    assert response.status_code == expected


def test_facilitator_works_a_case(client, world):
    case = express(world)
    client.force_login(world.facilitator)
    url = reverse("brokering:case_detail", args=[case.pk])
    assert (
        client.post(
            reverse("brokering:case_note", args=[case.pk]), {"note-body": "Secret note"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("brokering:case_follow_up", args=[case.pk]), {"follow_up_on": "2030-01-01"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("brokering:case_assign", args=[case.pk]), {"assignee": world.facilitator.pk}
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.assigned_to == world.facilitator
    assert str(case.follow_up_on) == "2030-01-01"
    assert "Secret note" in client.get(url).content.decode()
    # Members never see internal notes.
    client.force_login(world.seeker)
    assert "Secret note" not in client.get(url).content.decode()


def test_contacts_appear_on_the_page_only_after_mutual(client, world):
    case = express(world)
    url = reverse("brokering:case_detail", args=[case.pk])
    for user in (world.seeker, world.provider):
        client.force_login(user)
        page = client.get(url).content.decode()
        for secret in SECRETS:
            if secret in (user.email, user.full_name):
                continue
            assert secret not in page
    services.match_accept(user=world.provider, case=case)
    client.force_login(world.seeker)
    page = client.get(url).content.decode()
    assert "paulo.provider@provider.example.org" in page
    assert "Paulo Provider" in page
    assert 'id="conversation-' in page


def test_express_interest_from_an_offer_page(client, world):
    client.force_login(world.seeker)
    offer_page = client.get(
        reverse("listings:offer_detail", args=[world.offer.pk])
    ).content.decode()
    form_url = reverse("brokering:express_interest", args=["offer", world.offer.pk])
    assert form_url in offer_page
    page = client.get(form_url)
    assert page.status_code == 200
    assert world.need.title in page.content.decode()
    response = client.post(form_url, {"mine": world.need.pk, "message": "Interested!"})
    case = MatchCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("brokering:case_detail", args=[case.pk])
    assert case.initiated_by == "need" and case.state == "interest"
    # A second interest for the same pair is refused with a clear message.
    again = client.post(form_url, {"mine": world.need.pk, "message": "Again"})
    assert again.status_code == 200
    assert "already an open case" in again.content.decode()


def test_express_interest_page_refuses_own_and_unknown_listings(client, world):
    client.force_login(world.provider)
    own = client.get(reverse("brokering:express_interest", args=["offer", world.offer.pk]))
    assert own.status_code == 200
    assert "first needs a published need" in own.content.decode()
    assert (
        client.get(reverse("brokering:express_interest", args=["offer", 999999])).status_code == 404
    )
    assert client.get(reverse("brokering:express_interest", args=["story", 1])).status_code == 404


def test_propose_form(client, world):
    client.force_login(world.facilitator)
    response = client.post(
        reverse("brokering:propose"),
        {"need": world.need.pk, "offer": world.offer.pk, "message": "You should talk."},
    )
    case = MatchCase.objects.get()
    assert response.status_code == 302
    assert case.state == CaseState.PROPOSED and case.initiated_by == "facilitator"
    bad = client.post(
        reverse("brokering:propose"), {"need": world.offer.pk, "offer": 99999, "message": "x"}
    )
    assert bad.status_code == 200
    assert "No need has this number." in bad.content.decode()


def test_board_filters_and_stages(client, world):
    case = to_mutual(world)
    client.force_login(world.facilitator)
    board = reverse("brokering:board")
    assert world.need.title[:30] in client.get(board).content.decode()
    assert world.need.title[:30] in client.get(board + "?state=mutual&country=SN").content.decode()
    assert world.need.title[:30] not in client.get(board + "?state=interest").content.decode()
    assert world.need.title[:30] not in client.get(board + "?country=KE").content.decode()
    assert world.need.title[:30] not in client.get(board + "?assigned=me").content.decode()
    services.match_set_follow_up(
        facilitator=world.facilitator, case=case, on=__import__("datetime").date(2000, 1, 1)
    )
    assert world.need.title[:30] in client.get(board + "?overdue=on").content.decode()
    assert client.get(board + "?state=bogus").status_code == 200


def test_rating_form_after_close(client, world):
    case = to_agreement(world)
    client.force_login(world.seeker)
    url = reverse("brokering:case_detail", args=[case.pk])
    assert 'id="rating"' in client.get(url).content.decode()
    response = client.post(
        reverse("brokering:case_rate", args=[case.pk]), {"score": 4, "comment": "Good"}
    )
    assert response.status_code == 302
    assert case.ratings.get().score == 4
    client.force_login(world.outsider)
    assert (
        client.post(reverse("brokering:case_rate", args=[case.pk]), {"score": 1}).status_code == 404
    )


def test_token_page_creates_and_revokes(client, world):
    from rest_framework.authtoken.models import Token

    client.force_login(world.seeker)
    url = reverse("brokering:api_token")
    page = client.post(url, {"action": "create"}).content.decode()
    token = Token.objects.get(user=world.seeker)
    assert token.key in page
    # Shown once only; afterwards the creation date.
    assert token.key not in client.get(url).content.decode()
    client.post(url, {"action": "revoke"})
    assert not Token.objects.filter(user=world.seeker).exists()


def test_conversation_page_links_back_to_the_case(client, world):
    from wipomatch.messaging.selectors import conversation_for

    case = to_mutual(world)
    conversation = conversation_for(case)
    client.force_login(world.provider)
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert reverse("brokering:case_detail", args=[case.pk]) in page
    assert f"Case #{case.pk}: Seeker IP Office and Provider Patent Office" in page
    client.force_login(world.outsider)
    assert client.get(reverse("messaging:conversation", args=[conversation.pk])).status_code == 404
