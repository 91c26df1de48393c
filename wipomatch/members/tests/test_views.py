"""The members pages as people use them: directory, profile, applying, reviewing, team."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from wipomatch.core.tests.helpers import (
    assert_history_restore_gets_the_whole_page,
    count_queries,
    text,
)

from ..criteria import CRITERIA
from ..models import (
    Invitation,
    JoinRequest,
    Membership,
    MembershipApplication,
    Organisation,
)
from .factories import (
    ApplicationFactory,
    FacilitatorFactory,
    FocalPointFactory,
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    country,
    has_totp,
)

pytestmark = pytest.mark.django_db


# --- Directory -------------------------------------------------------------------------------


def test_directory_lists_approved_organisations_only(login):
    OrganisationFactory(name="Visible Office")
    OrganisationFactory(name="Suspended Office", status=Organisation.Status.SUSPENDED)
    ApplicationFactory(organisation__name="Pending Office")
    response = login(None).get(reverse("members:directory"))
    assert response.status_code == 200
    body = text(response)
    assert "Visible Office" in body
    assert "Suspended Office" not in body and "Pending Office" not in body
    assert "1 organisation found" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "KE"}, {"Nairobi Hub"}),
        ({"region": "002"}, {"Nairobi Hub", "Dakar Office"}),  # Africa
        ({"region": "011"}, {"Dakar Office"}),  # Western Africa (intermediate region)
        ({"region": "419"}, {"Lima University"}),  # Latin America and the Caribbean
        ({"org_type": "academia"}, {"Lima University"}),
        ({"theme": "green-innovation"}, {"Nairobi Hub", "Lima University"}),
        ({"q": "dakar"}, {"Dakar Office"}),
        ({"q": "licensing"}, {"Lima University"}),
        ({"region": "002", "theme": "green-innovation"}, {"Nairobi Hub"}),
    ],
)
def test_directory_filters(login, query, expected):
    OrganisationFactory(name="Nairobi Hub", country=country("KE"), themes=["green-innovation"])
    OrganisationFactory(name="Dakar Office", country=country("SN"), themes=["public-health"])
    OrganisationFactory(
        name="Lima University",
        country=country("PE"),
        org_type="academia",
        description="Licensing of university inventions.",
        themes=["green-innovation", "ip-management"],
    )
    response = login(None).get(reverse("members:directory"), query)
    found = {o.name for o in response.context["organisations"]}
    assert found == expected


def test_directory_labels_follow_the_language(login):
    OrganisationFactory(name="Dakar Office", country=country("SN"))
    response = login(None).get(reverse("members:directory").replace("/en/", "/fr/"))
    assert "Sénégal" in text(response)
    assert 'lang="fr"' in text(response)


def test_directory_paginates_by_25_and_page_links_keep_the_filters(login):
    for i in range(30):
        OrganisationFactory(name=f"Kenyan office {i:02d}", country=country("KE"))
    OrganisationFactory(name="Dakar Office", country=country("SN"))
    client = login(None)
    response = client.get(reverse("members:directory"), {"country": "KE"})
    assert len(response.context["organisations"]) == 25
    assert "30 organisations found" in text(response)
    assert "page=2" in text(response) and "country=KE" in text(response)
    link = re.search(r'href="([^"]*page=2[^"]*)"', text(response)).group(1)
    assert "country=KE" in link
    second = client.get(link.replace("&amp;", "&"))
    names = [o.name for o in second.context["organisations"]]
    assert len(names) == 5 and all(n.startswith("Kenyan") for n in names)


def test_directory_empty_state(login):
    response = login(None).get(reverse("members:directory"), {"q": "nothing like this"})
    assert "0 organisations found" in text(response)
    assert "No member organisation matches these filters." in text(response)


def test_an_unknown_filter_value_is_reported_not_a_500(login):
    OrganisationFactory(name="Dakar Office")
    response = login(None).get(reverse("members:directory"), {"country": "ZZ", "region": "999"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"country", "region"}
    assert [o.name for o in response.context["organisations"]] == ["Dakar Office"]


def test_htmx_request_gets_only_the_results_partial(login):
    OrganisationFactory(name="Dakar Office")
    client = login(None)
    full = client.get(reverse("members:directory"))
    partial = client.get(reverse("members:directory"), {"q": "dakar"}, HTTP_HX_REQUEST="true")
    assert "<html" in text(full) and 'hx-get="' in text(full) and 'hx-push-url="true"' in text(full)
    assert "<html" not in text(partial)
    assert "Dakar Office" in text(partial)
    assert 'id="results-heading"' in text(partial)
    assert "HX-Request" in partial["Vary"]
    assert_history_restore_gets_the_whole_page(client, reverse("members:directory"))


def test_directory_query_count_does_not_grow_with_the_page(login):
    client = login(UserFactory())
    url = reverse("members:directory")
    OrganisationFactory.create_batch(2, themes=["public-health", "green-innovation"])
    few = count_queries(client, url)
    OrganisationFactory.create_batch(30, themes=["public-health", "green-innovation"])
    many = count_queries(client, url)
    assert few == many
    assert count_queries(client, url, HTTP_HX_REQUEST="true") <= many


def test_review_queue_query_count_does_not_grow(login):
    client = login(FacilitatorFactory())
    url = reverse("members:review_queue")
    OrganisationFactory(name="Same name")
    for _ in range(2):
        ApplicationFactory().possible_duplicates.set(Organisation.objects.approved())
    few = count_queries(client, url)
    for _ in range(10):
        ApplicationFactory().possible_duplicates.set(Organisation.objects.approved())
    assert count_queries(client, url) == few


def test_team_page_query_count_does_not_grow_with_the_team(login):
    focal = FocalPointFactory()
    org = focal.organisation
    client = login(focal.user)
    url = reverse("members:organisation_team", args=[org.pk])
    MembershipFactory(organisation=org)
    JoinRequestFactory(organisation=org)
    InvitationFactory(organisation=org, invited_by=focal.user)
    few = count_queries(client, url)
    MembershipFactory.create_batch(8, organisation=org)
    JoinRequestFactory.create_batch(5, organisation=org)
    InvitationFactory.create_batch(5, organisation=org, invited_by=focal.user)
    assert count_queries(client, url) == few


# --- Profile ---------------------------------------------------------------------------------


def test_contact_email_is_shown_only_to_members_and_facilitators(login):
    org = OrganisationFactory(contact_email="secret@office.example.org")
    contributor = MembershipFactory(organisation=org).user
    url = reverse("members:organisation_detail", args=[org.pk])
    for outsider in (None, UserFactory(), FocalPointFactory().user):
        assert "secret@office.example.org" not in text(login(outsider).get(url))
    for insider in (contributor, FacilitatorFactory()):
        assert "secret@office.example.org" in text(login(insider).get(url))
    # Nor does the directory ever show it.
    assert "secret@office.example.org" not in text(
        login(contributor).get(reverse("members:directory"))
    )


def test_profile_offers_ask_to_join_to_people_without_organisation(login):
    org = OrganisationFactory()
    url = reverse("members:organisation_detail", args=[org.pk])
    join = reverse("members:join", args=[org.pk])
    assert f'action="{join}"' in text(login(UserFactory()).get(url))
    assert f'action="{join}"' not in text(login(MembershipFactory().user).get(url))
    anonymous = text(login(None).get(url))
    assert f"?next={join}" in anonymous


def test_criteria_page_lists_the_published_criteria_and_both_ways_in(login):
    body = text(login(None).get(reverse("members:criteria")))
    for criterion in CRITERIA:
        assert escape(str(criterion.title)) in body
    assert reverse("members:apply") in body
    assert reverse("members:directory") in body


# --- Applying ---------------------------------------------------------------------------------


def apply_form(**overrides) -> dict:
    data = {
        "name": "Andean Innovation Hub",
        "acronym": "AIH",
        "org_type": "innovation-hub",
        "country": "PE",
        "website": "https://aih.example.org",
        "description": "We help universities license their inventions.",
        "themes": ["green-innovation", "ip-management"],
        "contact_email": "contact@aih.example.org",
        "motivation": "We want to learn from other offices.",
        "accepted_code_of_conduct": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_applying_through_the_form(login, on_commit):
    facilitator = FacilitatorFactory()
    person = UserFactory()
    with on_commit():
        response = login(person).post(
            reverse("members:apply"),
            apply_form(name="<b>Andean</b> Innovation Hub<script>x()</script>"),
        )
    application = MembershipApplication.objects.get(applicant=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:application_detail", args=[application.pk])
    assert application.organisation.name == "Andean Innovation Hub"
    assert application.organisation.country.iso2 == "PE"
    assert [m.to for m in mail.outbox] == [[person.email], [facilitator.email]]


def test_apply_form_shows_errors_next_to_the_fields(login):
    response = login(UserFactory()).post(
        reverse("members:apply"),
        apply_form(
            name="",
            country="ZZ",
            contact_email="not-an-address",
            accepted_code_of_conduct=None,
            themes=["nonsense"],
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {
        "name",
        "country",
        "contact_email",
        "accepted_code_of_conduct",
        "themes",
    }
    body = text(response)
    assert 'id="id_name_error"' in body
    assert 'aria-describedby="id_contact_email_helptext id_contact_email_error"' in body
    assert 'aria-invalid="true"' in body
    assert "You must accept the code of conduct to apply." in body
    assert not MembershipApplication.objects.exists()


def test_apply_form_errors_come_in_the_users_language(login):
    response = login(UserFactory()).post(
        reverse("members:apply").replace("/en/", "/fr/"), apply_form(name="")
    )
    english = "This field is required."
    assert english not in text(response)  # Django's own French catalogue answers
    assert "Ce champ est obligatoire." in text(response)


def test_a_service_refusal_is_shown_on_the_form_not_a_500(login):
    person = ApplicationFactory().applicant
    notice = "You already belong to an organisation or have an application under review."
    assert notice in text(login(person).get(reverse("members:apply")))
    assert notice not in text(login(UserFactory()).get(reverse("members:apply")))
    response = login(person).post(reverse("members:apply"), apply_form())
    assert response.status_code == 200
    assert "already belong to an organisation or have an application under review" in text(response)
    assert MembershipApplication.objects.filter(applicant=person).count() == 1


def test_application_page_shows_status_reason_and_audit_trail(login):
    facilitator = FacilitatorFactory(full_name="Grace Facilitator")
    person = UserFactory()
    client = login(person)
    client.post(reverse("members:apply"), apply_form())
    application = MembershipApplication.objects.get(applicant=person)
    review = login(facilitator)
    review.post(
        reverse("members:review_application", args=[application.pk]),
        {
            "action": "decide",
            "decide-decision": "more_info",
            "decide-reason": "Send the <b>register</b> link.",
        },
    )
    body = text(client.get(reverse("members:application_detail", args=[application.pk])))
    assert "More information requested" in body
    assert "Send the register link." in body
    assert "<b>register</b>" not in body
    assert "Grace Facilitator" in body  # who
    assert "Submitted" in body  # from
    assert reverse("members:application_edit", args=[application.pk]) in body


def test_applicant_completes_the_application_when_asked(login, on_commit):
    facilitator = FacilitatorFactory()
    application = ApplicationFactory(
        status=MembershipApplication.Status.MORE_INFO, decision_reason="Which country?"
    )
    client = login(application.applicant)
    url = reverse("members:application_edit", args=[application.pk])
    page = client.get(url)
    assert "Which country?" in text(page)
    assert page.context["form"]["name"].value() == application.organisation.name
    with on_commit():
        response = client.post(
            url,
            apply_form(
                accepted_code_of_conduct=None,
                country="BO",
                response="We are in Bolivia.",
            ),
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED
    assert application.organisation.country.iso2 == "BO"
    assert mail.outbox and mail.outbox[0].to == [facilitator.email]
    # Once sent back it can no longer be changed.
    again = client.get(url)
    assert again.status_code == 302
    assert again["Location"] == reverse("members:application_detail", args=[application.pk])


# --- Review -----------------------------------------------------------------------------------


def assess_data(verdicts: dict[str, str]) -> dict:
    data = {"action": "assess"}
    for slug, verdict in verdicts.items():
        data[f"assess-{slug}-met"] = verdict
        data[f"assess-{slug}-note"] = f"Note on {slug}"
    return data


def test_review_queue_lists_open_applications_oldest_first_with_duplicate_flags(login):
    existing = OrganisationFactory(name="Andean Innovation Hub", country=country("PE"))
    older = ApplicationFactory(organisation__name="Older")
    newer = ApplicationFactory(organisation__name="Andean Innovation Hub")
    newer.possible_duplicates.set([existing])
    MembershipApplication.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    ApplicationFactory(organisation__name="Decided", status=MembershipApplication.Status.REJECTED)
    response = login(FacilitatorFactory()).get(reverse("members:review_queue"))
    assert [a.organisation.name for a in response.context["applications"]] == [
        "Older",
        "Andean Innovation Hub",
    ]
    body = text(response)
    assert "Possible duplicate" in body
    assert reverse("members:organisation_detail", args=[existing.pk]) in body
    assert "Decided" not in body


def test_review_page_records_assessments_and_refuses_early_approval(login):
    facilitator = FacilitatorFactory()
    application = ApplicationFactory()
    client = login(facilitator)
    url = reverse("members:review_application", args=[application.pk])

    # Nothing chosen: an error, nothing recorded.
    response = client.post(url, {"action": "assess"})
    assert response.status_code == 200
    assert "Assess at least one criterion." in text(response)

    response = client.post(url, assess_data({CRITERIA[0].slug: "met"}))
    assert response.status_code == 302
    assert application.assessments.get().met is True

    response = client.post(url, {"action": "decide", "decide-decision": "approve"})
    assert response.status_code == 200
    assert "Assess every criterion before approving" in text(response)
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED

    verdicts = {c.slug: "met" for c in CRITERIA}
    verdicts[CRITERIA[1].slug] = "not_met"
    client.post(url, assess_data(verdicts))
    response = client.post(url, {"action": "decide", "decide-decision": "approve"})
    assert "every criterion is met" in text(response)

    # The form shows the recorded verdicts.
    page = client.get(url)
    form = page.context["assessment_form"]
    assert form[f"{CRITERIA[1].slug}-met"].value() == "not_met"
    assert form[f"{CRITERIA[1].slug}-note"].value() == f"Note on {CRITERIA[1].slug}"


def test_reason_is_required_to_ask_for_more_or_reject(login):
    application = ApplicationFactory()
    client = login(FacilitatorFactory())
    url = reverse("members:review_application", args=[application.pk])
    for decision in ("more_info", "reject"):
        response = client.post(url, {"action": "decide", "decide-decision": decision})
        assert response.status_code == 200
        assert response.context["decision_form"].errors.keys() == {"reason"}
        assert 'id="id_decide-reason_error"' in text(response)
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED


def test_the_whole_journey_from_application_to_membership(login, on_commit):
    facilitator = FacilitatorFactory()
    person = UserFactory()
    applicant = login(person)
    reviewer = login(facilitator)
    with on_commit():
        applicant.post(reverse("members:apply"), apply_form())
    application = MembershipApplication.objects.get(applicant=person)
    url = reverse("members:review_application", args=[application.pk])
    reviewer.post(url, assess_data({c.slug: "met" for c in CRITERIA}))
    mail.outbox.clear()
    with on_commit():
        response = reviewer.post(
            url, {"action": "decide", "decide-decision": "approve", "decide-reason": ""}
        )
    assert response["Location"] == reverse("members:review_queue")
    org = Organisation.objects.get(pk=application.organisation_id)
    assert org.is_approved
    assert Membership.objects.get(user=person).role == Membership.Role.FOCAL_POINT
    assert [m.to for m in mail.outbox] == [[person.email]]
    # The new focal point can now manage the team; the organisation is in the directory.
    assert applicant.get(reverse("members:organisation_team", args=[org.pk])).status_code == 200
    assert org.name in text(login(None).get(reverse("members:directory")))
    # The decided application shows no more review forms, and its history.
    decided = text(reviewer.get(url))
    assert "Record the decision" not in decided
    assert "Approved" in decided and "Criteria assessed" in decided
    # The assessment is shown per criterion, with its translatable title.
    assert f"{CRITERIA[0].title}: met" in decided


def test_rejecting_from_the_review_page(login, on_commit):
    application = ApplicationFactory()
    with on_commit():
        login(FacilitatorFactory()).post(
            reverse("members:review_application", args=[application.pk]),
            {"action": "decide", "decide-decision": "reject", "decide-reason": "Out of scope."},
        )
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.REJECTED
    assert "Out of scope." in mail.outbox[0].body
    body = text(
        login(application.applicant).get(
            reverse("members:application_detail", args=[application.pk])
        )
    )
    assert "Out of scope." in body and "Rejected" in body


# --- Suspension -------------------------------------------------------------------------------


def test_suspension_needs_confirmation_and_a_reason(login, on_commit):
    org = OrganisationFactory()
    focal = FocalPointFactory(organisation=org).user
    client = login(FacilitatorFactory())
    url = reverse("members:organisation_suspend", args=[org.pk])
    page = client.get(url)
    assert page.status_code == 200
    org.refresh_from_db()
    assert org.status == Organisation.Status.APPROVED  # GET only asks

    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"reason"}

    with on_commit():
        response = client.post(url, {"reason": "Fake listings."})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.status == Organisation.Status.SUSPENDED
    assert mail.outbox[0].to == [focal.email]

    # Suspending twice is refused on the page, not with a 500.
    response = client.post(url, {"reason": "Again"})
    assert response.status_code == 200
    assert "Only an approved organisation can be suspended." in text(response)

    reinstate = reverse("members:organisation_reinstate", args=[org.pk])
    assert client.post(reinstate, {"reason": ""}).status_code == 302
    org.refresh_from_db()
    assert org.status == Organisation.Status.APPROVED
    history = text(client.get(reverse("members:organisation_detail", args=[org.pk])))
    assert "Fake listings." in history and "Reinstated" in history


# --- Team -------------------------------------------------------------------------------------


@pytest.fixture
def team(db):
    focal = FocalPointFactory()
    return focal.organisation, focal.user


def test_focal_point_edits_the_profile(login, team):
    org, focal = team
    client = login(focal)
    url = reverse("members:organisation_edit", args=[org.pk])
    data = apply_form(name="Renamed <i>Office</i>", accepted_code_of_conduct=None)
    data.pop("motivation")
    response = client.post(url, data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Renamed Office"
    assert org.org_type == "innovation-hub"
    bad = client.post(url, {**data, "website": "javascript:alert(1)"})
    assert bad.status_code == 200 and "website" in bad.context["form"].errors


def test_team_page_lists_members_requests_and_invitations(login, team):
    org, focal = team
    colleague = MembershipFactory(organisation=org, user__full_name="Colleague One")
    JoinRequestFactory(organisation=org, user__full_name="Hopeful Person")
    InvitationFactory(organisation=org, email="invited@example.org")
    InvitationFactory(organisation=org, email="revoked@example.org", revoked_at=timezone.now())
    body = text(login(focal).get(reverse("members:organisation_team", args=[org.pk])))
    assert "Colleague One" in body and colleague.user.email in body
    assert "Hopeful Person" in body
    assert "invited@example.org" in body
    assert "revoked@example.org" not in body


def test_invite_by_email_and_errors_on_the_field(login, team, on_commit):
    org, focal = team
    client = login(focal)
    url = reverse("members:organisation_team", args=[org.pk])
    with on_commit():
        response = client.post(url, {"email": "new@example.org", "role": "contributor"})
    assert response.status_code == 302
    assert Invitation.objects.filter(organisation=org, email="new@example.org").exists()
    assert mail.outbox[0].to == ["new@example.org"]

    response = client.post(url, {"email": focal.email, "role": "contributor"})
    assert response.status_code == 200
    assert "already a member" in str(response.context["invitation_form"].errors["email"])
    response = client.post(url, {"email": "nope", "role": "boss"})
    assert response.context["invitation_form"].errors.keys() == {"email", "role"}


def test_change_role_and_refuse_demoting_the_last_focal_point(login, team):
    org, focal = team
    own = Membership.objects.get(user=focal)
    colleague = MembershipFactory(organisation=org)
    client = login(focal)
    response = client.post(
        reverse("members:membership_role", args=[own.pk]), {f"member-{own.pk}-role": "contributor"}
    )
    assert response.status_code == 200
    assert "at least one focal point" in text(response)
    assert f'id="id_member-{own.pk}-role_error"' in text(response)
    own.refresh_from_db()
    assert own.role == Membership.Role.FOCAL_POINT

    response = client.post(
        reverse("members:membership_role", args=[colleague.pk]),
        {f"member-{colleague.pk}-role": "focal_point"},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.role == Membership.Role.FOCAL_POINT


def test_removing_a_member_asks_for_confirmation(login, team, on_commit):
    org, focal = team
    colleague = MembershipFactory(organisation=org)
    client = login(focal)
    url = reverse("members:membership_remove", args=[colleague.pk])
    page = client.get(url)
    assert page.status_code == 200 and colleague.user.email in text(page)
    assert Membership.objects.filter(pk=colleague.pk).exists()
    with on_commit():
        response = client.post(url)
    assert response["Location"] == reverse("members:organisation_team", args=[org.pk])
    assert not Membership.objects.filter(pk=colleague.pk).exists()
    assert mail.outbox[0].to == [colleague.user.email]


def test_removing_the_last_focal_point_is_refused_on_the_page(login, team):
    org, focal = team
    own = Membership.objects.get(user=focal)
    response = login(focal).post(reverse("members:membership_remove", args=[own.pk]))
    assert response.status_code == 200
    assert "at least one focal point" in text(response)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_the_team_page_offers_removal_only_where_the_service_allows_it(login, team):
    org, focal = team
    colleague = MembershipFactory(organisation=org, user__full_name="Colleague One")
    own = Membership.objects.get(user=focal)
    body = login(focal).get(reverse("members:organisation_team", args=[org.pk])).content.decode()
    assert reverse("members:membership_remove", args=[colleague.pk]) in body
    assert reverse("members:membership_remove", args=[own.pk]) not in body  # the last focal point


def test_asking_to_join_and_the_focal_point_deciding(login, team, on_commit):
    org, focal = team
    person = UserFactory(full_name="Amina Diallo")
    asker = login(person)
    with on_commit():
        response = asker.post(
            reverse("members:join", args=[org.pk]), {"message": "I run <b>licensing</b>."}
        )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get(user=person)
    assert join_request.message == "I run licensing."
    assert mail.outbox[0].to == [focal.email]
    # Asking twice is refused on the form.
    again = asker.post(reverse("members:join", args=[org.pk]), {"message": ""})
    assert again.status_code == 200
    assert "already asked" in text(again)

    with on_commit():
        response = login(focal).post(
            reverse("members:join_request_decide", args=[join_request.pk]),
            {"decision": "approve"},
        )
    assert response["Location"] == reverse("members:organisation_team", args=[org.pk])
    assert Membership.objects.get(user=person).organisation == org
    assert mail.outbox[-1].to == [person.email]


def test_declining_a_join_request(login, team):
    org, focal = team
    join_request = JoinRequestFactory(organisation=org)
    client = login(focal)
    client.post(
        reverse("members:join_request_decide", args=[join_request.pk]), {"decision": "decline"}
    )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    # A nonsense decision changes nothing and is not a 500.
    other = JoinRequestFactory(organisation=org)
    response = client.post(
        reverse("members:join_request_decide", args=[other.pk]), {"decision": "maybe"}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == JoinRequest.Status.PENDING


def test_revoking_an_invitation(login, team):
    org, focal = team
    invitation = InvitationFactory(organisation=org)
    client = login(focal)
    client.post(reverse("members:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    response = client.post(reverse("members:invitation_revoke", args=[invitation.pk]), follow=True)
    assert "already been used or revoked" in text(response)


# --- Invitations --------------------------------------------------------------------------------


def test_invitation_link_sends_anonymous_visitors_to_sign_in_and_back(login):
    invitation = InvitationFactory()
    url = reverse("members:invitation_accept", args=[invitation.token])
    response = login(None).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    # The sign-in page offers to register first, keeping the way back to the invitation.
    sign_in = login(None).get(response["Location"])
    assert f"{reverse('account_signup')}?next={url.replace('/', '%2F')}" in text(sign_in)


def test_registering_from_an_invitation_comes_back_to_it(login, settings, on_commit):
    """Sign up with ?next=, confirm the address from the e-mail, land on the invitation.

    Needs ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION (set here; see the report for config/)."""
    settings.ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
    invitation = InvitationFactory(email="newcomer@example.org")
    url = reverse("members:invitation_accept", args=[invitation.token])
    client = login(None)
    with on_commit():  # the confirmation e-mail leaves the outbox once the sign-up commits
        response = client.post(
            f"{reverse('account_signup')}?next={url}",
            {
                "full_name": "New Comer",
                "email": "newcomer@example.org",
                "password1": "a-long-enough-password-2026",
                "password2": "a-long-enough-password-2026",
            },
        )
    assert response.status_code == 302
    confirmation = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[-1].body)
    path = confirmation.group(0).split("testserver", 1)[-1]
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == url
    page = client.get(url)
    assert page.status_code == 200
    client.post(url)
    assert Membership.objects.filter(
        user__email="newcomer@example.org", organisation=invitation.organisation
    ).exists()


def test_accepting_an_invitation(login):
    invitation = InvitationFactory(email="invited@example.org")
    person = UserFactory(email="invited@example.org")
    client = login(person)
    url = reverse("members:invitation_accept", args=[invitation.token])
    assert invitation.organisation.name in text(client.get(url))
    response = client.post(url)
    assert response["Location"] == reverse(
        "members:organisation_detail", args=[invitation.organisation_id]
    )
    assert Membership.objects.filter(user=person, organisation=invitation.organisation).exists()


def test_accepting_with_another_address_or_too_late_is_refused_on_the_page(login):
    invitation = InvitationFactory(email="invited@example.org")
    client = login(UserFactory(email="someone-else@example.org"))
    url = reverse("members:invitation_accept", args=[invitation.token])
    assert "another e-mail address" in text(client.get(url))
    response = client.post(url)
    assert response.status_code == 200
    assert "sent to another e-mail address" in text(response)

    expired = InvitationFactory(
        email="late@example.org", expires_at=timezone.now() - timedelta(days=1)
    )
    late = login(UserFactory(email="late@example.org"))
    response = late.post(reverse("members:invitation_accept", args=[expired.token]))
    assert response.status_code == 200
    assert "expired" in text(response)
    assert not Membership.objects.filter(user__email__in=["late@example.org"]).exists()


# --- Staff two-factor authentication ----------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["members:review_queue", "members:directory", "members:criteria", "web:home"],
)
def test_facilitator_without_totp_is_sent_to_set_it_up(login, url_name):
    facilitator = FacilitatorFactory(totp=False)
    assert not has_totp(facilitator)
    response = login(facilitator).get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_facilitator_with_totp_reaches_the_review_queue(login):
    facilitator = FacilitatorFactory()
    assert has_totp(facilitator)
    response = login(facilitator).get(reverse("members:review_queue"))
    assert response.status_code == 200
    assert response.templates[0].name == "members/review_queue.html"
