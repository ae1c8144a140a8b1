"""Nodes -> topic files: plan first, then write, so a bad file never leaves half an import.

`plan_import` checks the whole tree (cycles, duplicate ids, untitled nodes), matches each node
to an existing topic by id, title or alias (the shared name key), picks unique kebab-case ids
and paths for the rest, and renders every file's text. `apply` then writes them atomically.
Nothing is written when planning raised, and an existing file is rewritten only with `force`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fomo.errors import FomoError
from fomo.formats.tree import Link, Node, split_title
from fomo.kb.edit import atomic_write, locked
from fomo.kb.names import name_key
from fomo.kb.validate import ESSENCE_LIMIT, ID_PATTERN
from fomo.model import KnowledgeBase, Topic

NO_ESSENCE = "TODO: one sentence on what it is and why it exists"
CUT_PREFIX = "TODO shorten: "
MAX_ID = 60
_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s+|$)")
_RANDOM_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-|^\d+$|^[0-9a-z]{20,}$")
_KIND_BY_HOST = (
    ("arxiv.org", "paper"),
    ("doi.org", "paper"),
    ("openreview.net", "paper"),
    ("youtube.com", "video"),
    ("youtu.be", "video"),
    ("github.com", "code"),
)


@dataclass
class Action:
    """One file the import creates, updates, moves or leaves alone."""

    kind: str  # "created" | "updated" | "moved" | "skipped"
    topic_id: str
    title: str
    path: str  # relative to the knowledge base
    reason: str = ""
    text: str | None = None  # the file's new text; None when nothing is written
    remove: str | None = None  # a path to delete after writing (a leaf turned into a folder)


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = {"created": 0, "updated": 0, "moved": 0, "skipped": 0}
        for action in self.actions:
            found[action.kind] += 1
        return found

    def lines(self) -> list[str]:
        out = [
            f"{a.kind:8} {a.path}  ({a.title})" + (f": {a.reason}" if a.reason else "")
            for a in self.actions
        ]
        counts = self.counts()
        out.append(", ".join(f"{n} {kind}" for kind, n in counts.items()))
        return out


# ---- the tree: checks and clean-up ---------------------------------------------------------


def _first_sentence(text: str) -> str:
    match = _SENTENCE.match(text)
    return match.group(1) if match else text


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
        root.title = _first_sentence(root.essence)[:80]
    seen: dict[str, int] = {}
    stack: list[tuple[Node, frozenset[str], int]] = [(root, frozenset(), 0)]
    serial = 0
    while stack:
        node, ancestors, _ = stack.pop()
        serial += 1
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
            child.title = _first_sentence(child.essence)[:80]
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


# ---- names and fields -----------------------------------------------------------------------


def make_id(title: str) -> str:
    """A kebab-case id from a title: accents folded, at most MAX_ID characters, cut at a word."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID].rsplit("-", 1)[0] if "-" in slug[:MAX_ID] else slug[:MAX_ID]
    return slug or "topic"


def looks_like_fomo_id(node_id: str) -> bool:
    """Ids that FOMO wrote (kebab-case words), not a tool's random ones (uuids, long hashes)."""
    return bool(ID_PATTERN.match(node_id)) and not _RANDOM_ID.search(node_id)


def reference_kind(url: str) -> str:
    host = url.split("/")[2].lower() if url.count("/") >= 2 else ""
    return next((kind for part, kind in _KIND_BY_HOST if host.endswith(part)), "docs")


def names(node: Node) -> tuple[str, list[str]]:
    """Title and aliases: a bracketed tail "(DPO)" becomes an alias; repeats dropped."""
    title, tail = split_title(node.title)
    keys = {name_key(title)}
    aliases = []
    for alias in [*node.aliases, *tail]:
        key = name_key(alias)
        if key and key not in keys:
            keys.add(key)
            aliases.append(alias)
    return title, aliases


def essence_and_body(node: Node) -> tuple[str, str, bool]:
    """(essence, body, cut): the note's first sentence as the essence, the rest as the body.
    An essence over the limit is cut and marked TODO, so `check` asks a person to rewrite it;
    the whole note then stays in the body, so nothing is lost."""
    first = " ".join(node.essence.split())
    if not first:
        return NO_ESSENCE, node.note, False
    sentence = _first_sentence(first)
    rest = first[len(sentence) :].strip()
    body = "\n\n".join(part for part in (rest, node.note) if part)
    if len(sentence) <= ESSENCE_LIMIT:
        return sentence, body, False
    room = ESSENCE_LIMIT - len(CUT_PREFIX) - 1
    short = sentence[:room].rsplit(" ", 1)[0] if " " in sentence[:room] else sentence[:room]
    return CUT_PREFIX + short + "…", "\n\n".join(p for p in (first, node.note) if p), True


# ---- the plan -------------------------------------------------------------------------------


