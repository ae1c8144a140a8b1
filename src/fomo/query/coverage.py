"""Coverage of the map by the contributors' work: per top-level branch, the share of topics
with an article, a body and references; the session parts still open; topics no article covers.

Shared by `fomo coverage` and the website's contribution board, so both show the same numbers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from fomo.model import KnowledgeBase, Topic


@dataclass
class BranchCoverage:
    id: str
    title: str
    topics: int = 0
    with_article: int = 0
    with_body: int = 0
    with_references: int = 0

    def share(self, count: int) -> float:
        return round(count / self.topics, 3) if self.topics else 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("with_article", "with_body", "with_references"):
            data[key.replace("with_", "share_")] = self.share(getattr(self, key))
        return data


@dataclass
class OpenPart:
    session: int
    session_title: str
    part: int
    title: str
    topics: list[str]
    file: str


@dataclass
class Coverage:
    branches: list[BranchCoverage] = field(default_factory=list)
    total: BranchCoverage = field(default_factory=lambda: BranchCoverage("", "whole map"))
    open_parts: list[OpenPart] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)  # ids no article covers, map order

    def as_dict(self) -> dict[str, Any]:
        return {
            "branches": [b.as_dict() for b in self.branches],
            "total": self.total.as_dict(),
            "open_parts": [asdict(p) for p in self.open_parts],
            "uncovered": self.uncovered,
        }


def article_covered(kb: KnowledgeBase) -> set[str]:
    """Ids an article covers: topics an article names (with their subtrees), and the subtrees
    of session parts that have an article file."""
    covered: set[str] = set()
    existing = {article.path.rsplit("/", 1)[-1] for article in kb.articles}
    for article in kb.articles:
        for topic_id in article.topics:
            if topic_id in kb:
                covered.update(t.id for t in kb.subtree(topic_id))
    for session in kb.sessions:
        for part in session.parts:
            if part.article and part.article in existing:
                covered |= kb.part_topics(part)
    return covered


def has_references(topic: Topic) -> bool:
    return bool(topic.references or topic.paper)


def coverage(kb: KnowledgeBase) -> Coverage:
    covered = article_covered(kb)
    result = Coverage()
    root = kb.root

    def count(into: BranchCoverage, topic: Topic) -> None:
        into.topics += 1
        into.with_article += topic.id in covered
        into.with_body += bool(topic.body.strip())
        into.with_references += has_references(topic)

    branches = kb.children(root.id) if root is not None else kb.roots
    for branch in branches:
        row = BranchCoverage(branch.id, branch.title)
        for topic in kb.subtree(branch.id):
            count(row, topic)
            count(result.total, topic)
        result.branches.append(row)
    if root is not None:
        count(result.total, root)
    result.uncovered = [t.id for t in kb.walk() if t.id not in covered and t.parent is not None]
    for session in kb.sessions:
        for part in session.parts:
            if part.status == "open":
                result.open_parts.append(
                    OpenPart(
                        session.number,
                        session.title,
                        part.number,
                        part.title,
                        list(part.topics),
                        session.source.file,
                    )
                )
    return result
