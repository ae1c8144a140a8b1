"""`fomo place TEXT`: is a concept already in the map, and if not, under which topic does it go?

The package follows the job's seams: `tokenise` (terms of a text), `lexical` (BM25 topic
vectors and parent ranking), `known` (known, new or unrelated), `semantic` (the optional
embedding scorer, with encoders you can pass in), `wordvectors` (its second, static encoder),
`model` (the three put together), `cache` (one model per loaded map). Everything callers used
is re-exported here.
"""

from __future__ import annotations

from fomo.model import KnowledgeBase
from fomo.query.place.cache import model_for
from fomo.query.place.known import (
    KNOWN_BIAS,
    KNOWN_FEATURES,
    KNOWN_THRESHOLD,
    KNOWN_WEIGHTS,
    SEMANTIC_KNOWN_FEATURES,
    known_share,
    speaks_of_llms,
    unrelated,
)
from fomo.query.place.lexical import PARENT_FEATURES, PARENT_WEIGHTS, LexicalModel
from fomo.query.place.model import MAX_CHARS, PlacementModel
from fomo.query.place.results import METHOD, METHODS, Candidate, Existing, Placement
from fomo.query.place.semantic import (
    SEMANTIC_FEATURES,
    SEMANTIC_WEIGHTS,
    SemanticScorer,
    resolve_method,
    semantic_available,
)
from fomo.query.place.tokenise import STOPWORDS, name_prefix, surfaces, tokens

__all__ = [
    "KNOWN_BIAS",
    "KNOWN_FEATURES",
    "KNOWN_THRESHOLD",
    "KNOWN_WEIGHTS",
    "MAX_CHARS",
    "METHOD",
    "METHODS",
    "PARENT_FEATURES",
    "PARENT_WEIGHTS",
    "SEMANTIC_FEATURES",
    "SEMANTIC_KNOWN_FEATURES",
    "SEMANTIC_WEIGHTS",
    "STOPWORDS",
    "Candidate",
    "Existing",
    "LexicalModel",
    "Placement",
    "PlacementModel",
    "SemanticScorer",
    "known_share",
    "model_for",
    "name_prefix",
    "place",
    "resolve_method",
    "semantic_available",
    "speaks_of_llms",
    "split_text",
    "surfaces",
    "tokens",
    "unrelated",
]


def split_text(text: str) -> tuple[str, str]:
    """(title, body) of free text: the first non-empty line is the title."""
    stripped = text.strip()
    title, _, body = stripped.partition("\n")
    return title.strip(), body.strip()


def place(kb: KnowledgeBase, text: str, *, top: int = 5, method: str = METHOD) -> Placement:
    title, body = split_text(text)
    return model_for(kb).place(title, body, top=top, method=resolve_method(method))
