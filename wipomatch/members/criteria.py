"""The published membership criteria. Facilitators assess every application against each one.

They live in code (not in the database) so that their wording is translated with the rest of
the interface and a change to them is reviewed like any other change of policy.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Criterion:
    slug: str
    title: str | Promise
    description: str | Promise


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "legal-entity",
        _("A real, identifiable organisation"),
        _(
            "The applicant is a legally constituted organisation (public body, company, "
            "university, association, foundation or international organisation) whose "
            "existence can be checked, for example through an official website or register."
        ),
    ),
    Criterion(
        "ip-development-role",
        _("A role in IP and development"),
        _(
            "The organisation seeks or provides technical assistance, expertise or resources "
            "related to intellectual property for development, in at least one of the "
            "platform's thematic areas."
        ),
    ),
    Criterion(
        "authorised-representative",
        _("An authorised focal point"),
        _(
            "The person applying works for the organisation and may speak for it on the "
            "platform; the organisation's contact address is institutional."
        ),
    ),
    Criterion(
        "code-of-conduct",
        _("Acceptance of the code of conduct"),
        _(
            "The organisation accepts the code of conduct: accurate listings, good-faith "
            "cooperation, respect for confidentiality and no commercial solicitation "
            "unrelated to the assistance offered."
        ),
    ),
    Criterion(
        "no-conflict",
        _("No conflict with WIPO's mandate"),
        _(
            "The organisation's activities are consistent with the mission of WIPO and the "
            "United Nations, and it is not subject to UN sanctions."
        ),
    ),
)

CRITERIA_BY_SLUG = {c.slug: c for c in CRITERIA}
CRITERION_CHOICES = [(c.slug, c.title) for c in CRITERIA]
