"""Who may open or do what, for every view of the members app.

200 = the page, LOGIN = redirect to sign in, 403 = may see but not change, 404 = may not even see,
DONE = the action was carried out (redirect elsewhere than the sign-in page).
"""

import pytest
from django.conf import settings
from django.urls import reverse

from ..models import Membership, MembershipApplication
from .factories import (
    AdminFactory,
    ApplicationFactory,
    FacilitatorFactory,
    FocalPointFactory,
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOGIN, DONE = "login", "done"
ROLES = (
    "anonymous",
    "applicant",
    "contributor",
    "other_focal_point",
    "focal_point",
    "facilitator",
    "admin",
)


@pytest.fixture
def world(db):
    """An approved organisation with its team, a second organisation, a pending application
    (waiting for more information), a join request, an invitation and the staff."""
    org = OrganisationFactory()
    focal = FocalPointFactory(organisation=org)
    contributor = MembershipFactory(organisation=org, role=Membership.Role.CONTRIBUTOR)
    other = FocalPointFactory()
    application = ApplicationFactory(status=MembershipApplication.Status.MORE_INFO)
    return {
        "org": org,
        "application": application,
        "contributor_membership": contributor,
        "join_request": JoinRequestFactory(organisation=org),
        "invitation": InvitationFactory(organisation=org, email="invitee@example.org"),
        "users": {
            "anonymous": None,
            "applicant": application.applicant,
            "contributor": contributor.user,
            "other_focal_point": other.user,
            "focal_point": focal.user,
            "facilitator": FacilitatorFactory(),
            "admin": AdminFactory(),
        },
    }


# How to build a view's URL arguments from the world.
NO_ARGS = lambda w: []  # noqa: E731
ORG = lambda w: [w["org"].pk]  # noqa: E731
PENDING_ORG = lambda w: [w["application"].organisation.pk]  # noqa: E731
APPLICATION = lambda w: [w["application"].pk]  # noqa: E731
JOIN_REQUEST = lambda w: [w["join_request"].pk]  # noqa: E731
MEMBERSHIP = lambda w: [w["contributor_membership"].pk]  # noqa: E731
INVITATION = lambda w: [w["invitation"].pk]  # noqa: E731
INVITATION_TOKEN = lambda w: [w["invitation"].token]  # noqa: E731

# view name -> (method, URL args, POST data, expected per role in the order of ROLES)
MATRIX = {
    "directory": ("get", NO_ARGS, None, [200] * 7),
    "criteria": ("get", NO_ARGS, None, [200] * 7),
    "organisation_detail": ("get", ORG, None, [200] * 7),
    "pending_organisation_detail": ("get", PENDING_ORG, None, [404, 200, 404, 404, 404, 200, 200]),
    "apply": ("get", NO_ARGS, None, [LOGIN, 200, 200, 200, 200, 200, 200]),
    "application_detail": ("get", APPLICATION, None, [LOGIN, 200, 404, 404, 404, 200, 200]),
    "application_edit": ("get", APPLICATION, None, [LOGIN, 200, 404, 404, 404, 403, 403]),
    "review_queue": ("get", NO_ARGS, None, [LOGIN, 403, 403, 403, 403, 200, 200]),
    "review_application": ("get", APPLICATION, None, [LOGIN, 403, 404, 404, 404, 200, 200]),
    "organisation_edit": ("get", ORG, None, [LOGIN, 403, 403, 403, 200, 200, 200]),
    "join": ("get", ORG, None, [LOGIN, 200, 200, 200, 200, 200, 200]),
    "organisation_team": ("get", ORG, None, [LOGIN, 403, 403, 403, 200, 200, 200]),
    "organisation_suspend": ("get", ORG, None, [LOGIN, 403, 403, 403, 403, 200, 200]),
    "organisation_reinstate": ("get", ORG, None, [LOGIN, 403, 403, 403, 403, 200, 200]),
    "join_request_decide": (
        "post",
        JOIN_REQUEST,
        {"decision": "decline"},
        [LOGIN, 404, 403, 404, DONE, DONE, DONE],
    ),
    "membership_remove": ("get", MEMBERSHIP, None, [LOGIN, 404, 403, 404, 200, 200, 200]),
    "membership_role": ("post", MEMBERSHIP, "role_form", [LOGIN, 404, 403, 404, DONE, DONE, DONE]),
    "invitation_revoke": ("post", INVITATION, {}, [LOGIN, 404, 403, 404, DONE, DONE, DONE]),
    "invitation_accept": ("get", INVITATION_TOKEN, None, [LOGIN, 200, 200, 200, 200, 200, 200]),
}

CASES = [
    pytest.param(view, role, expected[i], id=f"{view}-{role}")
    for view, (_method, _args, _data, expected) in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("view", "role", "expected"), CASES)
def test_permission_matrix(world, login, view, role, expected):
    method, args, data, _expected = MATRIX[view]
    url_name = "organisation_detail" if view == "pending_organisation_detail" else view
    url = reverse(f"members:{url_name}", args=args(world))
    if data == "role_form":
        data = {f"member-{world['contributor_membership'].pk}-role": "focal_point"}
    client = login(world["users"][role])
    response = getattr(client, method)(url, data or {})

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
        assert "next=" in response["Location"]
    elif expected == DONE:
        assert response.status_code == 302
        assert not response["Location"].startswith(reverse(settings.LOGIN_URL))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("join_request_decide", JOIN_REQUEST),
        ("membership_role", MEMBERSHIP),
        ("invitation_revoke", INVITATION),
    ],
)
def test_one_off_actions_only_accept_post(world, login, url_name, args):
    client = login(world["users"]["focal_point"])
    response = client.get(reverse(f"members:{url_name}", args=args(world)))
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("url_name", "args", "data"),
    [
        ("join_request_decide", JOIN_REQUEST, {"decision": "approve"}),
        ("invitation_revoke", INVITATION, {}),
        ("membership_remove", MEMBERSHIP, {}),
        ("organisation_team", ORG, {"email": "x@example.org"}),
    ],
)
def test_posts_without_a_csrf_token_are_refused(world, url_name, args, data):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["focal_point"])
    response = client.post(reverse(f"members:{url_name}", args=args(world)), data)
    assert response.status_code == 403
    assert Membership.objects.filter(pk=world["contributor_membership"].pk).exists()


