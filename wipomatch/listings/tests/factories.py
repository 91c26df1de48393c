"""Factories for needs and offers. They build through the services (`listing_create`, then the
lifecycle services), so a listing made here is stored, cleaned and audited exactly as one a member
writes. They need the reference data (loaded once per test session, see wipomatch/conftest.py).

    NeedFactory()                                   # a draft need of a new approved organisation
    NeedFactory(status="published", themes=[...])  # submitted by its author, published by staff
    OfferFactory(organisation=org, user=contributor, status="expired")
"""

from datetime import timedelta

import factory
from django.utils import timezone

from wipomatch.members.models import Membership
from wipomatch.members.tests.factories import (
    FacilitatorFactory,
    MembershipFactory,
    OrganisationFactory,
)

from .. import services
from ..models import Kind, Listing, Status
from ..validation import ListingData

NEEDS = [
    {
        "title": "Training for patent examiners in pharmaceutical inventions",
        "summary": "Our IP office needs a two-week training course for ten patent examiners on "
        "the examination of pharmaceutical and biotechnology applications.",
        "description": "The office receives a growing number of pharmaceutical applications "
        "and has no examiner specialised in the field. We look for a course covering novelty, "
        "inventive step and the use of flexibilities under the TRIPS Agreement, ideally with "
        "practical exercises on real files.",
        "themes": ["public-health"],
        "ip_areas": ["patents"],
        "assistance_types": ["training"],
        "sdg_goals": [3],
    },
    {
        "title": "Registering a geographical indication for shade-grown coffee",
        "summary": "A cooperative of coffee farmers seeks advice to register a geographical "
        "indication and set up its control system.",
        "description": "Two thousand smallholder farmers grow coffee under shade trees in the "
        "highlands. They want to protect the name of their region, draft the product "
        "specification and organise inspections that the farmers can afford.",
        "themes": ["food-security-agriculture"],
        "ip_areas": ["geographical-indications"],
        "assistance_types": ["expert-advice", "legislative-advice"],
        "sdg_goals": [2, 8],
    },
    {
        "title": "Collective management for musicians and film makers",
        "summary": "A young copyright office asks for help to set up a collective management "
        "organisation for music and audiovisual works.",
        "description": "Local artists are not paid when their works are broadcast. The office "
        "needs advice on the legal framework, tariffs, distribution rules and the IT system "
        "of a collective management organisation.",
        "themes": ["creative-industries"],
        "ip_areas": ["copyright"],
        "assistance_types": ["legislative-advice", "it-infrastructure"],
        "sdg_goals": [8],
    },
    {
        "title": "Technology transfer office for a public university",
        "summary": "A university wants to create a technology transfer office and an IP policy "
        "to license its research on solar drying of crops.",
        "description": "Researchers have developed low-cost solar dryers for grain and fruit. "
        "The university has no IP policy and no staff trained in licensing. We seek mentoring "
        "for two staff members and a model IP policy.",
        "themes": ["green-innovation", "ip-management"],
        "ip_areas": ["patents", "ip-commercialization"],
        "assistance_types": ["mentoring", "technology-transfer"],
        "sdg_goals": [7, 9],
    },
]

OFFERS = [
    {
        "title": "Online course on patent examination practice",
        "summary": "We offer places in our twelve-week online course on patent search and "
        "examination, with tutors who are senior examiners.",
        "description": "The course covers search strategies, novelty and inventive step, "
        "clarity of claims and the examination of biotechnology and pharmaceutical inventions. "
        "Participants work on real cases with a tutor and receive a certificate.",
        "themes": ["public-health", "ip-management"],
        "ip_areas": ["patents"],
        "assistance_types": ["training"],
        "resource_types": ["technical", "human"],
        "sdg_goals": [3, 4],
    },
    {
        "title": "Experts in geographical indications for agricultural products",
        "summary": "Our institute can send experts to help producer groups register and manage "
        "geographical indications and collective marks.",
        "description": "Our experts have supported producers of coffee, cocoa, rice and honey. "
        "They help draft product specifications, set up control plans and build the marketing "
        "of origin products.",
        "themes": ["food-security-agriculture"],
        "ip_areas": ["geographical-indications", "trademarks"],
        "assistance_types": ["expert-advice"],
        "resource_types": ["human"],
        "sdg_goals": [2],
    },
    {
        "title": "Grants for green technology licensing projects",
        "summary": "Our foundation funds projects that license clean-energy and climate "
        "adaptation technologies to companies in developing countries.",
        "description": "Grants cover licensing negotiations, technical adaptation and training "
        "of the licensee's staff. Projects must involve a technology holder and a company or "
        "university in a developing country.",
        "themes": ["green-innovation"],
        "ip_areas": ["ip-commercialization"],
        "assistance_types": ["funding", "technology-transfer"],
        "resource_types": ["financial"],
        "budget_min": 20000,
        "budget_max": 150000,
        "budget_currency": "USD",
        "sdg_goals": [7, 13],
    },
]

# A French need and an English offer that answer each other (same theme, IP area, assistance and
# languages): the pair the suggestion tests and journeys publish.
PATENT_TRAINING_NEED = {
    "title": "Formation des examinateurs de brevets pharmaceutiques",
    "summary": "Notre office a besoin d'une formation pour dix examinateurs de brevets.",
    "description": "Nous recevons de plus en plus de demandes de brevets sur des médicaments "
    "et cherchons une formation pratique sur la nouveauté et l'activité inventive.",
    "language": "fr",
    "themes": ["public-health"],
    "ip_areas": ["patents"],
    "assistance_types": ["training"],
    "delivery_languages": ["fr", "en"],
}
PATENT_COURSE_OFFER = {
    "title": "Online course on patent examination of medicines",
    "summary": "Places in our online course on the examination of pharmaceutical patents.",
    "description": "Senior examiners teach novelty, inventive step and the examination of "
    "pharmaceutical inventions, with exercises on real files.",
    "language": "en",
    "themes": ["public-health"],
    "ip_areas": ["patents"],
    "assistance_types": ["training"],
    "resource_types": ["human"],
    "delivery_languages": ["en", "fr"],
}


