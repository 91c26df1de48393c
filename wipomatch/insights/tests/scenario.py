"""A small network of cases and an initiative, shared by the measure and browser tests."""

from datetime import date

from wipomatch.brokering import services as brokering
from wipomatch.cooperation import services as cooperation
from wipomatch.cooperation.services import InitiativeData, PartyData
from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.members.tests.factories import (
    FacilitatorFactory,
    FocalPointFactory,
    OrganisationFactory,
    country,
)


def build_network():
    """Kenya (Africa) needs help; Brazil (Americas) and India (Asia) offer it.

    case 1: Brazil's interest in Kenya's need, accepted (mutual), closed with an agreement,
            rated 5 and 4;
    case 2: India's interest, declined by Kenya;
    case 3: Brazil's interest in Kenya's second need, not answered yet;
    initiative: Brazil provides, Kenya benefits, India implements, a Norwegian agency funds,
                Mozambique (an LDC) benefits too: triangular, not public-private.
    """
    staff = FacilitatorFactory()
    orgs = {
        iso: OrganisationFactory(name=f"Office {iso}", country=country(iso), org_type=kind)
        for iso, kind in (("KE", "ip-office"), ("BR", "academia"), ("IN", "ngo"))
    }
    people = {iso: FocalPointFactory(organisation=org).user for iso, org in orgs.items()}
    pub = {"status": "published", "facilitator": staff}
    need = NeedFactory(organisation=orgs["KE"], user=people["KE"], themes=["public-health"], **pub)
    need2 = NeedFactory(organisation=orgs["KE"], user=people["KE"], themes=["ip-management"], **pub)
    green = ["green-innovation"]
    offer_br = OfferFactory(organisation=orgs["BR"], user=people["BR"], themes=green, **pub)
    offer_in = OfferFactory(organisation=orgs["IN"], user=people["IN"], themes=green, **pub)
    case1 = brokering.match_express_interest(
        user=people["BR"], need=need, offer=offer_br, message="We can train your examiners."
    )
    brokering.match_accept(user=people["KE"], case=case1, message="Gladly.")
    case1.refresh_from_db()
    brokering.match_close(user=staff, case=case1, outcome="agreement", note="Two workshops.")
    case1.refresh_from_db()
    brokering.case_rate(user=people["KE"], case=case1, score=5)
    brokering.case_rate(user=people["BR"], case=case1, score=4)
    case2 = brokering.match_express_interest(
        user=people["IN"], need=need, offer=offer_in, message="We have a course."
    )
    brokering.match_decline(user=people["KE"], case=case2, reason="no_capacity")
    brokering.match_express_interest(
        user=people["BR"], need=need2, offer=offer_br, message="This one too."
    )
    initiative = cooperation.initiative_create(
        actor=people["BR"],
        data=InitiativeData(
            title="Examiner training",
            summary="Brazil trains Kenya's examiners with India.",
            description="Workshops.",
            themes=["public-health"],
            ip_areas=["patents"],
            sdg_goals=[3],
            countries=["KE", "MZ"],
            planned_start=date(2026, 1, 1),
            planned_end=date(2027, 12, 31),
            status="2",
        ),
        parties=[
            PartyData(role="provider", organisation=orgs["BR"].pk),
            PartyData(role="beneficiary", organisation=orgs["KE"].pk),
            PartyData(role="implementing_partner", organisation=orgs["IN"].pk),
            PartyData(role="funder", organisation_type="government", name="Norad", country="NO"),
        ],
    )
    cooperation.initiative_submit(actor=people["BR"], initiative=initiative)
    cooperation.initiative_publish(actor=staff, initiative=initiative)
    return {"orgs": orgs, "staff": staff, "initiative": initiative, "case1": case1}
