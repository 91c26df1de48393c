"""Sections other apps add to the daily and weekly digests.

`register_section(name, provider)` with `provider(user, since) -> [{"title": str, "url": str}]`,
called in the recipient's language. A section without a category goes in the weekly digest; one
registered with `category=` goes in the digest of the user's frequency for that category (none if
that category is e-mailed at once or off). Register in `AppConfig.ready()`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

Provider = Callable[[object, datetime], list[dict]]


@dataclass(frozen=True)
class Section:
    name: str
    provider: Provider
    category: str | None = None


_SECTIONS: dict[str, Section] = {}


def register_section(name: str, provider: Provider, *, category: str | None = None) -> None:
    """Add (or replace, by name) a digest section. `name` is the heading: mark it with
    gettext_noop in the caller's catalogue; it is translated when the digest is written."""
    _SECTIONS[name] = Section(name=name, provider=provider, category=category)


def unregister_section(name: str) -> None:
    _SECTIONS.pop(name, None)


def sections() -> list[Section]:
    return list(_SECTIONS.values())
