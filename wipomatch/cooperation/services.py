"""Writes for cooperation initiatives: creation, parties, the review lifecycle, the modality and
its override, results, progress reports and the reporting cycle.

draft → submitted → published (a facilitator checks it) or changes requested → submitted …
Every change of state is audited with structured data; people are e-mailed after commit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wipomatch.core.audit import audit_record
from wipomatch.core.permissions import require_facilitator
from wipomatch.core.text import clean_plain_text
from wipomatch.reference.models import Country

from . import permissions as perms
from .modality import PartyInput, derive_modality
from .models import (
    Initiative,
    Modality,
    Party,
)

# ---------------------------------------------------------------------------------------------
# Modality


def party_inputs(parties) -> list[PartyInput]:
    """Parties as the pure rule sees them (country, Global South flag, type, role)."""
    return [
        PartyInput(
            role=p.role,
            organisation_type=p.organisation_type,
            country=p.country.iso2 if p.country_id else None,
            southern=bool(p.country_id and p.country.global_south),
            name=p.display_name,
        )
        for p in parties
    ]


def initiative_recompute_modality(*, initiative: Initiative, actor=None, cause: str = "") -> bool:
    """Derive the modality and the public-private flag from the stored parties; store and audit
    them when they change. Returns True when something changed."""
    parties = list(
        Party.objects.filter(initiative=initiative).select_related("country", "organisation")
    )
    result = derive_modality(party_inputs(parties))
    reason = result.reason.as_dict()
    before = (initiative.modality_derived, initiative.ppp, initiative.modality)
    initiative.modality_derived = result.modality
    initiative.ppp = result.ppp
    initiative.modality_reason = reason
    initiative.modality = initiative.modality_override or result.modality
    after = (initiative.modality_derived, initiative.ppp, initiative.modality)
    Initiative.objects.filter(pk=initiative.pk).update(
        modality_derived=initiative.modality_derived,
        ppp=initiative.ppp,
        modality_reason=reason,
        modality=initiative.modality,
        updated_at=timezone.now(),
    )
    if before == after:
        return False
    audit_record(
        target=initiative,
        actor=actor,
        action="modality_derived",
        from_state=before[0],
        to_state=after[0],
        data={
            "derived": after[0],
            "previous_derived": before[0],
            "ppp": after[1],
            "previous_ppp": before[1],
            "effective": after[2],
            "cause": cause,
            "reason": reason,
        },
    )
    return True


def initiatives_recompute_for_country(*, country: Country, actor=None) -> int:
    """The Global South grouping of `country` changed: recompute every initiative with a party
    there. Returns the number of initiatives whose modality or flag changed."""
    changed = 0
    ids = Party.objects.filter(country=country).values_list("initiative_id", flat=True).distinct()
    for initiative in Initiative.objects.filter(pk__in=list(ids)):
        if initiative_recompute_modality(
            initiative=initiative, actor=actor, cause="global_south_changed"
        ):
            changed += 1
    return changed


@transaction.atomic
def initiative_override_modality(
    *, actor, initiative: Initiative, modality: str, reason: str
) -> Initiative:
    """A facilitator sets the modality by hand, with a reason; an empty modality removes the
    override (the derived modality applies again)."""
    require_facilitator(actor)
    if perms.OVERRIDE_MODALITY not in perms.initiative_allowed_actions(actor, initiative):
        raise PermissionDenied
    reason = clean_plain_text(reason or "")
    if modality and modality not in Modality.values:
        raise ValidationError({"modality": _("Choose a modality from the list.")})
    if modality and not reason:
        raise ValidationError({"reason": _("Say why the derived modality does not apply.")})
    previous = initiative.modality
    previous_override = initiative.modality_override
    initiative.modality_override = modality or ""
    initiative.modality_override_reason = reason if modality else ""
    initiative.modality = modality or initiative.modality_derived
    initiative.save(
        update_fields=["modality_override", "modality_override_reason", "modality", "updated_at"]
    )
    audit_record(
        target=initiative,
        actor=actor,
        action="modality_overridden" if modality else "modality_override_removed",
        from_state=previous,
        to_state=initiative.modality,
        reason=reason,
        data={
            "override": initiative.modality_override,
            "previous_override": previous_override,
            "derived": initiative.modality_derived,
        },
    )
    return initiative
