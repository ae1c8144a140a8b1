"""Planning edits: each function validates against a fresh tree and returns a `Change` without
touching the disk (the topic file must parse and pass the per-topic checks, the parent must
exist, the id and names must be new, a move may not go into the topic's own subtree). A refused
edit raises `FomoError`."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from fomo.errors import FomoError
from fomo.kb.edit.change import Change, FileWrite
from fomo.kb.edit.render import (
    flow_list,
    insert_key,
    render_front_matter,
    rewrite_front_matter,
    text_value,
)
from fomo.kb.location import MAP_DIR
from fomo.kb.names import make_id, name_key, name_table
from fomo.kb.validate import ID_PATTERN, SESSION_KEYS, check_topic_record
from fomo.model import KnowledgeBase, Topic


def _load(root: Path) -> KnowledgeBase:
    from fomo.kb.load import load

    return load(root).kb


def _topic(kb: KnowledgeBase, topic_id: str, role: str = "topic") -> Topic:
    topic = kb.get(topic_id)
    if topic is None:
        close = difflib.get_close_matches(topic_id, list(kb.topics), n=1, cutoff=0.6)
        raise FomoError(
            f"unknown {role} {topic_id!r}: no topic has this id",
            hint=f"did you mean {close[0]!r}?"
            if close
            else "find ids with `fomo where` or `fomo tree`",
            code="unknown-topic",
        )
    return topic


def _read(root: Path, rel: str) -> str:
    try:
        return (root / rel).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FomoError(f"cannot read the file: {error}", file=rel) from None


def _refuse_collisions(kb: KnowledgeBase, names: Iterable[str], exclude: str | None) -> None:
    table = name_table(kb.topics.values())
    for name in names:
        claim = table.owner(name, exclude)
        if claim is not None:
            owner, written = claim
            raise FomoError(
                f"the name {name!r} reads the same as {written!r} of topic '{owner}'",
                hint=f"each id, title and alias names one topic; see `fomo where {owner}`",
                code="name-collision",
            )


def _check_topic_text(rel: str, text: str, old_text: str | None, allow: Iterable[str] = ()) -> None:
    """The new topic file must parse and pass the per-topic checks (codes it already failed
    before the edit, and `allow`ed codes, are tolerated)."""
    from fomo.kb.records import read_record

    def findings(content: str) -> list[Any]:
        record = read_record(content.encode("utf-8"), rel)
        if record["error"]:
            error = record["error"]
            raise FomoError(
                f"the edited file would not load: {error['message']}",
                file=rel,
                line=error["line"],
                code="edit-failed",
            )
        return check_topic_record(rel, record, Path("."))

    before = {f.code for f in findings(old_text)} if old_text is not None else set()
    for finding in findings(text):
        if finding.code in before or finding.code in set(allow):
            continue
        raise FomoError(
            f"refused: {finding.message}",
            file=rel,
            line=finding.line,
            hint=finding.hint,
            code=finding.code,
        )


def folder_of(topic: Topic) -> str:
    """Map path of the folder that holds (or would hold) the topic's children."""
    file = topic.source.file
    return file[: -len("/index.md")] if file.endswith("/index.md") else file[: -len(".md")]


def _leaf_to_folder(topic: Topic) -> tuple[str, str] | None:
    """The rename that turns a leaf `x.md` into `x/index.md`, or None for a folder topic."""
    file = topic.source.file
    if file.endswith("/index.md"):
        return None
    return file, f"{file[: -len('.md')]}/index.md"


def _check_id(kb: KnowledgeBase, root: Path, topic_id: str, folder: str) -> None:
    if not ID_PATTERN.match(topic_id):
        raise FomoError(
            f"id {topic_id!r} is not lowercase kebab-case",
            hint=f"use e.g. {make_id(topic_id)!r}",
            code="bad-id",
        )
    if topic_id in kb.topics:
        raise FomoError(
            f"id {topic_id!r} is already used by {kb.topics[topic_id].source.file}",
            hint="ids are unique across the whole map: pick another id",
            code="duplicate-id",
        )
    for candidate in (f"{folder}/{topic_id}.md", f"{folder}/{topic_id}"):
        if (root / candidate).exists():
            raise FomoError(
                f"{candidate} already exists", hint="pick another id", code="duplicate-id"
            )


