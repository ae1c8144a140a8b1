"""`fomo search QUERY`: ranked full-text search (BM25 through SQLite FTS5) over titles, aliases,
essences, bodies and references, weighted in that order of importance."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fomo.errors import FomoError
from fomo.kb.index import Index

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    essence: str
    path: str
    score: float


def _expression(words: list[str], joiner: str) -> str:
    quoted = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
    return f" {joiner} ".join(quoted)


def search(index: Index, query: str, limit: int = 10) -> list[Hit]:
    """Every word must match (the last as a prefix); if nothing does, any word may."""
    words = [w.lower() for w in _WORD.findall(query)]
    if not words:
        raise FomoError(f"{query!r} has no words to search for", hint="e.g. fomo search preference")
    ranked = index.search(_expression(words, "AND"), limit)
    if not ranked and len(words) > 1:
        ranked = index.search(_expression(words, "OR"), limit)
    hits = []
    for topic_id, score in ranked:
        row = index.topic_summary(topic_id)
        if row is not None:
            title, essence, path = row
            hits.append(Hit(topic_id, title, essence, path, round(score, 3)))
    return hits
