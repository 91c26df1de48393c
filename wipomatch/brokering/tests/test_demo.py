"""Demo brokering content: the provider account, its offers among focal@'s suggestions, and
about forty cases over every state (seeded by `seed_demo`, idempotent)."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from wipomatch.brokering.demo import PROVIDER_EMAIL
from wipomatch.brokering.models import CaseState, MatchCase
from wipomatch.listings.models import Kind, Status
from wipomatch.matching.selectors import suggestions_for_listing
from wipomatch.matching.services import suggestions_refresh_stale
from wipomatch.members.demo import DEMO_PASSWORD, FOCAL_EMAIL
from wipomatch.members.models import Membership, User
from wipomatch.messaging.models import Message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_demo_brokering(client):
    out = StringIO()
    call_command("seed_demo", stdout=out, force=True)
    provider = User.objects.get(email=PROVIDER_EMAIL)
    assert provider.check_password(DEMO_PASSWORD)
    provider_org = Membership.objects.get(user=provider).organisation
    focal_org = Membership.objects.get(user__email=FOCAL_EMAIL).organisation
    assert provider_org.is_approved and provider_org.country_id != focal_org.country_id
    offers = provider_org.listings.filter(kind=Kind.OFFER, status=Status.PUBLISHED)
    assert offers.count() == 3

    # The provider's offers appear among the suggestions of focal@'s published needs.
    suggestions_refresh_stale()
    focal = User.objects.get(email=FOCAL_EMAIL)
    need = focal_org.listings.get(kind=Kind.NEED, status=Status.PUBLISHED)
    suggested = {view.listing.pk for view in suggestions_for_listing(focal, need)}
    assert suggested & set(offers.values_list("pk", flat=True))

    cases = MatchCase.objects.all()
    assert 38 <= cases.count() <= 45
    states = Counter(cases.values_list("state", flat=True))
    assert set(states) == set(CaseState.values), states
    assert cases.filter(ratings__isnull=False).exists()
    assert cases.filter(notes__isnull=False).exists()
    assert cases.filter(follow_up_on__isnull=False).exists()
    assert Message.objects.exists()
    # Several languages among the messages.
    messages = " ".join(cases.values_list("message", flat=True))
    languages = {
        "en": " our " in messages,
        "fr": " nous " in messages,
        "es": "nuestra" in messages,
        "ar": any("\u0600" <= ch <= "\u06ff" for ch in messages),
        "ru": any("\u0400" <= ch <= "\u04ff" for ch in messages),
    }
    assert sum(languages.values()) >= 4, languages
    # focal@ has a case waiting for its answer; provider@ too; the walk-through pair is free.
    assert cases.filter(receiving_organisation=focal_org, state="interest").exists()
    assert cases.filter(receiving_organisation=provider_org, state="interest").exists()
    first_offer = offers.order_by("pk").first()
    assert not cases.filter(need=need, offer=first_offer).exists()
    # Answer times look real: answered days after opening.
    answered = cases.filter(answered_at__isnull=False).first()
    assert (answered.answered_at - answered.opened_at).days >= 1

    # Idempotent.
    out = StringIO()
    call_command("seed_demo", stdout=out, force=True)
    assert MatchCase.objects.count() == cases.count()
    assert "Demo cases: already there." in out.getvalue()

    # The demo provider can sign in and sees its cases.
    assert client.login(email=PROVIDER_EMAIL, password=DEMO_PASSWORD)
    page = client.get("/en/matches/").content.decode()
    assert "Waiting for your answer" in page
    assert "Nothing is waiting for your answer." not in page
