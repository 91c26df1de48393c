"""Countries, UN M49 regions and the "Global South" grouping, as plain data.

The engine never reads Django models: the caller hands it a `Geography`, built here from the
reference CSV files (or from the database, where staff can edit the South grouping).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Geography", "load_geography"]

_REGION_COLUMNS = ("Region Code", "Sub-region Code", "Intermediate Region Code")
_WORLD = "001"


@dataclass(frozen=True)
class Geography:
    """Country → M49 codes containing it, plus the countries counted as the Global South.

    `regions[country]` holds the region, sub-region and intermediate-region codes of a country
    as three-digit strings ("002", "202", "011"), plus "001" (World).
    """

    regions: Mapping[str, frozenset[str]] = field(default_factory=dict)
    south: frozenset[str] = frozenset()

    def regions_of(self, country: str | None) -> frozenset[str]:
        if not country:
            return frozenset()
        return self.regions.get(country.upper(), frozenset({_WORLD}))

    def is_south(self, country: str | None) -> bool:
        return bool(country) and country.upper() in self.south

    @classmethod
    def from_mapping(
        cls, regions: Mapping[str, Iterable[str]], south: Iterable[str] = ()
    ) -> Geography:
        return cls(
            regions={
                c.upper(): frozenset({normalize_region(r) for r in codes} | {_WORLD})
                for c, codes in regions.items()
            },
            south=frozenset(c.upper() for c in south),
        )


def normalize_region(code: str | int) -> str:
    """M49 codes are three digits with leading zeros ("2" and "002" are Africa)."""
    text = str(code).strip()
    return text.zfill(3) if text.isdigit() else text


def load_geography(country_codes_csv: str | Path, developing_csv: str | Path | None = None):
    """Read the datasets/country-codes CSV (and optionally its legacy developed/developing one).

    The CSV is read with the csv module rather than a dataframe library on purpose: Namibia's
    alpha-2 code "NA" must stay a string.
    """
    regions: dict[str, frozenset[str]] = {}
    with open(country_codes_csv, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            alpha2 = (row.get("ISO3166-1-Alpha-2") or "").strip().upper()
            if len(alpha2) != 2:
                continue
            codes = {
                normalize_region(row[c]) for c in _REGION_COLUMNS if (row.get(c) or "").strip()
            }
            regions[alpha2] = frozenset(codes | {_WORLD})
    south: set[str] = set()
    if developing_csv is not None:
        with open(developing_csv, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                alpha2 = (row.get("ISO3166-1-Alpha-2") or "").strip().upper()
                if row.get("Developed / Developing Countries", "").strip() == "Developing":
                    south.add(alpha2)
    return Geography(regions=regions, south=frozenset(south))
