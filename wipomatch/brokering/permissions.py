"""Who may do what with a case: one lifecycle policy that services enforce and pages/API show.

`case_allowed_actions(user, case)` is the single source of truth. Services call it again on the
row they have locked, so a page rendered a second ago never authorises a stale transition.
"""

from wipomatch.core.permissions import is_facilitator
from wipomatch.members.models import Membership, Organisation
from wipomatch.members.permissions import organisation_in_good_standing

from .models import (
    AWAITING_ANSWER_STATES,
    CLOSED_STATES,
    REOPENABLE_STATES,
    CaseKind,
    CaseState,
    InitiatedBy,
    MatchCase,
)

VIEW = "view"
ACCEPT = "accept"
DECLINE = "decline"
WITHDRAW = "withdraw"
CLOSE = "close"
RATE = "rate"
REOPEN = "reopen"
ASSIGN = "assign"
FOLLOW_UP = "follow_up"
NOTE = "note"
MESSAGE = "message"
SEE_CONTACTS = "see_contacts"


def user_organisation_ids(user) -> set[int]:
    """The approved organisations the user belongs to (normally one)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(
        Membership.objects.filter(
            user=user, organisation__status=Organisation.Status.APPROVED
        ).values_list("organisation_id", flat=True)
    )


def case_sides_of(user, case: MatchCase, org_ids: set[int] | None = None) -> set[str]:
    """Which sides of the case the user speaks for: "requesting" and/or "receiving"."""
    org_ids = user_organisation_ids(user) if org_ids is None else org_ids
    sides = set()
    if case.requesting_organisation_id in org_ids:
        sides.add("requesting")
    if case.receiving_organisation_id in org_ids:
        sides.add("receiving")
    return sides


def listing_side_of(user, case: MatchCase, org_ids: set[int] | None = None) -> str | None:
    """For a match: "need" or "offer" for a member of that side's organisation."""
    if case.kind != CaseKind.MATCH:
        return None
    org_ids = user_organisation_ids(user) if org_ids is None else org_ids
    if case.need.organisation_id in org_ids:
        return "need"
    if case.offer.organisation_id in org_ids:
        return "offer"
    return None


def is_party(user, case: MatchCase) -> bool:
    return bool(case_sides_of(user, case))


def contacts_released(case: MatchCase) -> bool:
    """Contacts are released on mutual interest and stay released after the case closes."""
    return case.mutual_at is not None and case.state in (CaseState.MUTUAL, *CLOSED_STATES)


def _sides_still_to_answer(case: MatchCase) -> set[str]:
    """Which organisations' answer the case waits for ("requesting"/"receiving")."""
    if case.state == CaseState.INTEREST:
        return {"receiving"}
    if case.state == CaseState.PROPOSED:
        # A facilitator's proposal: requesting = the need's side, receiving = the offer's side.
        waiting = set()
        if case.need_side_accepted_at is None:
            waiting.add("requesting")
        if case.offer_side_accepted_at is None:
            waiting.add("receiving")
        return waiting
    return set()


def case_waiting_for(case: MatchCase) -> set[int]:
    """Ids of the organisations whose answer the case waits for."""
    ids = {
        "requesting": case.requesting_organisation_id,
        "receiving": case.receiving_organisation_id,
    }
    return {ids[side] for side in _sides_still_to_answer(case)}


def case_allowed_actions(user, case: MatchCase) -> set[str]:
    """Everything `user` may do with `case` now. Empty set: the case is invisible (404)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    facilitator = is_facilitator(user)
    sides = case_sides_of(user, case)
    if not facilitator and not sides:
        return set()
    actions = {VIEW}
    state = case.state
    answering = sides & _sides_still_to_answer(case)
    if answering:
        actions.add(DECLINE)
        # No case moves towards contact while either organisation is suspended (or withdrawn);
        # facilitators still see and follow the case.
        if organisation_in_good_standing(
            case.requesting_organisation
        ) and organisation_in_good_standing(case.receiving_organisation):
            actions.add(ACCEPT)
    if state == CaseState.INTEREST and "requesting" in sides:
        actions.add(WITHDRAW)
    if state == CaseState.PROPOSED and facilitator:
        actions.add(WITHDRAW)
    if state == CaseState.MUTUAL and (facilitator or sides):
        actions.add(CLOSE)
    if state in CLOSED_STATES and sides:
        actions.add(RATE)
    if contacts_released(case):
        actions |= {SEE_CONTACTS, MESSAGE}
    if facilitator:
        actions |= {ASSIGN, FOLLOW_UP, NOTE}
        if state in REOPENABLE_STATES:
            actions.add(REOPEN)
    return actions


def awaiting_answer_from(user, case: MatchCase) -> bool:
    return case.state in AWAITING_ANSWER_STATES and bool(
        case_sides_of(user, case) & _sides_still_to_answer(case)
    )


def initiated_by_member(case: MatchCase) -> bool:
    return case.initiated_by in (InitiatedBy.NEED, InitiatedBy.OFFER)
