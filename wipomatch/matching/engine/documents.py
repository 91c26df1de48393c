"""The listing documents the engine ranks: needs (requests) and offers (resources).

Plain dataclasses so that the Django layer, the benchmark loader and the tests can all build
them. List-valued fields are stored as tuples so that documents are hashable and safe to share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, ClassVar

__all__ = ["ListingDoc", "NeedDoc", "OfferDoc", "document_text", "join_text"]


def _tuple(values: Iterable[str] | str | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,) if values else ()
    return tuple(dict.fromkeys(v for v in values if v))


@dataclass(frozen=True, slots=True)
class ListingDoc:
    ref: str
    title: str = ""
    description: str = ""
    language: str = ""
    country: str = ""
    organisation_type: str = ""
    # Who published it: a listing is never suggested to its own organisation ("" = unknown).
    organisation: str = ""
    themes: tuple[str, ...] = ()
    ip_areas: tuple[str, ...] = ()
    assistance_types: tuple[str, ...] = ()
    # Priors; None means "unknown" and leaves the ranking unchanged.
    published_at: datetime | None = None
    responsiveness: float | None = None

    kind: ClassVar[str] = "listing"
    _list_fields: ClassVar[tuple[str, ...]] = ("themes", "ip_areas", "assistance_types")

    def __post_init__(self) -> None:
        object.__setattr__(self, "ref", str(self.ref))
        object.__setattr__(self, "organisation", str(self.organisation or ""))
        object.__setattr__(self, "language", _language(self.language))
        object.__setattr__(self, "country", (self.country or "").upper())
        for name in self._list_fields:
            object.__setattr__(self, name, _tuple(getattr(self, name)))

    @property
    def text(self) -> str:
        return document_text(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]):
        """Build from a mapping (benchmark JSON, serialized model); unknown keys are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, slots=True)
class NeedDoc(ListingDoc):
    """A seeker's request. `languages` are extra working languages besides `language`."""

    languages: tuple[str, ...] = ()
    south_south_preferred: bool = False

    kind: ClassVar[str] = "need"
    _list_fields: ClassVar[tuple[str, ...]] = (
        "themes",
        "ip_areas",
        "assistance_types",
        "languages",
    )

    @property
    def working_languages(self) -> tuple[str, ...]:
        return _tuple((self.language, *(_language(x) for x in self.languages)))

    @property
    def requested_languages(self) -> tuple[str, ...]:
        """Languages the seeker asked delivery in: empty when they named none (no constraint).

        When they did, the language they wrote the need in is accepted too."""
        return self.working_languages if self.languages else ()


@dataclass(frozen=True, slots=True)
class OfferDoc(ListingDoc):
    """A provider's offer. Empty eligibility lists mean "available worldwide"."""

    resource_types: tuple[str, ...] = ()
    eligible_countries: tuple[str, ...] = ()
    eligible_regions: tuple[str, ...] = ()
    delivery_languages: tuple[str, ...] = ()

    kind: ClassVar[str] = "offer"
    _list_fields: ClassVar[tuple[str, ...]] = (
        "themes",
        "ip_areas",
        "assistance_types",
        "resource_types",
        "eligible_countries",
        "eligible_regions",
        "delivery_languages",
    )

    def __post_init__(self) -> None:
        ListingDoc.__post_init__(self)
        object.__setattr__(
            self, "eligible_countries", tuple(c.upper() for c in self.eligible_countries)
        )
        object.__setattr__(
            self,
            "eligible_regions",
            tuple(r.zfill(3) if r.isdigit() else r for r in self.eligible_regions),
        )
        object.__setattr__(
            self, "delivery_languages", _tuple(_language(x) for x in self.delivery_languages)
        )

    @property
    def delivered_in(self) -> tuple[str, ...]:
        """Delivery languages; an offer that names none is delivered in its written language."""
        return self.delivery_languages or ((self.language,) if self.language else ())

    @property
    def worldwide(self) -> bool:
        return not self.eligible_countries and not self.eligible_regions


def _language(code: str | None) -> str:
    # The UI calls Chinese "zh-hans"; the engine and the benchmark use ISO 639-1 codes.
    code = (code or "").strip().lower().replace("_", "-")
    return code.split("-", 1)[0]


def document_text(doc: ListingDoc) -> str:
    """The text that is embedded and indexed: title, then description."""
    return join_text(doc.title, doc.description)


def join_text(title: str | None, description: str | None) -> str:
    title = (title or "").strip()
    description = (description or "").strip()
    if title and description:
        sep = " " if title[-1] in ".!?。！？؟" else ". "
        return f"{title}{sep}{description}"
    return title or description
