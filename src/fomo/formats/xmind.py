"""XMind: the 2020+ zip (content.json) for export and import, the XMind 8 content.xml for import.

XMind keeps one tree per sheet; FOMO reads the first sheet and its attached topics (floating
topics join the root as children, with a warning). Notes hold the essence and body, `href` the
first link, labels the aliases, relationships the builds_on / alternative_to / related links.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from fomo.errors import FomoError
from fomo.formats.safe import MAX_DEPTH, decode_text, open_zip, parse_xml, read_member, too_deep
from fomo.formats.tree import Link, Node, join_note, split_note, walk, web_links
from fomo.kb.schema import RELATION_LABELS
from fomo.kb.urls import is_web_url

BINARY = True
SUFFIXES = (".xmind",)
_NS = "{urn:xmind:xmap:xmlns:content:2.0}"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_TITLE_KINDS = {v: k for k, v in RELATION_LABELS.items()}


# ---- export -------------------------------------------------------------------------------


def _topic(node: Node, fallback_id: str) -> dict[str, Any]:
    topic: dict[str, Any] = {"id": node.id or fallback_id, "class": "topic", "title": node.title}
    note = join_note(node.essence, node.note)
    if note:
        topic["notes"] = {"plain": {"content": note}}
    links = web_links(node)
    if links:
        topic["href"] = links[0].url
    if node.aliases:
        topic["labels"] = list(node.aliases)
    return topic


def write(root: Node) -> bytes:
    """The .xmind zip: content.json, metadata.json and manifest.json, as XMind 2020+ writes."""
    counter = iter(range(2, 1 << 62))
    rel_counter = iter(range(1, 1 << 62))
    root_topic = _topic(root, "topic-1")
    root_topic["structureClass"] = "org.xmind.ui.map.unbalanced"
    stack = [(root, root_topic)]
    relationships = []
    while stack:
        node, topic = stack.pop()
        for kind, target in node.relations:
            relationships.append(
                {
                    "id": f"rel-{next(rel_counter)}",
                    "end1Id": topic["id"],
                    "end2Id": target,
                    "title": RELATION_LABELS.get(kind, kind),
                }
            )
        if node.children:
            attached = [_topic(c, f"topic-{next(counter)}") for c in node.children]
            topic["children"] = {"attached": attached}
            stack.extend(zip(node.children, attached, strict=True))
    sheet: dict[str, Any] = {
        "id": "sheet-1",
        "class": "sheet",
        "title": root.title,
        "rootTopic": root_topic,
    }
    ids = {n.id for n in walk(root) if n.id}
    relationships = [r for r in relationships if r["end2Id"] in ids]
    if relationships:
        sheet["relationships"] = relationships
    content = json.dumps([sheet], ensure_ascii=False, separators=(",", ":"))
    metadata = {"creator": {"name": "fomo", "version": "1"}}
    manifest = {"file-entries": {"content.json": {}, "metadata.json": {}}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.json", content)
        archive.writestr("metadata.json", json.dumps(metadata))
        archive.writestr("manifest.json", json.dumps(manifest))
    return buffer.getvalue()


# ---- import -------------------------------------------------------------------------------


def read(data: bytes, file: str, warnings: list[str] | None = None) -> Node:
    warnings = warnings if warnings is not None else []
    archive = open_zip(data, file)
    content = read_member(archive, "content.json", file)
    if content is not None:
        return _read_json(content, file, warnings)
    xml = read_member(archive, "content.xml", file)
    if xml is not None:
        return _read_xml(xml, file, warnings)
    raise FomoError(
        "zip holds neither content.json nor content.xml, so it is not an XMind map",
        file=file,
        hint="export the map from XMind as .xmind",
        code="wrong-kind",
    )


def _bad(file: str, what: str) -> FomoError:
    return FomoError(
        f"XMind content is not as XMind writes it: {what}",
        file=file,
        hint="re-save the map from XMind",
        code="bad-xmind",
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _read_json(content: bytes, file: str, warnings: list[str]) -> Node:
    try:
        sheets = json.loads(decode_text(content, file))
    except json.JSONDecodeError as error:
        raise _bad(file, f"content.json is not JSON ({error.msg}, line {error.lineno})") from None
    except ValueError as error:  # a number past Python's 4,300-digit limit
        raise _bad(file, f"content.json is not JSON ({error})") from None
    except RecursionError:  # the C decoder recurses per bracket: a map far past MAX_DEPTH
        raise too_deep(file) from None
    if not isinstance(sheets, list) or not sheets or not isinstance(sheets[0], dict):
        raise _bad(file, "content.json holds no sheet")
    if len(sheets) > 1:
        warnings.append(f"{file}: {len(sheets)} sheets; imported only the first")
    sheet = sheets[0]
    root_json = sheet.get("rootTopic")
    if not isinstance(root_json, dict):
        raise _bad(file, "the first sheet has no rootTopic")
    root = Node(title="")
    stack: list[tuple[dict[str, Any], Node, int]] = [(root_json, root, 0)]
    while stack:
        topic, node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_deep(file)
        is_root = depth == 0
        _fill_json(node, topic)
        children = topic.get("children") if isinstance(topic.get("children"), dict) else {}
        attached = [c for c in _list(children.get("attached")) if isinstance(c, dict)]
        detached = [c for c in _list(children.get("detached")) if isinstance(c, dict)]
        if is_root and detached:
            warnings.append(f"{file}: {len(detached)} floating topic(s) placed under the root")
        kids = [Node(title="") for _ in attached + detached]
        node.children = kids
        stack.extend((c, k, depth + 1) for c, k in zip(attached + detached, kids, strict=True))
    _relations(root, sheet.get("relationships"), "end1Id", "end2Id")
    return root


def _fill_json(node: Node, topic: dict[str, Any]) -> None:
    node.title = str(topic.get("title") or "").strip()
    node.id = str(topic.get("id") or "")
    notes = topic.get("notes")
    plain = notes.get("plain") if isinstance(notes, dict) else None
    text = plain.get("content") if isinstance(plain, dict) else None
    if isinstance(text, str):
        node.essence, node.note = split_note(text)
    href = topic.get("href")
    if is_web_url(href):
        node.links = [Link(href)]
    labels = topic.get("labels")
    if isinstance(labels, list):
        node.aliases = [str(a).strip() for a in labels if str(a).strip()]


def _relations(root: Node, raw: Any, end1: str, end2: str) -> None:
    if not isinstance(raw, list):
        return
    by_id = {n.id: n for n in walk(root) if n.id}
    for rel in raw:
        if not isinstance(rel, dict):
            continue
        source, target = by_id.get(str(rel.get(end1))), str(rel.get(end2))
        if source is None or target not in by_id or target == source.id:
            continue
        kind = _TITLE_KINDS.get(str(rel.get("title") or "").strip().lower(), "related")
        source.relations.append((kind, target))


def _read_xml(content: bytes, file: str, warnings: list[str]) -> Node:
    doc = parse_xml(content, file)
    sheet = doc.find(f"{_NS}sheet")
    topic = sheet.find(f"{_NS}topic") if sheet is not None else None
    if topic is None:
        raise _bad(file, "content.xml has no sheet with a topic")
    if len(doc.findall(f"{_NS}sheet")) > 1:
        warnings.append(f"{file}: several sheets; imported only the first")
    root = Node(title="")
    stack = [(topic, root, 0)]
    while stack:
        element, node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_deep(file)
        node.title = (element.findtext(f"{_NS}title") or "").strip()
        node.id = element.get("id", "")
        note = element.findtext(f"{_NS}notes/{_NS}plain")
        if note:
            node.essence, node.note = split_note(note)
        href = element.get(_XLINK, "")
        if is_web_url(href):
            node.links = [Link(href)]
        node.aliases = [
            (label.text or "").strip()
            for label in element.findall(f"{_NS}labels/{_NS}label")
            if (label.text or "").strip()
        ]
        kids = []
        for group in element.findall(f"{_NS}children/{_NS}topics"):
            if group.get("type") in ("attached", "detached"):
                kids += group.findall(f"{_NS}topic")
        node.children = [Node(title="") for _ in kids]
        stack.extend((k, n, depth + 1) for k, n in zip(kids, node.children, strict=True))
    relations = [
        {"end1": r.get("end1"), "end2": r.get("end2"), "title": r.findtext(f"{_NS}title")}
        for r in sheet.findall(f"{_NS}relationships/{_NS}relationship")
    ]
    _relations(root, relations, "end1", "end2")
    return root
