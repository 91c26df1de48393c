"""Markdown of stories to safe HTML: markdown-it-py renders, nh3 keeps only an allow-list.

Two layers on purpose: markdown-it with raw HTML off already refuses `javascript:` and most
`data:` links; nh3 then removes whatever is not on the list (tags, attributes, URL schemes), so
a bug or an option in one layer does not open a hole.
"""

import re

import nh3
from django.conf import settings
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# A text alternative or a title never carries a URL scheme that runs or embeds something.
_DANGEROUS_SCHEME = re.compile(r"(?i)\b(?:java|vb)script\s*:|\bdata\s*:")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
# Headings in a story start at h2: the page has its own h1 (the title).
_markdown.disable("html_block").disable("html_inline")


def _heading_shift(renderer, tokens, idx, options, env):
    token = tokens[idx]
    level = min(int(token.tag[1]) + 1, 6)
    token.tag = f"h{level}"
    return renderer.renderToken(tokens, idx, options, env)


_markdown.add_render_rule("heading_open", _heading_shift)
_markdown.add_render_rule("heading_close", _heading_shift)


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute in ("alt", "title") and _DANGEROUS_SCHEME.search(value):
        return "" if attribute == "alt" else None
    if element == "img" and attribute == "src":
        # Pictures only from this site's uploads or over HTTPS (no data:, no plain http).
        media = getattr(settings, "MEDIA_URL", "/media/")
        if not (value.startswith(media) or value.lower().startswith("https://")):
            return None
    return value


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Safe HTML of a story body (may be marked safe in a template)."""
    return sanitise_html(_markdown.render(text or ""))


def has_dangerous_scheme(value: str) -> bool:
    return bool(_DANGEROUS_SCHEME.search(value or ""))
