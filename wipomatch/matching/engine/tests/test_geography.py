from wipomatch.matching.engine.geography import Geography, normalize_region


def test_regions_of_a_country_include_region_subregion_intermediate_and_world(geography):
    # Kenya: Africa (002), Sub-Saharan Africa (202), Eastern Africa (014)
    assert {"002", "202", "014", "001"} <= geography.regions_of("KE")
    # Honduras: Americas (019), Latin America and the Caribbean (419), Central America (013)
    assert {"019", "419", "013"} <= geography.regions_of("hn")


def test_namibia_code_is_not_read_as_missing(geography):
    assert "002" in geography.regions_of("NA")


def test_global_south_comes_from_the_legacy_developing_column(geography):
    assert geography.is_south("KE")
    assert geography.is_south("CN")
    assert not geography.is_south("CH")
    assert not geography.is_south("")


def test_m49_codes_are_zero_padded():
    assert normalize_region("2") == "002"
    assert normalize_region(19) == "019"
    assert normalize_region("419") == "419"


def test_unknown_country_is_only_in_the_world():
    geo = Geography.from_mapping({"KE": ["2", "202"]}, south=["ke"])
    assert geo.regions_of("KE") == frozenset({"002", "202", "001"})
    assert geo.regions_of("XX") == frozenset({"001"})
    assert geo.is_south("KE")
