"""FOMO's own JSON: a stable nested schema (schema/fomo-map.schema.json), lossless for every
field a Node carries. Reading checks the same rules as the schema, by hand, so a broken file
gets an error that names the node rather than a validator's path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fomo.errors import FomoError
from fomo.formats.safe import MAX_DEPTH, decode_text, too_deep
from fomo.formats.tree import Link, Node, web_links
from fomo.model import RELATION_KINDS

BINARY = False
SUFFIXES = (".json",)
SCHEMA_PATH = Path(__file__).parent / "schema" / "fomo-map.schema.json"


def _as_dict(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "title": node.title,
        "essence": node.essence,
        "note": node.note,
        "aliases": list(node.aliases),
        "year": node.year,
        "links": [{"url": link.url, "title": link.title} for link in web_links(node)],
        "relations": [{"kind": kind, "target": target} for kind, target in node.relations],
        "children": [],
    }


def to_data(root: Node) -> dict[str, Any]:
    top = _as_dict(root)
    stack = [(root, top)]
    while stack:
        node, data = stack.pop()
        for child in node.children:
            child_data = _as_dict(child)
            data["children"].append(child_data)
            stack.append((child, child_data))
    return {"format": "fomo-map", "version": 1, "root": top}


def write(root: Node) -> str:
    # compact: the C encoder (indent= falls back to pure Python, ~8x slower on big maps)
    return json.dumps(to_data(root), ensure_ascii=False, separators=(",", ":")) + "\n"


def read(data: bytes, file: str, warnings: list[str] | None = None) -> Node:
    try:
        document = json.loads(decode_text(data, file))
    except json.JSONDecodeError as error:
        raise FomoError(
            f"not valid JSON: {error.msg}",
            file=file,
            line=error.lineno,
            hint="check the file is a FOMO JSON export",
            code="bad-json",
        ) from None
    except ValueError as error:  # a number past Python's 4,300-digit limit
        raise FomoError(
            f"not valid JSON: {error}", file=file, hint="check the file is a FOMO JSON export"
        ) from None
    except RecursionError:  # the C decoder recurses per bracket: a map far past MAX_DEPTH
        raise too_deep(file) from None
    if not isinstance(document, dict) or document.get("format") != "fomo-map":
        raise FomoError(
            'not a FOMO map export (no "format": "fomo-map")',
            file=file,
            hint="export one with `fomo export json`",
            code="wrong-kind",
        )
    if document.get("version") != 1:
        raise _bad(file, f"unsupported version {document.get('version')!r} (this FOMO reads 1)")
    root = Node(title="")
    stack = [(document.get("root"), root, "root", 0)]
    while stack:
        data, node, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_deep(file)
        children = _fill(node, data, where, file)
        node.children = [Node(title="") for _ in children]
        stack.extend(
            (c, n, f"{where} > {node.title}", depth + 1)
            for c, n in zip(children, node.children, strict=True)
        )
    return root


def _bad(file: str, what: str) -> FomoError:
    return FomoError(
        f"FOMO map export is malformed: {what}",
        file=file,
        hint=f"the schema is {SCHEMA_PATH.name}, shipped with FOMO",
        code="bad-json",
    )


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _fill(node: Node, data: Any, where: str, file: str) -> list[Any]:
    if not isinstance(data, dict):
        raise _bad(file, f"node at {where} is not an object")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise _bad(file, f"node at {where} has an empty title")
    node.title = title
    node.id = data.get("id") if isinstance(data.get("id"), str) else ""
    node.essence = data.get("essence") if isinstance(data.get("essence"), str) else ""
    node.note = data.get("note") if isinstance(data.get("note"), str) else ""
    aliases = data.get("aliases", [])
    if not _strings(aliases):
        raise _bad(file, f"aliases of {title!r} must be a list of strings")
    node.aliases = list(aliases)
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise _bad(file, f"year of {title!r} must be a whole number")
    node.year = year
    links = data.get("links", [])
    if not isinstance(links, list) or not all(
        isinstance(x, dict) and isinstance(x.get("url"), str) for x in links
    ):
        raise _bad(file, f"links of {title!r} must be objects with a url")
    node.links = [Link(x["url"], str(x.get("title") or "")) for x in links]
    relations = data.get("relations", [])
    if not isinstance(relations, list) or not all(
        isinstance(r, dict) and r.get("kind") in RELATION_KINDS and isinstance(r.get("target"), str)
        for r in relations
    ):
        raise _bad(
            file, f"relations of {title!r} need a kind ({', '.join(RELATION_KINDS)}) and a target"
        )
    node.relations = [(r["kind"], r["target"]) for r in relations]
    children = data.get("children", [])
    if not isinstance(children, list):
        raise _bad(file, f"children of {title!r} must be a list")
    return children
