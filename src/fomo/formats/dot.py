"""Graphviz DOT, export only: tree edges solid, relations dashed and labelled with their kind."""

from __future__ import annotations

from fomo.formats.tree import Node, display_title, walk
from fomo.kb.schema import RELATION_LABELS

BINARY = False
SUFFIXES = (".dot", ".gv")


def quote(text: str) -> str:
    """A DOT double-quoted string; backslashes doubled so '\\n' in a title stays literal."""
    text = " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def write(root: Node) -> str:
    ids: dict[int, str] = {}
    for number, node in enumerate(walk(root), start=1):
        ids[id(node)] = node.id or f"node-{number}"
    lines = [
        "digraph fomo {",
        "  graph [rankdir=LR, fontname=Helvetica];",
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fb", fontname=Helvetica];',
        '  edge [color="#8a94a6"];',
    ]
    known = set(ids.values())
    edges: list[str] = []
    for node in walk(root):
        name = quote(ids[id(node)])
        lines.append(f"  {name} [label={quote(display_title(node))}];")
        edges += [f"  {name} -> {quote(ids[id(child)])};" for child in node.children]
        edges += [
            f"  {name} -> {quote(target)} [style=dashed, constraint=false, "
            f"label={quote(RELATION_LABELS.get(kind, kind))}];"
            for kind, target in node.relations
            if target in known
        ]
    return "\n".join([*lines, *edges, "}"]) + "\n"
