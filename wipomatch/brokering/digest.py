"""The "open cases" section of the e-mail digests (registered in BrokeringConfig.ready)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .selectors import my_cases_by_stage
from .services import case_url

SECTION_TITLE = gettext_noop("Your open cases")


def open_cases_section(user, since) -> list[dict]:
    """Cases waiting for the user's organisation first, then its other open cases."""
    awaiting, stages = my_cases_by_stage(user)
    items = []
    for case in awaiting:
        items.append(
            {
                "title": _("Waiting for your answer: %(organisation)s")
                % {"organisation": case.requesting_organisation.name},
                "url": case_url(case),
            }
        )
    for stage, label, cases in stages:
        if stage not in ("proposed", "interest", "mutual"):
            continue
        for case in cases:
            items.append(
                {
                    "title": f"{label}: {case.requesting_organisation.name} → "
                    f"{case.receiving_organisation.name}",
                    "url": case_url(case),
                }
            )
    return items[:20]
