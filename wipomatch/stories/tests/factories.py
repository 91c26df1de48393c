"""Stories made through the services, so that a story made here is validated, stored and
audited exactly like one a member writes.

    story_factory()                                  # a draft of a new approved organisation
    story_factory(status="published", themes=[...])  # submitted by its author, published
    story_factory(version_of=story, language="fr")   # a language version
"""

import io

from PIL import Image

from wipomatch.members.models import Membership
from wipomatch.members.tests.factories import (
    FacilitatorFactory,
    MembershipFactory,
    OrganisationFactory,
)

from .. import services
from ..models import Status, Story
from ..services import KeyResultData, StoryData

BODY = (
    "In 2021 the cooperative had no protection for the name of its coffee. With the national "
    "IP office and an expert from a partner office, the farmers wrote the product "
    "specification, set up inspections and registered the geographical indication.\n\n"
    "## What worked\n\n- Farmers decided every rule together\n- Inspections cost little\n"
)

# A second story unlike story_data's in every facet: kind, theme, IP area, SDG, country (Peru).
HEALTH_STORY = {
    "kind": "best_practice",
    "title": "Patent examiners trained on pharmaceutical inventions",
    "summary": "The office trained ten examiners on the examination of medicines patents.",
    "body": "The patent office organised a two-week course on pharmaceutical patents. " * 4,
    "themes": ["public-health"],
    "ip_areas": ["patents"],
    "countries": ["PE"],
    "sdg_goals": [3],
}

_FACILITATOR_EMAIL = "story-factory-facilitator@wipo.example.org"


def factory_facilitator():
    from wipomatch.members.models import User

    user = User.objects.filter(email=_FACILITATOR_EMAIL).first()
    return user or FacilitatorFactory(email=_FACILITATOR_EMAIL)


def story_data(**overrides) -> StoryData:
    values = {
        "kind": "success_story",
        "title": "Coffee farmers protect the name of their region",
        "summary": "A cooperative of two thousand smallholders registered a geographical "
        "indication and now sells its coffee at a better price.",
        "body": BODY,
        "language": "en",
        "themes": ["food-security-agriculture"],
        "ip_areas": ["geographical-indications"],
        "sdg_goals": [2, 8],
        "countries": ["SN"],
        "organisations_involved": [],
        "key_results": [KeyResultData(figure="2000", unit="", label="farmers involved")],
    }
    values.update(overrides)
    return StoryData(**values)


def author_of(organisation):
    membership = Membership.objects.filter(organisation=organisation).select_related("user").first()
    return membership.user if membership else MembershipFactory(organisation=organisation).user


def story_factory(
    *,
    organisation=None,
    user=None,
    status: str = Status.DRAFT,
    version_of: Story | None = None,
    **overrides,
) -> Story:
    if version_of is not None:
        organisation = version_of.organisation
    organisation = organisation or OrganisationFactory()
    user = user or author_of(organisation)
    story = services.story_create(
        user=user, organisation=organisation, data=story_data(**overrides), version_of=version_of
    )
    if status == Status.DRAFT:
        return story
    services.story_submit(user=user, story=story)
    facilitator = factory_facilitator()
    if status == Status.PUBLISHED:
        services.story_publish(facilitator=facilitator, story=story)
    elif status == Status.CHANGES_REQUESTED:
        services.story_request_changes(facilitator=facilitator, story=story, comment="More figures")
    elif status == Status.REJECTED:
        services.story_reject(facilitator=facilitator, story=story, reason="Not a story")
    story.refresh_from_db()
    return story


def image_bytes(fmt: str = "PNG", size=(64, 48), color=(30, 120, 200), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt, **save)
    return out.getvalue()
