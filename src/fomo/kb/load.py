"""Files -> KnowledgeBase: the one way every command reads the map.

Records come from the compiled index (fresh on every call), or straight from the files for a
one-shot reader that finds no index (`load_once`); this module only turns them into
model objects, tolerating wrong types (the validator reports those) but refusing files it cannot
read at all, since every later answer would silently miss them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fomo.errors import FomoError
from fomo.kb import schema
from fomo.kb.articles import notebook_articles
from fomo.kb.index import Index, OutlineRow, open_index, read_files
from fomo.kb.location import index_path, resolve_kb
from fomo.kb.records import ROOT_PARENT
from fomo.kb.schema import as_int, as_list, as_text
from fomo.model import Article, KnowledgeBase, Paper, Part, Reference, Session, Source, Topic


@dataclass
class Loaded:
    """A knowledge base with the folder and index it came from."""

    kb: KnowledgeBase
    root: Path
    index: Index


def topic_from_record(path: str, record: dict[str, Any], root_id: str | None) -> Topic:
    meta = record["meta"]
    values = schema.read_simple(schema.TOPIC, meta)
    paper = meta.get("paper")
    parent = record.get("parent")
    references = meta.get("references")
    values["title"] = values["title"] or record["id"]
    values["essence"] = values["essence"] or ""
    return Topic(
        **values,
        id=record["id"],
        parent=root_id if parent == ROOT_PARENT else parent,
        paper=Paper(
            title=as_text(paper.get("title")),
            year=as_int(paper.get("year")),
            url=as_text(paper.get("url")) or None,
        )
        if isinstance(paper, dict) and as_text(paper.get("title"))
        else None,
        references=[
            Reference(
                title=as_text(r.get("title")) or as_text(r.get("url")),
                url=as_text(r.get("url")),
                kind=as_text(r.get("kind")) or "docs",
            )
            for r in references
            if isinstance(r, dict) and as_text(r.get("url"))
        ]
        if isinstance(references, list)
        else [],
        body=record.get("body", ""),
        source=Source(path, 1),
    )


def session_from_record(path: str, record: dict[str, Any]) -> Session:
    meta = record["meta"]
    folder = path.split("/")[1]
    number_text, _, slug = folder.partition("-")
    number = int(number_text) if number_text.isdigit() else 0
    parts = []
    raw_parts = meta.get("parts") if isinstance(meta.get("parts"), list) else []
    for position, raw in enumerate(raw_parts, start=1):
        if not isinstance(raw, dict):
            continue
        values = schema.read_simple(schema.PART, raw)
        values["number"] = values["number"] or position
        values["title"] = values["title"] or ""
        values["status"] = values["status"] or "open"
        parts.append(Part(**values))
    return Session(
        number=number,
        slug=slug or folder,
        title=as_text(meta.get("title")) or folder,
        summary=as_text(meta.get("summary")),
        audience=as_text(meta.get("audience")),
        parts=parts,
        source=Source(path, 1),
    )


def article_from_record(path: str, record: dict[str, Any], sessions: list[Session]) -> Article:
    meta = record["meta"]
    folder, name = path.split("/")[1:3]
    session_number = part_number = None
    for session in sessions:
        if session.source.file.split("/")[1] != folder:
            continue
        session_number = session.number
        for part in session.parts:
            if part.article == name:
                part_number = part.number
    values = schema.read_simple(schema.ARTICLE, meta)
    return Article(
        path=path,
        title=values["title"] or name,
        body=record.get("body", ""),
        author=values["author"],
        published=values["published"],
        topics=values["topics"],
        status=values["status"],
        session=session_number,
        part=part_number,
    )


def unreadable(record: dict[str, Any], path: str) -> FomoError | None:
    error = record.get("error")
    if not error:
        return None
    return FomoError(
        error["message"], file=path, line=error["line"], hint=error["hint"], code=error["code"]
    )


@dataclass(frozen=True)
class _Cached:
    """A topic of an earlier load whose file did not change, and its record's parent (None for
    the root, ROOT_PARENT for the root's children)."""

    topic: Topic
    parent: str | None


