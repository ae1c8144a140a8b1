"""The neutral tree every format reads into and writes from, so no format knows another.

A `Node` carries only what mind-map tools can hold: a title, an id, an essence (one line), a
longer note, aliases, a year, links and typed relations to other nodes' ids. `from_kb` cuts a
branch out of the KnowledgeBase; `fomo.formats.importer` turns nodes back into topic files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from fomo.errors import FomoError
from fomo.formats.safe import MAX_DEPTH
from fomo.kb.urls import is_web_url
from fomo.model import KnowledgeBase, Topic

# Titles written "Direct Preference Optimization (DPO)": the tail in brackets names aliases.
_ALIAS_TAIL = re.compile(r"^(?P<title>.*\S)\s*\((?P<aliases>[^()]+)\)$")
_ALIAS_WORD = re.compile(r"^[^\s,()]{1,24}$")


@dataclass
class Link:
    url: str
    title: str = ""


@dataclass
class Node:
    title: str
    id: str = ""
    essence: str = ""
    note: str = ""
    aliases: list[str] = field(default_factory=list)
    year: int | None = None
    links: list[Link] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    relations: list[tuple[str, str]] = field(default_factory=list)  # (kind, target node id)


def web_links(node: Node) -> list[Link]:
    """The node's links that every exporter may write: absolute http(s) only, by the rule
    `fomo check` applies (`kb.urls.is_web_url`), so a `javascript:` or `data:` link in a topic
    file never reaches an href, LINK, url or Markdown link of another tool."""
    return [link for link in node.links if is_web_url(link.url)]


def walk(node: Node) -> Iterator[Node]:
    """Every node depth first, the given one first; iterative so depth never hits recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def walk_depth(node: Node) -> Iterator[tuple[Node, int]]:
    stack = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        yield current, depth
        stack.extend((child, depth + 1) for child in reversed(current.children))


def count(node: Node) -> int:
    return sum(1 for _ in walk(node))


def height(node: Node) -> int:
    return max(depth for _, depth in walk_depth(node))


def cut(node: Node, depth: int) -> Node:
    """A copy holding only `depth` levels below the given node (0 = the node alone)."""
    top = Node(**{**node.__dict__, "children": []})
    stack = [(node, top, depth)]
    while stack:
        original, copy, left = stack.pop()
        if left > 0:
            copy.children = [Node(**{**c.__dict__, "children": []}) for c in original.children]
            stack.extend(
                (o, c, left - 1) for o, c in zip(original.children, copy.children, strict=True)
            )
    return top


def join_note(essence: str, note: str) -> str:
    """One notes field for tools that have only one: the essence line, a blank line, the body."""
    if essence and note:
        return f"{essence}\n\n{note}"
    return essence or note


def split_note(text: str) -> tuple[str, str]:
    """The inverse of `join_note`: the first line is the essence, the rest the note."""
    text = text.replace("\r\n", "\n").strip()
    first, _, rest = text.partition("\n")
    return first.strip(), rest.strip("\n")


def is_alias_word(word: str) -> bool:
    """The one rule for an alias that may ride in a title's brackets, used both ways.

    Short, space-free words with a capital or a digit ("DPO", "GPT-4", "LoRA"): so
    'Attention (2017 paper)' and 'Adam (optimizer)' keep their titles whole on import, and an
    alias that fails the rule (e.g. "n-gram") is never written into a title, where it could not
    be read back."""
    return bool(_ALIAS_WORD.match(word)) and any(c.isupper() or c.isdigit() for c in word)


def split_title(text: str) -> tuple[str, list[str]]:
    """'Direct Preference Optimization (DPO)' -> ('Direct Preference Optimization', ['DPO']).

    The tail splits only when every bracketed word passes `is_alias_word`."""
    match = _ALIAS_TAIL.match(text.strip())
    if not match:
        return text.strip(), []
    words = [w.strip() for w in match.group("aliases").split(",")]
    if all(is_alias_word(w) for w in words):
        return match.group("title"), words
    return text.strip(), []


def title_aliases(node: Node) -> list[str]:
    """The aliases `display_title` writes into the title: exactly those `split_title` reads back."""
    return [a for a in node.aliases if is_alias_word(a)]


def display_title(node: Node) -> str:
    """The title with aliases in brackets, for formats that have no alias field. Aliases that
    could not be read back (lowercase, spaced) are left out: those formats cannot carry them."""
    good = title_aliases(node)
    return f"{node.title} ({', '.join(good)})" if good else node.title


def _node_of(topic: Topic, ids: set[str]) -> Node:
    links: list[Link] = []
    if topic.paper and topic.paper.url:
        links.append(Link(topic.paper.url, topic.paper.title))
    links += [Link(r.url, r.title) for r in topic.references]
    links = [link for link in links if is_web_url(link.url)]  # the rule of `web_links`
    return Node(
        title=topic.title,
        id=topic.id,
        essence=" ".join(topic.essence.split()),
        note=topic.body.strip(),
        aliases=list(topic.aliases),
        year=topic.year,
        links=links,
        relations=[(k, t) for k, t in topic.relations() if t in ids],
    )


def from_kb(kb: KnowledgeBase, root_id: str | None = None, depth: int | None = None) -> Node:
    """The branch under `root_id` (default: the map's root) as a Node tree, `depth` levels deep.

    Relations are kept only when both ends are in the branch. A parent loop is refused: the
    tree formats cannot hold it and walking it would never end."""
    root = kb.get(root_id) if root_id else kb.root
    if root is None:
        raise FomoError(
            "the map has no root topic" if not root_id else f"no topic {root_id!r}",
            hint="add map/index.md with a title and essence",
        )
    _refuse_cycles(kb, root.id)
    members = [
        t
        for t in kb.subtree(root.id)
        if depth is None or kb.depth(t.id) - kb.depth(root.id) <= depth
    ]
    ids = {t.id for t in members}
    nodes = {t.id: _node_of(t, ids) for t in members}
    for topic in members[1:]:
        if topic.parent in nodes:
            nodes[topic.parent].children.append(nodes[topic.id])
    if height(nodes[root.id]) > MAX_DEPTH:  # no importer would read it back, and JSON and XML
        raise FomoError(  # serialisers recurse per level
            f"the branch under {root.id!r} is nested more than {MAX_DEPTH} levels deep",
            file=root.source.file or None,
            hint=f"export it with --depth {MAX_DEPTH} or less, or a deeper --root",
            code="too-deep",
        )
    return nodes[root.id]


def _refuse_cycles(kb: KnowledgeBase, root_id: str) -> None:
    seen: set[str] = set()
    stack = [root_id]
    while stack:
        current = stack.pop()
        if current in seen:
            topic = kb.topics[current]
            raise FomoError(
                f"the map has a cycle through topic {current!r}",
                file=topic.source.file or None,
                hint="two topic files share an id; rename one so each id is unique",
                code="cycle",
            )
        seen.add(current)
        stack.extend(c.id for c in kb.children(current))
