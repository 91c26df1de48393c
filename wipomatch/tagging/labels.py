"""The label texts the suggester learns from: SDG goal and target titles, and the project's own
descriptions of thematic areas, IP areas and SDG scopes.

Every label of a vocabulary has prototypes in two groups, scored separately and then fused:

- "texts": whole sentences (SDG goal titles, short names and the 169 target titles in the six UN
  languages; the one- or two-sentence description of each theme and IP area);
- "keywords": the single words and phrases of the project-written keyword lists.

Only files shipped in the repository are read; nothing is fetched.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = [
    "DATA_DIR",
    "GROUPS",
    "LANGUAGES",
    "VOCABULARIES",
    "Prototype",
    "background_texts",
    "fingerprint",
    "label_slugs",
    "normalise_language",
    "prototypes",
]

# ISO 639-1 codes of the six UN languages, as listings store them.
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
VOCABULARIES = ("themes", "ip_areas", "sdgs")
GROUPS = ("texts", "keywords")

_TAGGING_DIR = Path(__file__).resolve().parent
DATA_DIR = _TAGGING_DIR / "data"
_REFERENCE_DIR = _TAGGING_DIR.parent / "reference" / "data"
_SDG_FOLDERS = {"en": "en", "ar": "ar", "zh": "zh-Hans", "fr": "fr", "ru": "ru", "es": "es"}
# "other" is the residual theme: it has no description of its own (see model.py).
RESIDUAL_THEME = "other"


def normalise_language(code: str) -> str | None:
    """ISO 639-1 code of one of the six UN languages ("zh-hans", "zh_CN" and "FR" work too)."""
    value = code.strip().replace("_", "-").lower()
    value = "zh" if value.startswith("zh") else value.split("-")[0]
    return value if value in LANGUAGES else None


@dataclass(frozen=True, slots=True)
class Prototype:
    label: str  # a taxonomy slug, or the goal number as a string for SDGs
    group: str  # one of GROUPS
    language: str
    text: str


def _read_yaml(path: Path):
    # Some SDG files store accents decomposed (NFD); compose them as the reference loader does.
    return yaml.safe_load(unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))) or {}


@lru_cache(maxsize=1)
def _taxonomy() -> dict:
    return json.loads((_REFERENCE_DIR / "taxonomy.json").read_text(encoding="utf-8"))


def label_slugs(vocabulary: str) -> tuple[str, ...]:
    """Labels of a vocabulary in taxonomy order (goal numbers as strings for SDGs)."""
    if vocabulary == "sdgs":
        return tuple(str(goal) for goal in range(1, 18))
    return tuple(_taxonomy()[vocabulary])


def _split_keywords(text: str) -> list[str]:
    return [part.strip() for part in str(text).replace("，", ",").split(",") if part.strip()]


def _described(vocabulary: str, filename: str) -> list[Prototype]:
    data = _read_yaml(DATA_DIR / filename)
    known = set(label_slugs(vocabulary))
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{filename}: unknown {vocabulary} slugs {sorted(unknown)}")
    out = []
    for slug in label_slugs(vocabulary):
        for language, entry in (data.get(slug) or {}).items():
            out.append(Prototype(slug, "texts", language, entry["text"].strip()))
            out.extend(
                Prototype(slug, "keywords", language, phrase)
                for phrase in _split_keywords(entry["keywords"])
            )
    return out


def _sdg_titles(filename: str) -> list[Prototype]:
    out = []
    for language, folder in _SDG_FOLDERS.items():
        # Keys look like "2-title", "2-short" (goals) and "2-4-title" (target 2.4).
        for key, text in sorted(_read_yaml(_REFERENCE_DIR / "sdg" / folder / filename).items()):
            out.append(Prototype(key.split("-", 1)[0], "texts", language, str(text).strip()))
    return out


def _sdg_prototypes() -> list[Prototype]:
    out = _sdg_titles("global_goals.yml") + _sdg_titles("global_targets.yml")
    keywords = _read_yaml(DATA_DIR / "sdg_keywords.yml")
    for goal in sorted(keywords, key=int):
        for language, text in keywords[goal].items():
            out.extend(
                Prototype(str(goal), "keywords", language, phrase)
                for phrase in _split_keywords(text)
            )
    return out


@lru_cache(maxsize=3)
def prototypes(vocabulary: str) -> tuple[Prototype, ...]:
    """All prototypes of a vocabulary, in a stable order."""
    if vocabulary == "sdgs":
        return tuple(_sdg_prototypes())
    if vocabulary == "themes":
        return tuple(_described("themes", "themes.yml"))
    if vocabulary == "ip_areas":
        return tuple(_described("ip_areas", "ip_areas.yml"))
    raise ValueError(f"unknown vocabulary {vocabulary!r}")


@lru_cache(maxsize=1)
def background_texts() -> tuple[str, ...]:
    """Neutral development texts (the SDG target titles in six languages).

    Their mean embedding is what an average text looks like; subtracting each label's similarity
    to it removes the pull of "hub" labels that are close to everything (see model.py).
    """
    return tuple(p.text for p in _sdg_titles("global_targets.yml"))


def fingerprint(model_name: str) -> str:
    """Hash of every prototype text and the embedding model: the shipped vectors are stale when
    it changes."""
    digest = hashlib.sha256(model_name.encode())
    for vocabulary in VOCABULARIES:
        digest.update(f"{vocabulary}\t{','.join(label_slugs(vocabulary))}\n".encode())
        for proto in prototypes(vocabulary):
            digest.update(f"{vocabulary}\t{proto.label}\t{proto.group}\t{proto.text}\n".encode())
    for text in background_texts():
        digest.update(f"bg\t{text}\n".encode())
    return digest.hexdigest()
