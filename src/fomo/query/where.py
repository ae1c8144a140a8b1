"""`fomo where TERM`: resolve a name to its topic and gather everything a reader needs around it.

Exact first (id, title or alias under the shared name key, so case, punctuation, hyphens,
British spelling and plurals do not matter), then fuzzy with rapidfuzz over the same keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fomo.errors import FomoError, UnknownTopicError
from fomo.kb.index import Index
from fomo.kb.load import build_neighbourhood
from fomo.kb.names import name_key
from fomo.model import Article, KnowledgeBase, Part, Session, Topic

FUZZY_ACCEPT = 88.0  # a single fuzzy match at least this close is taken as the answer
FUZZY_SUGGEST = 60.0  # matches at least this close are offered as "did you mean"
FUZZY_TIE = 4.0  # two different topics within this many points are too close to choose


@dataclass
class Match:
    topic_id: str
    how: str  # "id", "title", "alias" or "fuzzy"
    score: float = 100.0


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
            "matched_by": self.match.how,
            "score": round(self.match.score, 1),
            "file": topic.source.file,
        }


def resolve(index: Index, term: str) -> Match:
    """The topic a term names, or UnknownTopicError with the closest suggestions."""
    key = name_key(term)
    if not key:
        raise FomoError(
            f"{term!r} has no letters or digits to look up",
            hint="give a name, e.g. fomo where dpo",
        )
    exact = index.ids_for_key(key)
    if exact:
        topic_id, how = exact[0]
        return Match(topic_id, how)
    from rapidfuzz import fuzz, process

    names = index.all_names()
    best: dict[str, float] = {}
    for _, score, position in process.extract(
        key, [k for k, _ in names], scorer=fuzz.ratio, limit=12
    ):
        topic_id = names[position][1]
        best[topic_id] = max(best.get(topic_id, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    clear_winner = len(ranked) == 1 or (len(ranked) > 1 and ranked[1][1] < ranked[0][1] - FUZZY_TIE)
    if ranked and ranked[0][1] >= FUZZY_ACCEPT and clear_winner:
        return Match(ranked[0][0], "fuzzy", ranked[0][1])
    close = [tid for tid, score in ranked[:5] if score >= FUZZY_SUGGEST]
    close += [tid for tid in _words_found(index, term) if tid not in close]
    suggestions = []
    for topic_id in close[:5]:
        summary = index.topic_summary(topic_id)
        suggestions.append((topic_id, summary[0] if summary else topic_id))
    raise UnknownTopicError(term, suggestions)


def _words_found(index: Index, term: str) -> list[str]:
    """Topics whose text holds the term's words: suggestions when no name is close
    ("lora adapters" names no topic, but LoRA's text speaks of adapters)."""
    from fomo.query.search import search

    try:
        return [hit.id for hit in search(index, term, limit=5)]
    except FomoError:
        return []


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
