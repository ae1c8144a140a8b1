"""Nodes -> topic files: plan first, then write, so a bad file never leaves half an import.

`plan_import` checks the whole tree (cycles, duplicate ids, untitled nodes), matches each node
to an existing topic by id, title or alias (the shared name table), picks unique kebab-case ids
(the shared `make_id`) and paths for the rest, and renders every file's text with the edit
layer's one front-matter writer. `Plan.change()` is that plan as an edit `Change` (a diff to
show), and `apply` carries it out through the edit layer like every other edit: preflight,
`git mv` inside a work tree, atomic writes, and undo of the whole import on any failure.
Nothing is written when planning raised, and an existing file is rewritten only with `force`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fomo.errors import FomoError
from fomo.formats.nodetext import (
    CUT_PREFIX,
    NO_ESSENCE,
    essence_and_body,
    first_sentence,
    looks_like_fomo_id,
    names,
    reference_kind,
)
from fomo.formats.tree import Link, Node
from fomo.kb.edit import (
    Change,
    FileWrite,
    flow_list,
    flow_map,
    render_front_matter,
    rewrite_front_matter,
    text_value,
)
from fomo.kb.edit import apply as edit_apply
from fomo.kb.edit import folder_of as topic_folder
from fomo.kb.names import make_id, name_key, name_table
from fomo.kb.urls import is_web_url
from fomo.model import RELATION_KINDS, KnowledgeBase, Topic


@dataclass
class Action:
    """One file the import creates, updates, moves or leaves alone."""

    kind: str  # "created" | "updated" | "moved" | "skipped"
    topic_id: str
    title: str
    path: str  # relative to the knowledge base
    reason: str = ""
    text: str | None = None  # the file's new text; None when nothing is written
    remove: str | None = None  # where the file was before (a leaf turned into a folder)
    old: str | None = None  # the text the write replaces; None for a new file


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = {"created": 0, "updated": 0, "moved": 0, "skipped": 0}
        for action in self.actions:
            found[action.kind] += 1
        return found

    def change(self) -> Change:
        """The plan as one edit `Change`: a leaf that gains children is renamed into its new
        folder (its text updated there when the import also changes it), new files created."""
        counts = self.counts()
        change = Change(
            f"import: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['moved']} moved"
        )
        updated = {a.path for a in self.actions if a.kind == "updated"}
        for action in self.actions:
            if action.kind == "moved" and action.remove:
                change.created_dirs.append(action.path.rsplit("/", 1)[0])
                change.moves.append((action.remove, action.path))
                if action.path not in updated and action.text != action.old:
                    change.writes.append(FileWrite(action.path, action.old, action.text))
            elif action.kind in ("created", "updated") and action.text is not None:
                change.writes.append(FileWrite(action.path, action.old, action.text))
        return change


# ---- the tree: checks and clean-up ---------------------------------------------------------


def prepare(root: Node, file: str, warnings: list[str]) -> Node:
    """Refuse cycles and repeated ids; name untitled nodes from their note, or drop them and
    lift their children (XMind writes blank topics; both sample files have them)."""
    if not root.title.strip():
        if not root.essence:
            raise FomoError(
                "the map's central topic has no title",
                file=file,
                hint="give the central topic a title in the mind-map tool",
                code="empty-title",
            )
        root.title = first_sentence(root.essence)[:80]
    seen: dict[str, int] = {}
    stack: list[tuple[Node, frozenset[str], int]] = [(root, frozenset(), 0)]
    serial = 0
    while stack:
        node, ancestors, _ = stack.pop()
        serial += 1
        _whole_unicode(node)
        if node.id:
            if node.id in ancestors:
                raise FomoError(
                    f"node id {node.id!r} ({node.title!r}) appears inside itself: a cycle",
                    file=file,
                    hint="a mind map is a tree; give the inner node its own id",
                    code="cycle",
                )
            if node.id in seen:
                raise FomoError(
                    f"node id {node.id!r} is used by two nodes ({node.title!r})",
                    file=file,
                    hint="ids must be unique in the file; give one of them another id",
                    code="duplicate-id",
                )
            seen[node.id] = serial
        node.children = _titled(node.children, node.title, warnings)
        inner = ancestors | {node.id} if node.id else ancestors
        stack.extend((child, inner, serial) for child in node.children)
    return root


def _whole_unicode(node: Node) -> None:
    """Lone surrogates (a JSON file's "\\ud800") cannot be written as UTF-8: U+FFFD instead."""

    def whole(text: str) -> str:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")

    node.title, node.essence, node.note = whole(node.title), whole(node.essence), whole(node.note)
    node.aliases = [whole(alias) for alias in node.aliases]


def _titled(children: list[Node], parent: str, warnings: list[str]) -> list[Node]:
    """Children with untitled ones resolved: titled from their note, or replaced by their own
    children. Iterative, so a long chain of blank nodes cannot exhaust the stack."""
    result: list[Node] = []
    queue = list(children)
    while queue:
        child = queue.pop(0)
        child.title = " ".join(child.title.split())
        if child.title:
            result.append(child)
        elif child.essence:
            child.title = first_sentence(child.essence)[:80]
            warnings.append(f"untitled node under {parent!r} named from its note: {child.title!r}")
            result.append(child)
        else:
            what = f"its {len(child.children)} child(ren) moved up" if child.children else "empty"
            warnings.append(f"skipped an untitled node under {parent!r} ({what})")
            queue = child.children + queue
    return result


def _walk_parents(root: Node) -> list[tuple[Node, Node | None, int]]:
    """(node, parent, sibling position) depth first, the root first."""
    out: list[tuple[Node, Node | None, int]] = []
    stack: list[tuple[Node, Node | None, int]] = [(root, None, 0)]
    while stack:
        node, parent, position = stack.pop()
        out.append((node, parent, position))
        stack.extend((c, node, i) for i, c in reversed(list(enumerate(node.children, start=1))))
    return out


# ---- the plan -------------------------------------------------------------------------------


class _Names:
    """Existing topics by name (the shared name table), and the ids taken so far."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.table = name_table(kb.topics.values())
        # names with no name key ("<>{}&"), exactly as written
        self.keyless = {
            " ".join(name.split()): topic.id
            for topic in reversed(list(kb.topics.values()))
            for _, name in reversed(topic.names())
            if not name_key(name)
        }
        # "index" would be written as map/.../index.md, its parent's own file
        self.taken = {*kb.topics, "index"}
        self._suffix: dict[str, int] = {}  # per base id, the suffix the last fresh id took

    def resolve(self, node: Node) -> tuple[str | None, str, list[str]]:
        """(the existing topic the node is, or None; its title; its aliases).

        The raw title is tried before the bracketed tail is split off, so a topic titled
        "Scaling (laws)" or "Foo (ABC)" is found again as itself. A title with no name key
        ("<>{}&") is found by that exact title."""
        raw = " ".join(node.title.split())
        title, aliases = names(node)
        found = self._by_names(node, [raw, title, *aliases])
        if found is not None and raw != title and name_key(raw) in self.table.keys_of(found):
            title, aliases = names(Node(raw, aliases=node.aliases), split=False)
        return found, title, aliases

    def _by_names(self, node: Node, candidates: list[str]) -> str | None:
        if node.id and looks_like_fomo_id(node.id) and node.id in self.kb.topics:
            return node.id
        for name in candidates:
            key = name_key(name)
            found = self.table.exact(key) if key else []
            if found:
                return found[0][0]
            if not key and name in self.keyless:
                return self.keyless[name]
        return None

    def fresh(self, node: Node, title: str, *, root: bool = False) -> str:
        """A new unique id: the file's own FOMO-style id, else one made from the title. A new
        map root takes the slug of its title, the id the loader gives map/index.md."""
        if root:
            base = make_id(title, limit=None)
        else:
            base = node.id if looks_like_fomo_id(node.id) else make_id(title)
        n = self._suffix.get(base, 1)  # every suffix below it is taken: `taken` only grows
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self._suffix[base] = n
        self.taken.add(candidate)
        return candidate


def plan_import(
    root: Node,
    kb: KnowledgeBase,
    kb_dir: Path,
    *,
    file: str,
    under: str | None = None,
    force: bool = False,
    today: dt.date | None = None,
    warnings: list[str] | None = None,
) -> Plan:
    """Everything the import would do, with every file's text, checked before anything is
    written. Raises FomoError for a bad tree."""
    today = today or dt.date.today()
    plan = Plan(warnings=list(warnings or []))
    prepare(root, file, plan.warnings)
    table = _Names(kb)
    anchor = kb.get(under) if under else kb.root
    if under and anchor is None:
        raise FomoError(f"no topic {under!r} to import under", hint="pass --under with a topic id")
    order = _walk_parents(root)
    topic_of: dict[int, str] = {}  # id(node) -> topic id
    folder_of: dict[str, str] = {}  # topic id -> folder its children go in
    new_nodes: dict[str, tuple[Node, str, list[str], int]] = {}
    parent_of: dict[str, str | None] = {}
    with_children: set[str] = set()
    seen_titles: dict[str, int] = {}
    names_of: dict[int, tuple[str, list[str]]] = {}  # id(node) -> (title, aliases)
    for node, parent, position in order:
        matched, title, aliases = table.resolve(node)
        names_of[id(node)] = (title, aliases)
        if matched is not None:
            topic_of[id(node)] = matched
            folder_of.setdefault(matched, topic_folder(kb.topics[matched]))
            continue
        new_id = table.fresh(node, title, root=parent is None and anchor is None)
        topic_of[id(node)] = new_id
        new_nodes[new_id] = (node, title, aliases, position)
        key = name_key(title)
        seen_titles[key] = seen_titles.get(key, 0) + 1
        if parent is None:
            parent_of[new_id] = anchor.id if anchor else None
        else:
            parent_of[new_id] = topic_of[id(parent)]
        if node.children:
            with_children.add(new_id)
    for key, times in seen_titles.items():
        if times > 1:
            plan.warnings.append(
                f"{times} nodes share the name {key!r}; `check` will ask to rename all but one"
            )
    # folders: parents first (order is depth first), so a parent's folder is known
    leaf_to_folder: set[str] = set()
    for node, _parent, _ in order:
        topic_id = topic_of[id(node)]
        if topic_id not in new_nodes:
            continue
        parent_id = parent_of[topic_id]
        if parent_id is None:
            folder_of[topic_id] = "map"
            continue
        if parent_id in kb.topics and parent_id not in new_nodes:
            base = folder_of.setdefault(parent_id, topic_folder(kb.topics[parent_id]))
            if not kb.topics[parent_id].source.file.endswith("index.md"):
                leaf_to_folder.add(parent_id)
        else:
            base = folder_of[parent_id]
        folder_of[topic_id] = f"{base}/{topic_id}"
    for topic_id in sorted(leaf_to_folder):
        topic = kb.topics[topic_id]
        plan.actions.append(
            Action(
                "moved",
                topic_id,
                topic.title,
                f"{topic_folder(topic)}/index.md",
                reason=f"a leaf gains children: {topic.source.file} becomes a folder",
                text=_read(kb_dir, topic.source.file),
                remove=topic.source.file,
                old=_read(kb_dir, topic.source.file),
            )
        )
    relations = _relations(order, topic_of)
    updated: set[str] = set()
    for node, _, _ in order:
        topic_id = topic_of[id(node)]
        if topic_id in new_nodes:
            plan.actions.append(
                _create(
                    kb_dir,
                    topic_id,
                    new_nodes[topic_id],
                    folder_of,
                    with_children,
                    relations.get(topic_id, {}),
                    today,
                    force,
                )
            )
        elif topic_id not in updated:
            updated.add(topic_id)
            plan.actions.append(
                _update(
                    kb_dir,
                    kb.topics[topic_id],
                    node,
                    names_of[id(node)],
                    relations.get(topic_id, {}),
                    force,
                    leaf_to_folder,
                )
            )
    return plan


def _relations(order: list[tuple[Node, Node | None, int]], topic_of: dict[int, str]) -> dict:
    by_node_id = {n.id: topic_of[id(n)] for n, _, _ in order if n.id}
    found: dict[str, dict[str, list[str]]] = {}
    for node, _, _ in order:
        source = topic_of[id(node)]
        for kind, target in node.relations:
            target_id = by_node_id.get(target)
            if target_id and target_id != source:
                kinds = found.setdefault(source, {})
                if target_id not in kinds.setdefault(kind, []):
                    kinds[kind].append(target_id)
    return found


def _references(links: list[Link], title: str) -> list[dict[str, str]]:
    return [
        {"title": link.title or title, "url": link.url, "kind": reference_kind(link.url)}
        for link in links
        if is_web_url(link.url)
    ]


def _create(
    kb_dir: Path,
    topic_id: str,
    entry: tuple[Node, str, list[str], int],
    folder_of: dict[str, str],
    with_children: set[str],
    relations: dict[str, list[str]],
    today: dt.date,
    force: bool,
) -> Action:
    node, title, aliases, position = entry
    essence, body, was_cut = essence_and_body(node)
    meta: dict[str, Any] = {"title": title}
    if aliases:
        meta["aliases"] = aliases
    meta["essence"] = essence
    if folder_of[topic_id] != "map":
        meta["order"] = position
    if node.year is not None:
        meta["year"] = node.year
    for kind in RELATION_KINDS:
        if relations.get(kind):
            meta[kind] = relations[kind]
    references = _references(node.links, title)
    if references:
        meta["references"] = references
    meta["added"] = today
    folder = folder_of[topic_id]
    if folder == "map":
        path = "map/index.md"
    else:
        path = f"{folder}/index.md" if topic_id in with_children else f"{folder}.md"
    reason = "essence cut to the limit; rewrite it" if was_cut else ""
    if essence == NO_ESSENCE:
        reason = "no note: write the essence"
    old = None
    if (kb_dir / path).exists():
        if not force:
            return Action(
                "skipped", topic_id, title, path, reason="file exists; --force replaces it"
            )
        reason = "replaced an existing file"
        old = _read(kb_dir, path)
    text = render_front_matter(meta, body.strip())
    return Action("created", topic_id, title, path, reason=reason, text=text, old=old)


def _read(kb_dir: Path, rel: str) -> str:
    try:
        return (kb_dir / rel).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FomoError(
            f"cannot read the existing topic file: {error}",
            file=rel,
            hint="run `fomo check` and fix or restore the file first",
            code="unreadable",
        ) from None


def _update(
    kb_dir: Path,
    topic: Topic,
    node: Node,
    node_names: tuple[str, list[str]],
    relations: dict[str, list[str]],
    force: bool,
    leaf_to_folder: set[str],
) -> Action:
    """Merge what the node brings into an existing topic's file, keeping every untouched line.
    List values in `changes` are the items to append."""
    path = f"{topic_folder(topic)}/index.md" if topic.id in leaf_to_folder else topic.source.file
    title, aliases = node_names
    changes: dict[str, Any] = {}
    keys = {name_key(topic.title), *(name_key(a) for a in topic.aliases)}
    extra: dict[str, str] = {}
    for alias in (title, *aliases):
        key = name_key(alias)
        if key and key not in keys:
            extra.setdefault(key, alias)
    if extra:
        changes["aliases"] = list(extra.values())
    body = node.note
    if node.essence.strip():
        essence, body, _ = essence_and_body(node)
        if essence != " ".join(topic.essence.split()):
            changes["essence"] = essence
    if node.year is not None and node.year != topic.year:
        changes["year"] = node.year
    for kind, targets in relations.items():
        have = getattr(topic, kind)
        more = [t for t in targets if t not in have and t != topic.id]
        if more:
            changes[kind] = more
    known_urls = {r.url for r in topic.references}
    new_refs = [r for r in _references(node.links, topic.title) if r["url"] not in known_urls]
    if new_refs:
        changes["references"] = new_refs
    new_body = body.strip() if body.strip() and body.strip() != topic.body.strip() else None
    if not changes and new_body is None:
        return Action("skipped", topic.id, topic.title, path, reason="already up to date")
    what = ", ".join([*changes, *(["body"] if new_body is not None else [])])
    if not force:
        return Action(
            "skipped", topic.id, topic.title, path, reason=f"would update {what}; pass --force"
        )
    old = _read(kb_dir, topic.source.file)
    text = merge_file(old, changes, new_body, topic.source.file)
    remove = topic.source.file if topic.id in leaf_to_folder else None
    return Action(
        "updated", topic.id, topic.title, path, reason=what, text=text, remove=remove, old=old
    )


def merge_file(text: str, changes: dict[str, Any], body: str | None, file: str) -> str:
    """The file with `changes` merged into its front matter through the edit layer, which
    re-emits only the changed keys and keeps every other byte: list values are appended to
    the existing list (names on one line, references as one-line mappings), other values
    replace. The body is replaced when given."""

    def mutate(data: Any) -> None:
        for key, value in changes.items():
            existing = data.get(key)
            if not isinstance(value, list):
                data[key] = text_value(value)
                continue
            items = [flow_map(v) if isinstance(v, dict) else text_value(v) for v in value]
            if isinstance(existing, list):
                existing.extend(items)
            elif key == "references":
                data[key] = items
            else:
                data[key] = flow_list(([existing] if isinstance(existing, str) else []) + items)

    merged = rewrite_front_matter(text, file, mutate)
    if body is None:
        return merged
    lines = merged.splitlines(keepends=True)
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    closing = lines[end] if lines[end].endswith("\n") else lines[end] + "\n"
    return "".join(lines[:end]) + closing + body + "\n"


# ---- writing --------------------------------------------------------------------------------


def apply(plan: Plan, kb_dir: Path) -> None:
    """Carry out the plan through the edit layer (under its lock, all or nothing)."""
    change = plan.change()
    if change.writes or change.moves:
        edit_apply(change, kb_dir)


__all__ = [  # the importer's API, with the node helpers it is written in terms of
    "CUT_PREFIX",
    "NO_ESSENCE",
    "Action",
    "Plan",
    "apply",
    "essence_and_body",
    "first_sentence",
    "looks_like_fomo_id",
    "make_id",
    "merge_file",
    "names",
    "plan_import",
    "reference_kind",
]