class TopicCache:
    """The topics of earlier loads by file and content hash, so that loading again decodes only
    the files that changed: `fomo serve` reloads the map after every save, and at 5,000 topics
    decoding every record was half of an update. A topic is a function of its file's path and
    content and of the root's id, so a hit is the topic that decoding would give."""

    def __init__(self) -> None:
        self._topics: dict[str, tuple[str, _Cached]] = {}
        self._digests: dict[str, str] = {}

    def __len__(self) -> int:
        """The topics held: those of the files the last load read."""
        return len(self._topics)

    def records(self, index: Index) -> Iterator[tuple[str, dict[str, Any] | _Cached]]:
        """The index's records, cached topics for unchanged files; once all are read, the
        files that are gone (deleted, renamed, moved) are forgotten."""
        seen = set()
        for path, digest, kind, record in index.encoded_records():
            seen.add(path)
            self._digests[path] = digest
            cached = self._topics.get(path)
            if kind == "topic" and cached is not None and cached[0] == digest:
                yield path, cached[1]
            else:
                yield path, json.loads(record)
        for gone in self._digests.keys() - seen:
            del self._digests[gone]
        for gone in self._topics.keys() - seen:
            del self._topics[gone]

    def topic(self, path: str, record: dict[str, Any] | _Cached, root_id: str | None) -> Topic:
        if isinstance(record, _Cached):
            under_root = record.parent == ROOT_PARENT and record.topic.parent != root_id
            return replace(record.topic, parent=root_id) if under_root else record.topic
        topic = topic_from_record(path, record, root_id)
        if self._digests.get(path):
            self._topics[path] = (self._digests[path], _Cached(topic, record.get("parent")))
        return topic


def build(index: Index, *, strict: bool = True, cache: TopicCache | None = None) -> KnowledgeBase:
    """A KnowledgeBase from the index's records; `strict` refuses unreadable files. With a
    `cache`, topics whose files did not change since its last use are taken from it."""
    records = cache.records(index) if cache is not None else index.records()
    return _build(records, strict=strict, cache=cache)


def _build(
    records: Iterable[tuple[str, dict[str, Any] | _Cached]],
    *,
    strict: bool,
    cache: TopicCache | None,
) -> KnowledgeBase:
    topics_raw: list[tuple[str, dict[str, Any] | _Cached]] = []
    sessions: list[Session] = []
    article_records: list[tuple[str, dict[str, Any]]] = []
    root_id: str | None = None
    for path, record in records:
        if isinstance(record, _Cached):
            topics_raw.append((path, record))
            if record.parent is None:
                root_id = record.topic.id
            continue
        problem = unreadable(record, path)
        if problem is not None:
            if strict:
                raise problem
            continue
        if record["kind"] == "topic":
            topics_raw.append((path, record))
            if record.get("parent") is None:
                root_id = record["id"]
        elif record["kind"] == "session":
            sessions.append(session_from_record(path, record))
        elif record["kind"] == "article":
            article_records.append((path, record))
    topics = [
        cache.topic(path, record, root_id)
        if cache is not None
        else topic_from_record(path, record, root_id)  # type: ignore[arg-type]
        for path, record in topics_raw
    ]
    articles = [article_from_record(p, r, sessions) for p, r in article_records]
    return KnowledgeBase(topics, sessions, articles + notebook_articles(sessions))


def open_readable(kb: str | os.PathLike[str] | None) -> Index:
    """The fresh index of a knowledge base every file of which parses; else the first problem."""
    index = open_index(resolve_kb(kb))
    broken = index.first_unreadable()
    if broken is not None:
        raise unreadable(broken[1], broken[0])  # type: ignore[misc]
    return index


def load(
    kb: str | os.PathLike[str] | None = None,
    *,
    strict: bool = True,
    cache: TopicCache | None = None,
) -> Loaded:
    """Resolve `--kb`, refresh the index and build the knowledge base (reusing the `cache`'s
    topics whose files did not change)."""
    root = resolve_kb(kb)
    index = open_index(root)
    return Loaded(build(index, strict=strict, cache=cache), root, index)


