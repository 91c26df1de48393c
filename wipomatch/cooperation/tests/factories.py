"""Initiatives built through the services, so they are stored, cleaned and audited as a member's.

team = initiative_team()                       # org in Brazil, focal point, facilitator
make_initiative(team)                          # a draft: Brazil provides, Mozambique benefits
make_initiative(team, published=True, results=True)
"""

from datetime import date
from decimal import Decimal

from wipomatch.members.models import Membership
from wipomatch.members.tests.factories import (
    FacilitatorFactory,
    FocalPointFactory,
    MembershipFactory,
    OrganisationFactory,
    country,
)

from .. import services
from ..services import IndicatorData, InitiativeData, PartyData, ResultData


def initiative_team(iso2: str = "BR") -> dict:
    org = OrganisationFactory(name=f"IP office {iso2}", country=country(iso2), org_type="ip-office")
    focal = FocalPointFactory(organisation=org).user
    contributor = MembershipFactory(organisation=org, role=Membership.Role.CONTRIBUTOR).user
    return {
        "org": org,
        "focal": focal,
        "contributor": contributor,
        "facilitator": FacilitatorFactory(),
    }


def set_parties(team: dict, initiative, *others: PartyData) -> None:
    """Make the team's organisation the provider and `others` the other parties, as its focal
    point."""
    services.initiative_set_parties(
        actor=team["focal"],
        initiative=initiative,
        parties=[PartyData(role="provider", organisation=team["org"].pk), *others],
    )


def make_initiative(
    team: dict,
    *,
    extra_parties=(("beneficiary", "MZ", "ip-office", "Mozambique IP office"),),
    published: bool = False,
    submitted: bool = False,
    results: bool = False,
    **data,
):
    values = {
        "title": "Patent examination training",
        "summary": "Brazil's office trains examiners of Mozambique's office.",
        "description": "Two **workshops** and a twinning visit.",
        "themes": ["ip-management"],
        "ip_areas": ["patents"],
        "sdg_goals": [9],
        "countries": ["MZ"],
        "planned_start": date(2026, 1, 1),
        "planned_end": date(2027, 12, 31),
        "status": "2",
        **data,
    }
    parties = [PartyData(role="provider", organisation=team["org"].pk)] + [
        PartyData(role=role, country=iso2, organisation_type=org_type, name=name)
        for role, iso2, org_type, name in extra_parties
    ]
    initiative = services.initiative_create(
        actor=team["focal"], data=InitiativeData(**values), parties=parties
    )
    if results:
        services.initiative_set_results(
            actor=team["focal"],
            initiative=initiative,
            results=[
                ResultData(
                    result_type="1",
                    title="Examiners trained",
                    indicators=[
                        IndicatorData(
                            title="Examiners trained",
                            unit="people",
                            baseline_value=Decimal("0"),
                            baseline_year=2025,
                            target_value=Decimal("20"),
                            target_date=date(2027, 6, 30),
                        )
                    ],
                )
            ],
        )
    if submitted or published:
        services.initiative_submit(actor=team["focal"], initiative=initiative)
    if published:
        services.initiative_publish(actor=team["facilitator"], initiative=initiative)
    initiative.refresh_from_db()
    return initiative
