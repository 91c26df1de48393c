"""Cleaning of untrusted text before it is stored.

Stored text is plain text and templates escape on output. Markup is removed (nh3) and entities
are decoded so that "R&D" is stored as typed, not as "R&amp;D"; the two steps are repeated until
nothing changes, so decoding can never produce markup: `&lt;script&gt;` used to be stored as a
live `<script>` (decoded after the markup was removed).

Also removed are the invisible characters that have no place in plain text and can disguise
it: control characters and the bidirectional embeddings, overrides and isolates
(U+202A-U+202E, U+2066-U+2069) that can make "exe.txt" read as "txt.exe" in a name, a title or
an e-mail subject. Directional marks (U+200E, U+200F, U+061C) are kept: Arabic text mixing
scripts needs them.
"""

import html
import re
import unicodedata

import nh3

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")


def _is_unsafe(char: str, *, keep_newlines: bool) -> bool:
    if char in BIDI_CONTROLS:
        return True
    if keep_newlines and char in "\n\t":
        return False
    return unicodedata.category(char) == "Cc"


def has_unsafe_characters(value: str) -> bool:
    """True when the text holds a control character or a bidirectional override/isolate."""
    return any(_is_unsafe(c, keep_newlines=True) for c in value or "")


def strip_markup(value: str) -> str:
    """The readable text of `value`: tags, scripts and comments removed, entities decoded, until
    a pass changes nothing (so the result holds no markup that decoding revealed)."""
    for _pass in range(5):
        stripped = html.unescape(
            nh3.clean(value, tags=set(), clean_content_tags={"script", "style"})
        )
        if stripped == value:
            return value
        value = stripped
    return html.escape(value, quote=False)  # still changing: never store it as live markup


def clean_plain_text(value: str) -> str:
    """Multi-line plain text without markup, control characters or bidirectional overrides."""
    if not value:
        return ""
    value = _LINE_BREAKS.sub("\n", strip_markup(value))
    return "".join(c for c in value if not _is_unsafe(c, keep_newlines=True)).strip()


def clean_single_line(value: str) -> str:
    """A name, title or subject: one line, spaces collapsed, no invisible control characters."""
    if not value:
        return ""
    value = _LINE_BREAKS.sub(" ", strip_markup(value)).replace("\n", " ").replace("\t", " ")
    value = "".join(c for c in value if not _is_unsafe(c, keep_newlines=False))
    return " ".join(value.split())
