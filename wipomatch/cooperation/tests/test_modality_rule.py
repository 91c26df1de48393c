"""The modality rule on a truth table of party sets (pure Python, no database)."""

import pytest
from django.utils import translation

from wipomatch.cooperation.modality import (
    NORTH_SOUTH,
    OTHER,
    SOUTH_SOUTH,
    TRIANGULAR,
    PartyInput,
    Reason,
    derive_modality,
)

SOUTH = {"BR", "MZ", "IN", "KE", "SN", "CN", "BD", "ZA"}
NAMES = {"BR": "Brazil", "MZ": "Mozambique", "FR": "France", "JP": "Japan", "KE": "Kenya"}


def party(role, country=None, org_type="government", name=""):
    return PartyInput(
        role=role,
        organisation_type=org_type,
        country=country,
        southern=country in SOUTH,
        name=name,
    )


B, P, F, IP, X = "beneficiary", "provider", "funder", "implementing_partner", "facilitator"

# (label, parties as (role, country, type), expected modality, expected ppp)
TRUTH_TABLE = [
    ("south provider + south beneficiary", [(P, "BR"), (B, "MZ")], SOUTH_SOUTH, False),
    (
        "facilitator from the north does not count",
        [(P, "BR"), (B, "MZ"), (X, "FR")],
        SOUTH_SOUTH,
        False,
    ),
    (
        "IGO facilitator does not count",
        [(P, "IN"), (B, "KE"), (X, None, "igo")],
        SOUTH_SOUTH,
        False,
    ),
    ("southern funder only, south-south", [(F, "CN"), (B, "BD")], SOUTH_SOUTH, False),
    (
        "all southern, no beneficiary is still every party southern",
        [(P, "BR"), (P, "IN")],
        SOUTH_SOUTH,
        False,
    ),
    ("single southern beneficiary alone", [(B, "SN")], SOUTH_SOUTH, False),
    ("triangular with northern funder", [(P, "BR"), (B, "MZ"), (F, "JP")], TRIANGULAR, False),
    (
        "triangular with multilateral funder",
        [(P, "BR"), (B, "MZ"), (F, None, "igo")],
        TRIANGULAR,
        False,
    ),
    ("triangular with northern provider", [(IP, "IN"), (B, "KE"), (P, "FR")], TRIANGULAR, False),
    (
        "southern implementing partner + northern funder",
        [(IP, "ZA"), (B, "MZ"), (F, "JP")],
        TRIANGULAR,
        False,
    ),
    (
        "northern implementing partner is not support",
        [(P, "BR"), (B, "MZ"), (IP, "FR")],
        OTHER,
        False,
    ),
    ("north-south: northern provider", [(P, "FR"), (B, "MZ")], NORTH_SOUTH, False),
    ("north-south: northern funder only", [(F, "JP"), (B, "KE")], NORTH_SOUTH, False),
    ("north-south: multilateral provider", [(P, None, "igo"), (B, "SN")], NORTH_SOUTH, False),
    (
        "north-south: northern implementing partner serves",
        [(IP, "FR"), (B, "SN")],
        NORTH_SOUTH,
        False,
    ),
    ("north-south with a southern funder", [(P, "FR"), (B, "MZ"), (F, "CN")], NORTH_SOUTH, False),
    (
        "northern beneficiary besides a southern one, no server",
        [(B, "FR"), (B, "MZ")],
        OTHER,
        False,
    ),
    ("only northern parties", [(P, "FR"), (B, "JP")], OTHER, False),
    ("no beneficiary, mixed", [(P, "FR"), (P, "BR")], OTHER, False),
    ("no beneficiary, northern funder and southern provider", [(F, "JP"), (P, "BR")], OTHER, False),
    ("facilitators only", [(X, "BR"), (X, "FR")], OTHER, False),
    ("nobody", [], OTHER, False),
    ("IGO beneficiary is not southern", [(P, "BR"), (B, None, "igo")], OTHER, False),
    ("northern beneficiary, southern provider", [(P, "BR"), (B, "FR")], OTHER, False),
    (
        "southern provider without support, northern beneficiary besides",
        [(P, "BR"), (B, "MZ"), (B, "FR")],
        OTHER,
        False,
    ),
    (
        "ppp: public office and business",
        [(P, "BR", "ip-office"), (B, "MZ", "business")],
        SOUTH_SOUTH,
        True,
    ),
    (
        "ppp: igo and industry association",
        [(F, None, "igo"), (B, "KE", "industry-association")],
        NORTH_SOUTH,
        True,
    ),
    ("ppp type alone", [(P, "FR", "ppp"), (B, "MZ", "academia")], NORTH_SOUTH, True),
    ("ppp type alone, only northern", [(P, "FR", "ppp")], OTHER, True),
    (
        "public only is not ppp",
        [(P, "BR", "government"), (B, "MZ", "public-body")],
        SOUTH_SOUTH,
        False,
    ),
    (
        "private only is not ppp",
        [(P, "FR", "business"), (B, "MZ", "industry-association")],
        NORTH_SOUTH,
        False,
    ),
    (
        "academia + business is not ppp",
        [(P, "FR", "academia"), (B, "MZ", "business")],
        NORTH_SOUTH,
        False,
    ),
    (
        "a business facilitator does not make ppp",
        [(P, "BR", "government"), (B, "MZ", "government"), (X, "FR", "business")],
        SOUTH_SOUTH,
        False,
    ),
    (
        "a ppp facilitator does not make ppp",
        [(P, "BR"), (B, "MZ"), (X, "FR", "ppp")],
        SOUTH_SOUTH,
        False,
    ),
    (
        "ngo and foundation are neither sector",
        [(P, "FR", "ngo"), (B, "MZ", "foundation")],
        NORTH_SOUTH,
        False,
    ),
]


