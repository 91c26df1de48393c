"""Strong suggestions found by the matching engine reach the members of the listing's organisation."""

from django.core import mail
from django.urls import reverse

from wipomatch.listings.models import Status
from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.matching.models import Suggestion
from wipomatch.matching.services import strong_suggestion_found

from ..models import Category, Frequency, Notification
from ..services import digests_send_weekly, preference_set


def _found(need, offer, side):
    strong_suggestion_found.send(
        sender=Suggestion, need_id=need.pk, offer_id=offer.pk, side=side, rank=1
    )


def test_the_need_side_is_told_and_the_weekly_digest_carries_it(
    seeker_org, seeker, seeker_colleague, provider_org, provider, on_commit
):
    need = NeedFactory(organisation=seeker_org, user=seeker, status=Status.PUBLISHED)
    offer = OfferFactory(organisation=provider_org, user=provider, status=Status.PUBLISHED)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with on_commit():
        _found(need, offer, "need")
    notes = Notification.objects.filter(category=Category.SUGGESTIONS)
    assert set(notes.values_list("recipient_id", flat=True)) == {seeker.pk, seeker_colleague.pk}
    note = notes.get(recipient=seeker)
    assert need.title in note.rendered_title() and offer.title in note.rendered_title()
    assert note.url == reverse("matching:suggestions", args=[need.pk])
    assert not mail.outbox  # suggestions are in the weekly digest by default
    with on_commit():
        digests_send_weekly()
    [weekly] = [m for m in mail.outbox if seeker.email in m.to]
    assert "New strong suggestions" in weekly.body
    assert offer.title in weekly.body
    assert weekly.body.count(offer.title) == 1  # the section, not the same item twice


def test_the_offer_side_is_told_at_once_when_they_asked_for_it(
    seeker_org, seeker, provider_org, provider, on_commit
):
    need = NeedFactory(organisation=seeker_org, user=seeker, status=Status.PUBLISHED)
    offer = OfferFactory(organisation=provider_org, user=provider, status=Status.PUBLISHED)
    preference_set(user=provider, category=Category.SUGGESTIONS, frequency=Frequency.IMMEDIATE)
    mail.outbox.clear()
    with on_commit():
        _found(need, offer, "offer")
    [message] = [m for m in mail.outbox if provider.email in m.to]
    assert message.body.startswith("Bonjour,")
    assert message.subject.startswith("Nouvelle suggestion pertinente pour « ")
    assert "La plateforme a trouvé une nouvelle suggestion pertinente" in message.body
    assert f"/fr/matching/listings/{offer.pk}/suggestions/" in message.body
    assert not Notification.objects.filter(recipient=seeker, category=Category.SUGGESTIONS)


def test_nothing_for_a_listing_that_is_no_longer_published(
    seeker_org, seeker, provider_org, provider
):
    need = NeedFactory(organisation=seeker_org, user=seeker, status=Status.CLOSED)
    offer = OfferFactory(organisation=provider_org, user=provider, status=Status.PUBLISHED)
    _found(need, offer, "need")
    assert not Notification.objects.filter(category=Category.SUGGESTIONS).exists()