class _Names:
    """Existing topics by name key, and the ids taken so far."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.by_key: dict[str, str] = {}
        for topic in kb.topics.values():
            for name in (topic.id, topic.title, *topic.aliases):
                self.by_key.setdefault(name_key(name), topic.id)
        self.taken = set(kb.topics)

    def match(self, kb: KnowledgeBase, node: Node, title: str, aliases: list[str]) -> str | None:
        if node.id and looks_like_fomo_id(node.id) and node.id in kb.topics:
            return node.id
        for name in (title, *aliases):
            key = name_key(name)
            if key and key in self.by_key:
                return self.by_key[key]
        return None

    def fresh(self, node: Node, title: str) -> str:
        base = node.id if looks_like_fomo_id(node.id) else make_id(title)
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


def _folder_of(topic: Topic) -> str:
    """The folder a topic's children live in (relative to the kb); for a leaf, its future one."""
    file = topic.source.file
    return file[: -len("/index.md")] if file.endswith("/index.md") else file[: -len(".md")]


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
    for node, parent, position in order:
        title, aliases = names(node)
        matched = table.match(kb, node, title, aliases)
        if matched is not None:
            topic_of[id(node)] = matched
            folder_of.setdefault(matched, _folder_of(kb.topics[matched]))
            continue
        new_id = table.fresh(node, title)
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
            base = folder_of.setdefault(parent_id, _folder_of(kb.topics[parent_id]))
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
                f"{_folder_of(topic)}/index.md",
                reason=f"a leaf gains children: {topic.source.file} becomes a folder",
                text=(kb_dir / topic.source.file).read_text(encoding="utf-8"),
                remove=topic.source.file,
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
                    kb,
                    kb_dir,
                    kb.topics[topic_id],
                    node,
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
        if link.url.startswith(("http://", "https://"))
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
    for kind in ("builds_on", "alternative_to", "related"):
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
    if (kb_dir / path).exists():
        if not force:
            return Action(
                "skipped", topic_id, title, path, reason="file exists; --force replaces it"
            )
        reason = "replaced an existing file"
    return Action("created", topic_id, title, path, reason=reason, text=render(meta, body))


def render(meta: dict[str, Any], body: str) -> str:
    """A topic file: YAML front matter (PyYAML quotes whatever needs quoting) and the body."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    front = yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n" + (f"{body.strip()}\n" if body.strip() else "")


def _update(
    kb: KnowledgeBase,
    kb_dir: Path,
    topic: Topic,
    node: Node,
    relations: dict[str, list[str]],
    force: bool,
    leaf_to_folder: set[str],
) -> Action:
    """Merge what the node brings into an existing topic's file, keeping its comments."""
    path = f"{_folder_of(topic)}/index.md" if topic.id in leaf_to_folder else topic.source.file
    title, aliases = names(node)
    changes: dict[str, Any] = {}
    keys = {name_key(topic.title), *(name_key(a) for a in topic.aliases)}
    extra_aliases = [a for a in [title, *aliases] if name_key(a) not in keys]
    if extra_aliases:
        changes["aliases"] = [*topic.aliases, *dict.fromkeys(extra_aliases)]
    first = " ".join(node.essence.split())
    body = ""
    if first and first != topic.essence:
        essence, body, _ = essence_and_body(node)
        changes["essence"] = essence
    elif node.note:
        body = node.note
    if node.year is not None and node.year != topic.year:
        changes["year"] = node.year
    for kind, targets in relations.items():
        have = getattr(topic, kind)
        more = [t for t in targets if t not in have and t != topic.id]
        if more:
            changes[kind] = [*have, *more]
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
    source = kb_dir / topic.source.file
    text = merge_file(source.read_text(encoding="utf-8"), changes, new_body, str(source))
    remove = topic.source.file if topic.id in leaf_to_folder else None
    return Action("updated", topic.id, topic.title, path, reason=what, text=text, remove=remove)


def merge_file(text: str, changes: dict[str, Any], body: str | None, file: str) -> str:
    """Set front-matter keys with ruamel.yaml's round trip (comments and layout kept); append
    new references to the existing list; replace the body when given."""
    from ruamel.yaml import YAML

    lines = text.splitlines(keepends=True)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if not lines or lines[0].strip() != "---" or end is None:
        raise FomoError("no front matter to update", file=file, code="no-front-matter")
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 100
    meta = rt.load("".join(lines[1:end])) or {}
    for key, value in changes.items():
        if key == "references":
            existing = meta.get("references")
            if isinstance(existing, list):
                existing.extend(value)
            else:
                meta["references"] = value
        else:
            meta[key] = value
    out = io.StringIO()
    rt.dump(meta, out)
    rest = "".join(lines[end + 1 :]) if body is None else body + "\n"
    return "---\n" + out.getvalue() + "---\n" + rest


# ---- writing --------------------------------------------------------------------------------


def apply(plan: Plan, kb_dir: Path) -> None:
    """Write every planned file; moves first so a leaf's new folder exists for its children."""
    ordered = sorted(plan.actions, key=lambda a: a.kind != "moved")
    try:
        with locked(kb_dir):
            for action in ordered:
                if action.text is None:
                    continue
                atomic_write(kb_dir / action.path, action.text)
                if action.remove and action.remove != action.path:
                    (kb_dir / action.remove).unlink(missing_ok=True)
    except OSError as error:
        raise FomoError(
            f"could not write the import: {error}",
            file=str(getattr(error, "filename", "") or kb_dir),
            hint="check the folder is writable; `git status` shows what was written",
        ) from None
