"""IATI codelists read straight from the shipped files (reference/data/iati/codelists).

Only lists the reference loader does not store are read here (Currency); the others come from
`reference.IatiCode`. Read once per process.
"""

from functools import lru_cache

from lxml import etree

from wipomatch.reference.loader import DATA_DIR

CODELISTS = DATA_DIR / "iati" / "codelists"
SCHEMA_DIR = DATA_DIR / "iati" / "schema"


@lru_cache(maxsize=8)
def codelist(name: str) -> dict[str, str]:
    """code → English name of an IATI codelist (withdrawn codes left out)."""
    tree = etree.parse(str(CODELISTS / f"{name}.xml"))  # noqa: S320 (shipped file)
    items = {}
    for item in tree.iter("codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        code = item.findtext("code")
        items[code] = item.findtext("name/narrative") or code
    return items


def currency_codes() -> set[str]:
    return set(codelist("Currency"))
