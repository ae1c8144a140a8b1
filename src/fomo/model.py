"""The nouns of FOMO: topics, references, sessions, articles and the knowledge base that ties
them into a tree. No I/O here: `fomo.kb` builds these from files, everything else reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

RELATION_KINDS = ("builds_on", "alternative_to", "related")
REFERENCE_KINDS = ("paper", "blog", "video", "post", "code", "docs", "course")
PART_STATUSES = ("open", "claimed", "draft", "published")
TOPIC_STATUSES = ("stable", "emerging", "deprecated")


@dataclass(frozen=True)
class Source:
    """Where something was written: a path (relative to the knowledge base) and a 1-based line."""

    file: str
    line: int = 1


@dataclass(frozen=True)
class Reference:
    title: str
    url: str
    kind: str = "docs"


@dataclass(frozen=True)
class Paper:
    title: str
    year: int | None = None
    url: str | None = None


@dataclass
class Topic:
    id: str
    title: str
    essence: str
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)
    order: int | None = None
    year: int | None = None
    released: str | None = None  # "YYYY-MM": the month it came out
    paper: Paper | None = None
    builds_on: list[str] = field(default_factory=list)
    alternative_to: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    also_under: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    status: str | None = None
    added: dt.date | None = None
    reviewed: dt.date | None = None
    references: list[Reference] = field(default_factory=list)
    body: str = ""
    source: Source = field(default_factory=lambda: Source(""))

    def names(self) -> list[tuple[str, str]]:
        """(how, name) for every name the topic answers to: its id, title and aliases, in that
        order (`fomo.kb.names` normalises them into the one name table)."""
        return [("id", self.id), ("title", self.title), *(("alias", a) for a in self.aliases)]

    def relations(self) -> Iterator[tuple[str, str]]:
        """(kind, target id) for every outgoing relation, in a stable order."""
        for kind in RELATION_KINDS:
            for target in getattr(self, kind):
                yield kind, target


@dataclass
class Part:
    number: int
    title: str
    topics: list[str] = field(default_factory=list)
    status: str = "open"
    author: str | None = None
    article: str | None = None
    video: str | None = None
    seminar: dt.date | None = None
    line: int = 1


@dataclass
class Session:
    number: int
    slug: str
    title: str
    summary: str = ""
    audience: str = ""
    parts: list[Part] = field(default_factory=list)
    source: Source = field(default_factory=lambda: Source(""))

    @property
    def folder(self) -> str:
        return f"{self.number:02d}-{self.slug}"


@dataclass
class Article:
    """An article file in a session folder; `path` is relative to the knowledge base."""

    path: str
    title: str
    body: str
    author: str | None = None
    published: dt.date | None = None
    topics: list[str] = field(default_factory=list)
    status: str | None = None
    session: int | None = None
    part: int | None = None


class KnowledgeBase:
    """The map as a tree plus the session series; children ordered by `order`, then title."""

    def __init__(
        self,
        topics: list[Topic],
        sessions: list[Session] | None = None,
        articles: list[Article] | None = None,
    ) -> None:
        self.topics: dict[str, Topic] = {}
        for topic in topics:
            self.topics.setdefault(topic.id, topic)
        self.sessions = sorted(sessions or [], key=lambda s: s.number)
        self.articles = articles or []
        self._children: dict[str | None, list[str]] = {}
        for topic in self.topics.values():
            parent = topic.parent if topic.parent in self.topics else None
            self._children.setdefault(parent, []).append(topic.id)
        for ids in self._children.values():
            ids.sort(key=self._sort_key)

    def _sort_key(self, topic_id: str) -> tuple[int, str]:
        topic = self.topics[topic_id]
        order = topic.order if topic.order is not None else 1_000_000
        return order, topic.title.lower()

    def __len__(self) -> int:
        return len(self.topics)

    def __contains__(self, topic_id: object) -> bool:
        return topic_id in self.topics

    def get(self, topic_id: str) -> Topic | None:
        return self.topics.get(topic_id)

    @property
    def roots(self) -> list[Topic]:
        return [self.topics[i] for i in self._children.get(None, [])]

    @property
    def root(self) -> Topic | None:
        roots = self.roots
        return roots[0] if roots else None

    def parent(self, topic_id: str) -> Topic | None:
        parent_id = self.topics[topic_id].parent
        return self.topics.get(parent_id) if parent_id else None

    def children(self, topic_id: str) -> list[Topic]:
        return [self.topics[i] for i in self._children.get(topic_id, [])]

    def path(self, topic_id: str) -> list[Topic]:
        """From the root down to the topic itself."""
        chain: list[Topic] = []
        current: Topic | None = self.topics[topic_id]
        seen: set[str] = set()
        while current is not None and current.id not in seen:
            seen.add(current.id)
            chain.append(current)
            current = self.parent(current.id)
        return chain[::-1]

    def siblings(self, topic_id: str) -> list[Topic]:
        parent = self.topics[topic_id].parent
        key = parent if parent in self.topics else None
        return [self.topics[i] for i in self._children.get(key, []) if i != topic_id]

    def descendants(self, topic_id: str) -> list[Topic]:
        """Every topic below this one, depth first in sibling order."""
        found: list[Topic] = []
        stack = list(reversed(self._children.get(topic_id, [])))
        while stack:
            current = stack.pop()
            found.append(self.topics[current])
            stack.extend(reversed(self._children.get(current, [])))
        return found

    def subtree(self, topic_id: str) -> list[Topic]:
        return [self.topics[topic_id], *self.descendants(topic_id)]

    def depth(self, topic_id: str) -> int:
        return len(self.path(topic_id)) - 1

    def walk(self) -> Iterator[Topic]:
        """Every topic, depth first from the roots."""
        for root in self.roots:
            yield from self.subtree(root.id)

    def branch_of(self, topic_id: str) -> Topic | None:
        """The top-level branch (child of the root) a topic sits in; None for the root."""
        chain = self.path(topic_id)
        return chain[1] if len(chain) > 1 else None

    def session_topics(self, session: Session) -> set[str]:
        """Ids a session covers: each part's topics with their whole subtrees."""
        covered: set[str] = set()
        for part in session.parts:
            covered |= self.part_topics(part)
        return covered

    def part_topics(self, part: Part) -> set[str]:
        covered: set[str] = set()
        for topic_id in part.topics:
            if topic_id in self.topics:
                covered.update(t.id for t in self.subtree(topic_id))
        return covered

    def coverage_of(self, topic_id: str) -> list[tuple[Session, Part]]:
        """The session parts whose topic subtrees include this topic."""
        ancestors = {t.id for t in self.path(topic_id)}
        return [
            (session, part)
            for session in self.sessions
            for part in session.parts
            if ancestors.intersection(part.topics)
        ]

    def articles_about(self, topic_id: str) -> list[Article]:
        return [a for a in self.articles if topic_id in a.topics]
