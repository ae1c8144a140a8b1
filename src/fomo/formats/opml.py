"""OPML 2.0: <outline text> elements under <body>, `_note` for the essence and body, `url` for
the first link. OPML has no alias field, so aliases ride in the title: "Title (DPO)"."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from fomo.errors import FomoError
from fomo.formats.safe import MAX_DEPTH, parse_xml, too_deep, xml_safe
from fomo.formats.tree import Link, Node, display_title, join_note, split_note, web_links
from fomo.kb.urls import is_web_url

BINARY = False
SUFFIXES = (".opml",)


# After &, < and >, which `escape` always replaces: what else an attribute value must not hold.
_ATTR = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def _escaped(text: str) -> str:
    return escape(xml_safe(text), _ATTR)


def _attr(text: str) -> str:
    return '"' + _escaped(text) + '"'


def write(root: Node) -> str:
    """Built as text rather than through ElementTree, whose serialiser is pure Python and
    several times slower than parsing on large maps; `_attr` escapes every attribute."""
    title = _escaped(display_title(root))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head>\n    <title>{title}</title>\n  </head>",
        "  <body>",
    ]
    stack: list[tuple[Node | None, int]] = [(root, 2)]
    while stack:
        node, depth = stack.pop()
        pad = "  " * depth
        if node is None:
            lines.append(f"{pad}</outline>")
            continue
        attrs = f"text={_attr(display_title(node))}"
        note = join_note(node.essence, node.note)
        if note:
            attrs += f" _note={_attr(note)}"
        links = web_links(node)
        if links:
            attrs += f' type="link" url={_attr(links[0].url)}'
        if not node.children:
            lines.append(f"{pad}<outline {attrs} />")
            continue
        lines.append(f"{pad}<outline {attrs}>")
        stack.append((None, depth))
        stack.extend((child, depth + 1) for child in reversed(node.children))
    lines += ["  </body>", "</opml>"]
    return "\n".join(lines) + "\n"


def read(data: bytes, file: str, warnings: list[str] | None = None) -> Node:
    top = parse_xml(data, file)
    body = top.find("body") if top.tag == "opml" else None
    outlines = body.findall("outline") if body is not None else []
    if not outlines:
        raise FomoError(
            "not an OPML outline (no <opml><body><outline>)",
            file=file,
            hint="export the outline as OPML 2.0",
            code="wrong-kind",
        )
    if len(outlines) > 1:  # several top outlines: the document title becomes the root
        title = (top.findtext("head/title") or "").strip() or "Outline"
        root, kids = Node(title=title), outlines
    else:
        root, kids = Node(title=""), None
        _fill(root, outlines[0])
        kids = outlines[0].findall("outline")
    stack = [(root, kids, 1)]  # the depth of the children
    while stack:
        node, elements, depth = stack.pop()
        if elements and depth > MAX_DEPTH:
            raise too_deep(file)
        node.children = [Node(title="") for _ in elements]
        for child, element in zip(node.children, elements, strict=True):
            _fill(child, element)
            stack.append((child, element.findall("outline"), depth + 1))
    return root


def _fill(node: Node, element: ET.Element) -> None:
    node.title = " ".join((element.get("text") or element.get("title") or "").split())
    note = element.get("_note")
    if note:
        node.essence, node.note = split_note(note)
    url = element.get("url") or element.get("htmlUrl") or element.get("xmlUrl") or ""
    if is_web_url(url):
        node.links = [Link(url)]
