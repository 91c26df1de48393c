"""Loads the reference data files shipped in `reference/data` into the database.

Idempotent: running it again updates names and codes in place. Development groupings (LDC, LLDC,
SIDS, Global South) are only set when a country is first created, because staff may have edited
them since; `update_groupings=True` re-applies the data file's flags on purpose.
"""

import csv
import hashlib
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from lxml import etree

from .models import Country, IatiCode, LoadedDataset, Region, SdgGoal, SdgTarget, VocabularyTerm

DATA_DIR = Path(__file__).resolve().parent / "data"
# File suffixes of the UNSD M49 files, by platform language code.
M49_FILES = {"en": "en", "ar": "ar", "zh-hans": "cn", "fr": "fr", "ru": "ru", "es": "es"}
SDG_DIRS = {"en": "en", "ar": "ar", "zh-hans": "zh-Hans", "fr": "fr", "ru": "ru", "es": "es"}
IATI_CODELISTS = [
    "ActivityStatus",
    "ActivityScope",
    "AidType",
    "CollaborationType",
    "Country",
    "DocumentCategory",
    "FinanceType",
    "FlowType",
    "Language",
    "OrganisationRole",
    "OrganisationType",
    "Region",
    "Sector",
    "SectorVocabulary",
    "TagVocabulary",
    "UNSDG-Goals",
    "UNSDG-Targets",
]


# Bump when the loader itself changes what it stores, so existing databases reload once.
LOADER_VERSION = "1"


@dataclass
class LoadReport:
    counts: dict[str, int] = field(default_factory=dict)
    skipped: bool = False


