"""The needs and offers pages as people use them: browsing and searching, details, writing,
the lifecycle buttons, my listings, the validation queue, and the theme and country pages."""

import re
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from wipomatch.core.audit import audit_trail_for
from wipomatch.core.tests.helpers import (
    assert_history_restore_gets_the_whole_page,
    client_for,
    count_queries,
    text,
)
from wipomatch.members.models import Membership, Organisation
from wipomatch.members.tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    FocalPointFactory,
    MembershipFactory,
    OrganisationFactory,
    country,
)

from .. import services
from ..models import Listing, Status
from ..permissions import listing_allowed_actions
from ..search import clear_search_cache
from .factories import NeedFactory, OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_and_fresh_search(settings):
    """Start every test with an empty search cache and the fast embedder (in English: the
    project's conftest.py)."""
    settings.LISTING_EMBEDDER = "hashing"
    clear_search_cache()
    yield
    clear_search_cache()


@pytest.fixture
def org():
    return OrganisationFactory(name="Kenya Industrial Property Institute", country=country("KE"))


@pytest.fixture
def member(org):
    return MembershipFactory(organisation=org, role=Membership.Role.CONTRIBUTOR).user


@pytest.fixture
def facilitator():
    return FacilitatorFactory(email="facilitator@wipo.example.org")


def titles(response) -> set[str]:
    return {listing.title for listing in response.context["listings"]}


# --- Browsing -----------------------------------------------------------------------------------


@pytest.fixture
def catalogue(facilitator):
    """Published needs of three organisations, and listings that must never show."""
    kenya = OrganisationFactory(country=country("KE"), org_type="ip-office")
    senegal = OrganisationFactory(country=country("SN"), org_type="academia")
    peru = OrganisationFactory(country=country("PE"), org_type="ngo")
    common = {"status": Status.PUBLISHED, "facilitator": facilitator}
    NeedFactory(
        organisation=kenya,
        title="Examiner training",
        summary="Patent examiners need training on pharmaceutical inventions.",
        description="Ten examiners of the office will examine medicines patents.",
        themes=["public-health"],
        ip_areas=["patents"],
        assistance_types=["training"],
        modalities=["south-south"],
        language="en",
        delivery_languages=["en", "fr"],
        **common,
    )
    NeedFactory(
        organisation=senegal,
        title="Coffee origin",
        summary="Farmers want to protect the name of their coffee.",
        description="A cooperative of coffee farmers seeks advice on a geographical indication.",
        themes=["food-security-agriculture"],
        ip_areas=["geographical-indications"],
        assistance_types=["expert-advice"],
        modalities=["north-south"],
        countries=["SN", "ML"],
        language="fr",
        delivery_languages=["fr"],
        **common,
    )
    NeedFactory(
        organisation=peru,
        title="Music collecting society",
        summary="Musicians and film makers want a collective management organisation.",
        description="The copyright office needs advice on tariffs and distribution rules.",
        themes=["creative-industries"],
        ip_areas=["copyright"],
        assistance_types=["legislative-advice"],
        modalities=["triangular"],
        language="es",
        delivery_languages=["es"],
        **common,
    )
    NeedFactory(
        organisation=kenya,
        title="University licensing office",
        summary="A university wants a technology transfer office.",
        description="Researchers developed solar dryers; the university needs an IP policy.",
        themes=["green-innovation", "ip-management"],
        ip_areas=["ip-commercialization"],
        assistance_types=["mentoring"],
        modalities=["south-south"],
        language="en",
        delivery_languages=["en"],
        **common,
    )
    NeedFactory(organisation=kenya, title="Hidden draft")
    NeedFactory(organisation=kenya, title="Hidden submission", status=Status.SUBMITTED)
    NeedFactory(organisation=kenya, title="Hidden closed", status=Status.CLOSED)
    OfferFactory(
        organisation=kenya, title="An offer, not a need", themes=["public-health"], **common
    )


