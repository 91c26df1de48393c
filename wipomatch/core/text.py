"""Cleaning of untrusted text before it is stored."""

import html

import nh3


def clean_plain_text(value: str) -> str:
    """Drop any HTML markup (tags, scripts, comments) and keep the readable text.

    Templates escape on output, so the stored value is plain text: entities are decoded so that
    "R&D" is stored as typed rather than as "R&amp;D".
    """
    if not value:
        return ""
    stripped = nh3.clean(value, tags=set(), clean_content_tags={"script", "style"})
    return html.unescape(stripped).strip()