def data_fingerprint() -> str:
    """A hash of every shipped reference file (and the loader version)."""
    digest = hashlib.sha256(LOADER_VERSION.encode())
    for path in sorted(DATA_DIR.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(DATA_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_taxonomy() -> dict:
    return json.loads((DATA_DIR / "taxonomy.json").read_text(encoding="utf-8"))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            {k: unicodedata.normalize("NFC", v or "") for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


def load_regions_and_countries(*, update_groupings: bool = False) -> tuple[int, int]:
    names_by_lang = {
        lang: _read_csv(DATA_DIR / "countries" / f"UNSD-M49-{suffix}.csv")
        for lang, suffix in M49_FILES.items()
    }
    region_names: dict[str, dict[str, str]] = {}
    country_names: dict[str, dict[str, str]] = {}
    hierarchy: dict[str, tuple[str, str]] = {}  # code -> (level, parent code)
    for lang, rows in names_by_lang.items():
        for row in rows:
            r, s, i = row["Region Code"], row["Sub-region Code"], row["Intermediate Region Code"]
            for code, name_col, level, parent in (
                (r, "Region Name", Region.Level.REGION, ""),
                (s, "Sub-region Name", Region.Level.SUBREGION, r),
                (i, "Intermediate Region Name", Region.Level.INTERMEDIATE, s),
            ):
                if code:
                    region_names.setdefault(code, {})[lang] = row[name_col]
                    hierarchy[code] = (level, parent)
            if row["ISO-alpha2 Code"]:
                country_names.setdefault(row["ISO-alpha2 Code"], {})[lang] = row["Country or Area"]

    regions: dict[str, Region] = {}
    for level in (Region.Level.REGION, Region.Level.SUBREGION, Region.Level.INTERMEDIATE):
        for code, (lvl, parent) in sorted(hierarchy.items()):
            if lvl != level:
                continue
            regions[code], _ = Region.objects.update_or_create(
                code=code,
                defaults={
                    "level": lvl,
                    "parent": regions.get(parent),
                    "names": region_names[code],
                },
            )

    legacy = {
        row["ISO3166-1-Alpha-2"]: row["Developed / Developing Countries"]
        for row in _read_csv(
            DATA_DIR / "countries" / "country-codes-legacy-developed-developing.csv"
        )
    }
    count = 0
    for row in _read_csv(DATA_DIR / "countries" / "country-codes.csv"):
        iso2 = row["ISO3166-1-Alpha-2"].strip()
        if not iso2:
            continue
        names = dict(country_names.get(iso2, {}))
        names.setdefault("en", row["CLDR display name"] or row["official_name_en"] or iso2)
        groupings = {
            "ldc": row["Least Developed Countries (LDC)"] == "x",
            "lldc": row["Land Locked Developing Countries (LLDC)"] == "x",
            "sids": row["Small Island Developing States (SIDS)"] == "x",
            "global_south": legacy.get(iso2) == "Developing",
        }
        defaults = {
            "iso3": row["ISO3166-1-Alpha-3"].strip(),
            "m49": row["M49"].zfill(3) if row["M49"] else "",
            "names": names,
            "region": regions.get(row["Region Code"].zfill(3)) if row["Region Code"] else None,
            "subregion": regions.get(row["Sub-region Code"].zfill(3))
            if row["Sub-region Code"]
            else None,
            "intermediate_region": regions.get(row["Intermediate Region Code"].zfill(3))
            if row["Intermediate Region Code"]
            else None,
        }
        if update_groupings:
            defaults.update(groupings)
        Country.objects.update_or_create(
            iso2=iso2, defaults=defaults, create_defaults={**defaults, **groupings}
        )
        count += 1
    return len(regions), count


def load_vocabularies() -> int:
    taxonomy = load_taxonomy()
    count = 0
    for kind in VocabularyTerm.Kind.values:
        for position, (slug, value) in enumerate(taxonomy[kind].items()):
            label = value["label"] if isinstance(value, dict) else value
            iati = value.get("iati", "") if isinstance(value, dict) else ""
            VocabularyTerm.objects.update_or_create(
                kind=kind,
                slug=slug,
                defaults={"label": label, "iati_code": iati, "position": position},
            )
            count += 1
    return count


def _read_yaml(path: Path) -> dict[str, str]:
    # Some SDG files store accents decomposed (NFD); compose them so search and display agree.
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    return yaml.safe_load(text) or {}


def load_sdgs() -> tuple[int, int]:
    goals: dict[int, dict] = {}
    targets: dict[str, dict[str, str]] = {}
    for lang, folder in SDG_DIRS.items():
        for key, text in _read_yaml(DATA_DIR / "sdg" / folder / "global_goals.yml").items():
            number, kind = key.split("-", 1)
            goals.setdefault(int(number), {"short": {}, "title": {}})[kind][lang] = text
        for key, text in _read_yaml(DATA_DIR / "sdg" / folder / "global_targets.yml").items():
            code = key.rsplit("-", 1)[0].replace("-", ".")
            targets.setdefault(code, {})[lang] = text
    goal_objs = {}
    for number, parts in sorted(goals.items()):
        goal_objs[number], _ = SdgGoal.objects.update_or_create(
            number=number,
            defaults={"short_names": parts.get("short", {}), "titles": parts.get("title", {})},
        )
    for code, titles in targets.items():
        goal = goal_objs[int(code.split(".")[0])]
        SdgTarget.objects.update_or_create(code=code, defaults={"goal": goal, "titles": titles})
    return len(goal_objs), len(targets)


def load_iati_codelists() -> int:
    count = 0
    for name in IATI_CODELISTS:
        path = DATA_DIR / "iati" / "codelists" / f"{name}.xml"
        if not path.exists():
            continue
        tree = etree.parse(str(path))  # noqa: S320 - trusted file shipped with the project
        for item in tree.iterfind(".//codelist-item"):
            code = item.findtext("code", "").strip()
            narrative = item.find("name/narrative")
            label = (narrative.text or "").strip() if narrative is not None else code
            IatiCode.objects.update_or_create(
                codelist=name,
                code=code,
                defaults={"name": label[:500], "status": item.get("status", "active")},
            )
            count += 1
    return count


def load_reference(
    *,
    update_groupings: bool = False,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> LoadReport:
    """Load every reference data set; skipped when the files have not changed since last time."""
    say = progress or (lambda _msg: None)
    report = LoadReport()
    fingerprint = data_fingerprint()
    unchanged = LoadedDataset.objects.filter(name="reference", fingerprint=fingerprint).exists()
    if unchanged and not force and not update_groupings and Country.objects.exists():
        report.skipped = True
        return report
    with transaction.atomic():
        say("Regions and countries…")
        report.counts["regions"], report.counts["countries"] = load_regions_and_countries(
            update_groupings=update_groupings
        )
        say("Vocabularies…")
        report.counts["vocabulary_terms"] = load_vocabularies()
        say("SDG goals and targets…")
        report.counts["sdg_goals"], report.counts["sdg_targets"] = load_sdgs()
        say("IATI codelists…")
        report.counts["iati_codes"] = load_iati_codelists()
        LoadedDataset.objects.update_or_create(
            name="reference", defaults={"fingerprint": fingerprint}
        )
    return report
