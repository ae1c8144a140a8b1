"""`fomo search QUERY`: ranked full-text search over titles, aliases, essences, bodies and
references, with the answers a reader expects first.

Tiers, each ranked by BM25 (SQLite FTS5, titles and aliases weighted highest) and listed before
the next:

1. "name": the query is a topic's id, title or alias (the name key of `fomo where`);
2. "title phrase": a title or alias holds the query's words as a phrase;
3. "title": a title or alias holds every word;
4. "phrase": the text holds the words as a phrase;
5. "all words": the text holds every word (the last may be the start of a word);
6. "any word": only when no topic has every word, topics with any of them, and the hit says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fomo.errors import FomoError
from fomo.kb.index import Index
from fomo.kb.names import name_key

MAX_QUERY = 500  # characters: longer input is not a search query
ANY_WORD = "any word"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    essence: str
    path: str
    score: float
    match: str = "all words"  # which tier found it (see the module docstring)


def _quoted(words: list[str], prefix_last: bool = True) -> list[str]:
    quoted = [f'"{w}"' for w in words]
    if prefix_last:
        quoted[-1] += "*"
    return quoted


def _tiers(words: list[str]) -> list[tuple[str, str]]:
    phrase = '"' + " ".join(words) + '"'
    names = "{title aliases}"
    every = " AND ".join(_quoted(words))
    tiers = [
        ("title phrase", f"{names} : {phrase}"),
        ("title", f"{names} : ({' AND '.join(_quoted(words, False))})"),
        ("phrase", phrase),
        ("all words", every),
    ]
    return tiers if len(words) > 1 else [tiers[1], tiers[3]]


def search(index: Index, query: str, limit: int = 10) -> list[Hit]:
    """Hits in tier order; `Hit.match` says why each was found."""
    if len(query) > MAX_QUERY:
        raise FomoError(
            f"the query is {len(query):,} characters; a search takes at most {MAX_QUERY}",
            hint="search for a few words, or place a whole text with fomo place --file",
        )
    words = [w.lower() for w in _WORD.findall(query)]
    if not words:
        raise FomoError(f"{query!r} has no words to search for", hint="e.g. fomo search preference")
    found: dict[str, tuple[str, float]] = {}
    for topic_id, _ in index.ids_for_key(name_key(query)):
        found.setdefault(topic_id, ("name", 0.0))
    for tier, expression in _tiers(words):
        if len(found) >= limit:
            break
        for topic_id, score in index.search(expression, limit):
            found.setdefault(topic_id, (tier, score))
    if not found and len(words) > 1:
        for topic_id, score in index.search(" OR ".join(_quoted(words)), limit):
            found.setdefault(topic_id, (ANY_WORD, score))
    hits = []
    for topic_id, (tier, score) in list(found.items())[:limit]:
        row = index.topic_summary(topic_id)
        if row is not None:
            title, essence, path = row
            hits.append(Hit(topic_id, title, essence, path, round(score, 3), tier))
    return hits