def create_topic(
    root: Path,
    parent_id: str,
    topic_id: str,
    fields: dict[str, Any],
    body: str = "",
    *,
    kb: KnowledgeBase | None = None,
    allow: Iterable[str] = (),
) -> Change:
    """Plan a new topic file `topic_id` under `parent_id` with front matter `fields` (in the
    given order). A leaf parent becomes a folder. `allow` lists check codes to tolerate (e.g.
    'essence-placeholder' for ingested topics whose essence a maintainer still has to write)."""
    root = Path(root)
    kb = kb if kb is not None else _load(root)
    parent = _topic(kb, parent_id, "parent")
    if not parent.source.file.startswith(MAP_DIR + "/"):
        raise FomoError(f"parent {parent_id!r} has no file in the map", hint="pick another parent")
    folder = folder_of(parent) if parent.parent is not None else MAP_DIR
    _check_id(kb, root, topic_id, folder)
    names = [topic_id, str(fields.get("title") or ""), *(fields.get("aliases") or [])]
    _refuse_collisions(kb, [n for n in names if n], None)
    rel = f"{folder}/{topic_id}.md"
    text = render_front_matter(fields, body)
    _check_topic_text(rel, text, None, allow)
    change = Change(f"add topic '{topic_id}' under '{parent_id}'", [FileWrite(rel, None, text)])
    if parent.parent is not None:
        grow = _leaf_to_folder(parent)
        if grow is not None:
            change.moves.append(grow)
            change.created_dirs.append(folder)
    return change


def add_topic(
    root: Path,
    parent_id: str,
    topic_id: str,
    *,
    title: str,
    essence: str,
    aliases: Iterable[str] = (),
    year: int | None = None,
    today: dt.date | None = None,
    kb: KnowledgeBase | None = None,
) -> Change:
    """Plan `fomo add`: a new leaf topic with `added` and `reviewed` set to today."""
    today = today or dt.date.today()
    fields: dict[str, Any] = {"title": title.strip(), "aliases": list(aliases) or None}
    fields["essence"] = essence.strip()
    fields["year"] = year
    fields["added"] = today
    fields["reviewed"] = today
    return create_topic(root, parent_id, topic_id, fields, kb=kb)


def edit_topic(
    root: Path,
    topic_id: str,
    mutate: Callable[[Any], None],
    summary: str,
    *,
    kb: KnowledgeBase | None = None,
) -> Change:
    """Plan a front-matter edit of one topic (`mutate` changes the ruamel mapping in place)."""
    root = Path(root)
    kb = kb if kb is not None else _load(root)
    topic = _topic(kb, topic_id)
    rel = topic.source.file
    old = _read(root, rel)
    new = rewrite_front_matter(old, rel, mutate)
    if new == old:
        return Change(summary + " (no change)")
    _check_topic_text(rel, new, old)
    return Change(summary, [FileWrite(rel, old, new)])


def add_alias(root: Path, topic_id: str, name: str, *, kb: KnowledgeBase | None = None) -> Change:
    """Plan `fomo alias`: append `name` to the topic's aliases (refusing a name another topic
    already answers to, or one this topic already has)."""
    root = Path(root)
    kb = kb if kb is not None else _load(root)
    topic = _topic(kb, topic_id)
    name = name.strip()
    if not name:
        raise FomoError("the alias is empty", hint='e.g. fomo alias dpo "Direct Preference Opt"')
    if name_key(name) in {name_key(n) for _, n in topic.names()}:
        raise FomoError(
            f"{topic_id!r} already answers to {name!r}",
            hint=f"see `fomo where {topic_id}`",
            code="name-collision",
        )
    _refuse_collisions(kb, [name], topic_id)

    def mutate(data: Any) -> None:
        aliases = data.get("aliases")
        if isinstance(aliases, list):
            aliases.append(text_value(name))
        elif isinstance(aliases, str):
            data["aliases"] = flow_list([aliases, name])
        else:
            insert_key(data, "aliases", flow_list([name]))

    return edit_topic(root, topic_id, mutate, f"alias '{name}' for '{topic_id}'", kb=kb)


def review_topic(
    root: Path, topic_id: str, *, today: dt.date | None = None, kb: KnowledgeBase | None = None
) -> Change:
    """Plan `fomo review`: set `reviewed` to today."""
    today = today or dt.date.today()

    def mutate(data: Any) -> None:
        if "reviewed" in data:
            data["reviewed"] = today
        else:
            insert_key(data, "reviewed", today)

    return edit_topic(root, topic_id, mutate, f"review '{topic_id}' on {today}", kb=kb)