_FACILITATOR_EMAIL = "listing-factory-facilitator@wipo.example.org"


def factory_facilitator():
    """The facilitator who publishes the listings the factories make (created once)."""
    from wipomatch.members.models import User

    user = User.objects.filter(email=_FACILITATOR_EMAIL).first()
    return user or FacilitatorFactory(email=_FACILITATOR_EMAIL)


def _member_of(organisation):
    membership = Membership.objects.filter(organisation=organisation).select_related("user").first()
    return membership.user if membership else MembershipFactory(organisation=organisation).user


def publish(listing: Listing, facilitator=None) -> Listing:
    """Submit (if needed) and publish a listing through the services."""
    author = listing.created_by or _member_of(listing.organisation)
    if listing.status in (Status.DRAFT, Status.CHANGES_REQUESTED):
        services.listing_submit(user=author, listing=listing)
    services.listing_publish(facilitator=facilitator or factory_facilitator(), listing=listing)
    listing.refresh_from_db()
    return listing


def move_to(listing: Listing, status: str, facilitator=None) -> Listing:
    """Bring a fresh draft to `status` the way people would."""
    author = listing.created_by
    if status == Status.DRAFT:
        return listing
    if status != Status.SUBMITTED:
        facilitator = facilitator or factory_facilitator()
    if status == Status.SUBMITTED:
        services.listing_submit(user=author, listing=listing)
    elif status == Status.CHANGES_REQUESTED:
        services.listing_submit(user=author, listing=listing)
        services.listing_request_changes(
            facilitator=facilitator, listing=listing, comment="Please name the target group."
        )
    elif status == Status.REJECTED:
        services.listing_submit(user=author, listing=listing)
        services.listing_reject(
            facilitator=facilitator, listing=listing, reason="This is not IP-related assistance."
        )
    elif status == Status.PUBLISHED:
        publish(listing, facilitator)
    elif status == Status.CLOSED:
        publish(listing, facilitator)
        services.listing_close(user=author, listing=listing, reason="fulfilled")
    elif status == Status.EXPIRED:
        publish(listing, facilitator)
        # Expiry runs through the periodic job: move this listing's end into the past first.
        past = timezone.now() - timedelta(days=1)
        Listing.objects.filter(pk=listing.pk).update(expires_at=past)
        services.listings_expire_due(now=past)
    else:
        raise ValueError(f"unknown status {status!r}")
    listing.refresh_from_db()
    return listing


def _sample_list(field: str):
    """A fresh copy of one list of the factory's current sample (NEEDS or OFFERS)."""
    return factory.LazyAttribute(lambda o: list(o.sample[field]))


class _ListingFactory(factory.django.DjangoModelFactory):
    """Keyword arguments: the fields of ListingData, plus `organisation`, `user` (a member of it;
    created when missing), `status` and `facilitator` (who publishes or reviews). The texts and
    vocabularies come from the subclass's `sample` parameter."""

    class Meta:
        model = Listing
        abstract = True

    organisation = factory.SubFactory(OrganisationFactory)
    language = "en"
    status = Status.DRAFT
    title = factory.LazyAttribute(lambda o: o.sample["title"])
    summary = factory.LazyAttribute(lambda o: o.sample["summary"])
    description = factory.LazyAttribute(lambda o: o.sample["description"])
    themes = _sample_list("themes")
    ip_areas = _sample_list("ip_areas")
    assistance_types = _sample_list("assistance_types")
    sdg_goals = _sample_list("sdg_goals")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kind = kwargs.pop("kind")
        organisation = kwargs.pop("organisation")
        user = kwargs.pop("user", None) or MembershipFactory(organisation=organisation).user
        status = kwargs.pop("status", Status.DRAFT)
        facilitator = kwargs.pop("facilitator", None)
        data = ListingData(**kwargs)
        listing = services.listing_create(
            user=user, organisation=organisation, kind=kind, data=data
        )
        return move_to(listing, status, facilitator)


class NeedFactory(_ListingFactory):
    class Params:
        sample = factory.Iterator(NEEDS)

    kind = Kind.NEED
    modalities = factory.LazyFunction(lambda: ["south-south"])
    delivery_languages = factory.LazyFunction(lambda: ["en", "fr"])


class OfferFactory(_ListingFactory):
    class Params:
        sample = factory.Iterator(OFFERS)

    kind = Kind.OFFER
    resource_types = _sample_list("resource_types")
    modalities = factory.LazyFunction(lambda: ["south-south", "triangular"])
    delivery_languages = factory.LazyFunction(lambda: ["en", "es"])
    # A budget only goes with an offer of financial resources.
    budget_min = factory.LazyAttribute(
        lambda o: o.sample.get("budget_min") if "financial" in o.resource_types else None
    )
    budget_max = factory.LazyAttribute(
        lambda o: o.sample.get("budget_max") if "financial" in o.resource_types else None
    )
    budget_currency = factory.LazyAttribute(
        lambda o: o.sample.get("budget_currency", "") if o.budget_min is not None else ""
    )


def listing_data(kind: str = Kind.NEED, **changes) -> ListingData:
    """Valid input for `listing_create`, as a member would type it, with some values changed."""
    sample = dict((NEEDS if kind == Kind.NEED else OFFERS)[0])
    sample.update(modalities=["south-south"], delivery_languages=["en"], language="en")
    sample.update(changes)
    return ListingData(**sample)