def _build(rows):
    return [party(*row) for row in rows]


@pytest.mark.parametrize(
    ("parties", "modality", "ppp"),
    [pytest.param(rows, modality, ppp, id=label) for label, rows, modality, ppp in TRUTH_TABLE],
)
def test_truth_table(parties, modality, ppp):
    result = derive_modality(_build(parties))
    assert (result.modality, result.ppp) == (modality, ppp)


def test_order_of_parties_does_not_matter():
    for _label, rows, modality, ppp in TRUTH_TABLE:
        result = derive_modality(list(reversed(_build(rows))))
        assert (result.modality, result.ppp) == (modality, ppp)


def test_reason_names_provider_and_beneficiary_in_english():
    result = derive_modality(_build([(P, "BR"), (B, "MZ"), (X, "FR")]))
    with translation.override("en"):
        text = result.reason.render(NAMES.get)
    assert text == (
        "south-south: the provider (Brazil) and the beneficiary (Mozambique) are in the Global South"
    )


def test_reason_of_triangular_names_the_supporter():
    result = derive_modality(_build([(P, "BR"), (B, "MZ"), (F, "JP")]))
    with translation.override("en"):
        text = result.reason.render(NAMES.get)
    assert text.startswith("triangular: the provider (Brazil) and the beneficiary (Mozambique)")
    assert "supported by the funder (Japan)" in text


def test_reason_names_an_igo_by_its_name():
    result = derive_modality([party(P, None, "igo", name="World Bank"), party(B, "MZ")])
    with translation.override("en"):
        text = result.reason.render(NAMES.get)
    assert result.modality == NORTH_SOUTH
    assert "the provider (World Bank)" in text


def test_reason_mentions_ppp():
    result = derive_modality(_build([(P, "BR", "ip-office"), (B, "MZ", "business")]))
    with translation.override("en"):
        text = result.reason.render(NAMES.get)
    assert "public-private" in text and "(Brazil)" in text


def test_reason_round_trips_as_json_and_renders_in_each_language():
    result = derive_modality(_build([(P, "BR"), (B, "MZ")]))
    stored = Reason.from_dict(result.reason.as_dict())
    assert stored == result.reason
    expected = {
        "fr": "sud-sud : le fournisseur (Brazil) et le bénéficiaire (Mozambique)",
        "es": "sur-sur: el proveedor (Brazil) y el beneficiario (Mozambique)",
        "ru": "Юг–Юг: поставщик (Brazil) и бенефициар (Mozambique)",
        "ar": "جنوب-جنوب: المزوّد (Brazil) والمستفيد (Mozambique)",
        "zh-hans": "南南：提供方（Brazil）和受益方（Mozambique）",
    }
    for language, start in expected.items():
        with translation.override(language):
            assert stored.render(NAMES.get).startswith(start), language


def test_other_reason_without_parties():
    with translation.override("en"):
        assert "facilitators" in derive_modality([party(X, "FR")]).reason.render()