ALL_NEEDS = {"Examiner training", "Coffee origin", "Music collecting society"} | {
    "University licensing office"
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ALL_NEEDS),
        ({"theme": "public-health"}, {"Examiner training"}),
        (
            {"theme": ["green-innovation", "ip-management"]},
            {"University licensing office"},
        ),
        ({"ip_area": "copyright"}, {"Music collecting society"}),
        ({"assistance_type": "expert-advice"}, {"Coffee origin"}),
        ({"modality": "triangular"}, {"Music collecting society"}),
        ({"country": "ML"}, {"Coffee origin"}),
        ({"country": "ke"}, {"Examiner training", "University licensing office"}),
        ({"region": "002"}, ALL_NEEDS - {"Music collecting society"}),  # Africa
        ({"region": "419"}, {"Music collecting society"}),  # Latin America and the Caribbean
        ({"ldc": "1"}, {"Coffee origin"}),  # Senegal and Mali
        ({"language": "es"}, {"Music collecting society"}),
        ({"language": "fr"}, {"Examiner training", "Coffee origin"}),
        ({"org_type": "academia"}, {"Coffee origin"}),
        ({"theme": "public-health", "country": "SN"}, set()),
        # Stale or forged values are ignored, never a 500.
        ({"theme": "no-such-theme", "country": "ZZ", "sort": "weird", "page": "x"}, ALL_NEEDS),
    ],
)
def test_needs_filters(catalogue, query, expected):
    response = client_for().get(reverse("listings:need_list"), query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_offers_filter_by_resource_type(facilitator):
    OfferFactory(
        title="Grants",
        resource_types=["financial"],
        budget_min=10,
        budget_max=20,
        budget_currency="USD",
        status=Status.PUBLISHED,
    )
    OfferFactory(title="Experts", resource_types=["human"], status=Status.PUBLISHED)
    client = client_for()
    response = client.get(reverse("listings:offer_list"), {"resource_type": "financial"})
    assert titles(response) == {"Grants"}
    assert 'name="resource_type"' in text(response)
    needs = client.get(reverse("listings:need_list"))
    assert 'name="resource_type"' not in text(needs)


def test_facets_show_counts_and_keep_what_is_chosen(catalogue):
    response = client_for().get(reverse("listings:need_list"), {"region": "002"})
    body = text(response)
    assert 'id="f-theme-public-health">' in body  # offered, not chosen
    assert re.search(r"IP and public health\s*<span[^>]*>\(1\)</span>", body)
    assert "Creative industries" not in body  # no result in Africa has it
    assert re.search(r'<option value="002" selected>Africa \(3\)</option>', body)
    assert '<option value="KE">Kenya (2)</option>' in body
    assert '<option value="PE">' not in body  # no result there, so not offered
    assert re.search(r"Least developed countries only\s*<span[^>]*>\(1\)</span>", body)
    assert '<option value="ip-office">' in body  # organisation types with their counts
    chosen = client_for().get(reverse("listings:need_list"), {"theme": "public-health"})
    assert 'value="public-health" id="f-theme-public-health" checked' in text(chosen)
    # the other themes stay on offer with what ticking them as well would give
    assert re.search(r"Creative industries\s*<span[^>]*>\(1\)</span>", text(chosen))
    assert re.search(r"Green innovation\s*<span[^>]*>\(1\)</span>", text(chosen))


def test_sorting_by_newest_and_by_expiry(facilitator):
    first = NeedFactory(title="First", status=Status.PUBLISHED)
    second = NeedFactory(title="Second", status=Status.PUBLISHED)
    Listing.objects.filter(pk=second.pk).update(expires_at=first.expires_at.replace(year=2026))
    client = client_for()
    newest = client.get(reverse("listings:need_list"), {"sort": "newest"})
    assert [x.title for x in newest.context["listings"]] == ["Second", "First"]
    expiring = client.get(reverse("listings:need_list"), {"sort": "expiring"})
    assert [x.title for x in expiring.context["listings"]] == ["Second", "First"]
    Listing.objects.filter(pk=first.pk).update(expires_at=first.expires_at.replace(year=2026))
    Listing.objects.filter(pk=second.pk).update(expires_at=first.expires_at)
    expiring = client.get(reverse("listings:need_list"), {"sort": "expiring"})
    assert [x.title for x in expiring.context["listings"]] == ["First", "Second"]


def test_text_search_finds_by_words_and_says_when_nothing_matches(catalogue, on_commit):
    with on_commit():
        # the embeddings are computed after commit, as in production
        for listing in Listing.objects.all():
            listing.save(update_fields=["updated_at"])
    client = client_for()
    response = client.get(reverse("listings:need_list"), {"q": "coffee farmers"})
    assert "Coffee origin" in titles(response)
    assert "Music collecting society" not in titles(response)
    assert 'value="coffee farmers"' in text(response)
    nothing = client.get(reverse("listings:need_list"), {"q": "xylophone quasar"})
    assert titles(nothing) == set()
    assert "No need matches this search and these filters." in text(nothing)


def test_browse_pages_paginate_by_20_and_page_links_keep_every_filter(facilitator):
    kenya = OrganisationFactory(country=country("KE"))
    for i in range(45):
        NeedFactory(
            organisation=kenya,
            title=f"Kenyan need {i:02d}",
            themes=["public-health"],
            status=Status.PUBLISHED,
            facilitator=facilitator,
        )
    NeedFactory(title="Senegalese need", status=Status.PUBLISHED, facilitator=facilitator)
    client = client_for()
    query = {"country": "KE", "theme": "public-health", "sort": "newest"}
    response = client.get(reverse("listings:need_list"), query)
    assert len(response.context["listings"]) == 20
    assert "45 needs found" in text(response) and "page 1 of 3" in text(response)
    link = re.search(r'href="([^"]*page=3[^"]*)"', text(response)).group(1).replace("&amp;", "&")
    for part in ("country=KE", "theme=public-health", "sort=newest"):
        assert part in link
    last = client.get(link)
    names = [x.title for x in last.context["listings"]]
    assert len(names) == 5 and all(n.startswith("Kenyan") for n in names)
    assert 'hx-get="' in text(response) and 'hx-target="#browse-results"' in text(response)


def test_empty_states(db):
    client = client_for()
    assert "No need has been published yet." in text(client.get(reverse("listings:need_list")))
    assert "No offer has been published yet." in text(client.get(reverse("listings:offer_list")))
    filtered = client.get(reverse("listings:offer_list"), {"theme": "public-health"})
    assert "0 offers found" in text(filtered)


def test_the_search_form_updates_results_and_facets_through_htmx(catalogue):
    client = client_for()
    full = text(client.get(reverse("listings:need_list")))
    form = re.search(r'<form[^>]*id="browse-form"[^>]*>', full).group(0)
    assert 'hx-get="/en/needs/"' in form
    assert 'hx-trigger="change, submit"' in form
    assert 'hx-target="#browse-results"' in form
    assert 'hx-push-url="true"' in form
    assert '<div id="browse-results">' in full

    partial = client.get(
        reverse("listings:need_list"), {"theme": "public-health"}, HTTP_HX_REQUEST="true"
    )
    body = text(partial)
    assert "<html" not in body and "<nav" not in body.split("pagination")[0]
    assert 'id="filters-heading"' in body  # the facets come back with their new counts
    assert "1 need found" in body
    assert "HX-Request" in partial["Vary"]
    assert_history_restore_gets_the_whole_page(client, reverse("listings:need_list"))


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_list_pages_run_the_same_queries_whatever_the_number_of_listings(
    facilitator, member, who, django_assert_max_num_queries
):
    client = client_for(member if who == "member" else None)
    kinds = (("need_list", NeedFactory), ("offer_list", OfferFactory))

    def make(count):
        for _ in range(count):
            for _name, factory in kinds:
                factory(status=Status.PUBLISHED, facilitator=facilitator, countries=["KE", "SN"])

    make(5)
    for name, _factory in kinds:  # the first search of a process loads its index
        client.get(reverse(f"listings:{name}"))
    few = {name: count_queries(client, reverse(f"listings:{name}")) for name, _f in kinds}
    make(35)
    for name, _factory in kinds:
        url = reverse(f"listings:{name}")
        client.get(url)  # the index catches up with the new listings once
        with django_assert_max_num_queries(few[name]):
            response = client.get(url)
        assert len(response.context["listings"]) == 20
        assert count_queries(client, url, HTTP_HX_REQUEST="true") <= few[name]
        assert few[name] <= 16


# --- Details ------------------------------------------------------------------------------------


@pytest.fixture
def published_need(org, member, facilitator):
    return NeedFactory(
        organisation=org,
        user=member,
        title="Examiner training",
        summary="A public summary anyone can read.",
        description="The confidential description for members only.",
        themes=["public-health"],
        sdg_goals=[3],
        status=Status.PUBLISHED,
        facilitator=facilitator,
    )


def test_visitors_see_the_public_summary_and_an_invitation_to_join(published_need):
    for user in (None, ApplicationFactory().applicant):
        body = text(client_for(user).get(reverse("listings:need_detail", args=[published_need.pk])))
        assert "Examiner training" in body and "A public summary anyone can read." in body
        assert "Kenya Industrial Property Institute" in body
        assert "IP and public health" in body
        assert "The confidential description" not in body
        assert "See the full details" in body
        assert "History of the listing" not in body


def test_members_see_the_full_details_but_never_contact_details(published_need):
    other_member = FocalPointFactory().user
    response = client_for(other_member).get(
        reverse("listings:need_detail", args=[published_need.pk])
    )
    body = text(response)
    assert "The confidential description for members only." in body
    assert "Good health and well-being" in body or "3. " in body  # SDG 3
    assert "See the full details" not in body
    contact = published_need.organisation.contact_email
    assert contact not in body
    for user in (None, other_member, published_need.created_by):
        listing_page = client_for(user).get(reverse("listings:need_list"))
        assert contact not in text(listing_page)
        assert published_need.created_by.email not in text(listing_page)


def test_the_owner_sees_status_actions_and_the_audit_trail(published_need, member):
    body = text(client_for(member).get(reverse("listings:need_detail", args=[published_need.pk])))
    assert "Manage this listing" in body
    assert reverse("listings:listing_edit", args=[published_need.pk]) in body
    assert reverse("listings:listing_renew", args=[published_need.pk]) in body
    assert reverse("listings:listing_close", args=[published_need.pk]) in body
    assert reverse("listings:listing_submit", args=[published_need.pk]) not in body
    assert "History of the listing" in body
    for step in ("Created", "Submitted for review", "Published"):
        assert f"<td>{step}</td>" in body
    assert member.display_name in body


def test_the_owner_reads_what_the_facilitator_asked_to_change(org, member, facilitator):
    need = NeedFactory(organisation=org, user=member, status=Status.CHANGES_REQUESTED)
    body = text(client_for(member).get(reverse("listings:need_detail", args=[need.pk])))
    assert "What the facilitator asks you to change" in body
    assert "Please name the target group." in body
    assert reverse("listings:listing_submit", args=[need.pk]) in body


def test_facilitators_get_a_review_link_on_submitted_listings(org, member, facilitator):
    need = NeedFactory(organisation=org, user=member, status=Status.SUBMITTED)
    body = text(client_for(facilitator).get(reverse("listings:need_detail", args=[need.pk])))
    assert reverse("listings:listing_review", args=[need.pk]) in body


def test_a_translated_title_is_shown_in_the_readers_language(org, member, facilitator):
    need = NeedFactory(
        organisation=org,
        user=member,
        title="Examiner training",
        translations={"fr": {"title": "Formation des examinateurs", "summary": "Résumé"}},
        status=Status.PUBLISHED,
    )
    url = reverse("listings:need_detail", args=[need.pk]).replace("/en/", "/fr/")
    body = text(client_for().get(url))
    assert '<h1 dir="auto" lang="fr">Formation des examinateurs</h1>' in body


# --- Writing ------------------------------------------------------------------------------------


def _need_post(**changes) -> dict:
    data = {
        "title": "Training for patent examiners",
        "summary": "Ten examiners need training in pharmaceutical patents.",
        "description": "Our office receives more and more pharmaceutical applications.",
        "language": "en",
        "themes": ["public-health"],
        "ip_areas": ["patents"],
        "assistance_types": ["training"],
        "modalities": ["south-south"],
        "countries": ["KE"],
        "delivery_languages": ["en", "fr"],
        "start_date": "2027-01-10",
        "end_date": "2027-03-31",
        "sdg_goals": ["3"],
        "sdg_targets": ["3.8"],
        "action": "draft",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _offer_post(**changes) -> dict:
    data = _need_post(
        title="Online course on patent examination",
        resource_types=["technical", "human"],
        coverage="worldwide",
    )
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_is_accessible_and_leaves_room_for_suggestions(member):
    body = text(client_for(member).get(reverse("listings:offer_create")))
    assert '<div id="tag-suggestions"' in body
    for legend in (
        "Thematic areas",
        "IP areas",
        "Types of assistance",
        "Resources offered",
        "Cooperation modalities accepted",
        "Languages of delivery",
        "Sustainable Development Goals",
    ):
        assert re.search(rf"<legend[^>]*>{legend}</legend>", body), legend
    for field_id in ("id_title", "id_summary", "id_description"):
        assert f'for="{field_id}"' in body
    # long lists are searchable checkboxes: the label names the filter box and the group
    for field_id in ("id_countries", "id_regions", "id_sdg_targets"):
        assert f'for="{field_id}_filter"' in body
        assert f'aria-labelledby="{field_id}_label"' in body
    assert "Ctrl" not in body
    assert "<details" in body and 'id="id_title_ar"' in body and 'lang="ar"' in body
    assert 'value="submit"' in body and 'value="draft"' in body
    assert "6. Clean water and sanitation" in body or re.search(r">6\. [^<]+<", body)


def test_the_language_of_a_new_listing_defaults_to_the_interface_language(member):
    url = reverse("listings:need_create").replace("/en/", "/fr/")
    form = client_for(member).get(url).context["form"]
    assert form["language"].value() == "fr"


def test_a_member_saves_a_draft_need(member, org):
    response = client_for(member).post(reverse("listings:need_create"), _need_post())
    need = Listing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("listings:need_detail", args=[need.pk])
    assert (need.kind, need.status, need.organisation, need.created_by) == (
        "need",
        Status.DRAFT,
        org,
        member,
    )
    assert need.themes == ["public-health"] and need.delivery_languages == ["en", "fr"]
    assert need.start_date == date(2027, 1, 10)
    assert [t.code for t in need.sdg_targets.all()] == ["3.8"]


def test_a_member_submits_a_new_offer_for_review_at_once(member, facilitator, on_commit):
    with on_commit():
        response = client_for(member).post(
            reverse("listings:offer_create"),
            _offer_post(
                action="submit",
                countries=["SN"],
                translations=None,
                title_fr="Cours en ligne",
                summary_fr="Un cours",
                title_en="Ignored: the listing is in English",
            ),
        )
    offer = Listing.objects.get()
    assert response.status_code == 302
    assert offer.status == Status.SUBMITTED
    assert offer.worldwide and not offer.countries.exists()  # worldwide wins
    assert offer.translations == {"fr": {"title": "Cours en ligne", "summary": "Un cours"}}
    assert any(facilitator.email in m.to for m in mail.outbox)


def test_an_offer_for_chosen_places_needs_at_least_one(member):
    response = client_for(member).post(
        reverse("listings:offer_create"), _offer_post(coverage="chosen", countries=None)
    )
    assert response.status_code == 200
    assert "Choose at least one country or region" in text(response)
    offered = client_for(member).post(
        reverse("listings:offer_create"),
        _offer_post(coverage="chosen", countries=None, regions=["011"]),
    )
    assert offered.status_code == 302
    assert [r.code for r in Listing.objects.get().regions.all()] == ["011"]


@pytest.mark.parametrize(
    ("kind", "changes", "field", "message"),
    [
        ("need", {"themes": None}, "themes", "This field is required."),
        ("need", {"title": "x" * 201}, "title", "at most 200 characters"),
        ("need", {"description": "<script>x()</script>"}, "description", "This field is required."),
        (
            "need",
            {"start_date": "2027-05-01", "end_date": "2027-01-01"},
            "end_date",
            "The end date must be on or after the start date.",
        ),
        (
            "offer",
            {"budget_min": "5000", "budget_currency": "USD"},
            "budget_min",
            "A budget can only be given on an offer of financial resources.",
        ),
        ("need", {"countries": ["XX"]}, "countries", "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(
    member, kind, changes, field, message
):
    post = _need_post(**changes) if kind == "need" else _offer_post(**changes)
    response = client_for(member).post(reverse(f"listings:{kind}_create"), post)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert f'id="id_{field}_error"' in text(response)
    assert "Please correct the errors shown below." in text(response) or form.non_field_errors()
    assert not Listing.objects.exists()


def test_markup_is_stripped_from_what_a_member_types(member):
    client_for(member).post(
        reverse("listings:need_create"),
        _need_post(title="<b>Seed</b> banks<script>alert(1)</script>"),
    )
    assert Listing.objects.get().title == "Seed banks"


def test_people_outside_approved_organisations_are_told_how_to_join(db):
    applicant = ApplicationFactory().applicant
    response = client_for(applicant).get(reverse("listings:need_create"))
    assert response.status_code == 403
    assert "Only members can publish" in text(response)
    posted = client_for(applicant).post(reverse("listings:need_create"), _need_post())
    assert posted.status_code == 403 and not Listing.objects.exists()


def test_editing_shows_the_stored_values_and_keeps_a_published_listing_published(
    published_need, member
):
    client = client_for(member)
    url = reverse("listings:listing_edit", args=[published_need.pk])
    form = client.get(url).context["form"]
    assert form["title"].value() == "Examiner training"
    assert form["themes"].value() == ["public-health"]
    assert form["sdg_goals"].value() == [3]
    response = client.post(url, _need_post(title="Examiner training, 2027", action="save"))
    assert response.status_code == 302
    published_need.refresh_from_db()
    # The change waits for a facilitator; the published version stays as it was.
    assert published_need.title == "Examiner training"
    assert published_need.status == Status.PUBLISHED
    assert audit_trail_for(published_need).order_by("-id").first().action == "revision_proposed"
    # the substantive fields wait for review; the dates and languages change at once
    fields = services.pending_revision_of(published_need).fields
    assert "title" in fields and "summary" in fields
    assert not {"start_date", "end_date", "delivery_languages"} & set(fields)
    assert str(published_need.start_date) == "2027-01-10"
    page = client.get(published_need.get_absolute_url()).content.decode()
    assert "Changes awaiting review" in page
    assert client.get(url).context["form"]["title"].value() == "Examiner training, 2027"


def test_changing_only_the_title_in_the_form_proposes_only_the_title(published_need, member):
    client = client_for(member)
    url = reverse("listings:listing_edit", args=[published_need.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v not in (None, "", [])}
    data.update(title="Examiner training, 2027", action="save")
    assert client.post(url, data).status_code == 302
    assert services.pending_revision_of(published_need).fields == ["title"]


def test_editing_a_draft_and_submitting_it(org, member):
    need = NeedFactory(organisation=org, user=member)
    response = client_for(member).post(
        reverse("listings:listing_edit", args=[need.pk]), _need_post(action="submit")
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == Status.SUBMITTED and need.title == "Training for patent examiners"


def test_a_listing_under_review_cannot_be_edited_by_its_owner(org, member):
    need = NeedFactory(organisation=org, user=member, status=Status.SUBMITTED)
    client = client_for(member)
    response = client.get(reverse("listings:listing_edit", args=[need.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("listings:need_detail", args=[need.pk])
    assert "This listing can no longer be edited." in text(response)


def test_an_invalid_edit_changes_nothing(published_need, member):
    response = client_for(member).post(
        reverse("listings:listing_edit", args=[published_need.pk]),
        _need_post(title="Changed", end_date="2026-01-01"),
    )
    assert response.status_code == 200
    published_need.refresh_from_db()
    assert published_need.title == "Examiner training"


# --- Lifecycle buttons --------------------------------------------------------------------------


def test_submitting_a_draft_from_its_page(org, member, facilitator, on_commit):
    need = NeedFactory(organisation=org, user=member)
    with on_commit():
        response = client_for(member).post(
            reverse("listings:listing_submit", args=[need.pk]), follow=True
        )
    need.refresh_from_db()
    assert need.status == Status.SUBMITTED
    assert "sent to a WIPO facilitator" in text(response)
    assert any(facilitator.email in m.to for m in mail.outbox)


def test_closing_asks_for_confirmation_and_a_reason(published_need, member):
    client = client_for(member)
    url = reverse("listings:listing_close", args=[published_need.pk])
    page = text(client.get(url))
    assert "Yes, close the listing" in page and 'value="fulfilled"' in page
    assert client.post(url, {}).status_code == 200
    published_need.refresh_from_db()
    assert published_need.status == Status.PUBLISHED
    response = client.post(url, {"reason": "fulfilled", "note": "KIPI helped us."})
    assert response.status_code == 302
    published_need.refresh_from_db()
    assert (published_need.status, published_need.closed_reason) == ("closed", "fulfilled")
    assert audit_trail_for(published_need).order_by("-id").first().reason == "KIPI helped us."


def test_renewing_in_one_click_from_my_listings(org, member):
    offer = OfferFactory(organisation=org, user=member, status=Status.EXPIRED)
    mine = reverse("listings:my_listings")
    response = client_for(member).post(
        reverse("listings:listing_renew", args=[offer.pk]), {"next": mine}
    )
    assert response["Location"] == mine
    offer.refresh_from_db()
    assert offer.status == Status.PUBLISHED
    unsafe = client_for(member).post(
        reverse("listings:listing_renew", args=[offer.pk]), {"next": "https://evil.example/"}
    )
    assert unsafe["Location"] == reverse("listings:offer_detail", args=[offer.pk])


def test_a_refused_action_says_why(org, member):
    need = NeedFactory(organisation=org, user=member)
    response = client_for(member).post(
        reverse("listings:listing_renew", args=[need.pk]), follow=True
    )
    assert "Only a published or expired listing can be renewed." in text(response)


# --- Review -------------------------------------------------------------------------------------


def test_the_facilitator_publishes_from_the_review_page(org, member, facilitator, on_commit):
    need = NeedFactory(organisation=org, user=member, status=Status.SUBMITTED)
    client = client_for(facilitator)
    url = reverse("listings:listing_review", args=[need.pk])
    page = text(client.get(url))
    assert "Record the decision" in page and need.description in page
    with on_commit():
        response = client.post(url, {"decision": "publish", "comment": ""})
    assert response["Location"] == reverse("listings:review_queue")
    need.refresh_from_db()
    assert need.status == Status.PUBLISHED
    assert any(member.email in m.to for m in mail.outbox)


@pytest.mark.parametrize(
    ("decision", "status", "needs"),
    [
        ("changes", Status.CHANGES_REQUESTED, "Say what should change."),
        ("reject", Status.REJECTED, "Give the reason for rejecting the listing."),
    ],
)
def test_asking_for_changes_or_rejecting_needs_a_comment(
    org, member, facilitator, decision, status, needs
):
    need = NeedFactory(organisation=org, user=member, status=Status.SUBMITTED)
    client = client_for(facilitator)
    url = reverse("listings:listing_review", args=[need.pk])
    response = client.post(url, {"decision": decision, "comment": ""})
    assert response.status_code == 200
    assert needs in response.context["form"].errors["comment"]
    need.refresh_from_db()
    assert need.status == Status.SUBMITTED
    client.post(url, {"decision": decision, "comment": "Name the beneficiaries."})
    need.refresh_from_db()
    assert need.status == status and need.review_comment == "Name the beneficiaries."


def test_the_validation_queue_lists_submissions_oldest_first(org, member, facilitator):
    first = NeedFactory(organisation=org, user=member, title="First in", status="submitted")
    second = OfferFactory(organisation=org, user=member, title="Second in", status="submitted")
    NeedFactory(organisation=org, user=member, title="A draft")
    response = client_for(facilitator).get(reverse("listings:review_queue"))
    assert [x.pk for x in response.context["listings"]] == [first.pk, second.pk]
    body = text(response)
    assert "A draft" not in body
    assert f'for="select-{first.pk}"' in body
    assert reverse("listings:listing_review", args=[second.pk]) in body


def test_bulk_publication_asks_for_confirmation_first(org, member, facilitator):
    chosen = [NeedFactory(organisation=org, user=member, status="submitted") for _ in range(2)]
    left = NeedFactory(organisation=org, user=member, title="Not chosen", status="submitted")
    client = client_for(facilitator)
    url = reverse("listings:review_queue")
    confirm = client.post(url, {"listings": [c.pk for c in chosen]})
    assert confirm.status_code == 200
    assert "Yes, publish them" in text(confirm)
    assert Listing.objects.filter(status=Status.PUBLISHED).count() == 0
    done = client.post(url, {"listings": [c.pk for c in chosen], "confirmed": "1"}, follow=True)
    assert "2 listings published." in text(done)
    assert set(Listing.objects.filter(status=Status.PUBLISHED).values_list("pk", flat=True)) == {
        c.pk for c in chosen
    }
    left.refresh_from_db()
    assert left.status == Status.SUBMITTED


def test_bulk_publication_without_a_selection_or_with_a_problem_says_so(facilitator):
    client = client_for(facilitator)
    empty = client.post(reverse("listings:review_queue"), {}, follow=True)
    assert "Select at least one listing to publish." in text(empty)
    suspended = OrganisationFactory()
    need = NeedFactory(organisation=suspended, title="Of a suspended member", status="submitted")
    Organisation.objects.filter(pk=suspended.pk).update(status=Organisation.Status.SUSPENDED)
    done = client.post(
        reverse("listings:review_queue"), {"listings": [need.pk], "confirmed": "1"}, follow=True
    )
    assert "Of a suspended member: The organisation is not an approved member." in text(done)


# --- My listings --------------------------------------------------------------------------------


def test_my_listings_shows_every_status_of_my_organisation_only(org, member, facilitator):
    for status in ("draft", "submitted", "published", "expired", "closed", "rejected"):
        NeedFactory(organisation=org, user=member, title=f"Mine {status}", status=status)
    NeedFactory(title="Someone else's", status=Status.PUBLISHED)
    response = client_for(member).get(reverse("listings:my_listings"))
    body = text(response)
    assert len(response.context["rows"]) == 6
    assert "Someone else's" not in body
    for label in ("Draft", "Submitted for review", "Published", "Expired", "Closed", "Rejected"):
        assert f">{label}</span>" in body
    published = Listing.objects.get(title="Mine published")
    expires = published.expires_at
    assert f"{expires.day} {expires.strftime('%b')} {expires.year}" in body  # written out
    assert reverse("listings:listing_renew", args=[published.pk]) in body


def test_my_listings_empty_states(member):
    body = text(client_for(member).get(reverse("listings:my_listings")))
    assert "Your organisation has no listing yet." in body
    assert reverse("listings:need_create") in body
    outsider = text(client_for(ApplicationFactory().applicant).get(reverse("listings:my_listings")))
    assert "Only members of an approved organisation can publish" in outsider


# --- Theme and country pages --------------------------------------------------------------------


def test_a_theme_page_gathers_needs_offers_and_members_of_the_theme(catalogue):
    OrganisationFactory(name="Green Hub", themes=["green-innovation"])
    response = client_for().get(reverse("web:theme_page", args=["green-innovation"]))
    body = text(response)
    assert "<h1>Green innovation</h1>" in body
    assert response.context["needs"]["count"] == 1
    assert [x.title for x in response.context["needs"]["latest"]] == ["University licensing office"]
    assert response.context["offers"]["count"] == 0
    assert "Green Hub" in body
    assert reverse("listings:need_list") + "?theme=green-innovation" in body
    assert reverse("members:directory") + "?theme=green-innovation" in body
    # the count is what the linked list shows
    linked = client_for().get(reverse("listings:need_list"), {"theme": "green-innovation"})
    assert linked.context["total"] == 1


def test_a_country_page_gathers_what_concerns_the_country(catalogue, facilitator):
    OfferFactory(title="Worldwide course", status=Status.PUBLISHED)
    OfferFactory(title="Only in Peru", countries=["PE"], status=Status.PUBLISHED)
    response = client_for().get(reverse("web:country_page", args=["sn"]))
    body = text(response)
    assert "<h1>Senegal</h1>" in body
    assert [x.title for x in response.context["needs"]["latest"]] == ["Coffee origin"]
    offers = {x.title for x in response.context["offers"]["latest"]}
    assert "Worldwide course" in offers and "Only in Peru" not in offers
    assert "Least developed country" in body
    assert reverse("listings:offer_list") + "?country=SN" in body
    linked = client_for().get(reverse("listings:offer_list"), {"country": "SN"})
    assert linked.context["total"] == response.context["offers"]["count"]


def test_pages_follow_the_language_of_the_interface(catalogue):
    with translation.override("fr"):
        country_url = reverse("web:country_page", args=["SN"])
    with translation.override("ar"):
        list_url = reverse("listings:need_list")
    assert "<h1>Sénégal</h1>" in text(client_for().get(country_url))
    body = text(client_for().get(list_url))
    assert 'dir="rtl"' in body and 'lang="ar"' in body


# --- Navigation ---------------------------------------------------------------------------------


def test_the_navigation_and_the_home_page_lead_to_the_listings(member, facilitator):
    visitor = text(client_for().get(reverse("web:home")))
    assert reverse("listings:need_list") in visitor and reverse("listings:offer_list") in visitor
    assert reverse("web:theme_page", args=["public-health"]) in visitor
    assert reverse("listings:my_listings") not in visitor
    assert reverse("listings:my_listings") in text(client_for(member).get(reverse("web:home")))
    assert reverse("listings:review_queue") not in text(client_for(member).get(reverse("web:home")))
    assert reverse("listings:review_queue") in text(
        client_for(facilitator).get(reverse("web:home"))
    )


# --- Admin --------------------------------------------------------------------------------------


def test_the_admin_shows_listings_read_only(published_need):
    from wipomatch.members.tests.factories import AdminFactory

    client = client_for(AdminFactory())
    changelist = client.get(reverse("admin:listings_listing_changelist"), {"q": "Examiner"})
    assert changelist.status_code == 200 and "Examiner training" in text(changelist)
    page = client.get(reverse("admin:listings_listing_change", args=[published_need.pk]))
    assert page.status_code == 200
    assert "IP and public health" in text(page) and "published" in text(page)
    assert client.get(reverse("admin:listings_listing_add")).status_code == 403
    delete = reverse("admin:listings_listing_delete", args=[published_need.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Listing.objects.filter(pk=published_need.pk).exists()


def test_my_listings_runs_the_same_few_queries_for_2_or_22_listings(
    org, member, django_assert_max_num_queries
):
    """One membership query for the whole page, not one permission query per row."""
    statuses = ("draft", "submitted", "published", "expired", "closed", "changes_requested")
    for number in range(2):
        NeedFactory(organisation=org, user=member, status=statuses[number])
    client = client_for(member)
    url = reverse("listings:my_listings")
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for number in range(20):
        OfferFactory(organisation=org, user=member, status=statuses[number % len(statuses)])
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 22
    assert len(two.captured_queries) <= 12


@pytest.mark.parametrize("status", ["draft", "submitted", "published", "expired", "closed"])
def test_my_listings_offers_exactly_what_the_services_allow(org, member, status):
    """The page shows the policy's actions; each one it shows, the service accepts."""
    listing = NeedFactory(organisation=org, user=member, status=status)
    row = client_for(member).get(reverse("listings:my_listings")).context["rows"][0]
    assert row["actions"] == listing_allowed_actions(member, listing)
    expected = {
        "draft": {"edit", "submit", "close"},
        "submitted": {"close"},
        "published": {"edit", "renew", "close"},
        "expired": {"edit", "renew", "close"},
        "closed": set(),
    }[status]
    assert {name for name, allowed in row["actions"].items() if allowed} == expected