def move_topic(
    root: Path, topic_id: str, new_parent_id: str, *, kb: KnowledgeBase | None = None
) -> Change:
    """Plan `fomo move`: the topic's file or folder goes under the new parent (a leaf parent
    becomes a folder; an old parent left with only its index.md becomes a leaf again)."""
    root = Path(root)
    kb = kb if kb is not None else _load(root)
    topic = _topic(kb, topic_id)
    target = _topic(kb, new_parent_id, "parent")
    if topic.parent is None:
        raise FomoError("the root of the map cannot be moved", code="bad-move")
    if new_parent_id in {t.id for t in kb.subtree(topic_id)}:
        raise FomoError(
            f"cannot move '{topic_id}' under '{new_parent_id}': that is inside its own subtree",
            hint="pick a parent outside the branch you are moving",
            code="bad-move",
        )
    if topic.parent == new_parent_id:
        raise FomoError(
            f"'{topic_id}' is already under '{new_parent_id}'",
            hint="nothing to do",
            code="bad-move",
        )
    change = Change(f"move '{topic_id}' under '{new_parent_id}'")
    # 1. the new parent grows a folder when it is a leaf
    new_folder = folder_of(target) if target.parent is not None else MAP_DIR
    grow = _leaf_to_folder(target) if target.parent is not None else None
    if grow is not None:
        change.created_dirs.append(new_folder)
        change.moves.append(grow)
    # 2. the topic itself (its file, or its whole folder)
    source = topic.source.file
    is_folder = source.endswith("/index.md")
    current = folder_of(topic) if is_folder else source
    destination = f"{new_folder}/{topic_id}" + ("" if is_folder else ".md")
    for candidate in (f"{new_folder}/{topic_id}", f"{new_folder}/{topic_id}.md"):
        if (root / candidate).exists():
            raise FomoError(f"{candidate} already exists", hint="rename one", code="duplicate-id")
    change.moves.append((current, destination))
    # 3. the old parent shrinks back to a leaf when this was its last child
    old_parent = kb.parent(topic_id)
    if old_parent is not None and old_parent.parent is not None:
        old_folder = folder_of(old_parent)
        left = [p.name for p in (root / old_folder).iterdir() if p.name != "index.md"]
        moving = Path(current).name
        if left == [moving]:
            change.moves.append((f"{old_folder}/index.md", f"{old_folder}.md"))
            change.removed_dirs.append(old_folder)
    return change


def _session(kb: KnowledgeBase, number: int) -> Any:
    for session in kb.sessions:
        if session.number == number:
            return session
    raise FomoError(
        f"no session {number}",
        hint="see the series with `fomo sessions`",
        code="unknown-session",
    )


def update_part(
    root: Path,
    session_number: int,
    part_number: int,
    updates: dict[str, Any],
    *,
    kb: KnowledgeBase | None = None,
) -> Change:
    """Plan an edit of one part of a session's `parts` list (only that key is re-emitted)."""
    root = Path(root)
    kb = kb if kb is not None else _load(root)
    session = _session(kb, session_number)
    rel = session.source.file
    old = _read(root, rel)

    def mutate(data: Any) -> None:
        parts = data.get("parts")
        for position, part in enumerate(parts if isinstance(parts, list) else [], start=1):
            if isinstance(part, dict) and (part.get("number") or position) == part_number:
                for key, value in updates.items():
                    part[key] = value
                return
        raise FomoError(
            f"session {session_number} has no part {part_number}",
            file=rel,
            hint=f"see `fomo sessions {session_number}`",
            code="unknown-part",
        )

    new = rewrite_front_matter(old, rel, mutate, order=SESSION_KEYS)
    summary = f"update part {part_number} of session {session_number}"
    return Change(summary, [FileWrite(rel, old, new)] if new != old else [])


def create_file(root: Path, rel: str, text: str, summary: str) -> Change:
    """Plan a new file (an article); refused when it exists."""
    if (Path(root) / rel).exists():
        raise FomoError(f"{rel} already exists", hint="pick another name", code="exists")
    return Change(summary, [FileWrite(rel, None, text)])
