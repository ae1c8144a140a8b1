"""Heading ids exactly as MkDocs makes them, so deep links into an imported site keep working.

MkDocs (and Material) give headings ids with Python-Markdown's `toc` extension: the heading's
text (link text and code included, tags and emoji shortcodes dropped: Material draws those as
icons), folded to ASCII (so emoji vanish), stripped of punctuation, lowercased, runs of spaces
and hyphens joined by one `-`; a repeated id gets `_1`, `_2`, ... . mdit-py-plugins' anchors
plugin slugs differently (it keeps a leading `-` where an emoji was, and skips levels), hence
this small core rule rather than that plugin. Importing Python-Markdown only for its slug
function would bring a second Markdown parser into the build.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import MutableSet

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_STRIP = re.compile(r"[^\w\s-]")
_JOIN = re.compile(r"[-\s]+")
_COUNTED = re.compile(r"^(.*)_([0-9]+)$")
# `:rocket:`, `:material-school:`: pymdownx.emoji turns these into icons, which have no text
_SHORTCODE = re.compile(r":[a-z][a-z0-9_+-]*:")


def slugify(text: str, separator: str = "-") -> str:
    """Python-Markdown's default `toc` slug of a heading's text."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = _STRIP.sub("", value).strip().lower()
    return _JOIN.sub(separator, value)


def unique(slug: str, used: MutableSet[str]) -> str:
    """`slug`, or `slug_1`, `slug_2`, ... when taken (an empty slug becomes `_1`), as `toc`."""
    while slug in used or not slug:
        counted = _COUNTED.match(slug)
        slug = f"{counted.group(1)}_{int(counted.group(2)) + 1}" if counted else f"{slug}_1"
    used.add(slug)
    return slug


def heading_text(inline: Token) -> str:
    """The heading's text as a reader sees it: text, code and link labels; no markup."""
    out: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out).strip()


def anchors_rule(state: StateCore) -> None:
    """Give every heading an id (all levels, like `toc`) and note its text for the TOC."""
    used: set[str] = state.env.setdefault("heading_ids", set())
    tokens = state.tokens
    for position, token in enumerate(tokens):
        if token.type != "heading_open" or token.attrGet("id"):
            continue
        text = heading_text(tokens[position + 1])
        anchor = unique(slugify(_SHORTCODE.sub("", text)), used)
        token.attrSet("id", anchor)
        token.meta["text"] = text
        tokens[position + 2].meta["id"] = anchor  # heading_close: it writes the permalink