def load_once(kb: str | os.PathLike[str] | None = None) -> tuple[KnowledgeBase, Path]:
    """The knowledge base and its folder, for a command that reads the map once and leaves
    (`fomo build`): from the index when there is one, else straight from the files. A first
    build would otherwise write an index it never reads, half of its load at 5,000 topics
    (benchmarks/RESULTS.md, "Eleventh session"); the next command that needs one builds it."""
    root = resolve_kb(kb)
    if not index_path(root).exists():
        return _build(read_files(root), strict=True, cache=None), root
    loaded = load(root)
    loaded.index.close()
    return loaded.kb, root


def _thin_topic(row: OutlineRow, root_id: str | None) -> Topic:
    parent = root_id if row.parent == ROOT_PARENT else row.parent
    return Topic(
        id=row.id,
        title=row.title or row.id,
        essence="",
        parent=parent,
        order=row.order,
        source=Source(row.path, 1),
    )


def _sessions_and_articles(index: Index) -> tuple[list[Session], list[Article]]:
    sessions = []
    article_records = []
    for path, record in index.records_of_kind(("session", "article")):
        if record.get("error"):
            continue
        if record["kind"] == "session":
            sessions.append(session_from_record(path, record))
        else:
            article_records.append((path, record))
    articles = [article_from_record(p, r, sessions) for p, r in article_records]
    return sessions, articles + notebook_articles(sessions)


def _assemble(index: Index, rows: list[OutlineRow], detailed: set[str]) -> KnowledgeBase:
    root_rows = index.outline_of("parent IS NULL", ())
    root_id = root_rows[0].id if root_rows else None
    topics = []
    for row in rows:
        record = index.record(row.path) if row.id in detailed else None
        if record is not None and not record.get("error"):
            topics.append(topic_from_record(row.path, record, root_id))
        else:
            topics.append(_thin_topic(row, root_id))
    return KnowledgeBase(topics, *_sessions_and_articles(index))


def build_outline(index: Index, detailed: set[str]) -> KnowledgeBase:
    """The whole tree with full records only for `detailed` ids; other topics carry just id,
    title, parent and order. Enough for trees and paths without parsing every record."""
    return _assemble(index, index.outline(), detailed)


def build_neighbourhood(index: Index, topic_id: str) -> KnowledgeBase:
    """Only what surrounds one topic: its ancestors, siblings, children and relations (thin),
    and the topic itself in full. Keeps `fomo where` instant however large the map."""
    rows: dict[str, OutlineRow] = {}
    (current,) = index.outline_of("id=? LIMIT 1", (topic_id,)) or [None]
    if current is None:
        return KnowledgeBase([])
    rows[current.id] = current
    chain = current
    while chain.parent is not None:
        key = chain.parent
        found = index.outline_of(
            "id=? LIMIT 1" if key != ROOT_PARENT else "parent IS NULL LIMIT 1",
            (key,) if key != ROOT_PARENT else (),
        )
        if not found or found[0].id in rows:
            break
        chain = rows.setdefault(found[0].id, found[0])
    for row in index.outline_of("parent=? OR parent=?", _parent_keys(current, topic_id)):
        rows.setdefault(row.id, row)
    record = index.record(current.path) or {}
    meta = record.get("meta", {})
    linked = {target for key in schema.LINK_KEYS for target in as_list(meta.get(key))}
    linked |= {source for _, source in index.incoming(topic_id)}
    for linked_id in linked - rows.keys():
        for row in index.outline_of("id=? LIMIT 1", (linked_id,)):
            rows[row.id] = row
    return _assemble(index, list(rows.values()), {topic_id})


def _parent_keys(row: OutlineRow, topic_id: str) -> tuple[str, str]:
    """The parent key of the topic's siblings, and of its children (the root's are '')."""
    children_key = ROOT_PARENT if row.parent is None else topic_id
    return (row.parent if row.parent is not None else "\0", children_key)
