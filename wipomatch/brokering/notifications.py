"""How brokering tells people what happened: in-app notifications plus e-mail in each person's
language, through `wipomatch.messaging.services.notify` (category `cases` or `reminders`)."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from wipomatch.members.models import Membership, Organisation
from wipomatch.messaging.services import notify


def organisation_people(organisation: Organisation | int, *, focal_points_only: bool = False):
    """Active members (focal points and contributors) of an organisation."""
    User = get_user_model()
    org_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    memberships = Membership.objects.filter(organisation_id=org_id)
    if focal_points_only:
        memberships = memberships.filter(role=Membership.Role.FOCAL_POINT)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user")).order_by("pk")


def facilitators():
    User = get_user_model()
    return User.objects.filter(is_active=True).filter(
        Q(staff_role__in=["facilitator", "admin"]) | Q(is_superuser=True)
    )


def notify_people(
    *,
    users,
    kind: str,
    title: str,
    params: dict,
    url: str,
    target=None,
    actor=None,
    email_template: str | None = None,
    email_context: dict | None = None,
    transactional: bool = False,
    category: str = "cases",
) -> None:
    users = list(users)
    if not users:
        return
    notify(
        recipients=users,
        category=category,
        kind=kind,
        title=title,
        params=params,
        url=url,
        actor=actor,
        target=target,
        email_template=email_template,
        email_context=email_context,
        transactional=transactional,
    )
