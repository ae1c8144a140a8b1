"""Freeplane / FreeMind `.mm`: nested <node TEXT ID LINK> elements.

Notes are an HTML `richcontent` of type NOTE (the form both Freeplane and FreeMind read), aliases
and the year are node attributes, relations are arrowlinks labelled with their kind.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from fomo.errors import FomoError
from fomo.formats.safe import MAX_DEPTH, parse_xml, too_deep, xml_safe
from fomo.formats.tree import Link, Node, count, join_note, split_note, web_links
from fomo.kb.schema import RELATION_LABELS
from fomo.kb.urls import is_web_url

BINARY = False
INDENT_LIMIT = 2000
SUFFIXES = (".mm",)
_LABEL_KINDS = {v: k for k, v in RELATION_LABELS.items()}
_NAME = re.compile(r"^[A-Za-z_][\w.-]*$")


def _xml_id(node_id: str) -> str:
    return node_id if _NAME.match(node_id) else f"ID_{node_id}"


def _node_id(xml_id: str) -> str:
    return xml_id[3:] if xml_id.startswith("ID_") else xml_id


def _element(node: Node, fallback: str) -> ET.Element:
    element = ET.Element("node", TEXT=xml_safe(node.title), ID=_xml_id(node.id or fallback))
    links = web_links(node)
    if links:
        element.set("LINK", xml_safe(links[0].url))
    note = xml_safe(join_note(node.essence, node.note))
    if note:
        rich = ET.SubElement(element, "richcontent", TYPE="NOTE")
        body = ET.SubElement(ET.SubElement(rich, "html"), "body")
        for line in note.split("\n"):
            ET.SubElement(body, "p").text = line
    for alias in node.aliases:
        ET.SubElement(element, "attribute", NAME="alias", VALUE=xml_safe(alias))
    if node.year is not None:
        ET.SubElement(element, "attribute", NAME="year", VALUE=str(node.year))
    for kind, target in node.relations:
        ET.SubElement(
            element,
            "arrowlink",
            DESTINATION=_xml_id(target),
            MIDDLE_LABEL=RELATION_LABELS.get(kind, kind),
            ENDARROW="Default",
        )
    return element


def write(root: Node) -> str:
    counter = iter(range(1, 1 << 62))
    top = ET.Element("map", version="freeplane 1.9.13")
    stack = [(root, top)]
    while stack:
        node, parent = stack.pop()
        element = _element(node, f"node-{next(counter)}")
        parent.append(element)
        # appended in reverse below, so push children reversed to keep sibling order
        stack.extend((child, element) for child in reversed(node.children))
    if count(root) <= INDENT_LIMIT:  # indenting is pure Python; skip it for huge maps
        ET.indent(top, space=" ")
    return ET.tostring(top, encoding="unicode") + "\n"


def read(data: bytes, file: str, warnings: list[str] | None = None) -> Node:
    top = parse_xml(data, file)
    first = top.find("node") if top.tag == "map" else None
    if first is None:
        raise FomoError(
            "not a Freeplane/FreeMind map (no <map> with a <node>)",
            file=file,
            hint="save the map from Freeplane or FreeMind as .mm",
            code="wrong-kind",
        )
    root = Node(title="")
    stack = [(first, root, 0)]
    while stack:
        element, node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_deep(file)
        _fill(node, element)
        kids = element.findall("node")
        node.children = [Node(title="") for _ in kids]
        stack.extend((k, n, depth + 1) for k, n in zip(kids, node.children, strict=True))
    return root


def _outer_paragraphs(element: ET.Element) -> list[ET.Element]:
    """The `<p>` elements not inside another, in document order: a `<p>` nested in one is part
    of its text (reading every `<p>` read nested ones again and again: quadratic time on a note
    of 100,000 nested paragraphs). A loop, not recursion: notes can nest deeper than Python's
    stack."""
    found: list[ET.Element] = []
    pending = [iter(element)]
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
        elif child.tag == "p":
            found.append(child)
        else:
            pending.append(iter(child))
    return found


def _fill(node: Node, element: ET.Element) -> None:
    title = element.get("TEXT")
    if title is None:  # rich-text titles: <richcontent TYPE="NODE"><html>...</html>
        rich = element.find("richcontent[@TYPE='NODE']")
        title = "".join(rich.itertext()) if rich is not None else ""
    node.title = " ".join(title.split())
    node.id = _node_id(element.get("ID", ""))
    link = element.get("LINK", "")
    if is_web_url(link):
        node.links = [Link(link)]
    rich = element.find("richcontent[@TYPE='NOTE']")
    if rich is not None:
        paragraphs = _outer_paragraphs(rich)
        text = (
            "\n".join("".join(p.itertext()) for p in paragraphs)
            if paragraphs
            else "".join(rich.itertext())
        )
        node.essence, node.note = split_note(text)
    for attribute in element.findall("attribute"):
        name, value = attribute.get("NAME", "").lower(), attribute.get("VALUE", "").strip()
        if name in ("alias", "aliases") and value:
            node.aliases.append(value)
        elif name == "year" and value.isdigit() and len(value) <= 4:
            node.year = int(value)
    for arrow in element.findall("arrowlink"):
        target = _node_id(arrow.get("DESTINATION", ""))
        label = (arrow.get("MIDDLE_LABEL") or arrow.get("SOURCE_LABEL") or "").strip().lower()
        if target:
            node.relations.append((_LABEL_KINDS.get(label, "related"), target))
