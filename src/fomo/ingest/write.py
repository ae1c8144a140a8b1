"""Add accepted items to the map as `status: emerging` topics with a TODO essence that
`fomo check` flags until a maintainer writes it (the essence is never invented).

Every file goes through the edit layer's `atomic_write` (temporary file, fsync, os.replace) under
its knowledge-base lock, so an interrupted run leaves the old file or the new one, never half of
one. A leaf parent (`x.md`) becomes a folder (`x/index.md`) first: the folder's index is written,
then the leaf removed. Only new files are written (and one moved verbatim): no YAML round trip.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from fomo.errors import FomoError
from fomo.ingest.items import Item
from fomo.kb.edit import atomic_write, locked
from fomo.kb.location import MAP_DIR
from fomo.kb.records import slugify
from fomo.model import KnowledgeBase

ESSENCE_TODO = "TODO: write one sentence in our own words: what it is and why it exists."
_NAME_PREFIX = re.compile(r"^\s*([^:]{2,60}?)\s*:\s+\S")


def topic_title(item: Item) -> str:
    """A paper's method name when its title leads with one ("SimPO: Simple ..." -> "SimPO")."""
    match = _NAME_PREFIX.match(item.title)
    if match and len(match.group(1).split()) <= 4:
        return match.group(1).strip()
    return item.title.strip()


class _Dumper(yaml.SafeDumper):
    """Plain YAML without anchors: `added` and `reviewed` are the same date object."""

    def ignore_aliases(self, data: object) -> bool:
        return True


@dataclass
class NewTopic:
    id: str
    title: str
    parent: str
    path: Path  # where the topic file goes
    text: str
    move_leaf: tuple[Path, Path] | None = None  # (x.md, x/index.md) when the parent is a leaf


def unique_id(kb: KnowledgeBase, title: str, taken: set[str], year: int | None) -> str:
    base = slugify(title)[:60].strip("-") or "topic"
    options = [base] + ([f"{base}-{year}"] if year else []) + [f"{base}-{n}" for n in range(2, 99)]
    for option in options:
        if option not in kb.topics and option not in taken:
            return option
    raise FomoError(f"no free id for {title!r}", hint="rename the topic")


def render(title: str, item: Item, today: dt.date) -> str:
    meta: dict[str, object] = {"title": title, "essence": ESSENCE_TODO}
    if item.year:
        meta["year"] = item.year
    if title != item.title or item.year:
        paper: dict[str, object] = {"title": item.title}
        if item.year:
            paper["year"] = item.year
        meta["paper"] = paper
    meta["status"] = "emerging"
    meta["added"] = today
    meta["reviewed"] = today
    if item.url:
        meta["references"] = [{"title": item.title, "url": item.url, "kind": "paper"}]
    front = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{front}---\n"


def plan(
    kb: KnowledgeBase,
    root: Path,
    item: Item,
    parent_id: str,
    *,
    today: dt.date | None = None,
    taken: set[str] | None = None,
) -> NewTopic:
    """Where and what to write for `item` under `parent_id`; nothing touches the disk yet."""
    parent = kb.get(parent_id)
    if parent is None:
        raise FomoError(f"no topic {parent_id!r} to put the new topic under")
    taken = taken if taken is not None else set()
    title = topic_title(item)
    topic_id = unique_id(kb, title, taken, item.year)
    taken.add(topic_id)
    source = root / parent.source.file
    move = None
    if source.name == "index.md":
        folder = source.parent
    else:
        folder = source.with_suffix("")
        move = (source, folder / "index.md")
    if not str(parent.source.file).startswith(MAP_DIR + "/"):
        raise FomoError(f"topic {parent_id!r} has no file in the map", hint="pick another parent")
    text = render(title, item, today or dt.date.today())
    return NewTopic(topic_id, title, parent_id, folder / f"{topic_id}.md", text, move)


def apply(new: NewTopic, root: Path | None = None) -> None:
    """Write one planned topic (turning a leaf parent into a folder first when needed)."""
    with locked(root or next(p for p in new.path.parents if p.is_dir())):
        _write(new)


def _write(new: NewTopic) -> None:
    if new.move_leaf is not None:
        leaf, index = new.move_leaf
        if leaf.is_file() and not index.exists():
            atomic_write(index, leaf.read_text(encoding="utf-8"))
            leaf.unlink()
    if new.path.exists():
        raise FomoError(f"{new.path} already exists", hint="pick another title or parent")
    atomic_write(new.path, new.text)
