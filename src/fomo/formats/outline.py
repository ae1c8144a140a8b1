"""Markdown outline: `# Root` then nested `- item` lists, which markmap renders as is.

Titles keep their aliases in brackets and their first link as `[Title](url)`. Reading goes
through markdown-it-py, so outlines written by other tools (headings of any level, lists under
them, paragraphs as notes, YAML front matter) come in too.
"""

from __future__ import annotations

import re
from typing import Any

from fomo.errors import FomoError
from fomo.formats.safe import MAX_DEPTH, decode_text, too_deep
from fomo.formats.tree import Link, Node, display_title, split_note, web_links
from fomo.kb.urls import is_web_url

BINARY = False
SUFFIXES = (".md", ".markdown")
_SPECIAL = re.compile(r"([\\`*_\[\]<>&!|~#])")
_LEADING_MARK = re.compile(r"^([-+=])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")
# markdown-it's nesting cap, in tokens (a list level takes two: the list and its item). Past it
# markdown-it drops the rest of the document silently, so reaching it is an error here.
MAX_NESTING = 2 * MAX_DEPTH + 20
# Leading blanks and list/quote markers of one line: a list nested MAX_DEPTH levels needs about
# two to five columns a level; far past that, refuse before markdown-it, which is pure Python and
# spends seconds on a file of deep indentation (5,000 levels are 25 MB of spaces).
_PREFIX = re.compile(r"^(?:[ \t]|[-+*>](?=[ \t])|\d{1,9}[.)](?=[ \t]))*", re.MULTILINE)
MAX_PREFIX = 8 * MAX_DEPTH
MAX_SIZE = 16 * 1024 * 1024  # bytes; an outline of the whole bundled map is well under 1 MB
HEADER = "---\nmarkmap:\n  colorFreezeLevel: 2\n---\n\n"


def escape(text: str) -> str:
    """Backslash every character Markdown could read as markup, so a title stays a title."""
    text = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    text = _LEADING_MARK.sub(r"\\\1", text)
    return _LEADING_NUMBER.sub(r"\1\\\2", text)


def _label(node: Node) -> str:
    text = escape(display_title(node))
    links = web_links(node)
    if not links:
        return text
    from mdurl import encode

    url = encode(links[0].url).replace("<", "%3C").replace(">", "%3E")
    return f"[{text}](<{url}>)"


def write(root: Node) -> str:
    lines = [HEADER + f"# {_label(root)}", ""]
    stack = [(child, 0) for child in reversed(root.children)]
    while stack:
        node, depth = stack.pop()
        lines.append(f"{'  ' * depth}- {_label(node)}")
        stack.extend((child, depth + 1) for child in reversed(node.children))
    return "\n".join(lines) + "\n"


def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    # commonmark's preset stops nesting at 20 tokens (about ten list levels); maps go deeper
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).use(front_matter_plugin)


def _inline(token: Any) -> tuple[str, str]:
    """Plain text of an inline token and its first web link."""
    parts, link = [], ""
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type == "link_open" and not link:
            href = str(child.attrGet("href") or "")
            link = href if is_web_url(href) else ""
    return " ".join("".join(parts).split()), link


def _refuse_deep_lines(text: str, file: str) -> None:
    for match in _PREFIX.finditer(text):
        if match.end() - match.start() > MAX_PREFIX:
            raise too_deep(file, text.count("\n", 0, match.start()) + 1)


def read(data: bytes, file: str, warnings: list[str] | None = None) -> Node:
    text = decode_text(data, file)
    _refuse_deep_lines(text, file)  # first: the likeliest reason for a huge outline
    if len(data) > MAX_SIZE:
        raise FomoError(
            f"outline is {len(data):,} bytes, past the limit of {MAX_SIZE:,}",
            file=file,
            hint="split the outline into several files and import each under its branch",
            code="too-large",
        )
    try:
        tokens = _parser().parse(text)
    except RecursionError:
        raise too_deep(file) from None
    deepest = max((token.level for token in tokens), default=0)
    if deepest >= MAX_NESTING - 2:  # markdown-it stopped here and skipped the rest
        line = next(t.map[0] + 1 for t in tokens if t.level == deepest and t.map)
        raise too_deep(file, line)
    top = Node(title="")
    stack: list[tuple[int, Node]] = [(0, top)]  # (level, node); headings 1-6, lists below
    heading_level = 0
    list_depth = 0
    notes: dict[int, list[str]] = {}
    pending: str | None = None  # "heading" or "item": the next inline is a title

    def attach(level: int, title: str, link: str, line: int | None) -> Node:
        while stack[-1][0] >= level:
            stack.pop()
        if len(stack) - 1 > MAX_DEPTH:  # the new node's depth below the root
            raise too_deep(file, line)
        node = Node(title=title, links=[Link(link)] if link else [])
        stack[-1][1].children.append(node)
        stack.append((level, node))
        return node

    for token in tokens:
        if token.type == "heading_open":
            heading_level, pending = int(token.tag[1]), "heading"
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "list_item_open":
            pending = "item"
        elif token.type == "inline":
            text, link = _inline(token)
            line = token.map[0] + 1 if token.map else None
            if pending == "heading":
                attach(heading_level, text, link, line)
            elif pending == "item":
                attach(heading_level + 6 + list_depth, text, link, line)
            elif text:
                owner = stack[-1][1]
                notes.setdefault(id(owner), []).append(text)
            pending = None
    for node in _all(top):
        lines = notes.get(id(node))
        if lines:
            node.essence, node.note = split_note("\n\n".join(lines))
    if not top.children:
        raise FomoError(
            "no outline found (no headings or list items)",
            file=file,
            hint="write the map as '# Root' followed by nested '- item' lines",
            code="wrong-kind",
        )
    if len(top.children) == 1:
        return top.children[0]
    top.title = "Outline"
    return top


def _all(node: Node) -> list[Node]:
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found
