"""Writes to the reference data that staff maintain. The country groupings decide LDC reach
and the South-South / triangular modality, so every change of them is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wipomatch.core.audit import audit_record
from wipomatch.core.text import clean_plain_text

from .models import Country

GROUPING_FLAGS = ("ldc", "lldc", "sids", "global_south")
GROUPING_ACTION = "grouping_changed"


def _can_edit_groupings(actor) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return actor.is_platform_admin or actor.has_perm("reference.change_country")


@transaction.atomic
def country_update_groupings(
    *, actor, country: Country, reason: str = "", **flags: bool
) -> list[str]:
    """Set some of a country's LDC / LLDC / SIDS / Global South flags.

    Records one audit event per flag that really changes (from `flag=false` to `flag=true`, with
    the reason) and returns the names of the changed flags.
    """
    if not _can_edit_groupings(actor):
        raise PermissionDenied
    unknown = sorted(set(flags) - set(GROUPING_FLAGS))
    if unknown:
        raise ValidationError(_("Unknown grouping: %(names)s.") % {"names": ", ".join(unknown)})
    # Compare with the stored values, not with an instance a form may already have changed.
    stored = Country.objects.select_for_update().get(pk=country.pk)
    changed = []
    for flag in GROUPING_FLAGS:
        if flag not in flags:
            continue
        old, new = getattr(stored, flag), bool(flags[flag])
        setattr(country, flag, new)
        if old != new:
            setattr(stored, flag, new)
            changed.append((flag, old, new))
    if not changed:
        return []
    stored.save(update_fields=[flag for flag, _old, _new in changed])
    reason = clean_plain_text(reason)
    for flag, old, new in changed:
        audit_record(
            target=country,
            actor=actor,
            action=GROUPING_ACTION,
            from_state=f"{flag}={str(old).lower()}",
            to_state=f"{flag}={str(new).lower()}",
            reason=reason,
        )
    return [flag for flag, _old, _new in changed]
