"""The membership workflow through its services: applying, review, joining, inviting, team,
suspension, with the e-mails each step sends (tasks run immediately in tests)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from wipomatch.core.audit import audit_trail_for

from .. import services
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
)

pytestmark = pytest.mark.django_db
SITE_URL = settings.SITE_URL.rstrip("/")


def emails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def application_data(**overrides) -> dict:
    data = {
        "name": "Andean Innovation Hub",
        "acronym": "AIH",
        "org_type": "innovation-hub",
        "country": country("PE"),
        "website": "https://aih.example.org",
        "description": "We help universities license their inventions.",
        "contact_email": "contact@aih.example.org",
        "motivation": "We want to learn from other technology transfer offices.",
        "accepted_code_of_conduct": True,
        "themes": ["green-innovation", "ip-management"],
    }
    return {**data, **overrides}


def assess_all(facilitator, application, met=True):
    services.application_assess(
        facilitator=facilitator,
        application=application,
        assessments={c.slug: (met, "Checked.") for c in CRITERIA},
    )


# --- Applying ------------------------------------------------------------------------------------


def test_submitting_creates_a_pending_organisation_and_tells_applicant_and_facilitators(on_commit):
    applicant = UserFactory()
    facilitator = FacilitatorFactory(preferred_language="es")
    with on_commit():
        application = services.application_submit(user=applicant, **application_data())

    org = application.organisation
    assert org.status == Organisation.Status.PENDING
    assert application.status == MembershipApplication.Status.SUBMITTED
    assert org.themes == ["green-innovation", "ip-management"]
    [received] = emails_to(applicant.email)
    assert "Andean Innovation Hub" in received.subject
    assert f"{SITE_URL}/en/members/applications/{application.pk}/" in received.body
    [to_review] = emails_to(facilitator.email)
    assert "Andean Innovation Hub" in to_review.subject
    # The facilitator's link opens the review page in the facilitator's own language.
    assert f"{SITE_URL}/es/members/review/{application.pk}/" in to_review.body
    [event] = audit_trail_for(application)
    assert (event.action, event.actor, event.to_state) == ("submitted", applicant, "submitted")


def test_markup_and_scripts_in_any_text_are_stored_stripped():
    application = services.application_submit(
        user=UserFactory(),
        **application_data(
            name="<b>Andean</b> Hub<script>alert(1)</script>",
            acronym="<i>AIH</i>",
            description='<img src=x onerror="alert(1)">R&amp;D <a href="javascript:x">office</a>',
            motivation="<style>body{}</style>We <em>really</em> want to join",
        ),
    )
    org = application.organisation
    assert org.name == "Andean Hub"
    assert org.acronym == "AIH"
    assert org.description == "R&D office"
    assert application.motivation == "We really want to join"


def test_applying_requires_the_code_of_conduct():
    with pytest.raises(ValidationError) as caught:
        services.application_submit(
            user=UserFactory(), **application_data(accepted_code_of_conduct=False)
        )
    assert "accepted_code_of_conduct" in caught.value.error_dict
    assert not Organisation.objects.filter(name="Andean Innovation Hub").exists()


def test_applying_refuses_unknown_vocabulary_and_leaves_nothing_half_saved():
    with pytest.raises(ValidationError) as caught:
        services.application_submit(
            user=UserFactory(), **application_data(org_type="pirate-ship", themes=["nonsense"])
        )
    assert set(caught.value.error_dict) == {"org_type", "themes"}
    assert not Organisation.objects.filter(name="Andean Innovation Hub").exists()


def test_one_open_application_or_membership_per_person():
    application = ApplicationFactory()
    with pytest.raises(ValidationError):
        services.application_submit(user=application.applicant, **application_data())
    member = MembershipFactory().user
    with pytest.raises(ValidationError):
        services.application_submit(user=member, **application_data())


def test_same_name_in_the_same_country_is_flagged_as_a_possible_duplicate():
    existing = OrganisationFactory(name="Andean  INNOVATION hub", country=country("PE"))
    elsewhere = OrganisationFactory(name="Andean Innovation Hub", country=country("BO"))
    application = services.application_submit(user=UserFactory(), **application_data())
    assert list(application.possible_duplicates.all()) == [existing]
    assert elsewhere not in application.possible_duplicates.all()


# --- Review ------------------------------------------------------------------------------------


def test_request_for_information_is_emailed_in_the_applicants_language(on_commit):
    applicant = UserFactory(preferred_language="fr")
    facilitator = FacilitatorFactory()
    application = ApplicationFactory(applicant=applicant, organisation__name="Office béninois")
    with on_commit():
        services.application_request_info(
            facilitator=facilitator,
            application=application,
            reason="Please send the link to your official register entry.",
        )

    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.MORE_INFO
    assert application.decision_reason == "Please send the link to your official register entry."
    [message] = emails_to(applicant.email)
    assert "Office béninois" in message.subject
    assert "Please send the link to your official register entry." in message.body
    # Language-independent proof the e-mail was prepared for a French reader: the link opens
    # the French interface, although the facilitator works in English.
    assert f"{SITE_URL}/fr/members/applications/{application.pk}/edit/" in message.body
    # The text follows the French catalogue (identical to English until it is translated).
    context = {
        "organisation": "Office béninois",
        "site_name": settings.SITE_NAME,
        "site_url": SITE_URL,
        "reason": "",
        "url": "",
    }
    with translation.override("fr"):
        french = render_to_string("emails/application_more_info_subject.txt", context).strip()
    with translation.override("en"):
        english = render_to_string("emails/application_more_info_subject.txt", context).strip()
    assert message.subject == " ".join(french.split())
    if french != english:
        assert message.subject != " ".join(english.split())


def test_asking_for_more_information_or_rejecting_needs_a_reason():
    facilitator = FacilitatorFactory()
    application = ApplicationFactory()
    with pytest.raises(ValidationError) as caught:
        services.application_request_info(
            facilitator=facilitator, application=application, reason="  <b></b> "
        )
    assert "reason" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.application_reject(facilitator=facilitator, application=application, reason="")
    assert "reason" in caught.value.error_dict
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED


def test_the_applicant_answers_and_the_application_goes_back_to_review(on_commit):
    facilitator = FacilitatorFactory()
    application = ApplicationFactory(status=MembershipApplication.Status.MORE_INFO)
    with on_commit():
        services.application_update(
            user=application.applicant,
            application=application,
            website="https://registered.example.org",
            motivation="<b>Updated</b> motivation",
            response="Added our register link.",
        )
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED
    assert application.motivation == "Updated motivation"
    assert application.organisation.website == "https://registered.example.org"
    assert emails_to(facilitator.email)
    event = audit_trail_for(application).first()
    assert (event.action, event.from_state, event.to_state, event.reason) == (
        "resubmitted",
        "more_info",
        "submitted",
        "Added our register link.",
    )


def test_only_the_applicant_may_answer_and_only_when_asked():
    application = ApplicationFactory(status=MembershipApplication.Status.MORE_INFO)
    with pytest.raises(PermissionDenied):
        services.application_update(user=UserFactory(), application=application, motivation="x")
    submitted = ApplicationFactory()
    with pytest.raises(ValidationError):
        services.application_update(user=submitted.applicant, application=submitted, motivation="x")


def test_approval_needs_every_criterion_assessed_and_met(on_commit):
    facilitator = FacilitatorFactory()
    application = ApplicationFactory()
    first = CRITERIA[0].slug
    services.application_assess(
        facilitator=facilitator, application=application, assessments={first: (True, "")}
    )
    with pytest.raises(ValidationError, match="Not yet assessed"):
        services.application_approve(facilitator=facilitator, application=application)

    assessments = {c.slug: (True, "ok") for c in CRITERIA}
    assessments[CRITERIA[-1].slug] = (False, "Sanctioned entity.")
    services.application_assess(
        facilitator=facilitator, application=application, assessments=assessments
    )
    with pytest.raises(ValidationError, match="Not met"):
        services.application_approve(facilitator=facilitator, application=application)
    assert application.organisation.status == Organisation.Status.PENDING

    assess_all(facilitator, application)
    with on_commit():
        org = services.application_approve(
            facilitator=facilitator, application=application, reason="Welcome!"
        )
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED
    assert application.reviewed_by == facilitator and application.decided_at
    assert org.status == Organisation.Status.APPROVED and org.approved_at
    membership = Membership.objects.get(user=application.applicant)
    assert (membership.organisation, membership.role) == (org, Membership.Role.FOCAL_POINT)
    [message] = emails_to(application.applicant.email)
    assert org.name in message.subject
    assert f"/en/members/{org.pk}/" in message.body
    actions = [e.action for e in audit_trail_for(application)]
    assert actions == ["approved", "assessed", "assessed", "assessed"]


def test_assessment_is_recorded_per_criterion_with_its_note():
    facilitator = FacilitatorFactory()
    application = ApplicationFactory()
    services.application_assess(
        facilitator=facilitator,
        application=application,
        assessments={"legal-entity": (False, "<b>No</b> register entry")},
    )
    services.application_assess(
        facilitator=facilitator,
        application=application,
        assessments={"legal-entity": (True, "Found in the register")},
    )
    [assessment] = application.assessments.all()
    assert (assessment.met, assessment.note, assessment.assessed_by) == (
        True,
        "Found in the register",
        facilitator,
    )
    with pytest.raises(ValidationError):
        services.application_assess(
            facilitator=facilitator, application=application, assessments={"bogus": (True, "")}
        )


def test_rejection_records_the_reason_and_emails_it(on_commit):
    facilitator = FacilitatorFactory()
    application = ApplicationFactory()
    with on_commit():
        services.application_reject(
            facilitator=facilitator, application=application, reason="Not an organisation."
        )
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.REJECTED
    assert application.organisation.status == Organisation.Status.REJECTED
    [message] = emails_to(application.applicant.email)
    assert "Not an organisation." in message.body
    assert f"{SITE_URL}/en/members/criteria/" in message.body
    event = audit_trail_for(application).first()
    assert (event.actor, event.from_state, event.to_state, event.reason) == (
        facilitator,
        "submitted",
        "rejected",
        "Not an organisation.",
    )
    with pytest.raises(ValidationError, match="already been decided"):
        services.application_request_info(
            facilitator=facilitator, application=application, reason="More?"
        )


def test_only_facilitators_review():
    application = ApplicationFactory()
    focal_point = FocalPointFactory().user
    with pytest.raises(PermissionDenied):
        assess_all(focal_point, application)
    with pytest.raises(PermissionDenied):
        services.application_reject(facilitator=focal_point, application=application, reason="x")
    with pytest.raises(PermissionDenied):
        services.application_approve(facilitator=application.applicant, application=application)


# --- Joining an existing organisation ------------------------------------------------------------


def test_join_request_is_sent_to_focal_points_and_approved(on_commit):
    focal = FocalPointFactory(user__preferred_language="ru")
    org = focal.organisation
    person = UserFactory(full_name="Amina Diallo")
    with on_commit():
        join_request = services.join_request_create(
            user=person, organisation=org, message="<script>x</script>I head the TTO."
        )
    assert join_request.message == "I head the TTO."
    [message] = emails_to(focal.user.email)
    assert "Amina Diallo" in message.subject
    assert f"{SITE_URL}/ru/members/{org.pk}/team/" in message.body
    assert "I head the TTO." in message.body

    with pytest.raises(ValidationError, match="already asked"):
        services.join_request_create(user=person, organisation=org)

    mail.outbox.clear()
    with on_commit():
        membership = services.join_request_approve(actor=focal.user, join_request=join_request)
    assert (membership.user, membership.role) == (person, Membership.Role.CONTRIBUTOR)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    [approved] = emails_to(person.email)
    assert org.name in approved.subject


def test_join_request_declined_by_the_focal_point(on_commit):
    focal = FocalPointFactory()
    join_request = JoinRequestFactory(organisation=focal.organisation)
    with on_commit():
        services.join_request_decline(actor=focal.user, join_request=join_request)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert not Membership.objects.filter(user=join_request.user).exists()
    [message] = emails_to(join_request.user.email)
    assert focal.organisation.name in message.subject
    with pytest.raises(ValidationError, match="already been decided"):
        services.join_request_approve(actor=focal.user, join_request=join_request)


def test_only_approved_organisations_can_be_joined_and_only_by_the_unattached():
    pending = ApplicationFactory().organisation
    with pytest.raises(ValidationError):
        services.join_request_create(user=UserFactory(), organisation=pending)
    member = MembershipFactory().user
    with pytest.raises(ValidationError):
        services.join_request_create(user=member, organisation=OrganisationFactory())


def test_contributors_and_other_focal_points_cannot_decide_join_requests():
    join_request = JoinRequestFactory()
    contributor = MembershipFactory(organisation=join_request.organisation).user
    stranger = FocalPointFactory().user
    for actor in (contributor, stranger):
        with pytest.raises(PermissionDenied):
            services.join_request_approve(actor=actor, join_request=join_request)


# --- Invitations -------------------------------------------------------------------------------


def test_invitation_is_emailed_and_accepted_by_the_invited_address(on_commit):
    focal = FocalPointFactory(user__full_name="Fatou Sow")
    with on_commit():
        invitation = services.invitation_create(
            actor=focal.user,
            organisation=focal.organisation,
            email="  Colleague@Example.org ",
            role=Membership.Role.FOCAL_POINT,
        )
    assert invitation.email == "colleague@example.org"
    [message] = emails_to("colleague@example.org")
    assert "Fatou Sow" in message.subject
    assert f"{SITE_URL}/en/members/invitations/{invitation.token}/" in message.body
    assert "focal point" in message.body

    colleague = UserFactory(email="colleague@example.org")
    membership = services.invitation_accept(user=colleague, token=invitation.token)
    assert (membership.organisation, membership.role) == (
        focal.organisation,
        Membership.Role.FOCAL_POINT,
    )
    with pytest.raises(ValidationError, match="no longer valid"):
        services.invitation_accept(user=colleague, token=invitation.token)


def test_invitation_cannot_be_accepted_with_another_email_address():
    invitation = InvitationFactory(email="invited@example.org")
    with pytest.raises(ValidationError, match="another e-mail address"):
        services.invitation_accept(
            user=UserFactory(email="other@example.org"), token=invitation.token
        )
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_expired_or_revoked_invitations_are_refused():
    expired = InvitationFactory(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(user=UserFactory(email=expired.email), token=expired.token)

    focal = FocalPointFactory()
    revoked = InvitationFactory(organisation=focal.organisation)
    services.invitation_revoke(actor=focal.user, invitation=revoked)
    with pytest.raises(ValidationError, match="no longer valid"):
        services.invitation_accept(user=UserFactory(email=revoked.email), token=revoked.token)
    with pytest.raises(ValidationError):
        services.invitation_revoke(actor=focal.user, invitation=revoked)


def test_existing_members_are_not_invited_again():
    focal = FocalPointFactory()
    with pytest.raises(ValidationError) as caught:
        services.invitation_create(
            actor=focal.user,
            organisation=focal.organisation,
            email=focal.user.email.upper(),
            role=Membership.Role.CONTRIBUTOR,
        )
    assert "email" in caught.value.error_dict
    assert not Invitation.objects.exists()


# --- Team ----------------------------------------------------------------------------------


def test_the_last_focal_point_cannot_be_removed_or_demoted():
    focal = FocalPointFactory()
    with pytest.raises(ValidationError, match="at least one focal point"):
        services.membership_remove(actor=focal.user, membership=focal)
    with pytest.raises(ValidationError, match="at least one focal point"):
        services.membership_change_role(
            actor=focal.user, membership=focal, role=Membership.Role.CONTRIBUTOR
        )
    assert Membership.objects.filter(pk=focal.pk, role=Membership.Role.FOCAL_POINT).exists()


def test_focal_point_changes_roles_and_removes_members(on_commit):
    focal = FocalPointFactory()
    colleague = MembershipFactory(organisation=focal.organisation)
    services.membership_change_role(
        actor=focal.user, membership=colleague, role=Membership.Role.FOCAL_POINT
    )
    # With two focal points, one can step down.
    services.membership_change_role(
        actor=colleague.user, membership=focal, role=Membership.Role.CONTRIBUTOR
    )
    focal.refresh_from_db()
    assert focal.role == Membership.Role.CONTRIBUTOR
    with on_commit():
        services.membership_remove(actor=colleague.user, membership=focal)
    assert not Membership.objects.filter(pk=focal.pk).exists()
    [message] = emails_to(focal.user.email)
    assert focal.organisation.name in message.subject
    actions = [e.action for e in audit_trail_for(focal.organisation)]
    assert actions == ["member_removed", "role_changed", "role_changed"]


# --- Suspension ------------------------------------------------------------------------------


def test_suspend_and_reinstate_are_audited_and_emailed_to_focal_points(on_commit):
    facilitator = FacilitatorFactory()
    focal = FocalPointFactory(user__preferred_language="ar")
    org = focal.organisation
    with pytest.raises(ValidationError):
        services.organisation_suspend(facilitator=facilitator, organisation=org, reason=" ")
    with on_commit():
        services.organisation_suspend(
            facilitator=facilitator, organisation=org, reason="Misleading listings."
        )
    org.refresh_from_db()
    assert org.status == Organisation.Status.SUSPENDED
    [suspended] = emails_to(focal.user.email)
    assert "Misleading listings." in suspended.body
    assert f"{SITE_URL}/ar/members/{org.pk}/" in suspended.body
    with pytest.raises(ValidationError):
        services.organisation_suspend(facilitator=facilitator, organisation=org, reason="Again")

    mail.outbox.clear()
    with on_commit():
        services.organisation_reinstate(facilitator=facilitator, organisation=org)
    org.refresh_from_db()
    assert org.status == Organisation.Status.APPROVED
    [reinstated] = emails_to(focal.user.email)
    assert f"{SITE_URL}/ar/members/{org.pk}/" in reinstated.body
    trail = [(e.action, e.from_state, e.to_state) for e in audit_trail_for(org)]
    assert trail == [
        ("reinstated", "suspended", "approved"),
        ("suspended", "approved", "suspended"),
    ]


def test_a_suspended_organisations_focal_point_can_no_longer_manage_it():
    focal = FocalPointFactory()
    services.organisation_suspend(
        facilitator=FacilitatorFactory(), organisation=focal.organisation, reason="Check"
    )
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=focal.user,
            organisation=focal.organisation,
            email="x@example.org",
            role=Membership.Role.CONTRIBUTOR,
        )


def test_profile_update_is_audited_and_stripped():
    focal = FocalPointFactory()
    org = services.organisation_update(
        user=focal.user,
        organisation=focal.organisation,
        description="<p>New <b>text</b></p>",
        themes=["creative-industries", "creative-industries"],
    )
    assert org.description == "New text"
    assert org.themes == ["creative-industries"]
    event = audit_trail_for(org).first()
    assert (event.action, event.data) == ("profile_updated", {"fields": ["description", "themes"]})
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            user=MembershipFactory(organisation=org).user, organisation=org, name="Taken over"
        )


def test_every_email_template_renders_in_every_language():
    """Each e-mail the services send exists, renders, and carries its link."""
    names = [
        "application_received",
        "application_to_review",
        "application_approved",
        "application_more_info",
        "application_rejected",
        "organisation_suspended",
        "organisation_reinstated",
        "join_request_received",
        "join_request_approved",
        "join_request_declined",
        "invitation",
        "membership_removed",
    ]
    context = {
        "site_name": "WIPO Match",
        "site_url": "https://match.example.org",
        "organisation": "R&D <Office>",
        "country": "Peru",
        "url": "/xx/link/",
        "criteria_url": "/xx/criteria/",
        "reason": "Because",
        "person": "Amina",
        "email": "amina@example.org",
        "message": "Hello",
        "inviter": "Fatou",
        "role": "contributor",
        "expires": "2030-01-01",
        "has_duplicates": True,
    }
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for name in names:
                subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
                body = render_to_string(f"emails/{name}_body.txt", context)
                # Plain text: nothing is HTML-escaped.
                assert "R&D <Office>" in subject + body, name
                assert "&amp;" not in subject + body and "&lt;" not in subject + body, name
                assert "\n" not in subject, name
                assert "https://match.example.org/" in body, name
