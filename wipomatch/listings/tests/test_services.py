"""The lifecycle of needs and offers as the services run it: creation, review, publication,
closing, renewal, expiry and reminders, bad input, and the audit trail."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from wipomatch.core.audit import audit_trail_for
from wipomatch.members.models import Organisation
from wipomatch.members.tests.factories import (
    ApplicationFactory,
    FocalPointFactory,
    OrganisationFactory,
)

from .. import services
from ..models import Kind, Listing, Status
from .factories import NeedFactory, OfferFactory, listing_data, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def lexical_embedder(settings):
    """E-mails and embeddings run on commit here; the bag-of-terms embedder keeps that fast."""
    settings.LISTING_EMBEDDER = "hashing"


def _actions(listing) -> list[tuple[str, str, str]]:
    return [
        (e.action, e.from_state, e.to_state)
        for e in audit_trail_for(listing).order_by("created_at", "id")
    ]


def _mails_to(address: str):
    return [m for m in mail.outbox if address in m.to]


def _signature(language: str) -> str:
    """The closing line of every e-mail, as the catalogue of `language` translates it."""
    with translation.override(language):
        return translation.gettext("The %(site_name)s team") % {"site_name": "WIPO Match"}


def _in_french(message) -> bool:
    assert _signature("fr") != _signature("en")  # the catalogue translates it
    return _signature("fr") in message.body and _signature("en") not in message.body


# --- Creating -----------------------------------------------------------------------------------


def test_a_need_is_created_as_a_draft_with_its_facets_and_placed_in_its_organisations_country(
    team,
):
    need = services.listing_create(
        user=team["contributor"],
        organisation=team["org"],
        kind=Kind.NEED,
        data=listing_data(Kind.NEED, language="fr", delivery_languages=["en"], sdg_targets=["3.8"]),
    )
    need = Listing.objects.get(pk=need.pk)
    assert need.status == Status.DRAFT
    assert need.created_by == team["contributor"]
    assert need.themes == ["public-health"]
    assert need.ip_areas == ["patents"]
    assert need.assistance_types == ["training"]
    assert [c.iso2 for c in need.countries.all()] == ["SN"]
    assert [c.iso2 for c in need.coverage.all()] == ["SN"]
    assert not need.worldwide
    assert need.language_index == "|en|fr|"
    assert [g.number for g in need.sdg_goals.all()] == [3]
    assert [t.code for t in need.sdg_targets.all()] == ["3.8"]
    assert _actions(need) == [("created", "", "draft")]


def test_an_offer_covers_the_countries_of_its_regions_and_no_place_means_worldwide(team):
    regional = services.listing_create(
        user=team["contributor"],
        organisation=team["org"],
        kind=Kind.OFFER,
        data=listing_data(Kind.OFFER, regions=["011"], countries=["KE"]),  # Western Africa
    )
    covered = set(regional.coverage.values_list("iso2", flat=True))
    assert {"SN", "ML", "GH", "KE"} <= covered
    assert "FR" not in covered and not regional.worldwide
    anywhere = services.listing_create(
        user=team["contributor"],
        organisation=team["org"],
        kind=Kind.OFFER,
        data=listing_data(Kind.OFFER),
    )
    assert anywhere.worldwide and not anywhere.coverage.exists()


def test_only_members_of_an_approved_organisation_create_listings(team):
    pending = ApplicationFactory()
    with pytest.raises(PermissionDenied):
        services.listing_create(
            user=pending.applicant,
            organisation=pending.organisation,
            kind=Kind.NEED,
            data=listing_data(),
        )
    outsider = FocalPointFactory().user
    with pytest.raises(PermissionDenied):
        services.listing_create(
            user=outsider, organisation=team["org"], kind=Kind.NEED, data=listing_data()
        )
    assert not Listing.objects.exists()


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "changes", "field"),
    [
        (Kind.NEED, {"themes": ["space-travel"]}, "themes"),
        (Kind.NEED, {"themes": []}, "themes"),
        (Kind.NEED, {"ip_areas": ["patents", "telepathy"]}, "ip_areas"),
        (Kind.NEED, {"assistance_types": []}, "assistance_types"),
        (Kind.NEED, {"modalities": ["sideways"]}, "modalities"),
        (Kind.NEED, {"countries": ["XX"]}, "countries"),
        (Kind.NEED, {"regions": ["002"]}, "regions"),
        (Kind.NEED, {"resource_types": ["human"]}, "resource_types"),
        (Kind.NEED, {"language": "de"}, "language"),
        (Kind.NEED, {"delivery_languages": ["en", "klingon"]}, "delivery_languages"),
        (Kind.NEED, {"title": "x" * 201}, "title"),
        (Kind.NEED, {"summary": "x" * 501}, "summary"),
        (Kind.NEED, {"description": "x" * 6001}, "description"),
        (Kind.NEED, {"description": "<script>alert(1)</script>"}, "description"),
        (Kind.NEED, {"start_date": date(2027, 5, 1), "end_date": date(2027, 1, 1)}, "end_date"),
        (Kind.NEED, {"budget_min": 1000, "budget_currency": "USD"}, "budget_min"),
        (Kind.NEED, {"sdg_goals": [18]}, "sdg_goals"),
        (Kind.NEED, {"sdg_targets": ["99.9"]}, "sdg_targets"),
        (Kind.OFFER, {"resource_types": []}, "resource_types"),
        (Kind.OFFER, {"regions": ["999"]}, "regions"),
        (
            Kind.OFFER,
            {"resource_types": ["human"], "budget_min": 1000, "budget_currency": "USD"},
            "budget_min",
        ),
        (
            Kind.OFFER,
            {"resource_types": ["financial"], "budget_min": 9000, "budget_max": 10},
            "budget_max",
        ),
        (Kind.OFFER, {"resource_types": ["financial"], "budget_min": 10}, "budget_currency"),
    ],
)
def test_bad_input_gets_an_error_on_its_field_and_nothing_is_saved(team, kind, changes, field):
    with pytest.raises(ValidationError) as caught:
        services.listing_create(
            user=team["contributor"],
            organisation=team["org"],
            kind=kind,
            data=listing_data(kind, **changes),
        )
    assert field in caught.value.message_dict, caught.value.message_dict
    assert all(caught.value.message_dict[field])
    assert not Listing.objects.exists()


def test_errors_are_translated(team):
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        services.listing_create(
            user=team["contributor"],
            organisation=team["org"],
            kind=Kind.NEED,
            data=listing_data(title=""),
        )
    assert caught.value.message_dict["title"] == ["Ce champ est obligatoire."]


def test_markup_and_scripts_are_stripped_from_every_text(team):
    need = services.listing_create(
        user=team["contributor"],
        organisation=team["org"],
        kind=Kind.NEED,
        data=listing_data(
            title="<b>Seed</b> banks <script>alert('x')</script>& R&amp;D",
            summary='<a href="javascript:alert(1)">Click</a> for help',
            description="<p>Farmers</p><style>p{}</style><img src=x onerror=alert(1)> need advice",
            translations={"fr": {"title": "<i>Banques</i> de semences", "summary": "<b>Aide</b>"}},
        ),
    )
    need.refresh_from_db()
    assert need.title == "Seed banks & R&D"
    assert need.summary == "Click for help"
    assert need.description == "Farmers need advice"
    assert need.translations == {"fr": {"title": "Banques de semences", "summary": "Aide"}}


def test_a_failed_update_leaves_the_listing_as_it_was(team):
    need = NeedFactory(
        organisation=team["org"],
        user=team["contributor"],
        title="Seed banks",
        themes=["public-health"],
    )
    with pytest.raises(ValidationError):
        services.listing_update(
            user=team["contributor"],
            listing=need,
            data=listing_data(title="New title", themes=["unknown-theme"]),
        )
    need.refresh_from_db()
    assert need.title == "Seed banks"
    assert need.themes == ["public-health"]
    assert _actions(need) == [("created", "", "draft")]


# --- Review and publication ---------------------------------------------------------------------


def test_submitting_tells_the_facilitators_with_a_link_to_the_queue(team, on_commit):
    need = NeedFactory(organisation=team["org"], user=team["contributor"], title="Seed banks")
    with on_commit():
        services.listing_submit(user=team["contributor"], listing=need)
    assert need.status == Status.SUBMITTED and need.submitted_at
    [message] = _mails_to("facilitator@wipo.example.org")
    assert "Seed banks" in message.subject
    assert "Senegal IP Office" in message.body
    assert "/en/listings/review/" in message.body
    assert message.body.count("http") == 1


def test_publishing_sets_the_expiry_and_tells_the_owners_in_their_language(team, on_commit):
    need = NeedFactory(organisation=team["org"], user=team["contributor"], status=Status.SUBMITTED)
    mail.outbox.clear()
    with on_commit():
        services.listing_publish(facilitator=team["facilitator"], listing=need, comment="Clear.")
    need.refresh_from_db()
    assert need.status == Status.PUBLISHED
    assert need.published_at and need.expires_at
    assert abs((need.expires_at - need.published_at) - timedelta(days=365)) < timedelta(minutes=1)
    [to_focal] = _mails_to(team["focal"].email)
    [to_author] = _mails_to(team["contributor"].email)
    assert _in_french(to_focal)  # the focal point reads French
    assert _signature("en") in to_author.body
    assert f"/needs/{need.pk}/" in to_author.body
    assert need.expires_at.date().isoformat() in to_author.body


def test_the_validity_period_is_configurable(team, settings):
    settings.LISTING_VALIDITY_DAYS = 30
    need = NeedFactory(organisation=team["org"], status=Status.PUBLISHED)
    assert (need.expires_at - need.published_at) < timedelta(days=31)


def test_asking_for_changes_needs_a_comment_then_the_owner_edits_and_resubmits(team, on_commit):
    need = NeedFactory(organisation=team["org"], user=team["contributor"], status="submitted")
    with pytest.raises(ValidationError) as caught:
        services.listing_request_changes(
            facilitator=team["facilitator"], listing=need, comment="  <b></b> "
        )
    assert "comment" in caught.value.message_dict
    mail.outbox.clear()
    with on_commit():
        services.listing_request_changes(
            facilitator=team["facilitator"], listing=need, comment="Say who will be trained."
        )
    assert need.status == Status.CHANGES_REQUESTED
    [message] = _mails_to(team["contributor"].email)
    assert "Say who will be trained." in message.body
    services.listing_update(
        user=team["contributor"],
        listing=need,
        data=listing_data(summary="Ten examiners of the Senegal office will be trained."),
    )
    services.listing_submit(user=team["contributor"], listing=need)
    assert need.status == Status.SUBMITTED
    assert [a for a, _f, _t in _actions(need)] == [
        "created",
        "submitted",
        "changes_requested",
        "edited",
        "submitted",
    ]


def test_rejecting_needs_a_reason_that_is_recorded_and_emailed(team, on_commit):
    need = NeedFactory(organisation=team["org"], user=team["contributor"], status="submitted")
    with pytest.raises(ValidationError) as caught:
        services.listing_reject(facilitator=team["facilitator"], listing=need, reason="")
    assert "reason" in caught.value.message_dict
    mail.outbox.clear()
    with on_commit():
        services.listing_reject(
            facilitator=team["facilitator"], listing=need, reason="Not about IP."
        )
    need.refresh_from_db()
    assert need.status == Status.REJECTED
    assert need.review_comment == "Not about IP."
    assert "Not about IP." in _mails_to(team["contributor"].email)[0].body
    event = audit_trail_for(need).order_by("-id").first()
    assert (event.action, event.actor, event.reason) == (
        "rejected",
        team["facilitator"],
        "Not about IP.",
    )
    with pytest.raises(ValidationError):
        services.listing_update(user=team["contributor"], listing=need, data=listing_data())
    with pytest.raises(ValidationError):
        services.listing_submit(user=team["contributor"], listing=need)


def test_only_facilitators_review(team):
    need = NeedFactory(organisation=team["org"], user=team["contributor"], status="submitted")
    for person in (team["contributor"], team["focal"]):
        with pytest.raises(PermissionDenied):
            services.listing_publish(facilitator=person, listing=need)
        with pytest.raises(PermissionDenied):
            services.listing_request_changes(facilitator=person, listing=need, comment="x")
        with pytest.raises(PermissionDenied):
            services.listing_reject(facilitator=person, listing=need, reason="x")
    need.refresh_from_db()
    assert need.status == Status.SUBMITTED


def test_only_a_submitted_listing_is_published(team):
    draft = NeedFactory(organisation=team["org"])
    with pytest.raises(ValidationError):
        services.listing_publish(facilitator=team["facilitator"], listing=draft)
    suspended = OrganisationFactory(status=Organisation.Status.APPROVED)
    listing = NeedFactory(organisation=suspended, status="submitted")
    Organisation.objects.filter(pk=suspended.pk).update(status=Organisation.Status.SUSPENDED)
    listing.refresh_from_db()
    listing.organisation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.listing_publish(facilitator=team["facilitator"], listing=listing)


def test_bulk_publication_publishes_what_it_can_and_reports_the_rest(team):
    good = [NeedFactory(organisation=team["org"], status="submitted") for _ in range(2)]
    draft = OfferFactory(organisation=team["org"], title="Still a draft")
    published, problems = services.listing_publish_many(
        facilitator=team["facilitator"], listings=[*good, draft]
    )
    assert published == 2
    assert len(problems) == 1 and problems[0].startswith("Still a draft")
    assert set(Listing.objects.published().values_list("pk", flat=True)) == {g.pk for g in good}
    with pytest.raises(PermissionDenied):
        services.listing_publish_many(facilitator=team["contributor"], listings=[draft])


# --- Closing and renewing -----------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["fulfilled", "withdrawn"])
def test_closing_records_why(team, reason):
    offer = OfferFactory(organisation=team["org"], user=team["contributor"], status="published")
    services.listing_close(
        user=team["contributor"], listing=offer, reason=reason, note="Thanks to <b>KIPI</b>"
    )
    offer.refresh_from_db()
    assert (offer.status, offer.closed_reason) == (Status.CLOSED, reason)
    assert offer.closed_at
    event = audit_trail_for(offer).order_by("-id").first()
    assert (event.action, event.from_state, event.to_state, event.reason) == (
        f"closed_{reason}",
        "published",
        "closed",
        "Thanks to KIPI",
    )
    with pytest.raises(ValidationError):
        services.listing_close(user=team["contributor"], listing=offer, reason="fulfilled")
    with pytest.raises(ValidationError):
        services.listing_renew(user=team["contributor"], listing=offer)


def test_closing_needs_a_known_reason_and_the_owner(team):
    offer = OfferFactory(organisation=team["org"], user=team["contributor"], status="published")
    with pytest.raises(ValidationError):
        services.listing_close(user=team["contributor"], listing=offer, reason="bored")
    with pytest.raises(PermissionDenied):
        services.listing_close(user=FocalPointFactory().user, listing=offer, reason="fulfilled")


@pytest.mark.parametrize("status", ["published", "expired"])
def test_renewing_runs_another_full_period_in_one_call(team, status):
    offer = OfferFactory(organisation=team["org"], user=team["contributor"], status=status)
    before = timezone.now()
    services.listing_renew(user=team["contributor"], listing=offer)
    offer.refresh_from_db()
    assert offer.status == Status.PUBLISHED
    assert offer.expires_at >= before + timedelta(days=364)
    assert _actions(offer)[-1] == ("renewed", status, "published")


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_only_published_or_expired_listings_are_renewed(team, status):
    offer = OfferFactory(organisation=team["org"], user=team["contributor"], status=status)
    with pytest.raises(ValidationError):
        services.listing_renew(user=team["contributor"], listing=offer)


# --- Expiry and reminders -----------------------------------------------------------------------


def test_listings_expire_when_their_time_is_up_and_owners_are_told_once(team, on_commit):
    need = NeedFactory(organisation=team["org"], user=team["contributor"], status="published")
    other = NeedFactory(organisation=team["org"], status="published")
    mail.outbox.clear()
    with on_commit():
        assert services.listings_expire_due(now=need.expires_at - timedelta(seconds=1)) == 0
    need.refresh_from_db()
    assert need.status == Status.PUBLISHED
    later = max(need.expires_at, other.expires_at) + timedelta(seconds=1)
    with on_commit():
        assert services.listings_expire_due(now=later) == 2
    with on_commit():
        assert services.listings_expire_due(now=later) == 0
    need.refresh_from_db()
    assert need.status == Status.EXPIRED
    assert _actions(need)[-1] == ("expired", "published", "expired")
    assert audit_trail_for(need).order_by("-id").first().actor is None
    expired = [m for m in _mails_to(team["contributor"].email) if need.title in m.subject]
    assert len(expired) == 1
    assert f"/needs/{need.pk}/" in expired[0].body
    assert len(_mails_to(team["focal"].email)) == 2
    assert _in_french(_mails_to(team["focal"].email)[0])


def _expiry_reminders(sent: dict) -> tuple[int, int]:
    return sent["30"], sent["7"]


def test_reminders_30_and_7_days_before_expiry_are_each_sent_once(team, on_commit):
    offer = OfferFactory(organisation=team["org"], user=team["contributor"], status="published")
    mail.outbox.clear()
    expires = offer.expires_at
    remind = services.listings_send_reminders
    with on_commit():
        assert _expiry_reminders(remind(now=expires - timedelta(days=31))) == (0, 0)
        assert _expiry_reminders(remind(now=expires - timedelta(days=29))) == (1, 0)
        assert _expiry_reminders(remind(now=expires - timedelta(days=20))) == (0, 0)
        assert _expiry_reminders(remind(now=expires - timedelta(days=6))) == (0, 1)
        assert _expiry_reminders(remind(now=expires - timedelta(days=1))) == (0, 0)
    reminders = [m for m in _mails_to(team["contributor"].email) if "Expires" in m.subject]
    assert [m.subject for m in reminders] == [
        f"Expires in 30 days: {offer.title}",
        f"Expires in 7 days: {offer.title}",
    ]
    assert expires.date().isoformat() in reminders[0].body
    assert f"/offers/{offer.pk}/" in reminders[0].body
    french = [m for m in _mails_to(team["focal"].email) if offer.title in m.subject]
    assert all(_in_french(m) for m in french)


def test_a_listing_found_inside_seven_days_gets_only_the_seven_day_reminder(team, on_commit):
    offer = OfferFactory(organisation=team["org"], user=team["contributor"], status="published")
    mail.outbox.clear()
    with on_commit():
        sent = services.listings_send_reminders(now=offer.expires_at - timedelta(days=5))
        again = services.listings_send_reminders(now=offer.expires_at - timedelta(days=4))
    assert _expiry_reminders(sent) == (0, 1)
    assert _expiry_reminders(again) == (0, 0)
    subjects = [m.subject for m in _mails_to(team["contributor"].email)]
    assert sum(s.startswith("Expires in") for s in subjects) == 1


def test_renewing_rearms_the_reminders(team):
    offer = OfferFactory(organisation=team["org"], user=team["contributor"], status="published")
    services.listings_send_reminders(now=offer.expires_at - timedelta(days=5))
    services.listing_renew(user=team["contributor"], listing=offer)
    offer.refresh_from_db()
    assert offer.reminded_30_at is None and offer.reminded_7_at is None
    assert services.listings_send_reminders(now=offer.expires_at - timedelta(days=29))["30"] == 1


def test_a_listing_untouched_for_six_months_prompts_its_owner_once(team, on_commit):
    need = NeedFactory(organisation=team["org"], user=team["contributor"], status="published")
    now = timezone.now()
    Listing.objects.filter(pk=need.pk).update(content_updated_at=now - timedelta(days=150))
    mail.outbox.clear()
    with on_commit():
        assert services.listings_send_reminders(now=now)["stale"] == 0
        Listing.objects.filter(pk=need.pk).update(content_updated_at=now - timedelta(days=183))
        assert services.listings_send_reminders(now=now)["stale"] == 1
        assert services.listings_send_reminders(now=now + timedelta(days=1))["stale"] == 0
    [prompt] = _mails_to(team["contributor"].email)
    assert need.title in prompt.subject
    assert f"/needs/{need.pk}/" in prompt.body
    # Editing the listing (once the changes are accepted) answers the prompt; six months later
    # it comes again.
    need.refresh_from_db()
    services.listing_update(user=team["contributor"], listing=need, data=listing_data())
    services.listing_revision_accept(
        facilitator=team["facilitator"], revision=services.pending_revision_of(need)
    )
    need.refresh_from_db()
    assert need.stale_prompted_at is None


# --- The audit trail ----------------------------------------------------------------------------


def test_every_transition_is_audited_with_who_from_to_and_why(team):
    need = NeedFactory(organisation=team["org"], user=team["contributor"])
    services.listing_submit(user=team["contributor"], listing=need)
    services.listing_request_changes(
        facilitator=team["facilitator"], listing=need, comment="Add dates."
    )
    services.listing_submit(user=team["contributor"], listing=need)
    publish(need, team["facilitator"])
    services.listing_close(user=team["focal"], listing=need, reason="withdrawn", note="Done")
    rows = [
        (e.action, e.actor, e.from_state, e.to_state, e.reason)
        for e in audit_trail_for(need).order_by("created_at", "id")
    ]
    contributor, facilitator, focal = team["contributor"], team["facilitator"], team["focal"]
    assert rows == [
        ("created", contributor, "", "draft", ""),
        ("submitted", contributor, "draft", "submitted", ""),
        ("changes_requested", facilitator, "submitted", "changes_requested", "Add dates."),
        ("submitted", contributor, "changes_requested", "submitted", ""),
        ("published", facilitator, "submitted", "published", ""),
        ("closed_withdrawn", focal, "published", "closed", "Done"),
    ]


# --- E-mail templates ---------------------------------------------------------------------------


def test_every_listing_email_renders_in_every_language_with_its_link():
    names = [
        "listing_to_review",
        "listing_published",
        "listing_changes_requested",
        "listing_rejected",
        "listing_expired",
        "listing_expiring",
        "listing_stale",
    ]
    context = {
        "site_name": "WIPO Match",
        "site_url": "https://match.example.org",
        "title": "Seeds & <Soil>",
        "organisation": "R&D <Office>",
        "kind": "offer",
        "url": "/xx/offers/1/",
        "comment": "Add dates",
        "reason": "Off topic",
        "expires": "2030-01-01",
        "days": 7,
    }
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for name in names:
                subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
                body = render_to_string(f"emails/{name}_body.txt", context)
                assert "Seeds & <Soil>" in subject + body, (code, name)
                assert "&amp;" not in subject + body and "&lt;" not in subject + body, name
                assert "\n" not in subject, name
                assert "https://match.example.org/xx/" in body, (code, name)
