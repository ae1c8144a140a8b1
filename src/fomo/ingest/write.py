"""Add accepted items to the map as `status: emerging` topics with a TODO essence that
`fomo check` flags until a maintainer writes it (the essence is never invented).

Everything goes through the safe edit layer (`fomo.kb.edit`), as the edit commands do: each topic
is planned with `create_topic` (rendered, validated and checked for id and name collisions before
anything is written; only the placeholder essence is tolerated), the whole batch becomes one
`Change` applied once, and planning and writing both happen under the knowledge base's lock
against a fresh load of the tree. A leaf parent becomes a folder by one rename (`git mv` inside a
work tree), and a failure anywhere undoes the whole batch: all items are added or none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fomo.errors import FomoError
from fomo.ingest.items import Item, Problem
from fomo.kb import edit
from fomo.kb.names import MAX_ID, make_id, name_key, name_table
from fomo.kb.urls import is_web_url
from fomo.kb.validate import ESSENCE_PLACEHOLDER
from fomo.model import KnowledgeBase
from fomo.query.place import name_prefix

ESSENCE_TODO = (
    f"{ESSENCE_PLACEHOLDER} write one sentence in our own words: what it is and why it exists."
)
_ALLOW = ("essence-placeholder",)
# Collisions another id can avoid; any other refusal stops the whole batch.
_RETRY = ("name-collision", "duplicate-id")


def topic_title(item: Item) -> str:
    """A paper's method name when its title leads with one ("SimPO: Simple ..." -> "SimPO")."""
    return name_prefix(item.title) or " ".join(item.title.split())


def base_id(title: str, limit: int = MAX_ID) -> str:
    """The id made from `title` (the shared `make_id`: accents folded, cut at a word)."""
    return make_id(title, limit)


def _ids(title: str, year: int | None) -> list[str]:
    base = base_id(title)
    return [base] + ([f"{base}-{year}"] if year else []) + [f"{base}-{n}" for n in range(2, 10)]


def topic_fields(title: str, item: Item, today: dt.date) -> dict[str, Any]:
    """Front matter of an ingested topic, in the map's key order (None values are left out)."""
    paper = None
    if title != item.title or item.year:
        paper = {"title": item.title, "year": item.year} if item.year else {"title": item.title}
    references = None
    if item.url and is_web_url(item.url):
        references = [{"title": item.title, "url": item.url.strip(), "kind": "paper"}]
    return {
        "title": title,
        "essence": ESSENCE_TODO,
        "year": item.year,
        "paper": paper,
        "status": "emerging",
        "added": today,
        "reviewed": today,
        "references": references,
    }


@dataclass
class Planned:
    """One accepted item as it will be written: its id, title, parent and file."""

    item: Item
    parent: str
    id: str
    title: str
    path: str  # relative to the knowledge base


@dataclass
class Plan:
    """The batch as one change, what it adds, and the items it had to leave out (and why)."""

    change: edit.Change
    added: list[Planned] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def plan(
    root: Path,
    kb: KnowledgeBase,
    accepted: Iterable[tuple[Item, str]],
    *,
    today: dt.date | None = None,
) -> Plan:
    """Plan every accepted (item, parent id) as one `Change`; nothing touches the disk.

    An item whose every title and id would collide with the map or an earlier item is skipped
    and reported; any other refusal (an unknown parent, a file that would not validate) raises
    FomoError and nothing is written."""
    today = today or dt.date.today()
    result = Plan(edit.Change("ingest"))
    table = name_table(kb.topics.values())
    names: set[str] = set()  # names this batch answers to, as `fomo where` compares them
    moves: set[tuple[str, str]] = set()
    for item, parent in accepted:
        titles = list(dict.fromkeys([topic_title(item), " ".join(item.title.split())]))
        reason = "its title is empty"
        change = None
        for title in titles:
            if not name_key(title):
                continue
            if name_key(title) in names or table.exact(name_key(title)):
                reason = f"the map or an earlier item already answers to {title!r}"
                continue
            for topic_id in _ids(title, item.year):
                if topic_id in kb.topics or name_key(topic_id) in names:
                    continue
                if table.exact(name_key(topic_id)):
                    continue
                try:
                    change = edit.create_topic(
                        root,
                        parent,
                        topic_id,
                        topic_fields(title, item, today),
                        kb=kb,
                        allow=_ALLOW,
                    )
                except FomoError as error:
                    if error.code not in _RETRY:
                        raise
                    reason = error.message  # e.g. a stray file with that name: next id
                    continue
                break
            if change is not None:
                break
        if change is None:
            where = item.where or item.title
            result.skipped.append(Problem(where, f"not added: {reason}"))
            continue
        names.update({name_key(title), name_key(topic_id)})
        fresh = [m for m in change.moves if m not in moves]
        moves.update(change.moves)
        result.change.moves += fresh
        result.change.created_dirs += [d for d in change.created_dirs if fresh]
        result.change.writes += change.writes
        result.added.append(Planned(item, parent, topic_id, title, change.writes[0].path))
    count = len(result.added)
    result.change.summary = f"ingest: add {count} topic{'' if count == 1 else 's'}"
    return result


def add(
    root: Path,
    accepted: Iterable[tuple[Item, str]],
    *,
    today: dt.date | None = None,
) -> Plan:
    """Plan and write the accepted items under the lock, all or nothing.

    The tree is loaded again under the lock, so the plan sees edits made since the triage."""
    from fomo.kb.load import load

    root = Path(root)
    accepted = list(accepted)
    with edit.locked(root):
        kb = load(root).kb
        result = plan(root, kb, accepted, today=today)
        if result.change.writes:
            edit.apply(result.change, root)  # an OS failure: FomoError naming file and fix
    return result
