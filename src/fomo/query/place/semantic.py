"""The semantic side of placement (the optional `semantic` extra): candidate parents scored by
sentence embeddings as well as by the lexical model.

The encoders are parameters (anything with `encode(list[str]) -> array`), so tests and callers
can pass their own; by default they are the sentence encoder shipped in the extra
(`fomo.query.embed`) and WordLlama's static vectors (`wordvectors`). Parents are ranked
mostly by the sentence encoder (the word vectors add one feature, the family cosine); the
evidence that a text is "already known" uses both (`similarities`).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from fomo.errors import FomoError
from fomo.query.place.lexical import LexicalModel
from fomo.query.place.results import METHODS

# The semantic method scores each candidate parent by a weighted sum of these features, then a
# softmax over the candidates (so its score reads as "probability this is the parent"). The
# weights were fitted by `benchmarks/placement.py --fit` (a conditional logit over the
# leave-one-out set, 5-fold cross-validated; see benchmarks/RESULTS.md).
SEMANTIC_FEATURES = (
    "lexical",  # the lexical parent score (rank_parents)
    "lexical_rank",  # log(1 + its rank in the lexical method's fitted order)
    "lexical_logit",  # the lexical method's fitted logit (PARENT_WEIGHTS) for it
    "lexical_own",  # lexical cosine with the candidate itself
    "lexical_child",  # best lexical cosine among its children
    "lexical_vote",  # summed lexical cosine of the 10 nearest topics that are its children
    "semantic_own",  # embedding cosine with the candidate itself
    "semantic_child",  # best embedding cosine among its children
    "semantic_children",  # mean of the three best
    "semantic_family",  # cosine with the mean embedding of the candidate and its children
    "semantic_family_sq",  # its square: a close family counts more than linearly
    "word_family",  # the same cosine with the word-vector encoder (WordLlama)
    "semantic_vote",  # summed embedding cosine of the 10 nearest topics that are its children
    "children_log",  # log(1 + number of children)
    "leaf",  # 1 when it has no children (it would have to become a folder)
    "depth_1",  # 1 for a top-level branch, ...
    "depth_2",  # ... one level below, ...
    "depth_3",  # ... two levels below (leaves attach unevenly across depths)
)
SEMANTIC_WEIGHTS = (  # fitted on the bundled map of 2,000 topics, 1,742 leaves
    -6.3220,  # lexical
    -0.4695,  # lexical_rank
    0.4556,  # lexical_logit
    12.2783,  # lexical_own
    1.5850,  # lexical_child
    -0.0058,  # lexical_vote
    -0.1829,  # semantic_own
    3.0143,  # semantic_child
    -0.9162,  # semantic_children
    13.5278,  # semantic_family
    -4.0408,  # semantic_family_sq
    2.6066,  # word_family
    -0.1193,  # semantic_vote
    0.2352,  # children_log
    -5.1147,  # leaf
    0.2683,  # depth_1
    0.6499,  # depth_2
    0.3579,  # depth_3
)
SEMANTIC_NEAREST = 30  # the nearest topics by embedding whose parents become candidates
VOTERS = 10
LEXICAL_CANDIDATES = 25


@dataclass(frozen=True)
class QueryEmbedding:
    """A text as both encoders see it (unit vectors)."""

    sentence: Any
    words: Any


class SemanticScorer:
    """Candidate parents scored with sentence embeddings as well as the lexical model.

    Topic vectors come from `fomo.query.embed` and `wordvectors` (cached on disk by content
    digest); similarities of a query with every topic are matrix products, so the cost per item
    is the encoding. An `encoder` passed without a `word_encoder` serves as both."""

    def __init__(self, model: LexicalModel, encoder: Any = None, word_encoder: Any = None) -> None:
        import numpy as np

        from fomo.query.embed import embed_cached, embedder, topic_text
        from fomo.query.place.wordvectors import encode_cached, word_vectors

        self.model = model
        self.encoder = encoder or embedder()
        self.word_encoder = word_encoder or encoder or word_vectors()
        texts = [topic_text(model.kb.topics[tid]) for tid in model.ids]
        self.matrix = np.asarray(embed_cached(texts, self.encoder), dtype=np.float32)
        self.words = np.asarray(encode_cached(texts, self.word_encoder), dtype=np.float32)
        families = [[c, *model.children_of[c]] for c in range(len(model.ids))]
        self.family = np.stack([self.matrix[f].sum(axis=0) for f in families]) if texts else None
        self.word_family = (
            np.stack([self.words[f].sum(axis=0) for f in families]) if texts else None
        )
        self.weights = np.asarray(SEMANTIC_WEIGHTS, dtype=np.float64)

    def embed(self, title: str, body: str = "") -> QueryEmbedding:
        return self.embed_many([(title, body)])[0]

    def embed_many(self, texts: list[tuple[str, str]]) -> list[QueryEmbedding]:
        """One call per encoder for many (title, body) queries: a feed is encoded as a batch."""
        from fomo.query.embed import query_text

        queries = [query_text(title, body) for title, body in texts]
        sentences = self.encoder.encode(queries)
        words = self.word_encoder.encode(queries)
        return [QueryEmbedding(s, w) for s, w in zip(sentences, words, strict=True)]

    def similarities(self, query: QueryEmbedding, exclude: set[int]) -> dict[int, float]:
        """The embedding evidence for "already known": per topic, the mean of the two
        encoders' cosines (chosen on texts made from the map: see the module docstring)."""
        cosines = (self.matrix @ query.sentence + self.words @ query.words) / 2
        return {i: float(s) for i, s in enumerate(cosines) if i not in exclude}

    def features(
        self,
        query: QueryEmbedding,
        sims: dict[int, float],
        lexical: list[tuple[int, float]],
        exclude: set[int],
    ) -> tuple[list[int], Any]:
        """(candidates, feature matrix in SEMANTIC_FEATURES order) for one query."""
        import numpy as np

        model = self.model
        cosines = self.matrix @ query.sentence
        if exclude:
            cosines[list(exclude)] = -1.0
        nearest = [int(i) for i in np.argsort(-cosines)[:SEMANTIC_NEAREST] if i not in exclude]

        def children(c: int) -> list[int]:
            return [k for k in model.children_of[c] if k not in exclude]

        candidates = [c for c, _ in lexical[:LEXICAL_CANDIDATES]]
        seen = set(candidates)
        for i in nearest:
            for c in (model.parent_of[i], i):
                if c is None or c in seen or c in exclude:
                    continue
                if c == i and not children(c):
                    continue
                seen.add(c)
                candidates.append(c)
        lexical_score = dict(lexical)
        lexical_rank = {c: r for r, (c, _) in enumerate(lexical)}
        by_score = sorted(lexical, key=lambda item: (-item[1], model.ids[item[0]]))
        logits = dict(zip(*model.parent_logits(sims, by_score, exclude, candidates), strict=True))
        lexical_vote: Counter[int] = Counter()
        for i, s in heapq.nlargest(VOTERS, sims.items(), key=lambda item: item[1]):
            if model.parent_of[i] is not None:
                lexical_vote[model.parent_of[i]] += s  # type: ignore[index]
        semantic_vote: Counter[int] = Counter()
        for i in nearest[:VOTERS]:
            if model.parent_of[i] is not None:
                semantic_vote[model.parent_of[i]] += float(cosines[i])  # type: ignore[index]
        rows = []
        for c in candidates:
            kids = children(c)
            lex_kids = max((sims.get(k, 0.0) for k in kids), default=0.0)
            sem_kids = sorted((float(cosines[k]) for k in kids), reverse=True)
            family = self.family[c].copy()
            word_family = self.word_family[c].copy()
            for k in model.children_of[c]:
                if k in exclude:
                    family -= self.matrix[k]
                    word_family -= self.words[k]
            size = float(np.linalg.norm(family))
            family_cosine = float(family @ query.sentence) / size if size > 1e-9 else 0.0
            word_size = float(np.linalg.norm(word_family))
            rows.append(
                [
                    lexical_score.get(c, 0.0),
                    math.log1p(lexical_rank.get(c, len(lexical))),
                    logits[c],
                    sims.get(c, 0.0),
                    lex_kids,
                    lexical_vote[c],
                    float(cosines[c]),
                    sem_kids[0] if sem_kids else 0.0,
                    sum(sem_kids[:3]) / 3,
                    family_cosine,
                    family_cosine * family_cosine,
                    float(word_family @ query.words) / word_size if word_size > 1e-9 else 0.0,
                    semantic_vote[c],
                    math.log1p(len(kids)),
                    0.0 if kids else 1.0,
                    *(float(model.depth[c] == level) for level in (1, 2, 3)),
                ]
            )
        return candidates, np.asarray(rows, dtype=np.float64).reshape(-1, len(SEMANTIC_FEATURES))

    def rank(
        self,
        query: QueryEmbedding,
        sims: dict[int, float],
        lexical: list[tuple[int, float]],
        exclude: set[int],
    ) -> list[tuple[int, float]]:
        """Candidates by the fitted weights; scores are a softmax over the candidates."""
        import numpy as np

        candidates, features = self.features(query, sims, lexical, exclude)
        if not candidates:
            return []
        logits = features @ self.weights
        probabilities = np.exp(logits - logits.max())
        probabilities /= probabilities.sum()
        ranked = [(c, float(p)) for c, p in zip(candidates, probabilities, strict=True)]
        ranked.sort(key=lambda item: (-item[1], self.model.ids[item[0]]))
        return ranked


def semantic_available() -> bool:
    """Whether the `semantic` extra is installed (cheap: imports nothing heavy)."""
    from fomo.query import embed
    from fomo.query.place import wordvectors

    return embed.available() and wordvectors.available()


def resolve_method(method: str) -> str:
    """ "auto" -> "semantic" when the extra is installed, else "lexical"; "semantic" without
    the extra is an error that says how to install it."""
    from fomo.query.embed import INSTALL_HINT

    if method == "auto":
        return "semantic" if semantic_available() else "lexical"
    if method == "semantic" and not semantic_available():
        raise FomoError("--method semantic needs the optional `semantic` extra", hint=INSTALL_HINT)
    if method not in METHODS:
        raise FomoError(f"unknown method {method!r}", hint="use lexical, semantic or auto")
    return method
