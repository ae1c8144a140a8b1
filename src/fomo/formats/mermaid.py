"""Mermaid `mindmap` diagrams, export only.

Mermaid refuses diagram text over `maxTextSize` (50,000 characters by default) and a mind map of
more than a couple of hundred nodes is unreadable, so `fit` cuts a large branch to fewer levels
and says so.
"""

from __future__ import annotations

from fomo.formats.tree import Node, count, cut, display_title, height

BINARY = False
SUFFIXES = (".mmd",)
MAX_NODES = 200
MAX_TEXT = 50_000
_ENTITIES = {'"': "#34;", "#": "#35;", "&": "#38;", "<": "#60;", ">": "#62;", "`": "#96;"}


def label(text: str) -> str:
    """A quoted Mermaid label: quotes, '#', '&' and angle brackets as Mermaid entity codes."""
    text = "".join(_ENTITIES.get(ch, ch) for ch in " ".join(text.split()))
    return f'"{text}"'


def write(root: Node) -> str:
    lines = ["mindmap", f"  root(({label(display_title(root))}))"]
    counter = 0
    stack = [(child, 2) for child in reversed(root.children)]
    while stack:
        node, depth = stack.pop()
        counter += 1
        lines.append(f"{'  ' * depth}n{counter}[{label(display_title(node))}]")
        stack.extend((child, depth + 1) for child in reversed(node.children))
    return "\n".join(lines) + "\n"


def fit(root: Node, depth: int | None) -> tuple[Node, str | None]:
    """The branch cut so that Mermaid renders it: to `depth` if given, else to the deepest level
    that stays within the limits; the message says what was cut, or None when nothing was."""
    total = count(root)
    if total <= MAX_NODES and len(write(root)) <= MAX_TEXT:
        return root, None
    levels = height(root)
    if depth is None:
        depth = levels
        while depth > 1:
            depth -= 1
            smaller = cut(root, depth)
            if count(smaller) <= MAX_NODES and len(write(smaller)) <= MAX_TEXT:
                break
    smaller = cut(root, depth)
    return smaller, (
        f"the branch has {total} topics over {levels} levels, more than Mermaid renders "
        f"comfortably (about {MAX_NODES}); cut to {depth} level(s), {count(smaller)} topics"
    )