def test_unknown_objects_are_404_not_500(world, login):
    client = login(world["users"]["facilitator"])
    for url_name, arg in [
        ("organisation_detail", 999999),
        ("application_detail", 999999),
        ("review_application", 999999),
        ("membership_remove", 999999),
        ("invitation_accept", "no-such-token"),
    ]:
        assert client.get(reverse(f"members:{url_name}", args=[arg])).status_code == 404


def test_a_suspended_organisation_is_hidden_from_outsiders_but_not_from_its_team(world, login):
    org = world["org"]
    org.status = "suspended"
    org.save()
    url = reverse("members:organisation_detail", args=[org.pk])
    assert login(None).get(url).status_code == 404
    assert login(world["users"]["other_focal_point"]).get(url).status_code == 404
    assert login(world["users"]["contributor"]).get(url).status_code == 200
    assert login(world["users"]["facilitator"]).get(url).status_code == 200
    # Its focal point sees it but may no longer manage it.
    focal = world["users"]["focal_point"]
    assert login(focal).get(url).status_code == 200
    team = reverse("members:organisation_team", args=[org.pk])
    assert login(focal).get(team).status_code == 403


def test_a_registered_person_without_organisation_sees_public_pages_only(login):
    person = UserFactory()
    org = OrganisationFactory()
    client = login(person)
    assert client.get(reverse("members:organisation_detail", args=[org.pk])).status_code == 200
    assert client.get(reverse("members:organisation_team", args=[org.pk])).status_code == 403
    assert client.get(reverse("members:review_queue")).status_code == 403
