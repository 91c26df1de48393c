"""Exports open with csv / openpyxl and hold the rows of the list page's current filters."""

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from wipomatch.listings.tests.factories import NeedFactory, OfferFactory
from wipomatch.members.models import Organisation
from wipomatch.members.tests.factories import FacilitatorFactory, OrganisationFactory, country

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    staff = FacilitatorFactory()
    kenya = OrganisationFactory(name="Kenya Institute", country=country("KE"), org_type="academia")
    peru = OrganisationFactory(name="=HYPERLINK(evil)", country=country("PE"), org_type="ngo")
    OrganisationFactory(name="Pending Office", status=Organisation.Status.PENDING, approved_at=None)
    common = {"status": "published", "facilitator": staff}
    NeedFactory(organisation=kenya, title="Health need", themes=["public-health"], **common)
    NeedFactory(organisation=peru, title="Green need", themes=["green-innovation"], **common)
    NeedFactory(organisation=kenya, title="Draft need")
    OfferFactory(organisation=peru, title="Green offer", themes=["green-innovation"], **common)
    return {"kenya": kenya, "peru": peru}


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def read_xlsx(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


def test_needs_csv_honours_the_browse_filters(catalogue):
    response = Client().get("/en/insights/exports/needs/csv/", {"theme": "public-health"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:2] == ["ID", "Title"]
    assert [r[1] for r in rows[1:]] == ["Health need"]


def test_needs_xlsx_without_filters_has_every_published_need(catalogue):
    rows = read_xlsx(Client().get("/en/insights/exports/needs/xlsx/"))
    assert sorted(r[1] for r in rows[1:]) == ["Green need", "Health need"]


def test_needs_export_by_organisation_type_and_region(catalogue):
    rows = read_csv(Client().get("/en/insights/exports/needs/csv/", {"org_type": "ngo"}))
    assert [r[1] for r in rows[1:]] == ["Green need"]


def test_offers_export(catalogue):
    rows = read_xlsx(Client().get("/en/insights/exports/offers/xlsx/"))
    assert [r[1] for r in rows[1:]] == ["Green offer"]


def test_organisations_export_has_public_fields_only(catalogue):
    rows = read_csv(Client().get("/en/insights/exports/organisations/csv/", {"country": "KE"}))
    assert [r[1] for r in rows[1:]] == ["Kenya Institute"]
    flat = " ".join(" ".join(r) for r in rows)
    assert "@" not in flat  # no contact e-mail
    everyone = read_xlsx(Client().get("/en/insights/exports/organisations/xlsx/"))
    names = {r[1] for r in everyone[1:]}
    assert "Pending Office" not in names


def test_cells_that_look_like_formulas_are_quoted(catalogue):
    rows = read_csv(Client().get("/en/insights/exports/organisations/csv/", {"country": "PE"}))
    assert rows[1][1] == "'=HYPERLINK(evil)"


def test_measures_export_in_both_formats(catalogue):
    params = {"from": "2020-01-01", "to": "2030-12-31", "theme": "green-innovation"}
    rows = dict(read_csv(Client().get("/en/insights/exports/measures/csv/", params))[1:])
    assert rows["funnel.published_needs"] == "1"
    assert rows["funnel.published_offers"] == "1"
    assert rows["period.from"] == "2020-01-01"
    xrows = dict(read_xlsx(Client().get("/en/insights/exports/measures/xlsx/", params))[1:])
    assert xrows["funnel.published_needs"] == 1


def test_unknown_dataset_or_format_is_404():
    assert Client().get("/en/insights/exports/users/csv/").status_code == 404
    assert Client().get("/en/insights/exports/needs/pdf/").status_code == 404


def test_text_search_export_matches_the_search_results(catalogue):
    rows = read_csv(Client().get("/en/insights/exports/needs/csv/", {"q": "Green"}))
    assert [r[1] for r in rows[1:]] == ["Green need"]


def test_list_pages_link_to_their_export_with_the_current_filters(catalogue):
    body = Client().get("/en/needs/", {"theme": "public-health", "page": "1"}).content.decode()
    assert "/en/insights/exports/needs/csv/?theme=public-health" in body
    assert "/en/insights/exports/needs/xlsx/?theme=public-health" in body
    offers = Client().get("/en/offers/").content.decode()
    assert "/en/insights/exports/offers/csv/" in offers
    directory = Client().get("/en/members/", {"country": "KE"}).content.decode()
    assert "/en/insights/exports/organisations/csv/?country=KE" in directory


# --- Initiatives and cases ----------------------------------------------------------------------


@pytest.fixture
def cases(catalogue):
    from wipomatch.brokering import services as brokering
    from wipomatch.listings.models import Listing
    from wipomatch.members.tests.factories import FocalPointFactory

    staff = FacilitatorFactory()
    kenya_person = FocalPointFactory(organisation=catalogue["kenya"]).user
    peru_person = FocalPointFactory(organisation=catalogue["peru"]).user
    need = Listing.objects.get(title="Health need")
    offer = Listing.objects.get(title="Green offer")
    case = brokering.match_express_interest(
        user=peru_person, need=need, offer=offer, message="Secret message to Kenya."
    )
    return {"staff": staff, "case": case, "kenya_person": kenya_person}


def test_public_cases_export_is_anonymised(cases):
    rows = read_csv(Client().get("/en/insights/exports/cases/csv/"))
    assert len(rows) == 2
    flat = " ".join(" ".join(r) for r in rows)
    for secret in ("Secret message", "Kenya Institute", "HYPERLINK", "Health need", "@"):
        assert secret not in flat
    assert rows[1][0] == str(cases["case"].pk)
    assert "KE" in rows[1] and "PE" in rows[1]


def test_facilitator_cases_export_is_complete_and_filtered(cases):
    client = Client()
    client.force_login(cases["staff"])
    rows = read_xlsx(client.get("/en/insights/exports/cases/xlsx/"))
    assert "Health need" in rows[1] and "Kenya Institute" in rows[1]
    none = read_xlsx(client.get("/en/insights/exports/cases/xlsx/", {"state": "agreement"}))
    assert len(none) == 1  # the header only
    open_ = read_csv(client.get("/en/insights/exports/cases/csv/", {"state": "interest"}))
    assert len(open_) == 2
    by_country = read_csv(client.get("/en/insights/exports/cases/csv/", {"country": "PE"}))
    assert len(by_country) == 2


def test_member_gets_the_anonymised_cases_export(cases):
    client = Client()
    client.force_login(cases["kenya_person"])
    flat = " ".join(" ".join(r) for r in read_csv(client.get("/en/insights/exports/cases/csv/")))
    assert "Kenya Institute" not in flat


def test_initiatives_export_honours_the_directory_filters(catalogue):
    from wipomatch.cooperation.tests.factories import initiative_team, make_initiative

    team = initiative_team("BR")
    make_initiative(team, published=True, title="Published initiative")
    make_initiative(team, title="Draft initiative")
    rows = read_csv(Client().get("/en/insights/exports/initiatives/csv/"))
    assert [r[1] for r in rows[1:]] == ["Published initiative"]
    rows = read_xlsx(
        Client().get("/en/insights/exports/initiatives/xlsx/", {"modality": "triangular"})
    )
    assert len(rows) == 1  # south-south only: nothing matches
    links = Client().get("/en/initiatives/", {"modality": "south-south"}).content.decode()
    assert "/en/insights/exports/initiatives/csv/?modality=south-south" in links
