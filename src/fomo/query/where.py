"""`fomo where TERM`: resolve a name to its topic and gather everything a reader needs around it.

The lookup itself (exact, then a unique partial name, then a clear misspelling; never another
topic's name silently) is `fomo.query.lookup`; `resolve` and `Match` are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fomo.kb.index import Index
from fomo.kb.load import build_neighbourhood
from fomo.model import Article, KnowledgeBase, Part, Session, Topic
from fomo.query.lookup import Match, NoAnswer, resolve

__all__ = ["Answer", "Match", "NoAnswer", "answer", "describe", "resolve"]


@dataclass
class Answer:
    term: str
    match: Match
    topic: Topic
    path: list[Topic]
    siblings: list[Topic]
    children: list[Topic]
    relations: list[tuple[str, Topic]]
    incoming: list[tuple[str, Topic]]
    coverage: list[tuple[Session, Part]] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def brief(t: Topic) -> dict[str, str]:
            return {"id": t.id, "title": t.title}

        topic = self.topic
        return {
            "id": topic.id,
            "title": topic.title,
            "essence": topic.essence,
            "aliases": topic.aliases,
            "year": topic.year,
            "status": topic.status,
            "paper": {"title": topic.paper.title, "year": topic.paper.year}
            if topic.paper
            else None,
            "path": [brief(t) for t in self.path],
            "siblings": [brief(t) for t in self.siblings],
            "children": [brief(t) for t in self.children],
            "relations": [{"kind": k, **brief(t)} for k, t in self.relations],
            "referenced_by": [{"kind": k, **brief(t)} for k, t in self.incoming],
            "references": [
                {"title": r.title, "url": r.url, "kind": r.kind} for r in topic.references
            ],
            "sessions": [
                {
                    "session": s.number,
                    "title": s.title,
                    "part": p.number,
                    "part_title": p.title,
                    "status": p.status,
                }
                for s, p in self.coverage
            ],
            "articles": [{"title": a.title, "path": a.path} for a in self.articles],
            "match": self.match.kind,
            "matched_name": self.match.name,
            "matched_by": self.match.how,
            "score": round(self.match.score, 1),
            "file": topic.source.file,
        }


def answer(index: Index, term: str) -> Answer:
    match = resolve(index, term)
    kb = build_neighbourhood(index, match.topic_id)
    incoming = [(kind, kb.topics[s]) for kind, s in index.incoming(match.topic_id) if s in kb]
    return describe(kb, term, match, incoming)


def describe(
    kb: KnowledgeBase, term: str, match: Match, incoming: list[tuple[str, Topic]]
) -> Answer:
    """Everything around a resolved topic; `incoming` are the relations pointing at it."""
    topic = kb.topics[match.topic_id]
    relations = [(kind, kb.topics[t]) for kind, t in topic.relations() if t in kb]
    relations += [("also_under", kb.topics[t]) for t in topic.also_under if t in kb]
    return Answer(
        term=term,
        match=match,
        topic=topic,
        path=kb.path(topic.id),
        siblings=kb.siblings(topic.id),
        children=kb.children(topic.id),
        relations=relations,
        incoming=incoming,
        coverage=kb.coverage_of(topic.id),
        articles=kb.articles_about(topic.id),
    )
