"""`PlacementModel`: the lexical model, the known-or-new decision and the semantic scorer
put together to answer one text: already known as a topic, or where it would go."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from typing import Any

from fomo.errors import FomoError
from fomo.model import KnowledgeBase
from fomo.query.lookup import TableNames
from fomo.query.place import known
from fomo.query.place.known import (
    KNOWN_THRESHOLD,
    MIN_KNOWN_SHARE,
    MIN_SHARED,
    RELATED_EMBEDDING,
    SEMANTIC_KNOWN_THRESHOLD,
    known_share,
    shared_words,
    unrelated,
)
from fomo.query.place.lexical import LexicalModel
from fomo.query.place.results import METHOD, METHODS, Candidate, Existing, Placement
from fomo.query.place.semantic import SemanticScorer
from fomo.query.place.tokenise import surfaces

MAX_CHARS = 20_000  # longer text is cut here (with a notice): an abstract is ~2,000


class PlacementModel(LexicalModel):
    """Placement over one KnowledgeBase; `encoder` and `word_encoder` (optional) are the
    semantic method's encoders, by default those of the `semantic` extra (`SemanticScorer`)."""

    def __init__(self, kb: KnowledgeBase, encoder: Any = None, word_encoder: Any = None) -> None:
        super().__init__(kb)
        self.encoder = encoder
        self.word_encoder = word_encoder
        self._semantic: SemanticScorer | None = None
        self._all_names: TableNames | None = None
        self._names: dict[frozenset[str], TableNames] = {}

    def names(self, exclude: frozenset[str]) -> TableNames:
        """The map's names, some topics left out (the table is built once, then filtered)."""
        if self._all_names is None:
            self._all_names = TableNames.of(self.kb.topics.values())
        table = self._names.get(exclude)
        if table is None:
            table = self._all_names.without(exclude)
            if len(self._names) > 4:
                self._names.clear()
            self._names[exclude] = table
        return table

    def known_by_name(self, title: str, body: str, exclude: frozenset[str]) -> Existing | None:
        return known.known_by_name(self, self.names(exclude), title, body)

    def known_features(
        self,
        vector: dict[str, float],
        sims: dict[int, float],
        exclude: set[int],
        embedding: dict[int, float] | None = None,
    ) -> tuple[int, list[float]] | None:
        return known.known_features(self, vector, sims, exclude, embedding)

    def known_probability(self, features: list[float]) -> float:
        return known.known_probability(features)

    def novel_names(self, title: str) -> list[str]:
        return known.novel_names(self, title)

    def paraphrase_of(
        self,
        title: str,
        vector: dict[str, float],
        sims: dict[int, float],
        exclude: set[int],
        share: float,
        excluded_ids: frozenset[str] = frozenset(),
        embedding: dict[int, float] | None = None,
    ) -> Existing | None:
        """The topic the text describes in other words, when the evidence is real: most of
        its words known to the map, several shared with the topic, no new name in the title
        (nor another version or an extension of the topic's own name: "Kimi K2.6" is not
        Kimi K2, "Tiny Aya" is not Aya), and the fitted model sure enough. `embedding` (the
        semantic method) adds the embedding cosines as evidence."""
        found = self.paraphrase_candidate(title, vector, sims, exclude, share, embedding)
        if found is None:
            return None
        if known.names_a_variant(title, self.names(excluded_ids), self.ids[found[0]]):
            return None
        probability = self.known_probability(found[1])
        threshold = KNOWN_THRESHOLD if embedding is None else SEMANTIC_KNOWN_THRESHOLD
        if probability < threshold:
            return None
        topic = self.kb.topics[self.ids[found[0]]]
        return Existing(topic.id, topic.title, probability, "paraphrase")

    def paraphrase_candidate(
        self,
        title: str,
        vector: dict[str, float],
        sims: dict[int, float],
        exclude: set[int],
        share: float,
        embedding: dict[int, float] | None = None,
    ) -> tuple[int, list[float]] | None:
        """(nearest topic, its known features) when the evidence gates pass, else None (the
        fit in benchmarks/placement.py applies the same gates)."""
        if share < MIN_KNOWN_SHARE or self.novel_names(title):
            return None
        found = self.known_features(vector, sims, exclude, embedding=embedding)
        if found is None or shared_words(self, vector, found[0]) < MIN_SHARED:
            return None
        return found

    def place(
        self,
        title: str,
        body: str = "",
        *,
        top: int = 5,
        exclude: Iterable[str] = (),
        method: str = METHOD,
        embedding: Any = None,
    ) -> Placement:
        """Where `title` (a name or paper title) with an optional `body` (abstract) belongs.

        `exclude` leaves topics out as if they were not in the map (the benchmark uses it).
        `method` is "lexical" or "semantic" (the extra; see `resolve_method`). The semantic
        method also takes the embedding cosines as evidence that the text is "already known"
        (`known.known_features`). `embedding` is the text's embedding when
        the caller encoded a batch at once (`SemanticScorer.embed_many`).
        """
        if method not in METHODS:
            raise FomoError(f"unknown method {method!r}", hint="use lexical or semantic")
        excluded_ids = frozenset(exclude)
        notices: list[str] = []
        title, body = title.strip(), body.strip()
        if not title and not body:
            raise FomoError("nothing to place: the text is empty", hint="e.g. fomo place 'SimPO'")
        if len(title) + len(body) > MAX_CHARS:
            notices.append(
                f"text is {len(title) + len(body):,} characters; only the first "
                f"{MAX_CHARS:,} are used"
            )
            title = title[:MAX_CHARS]
            body = body[: max(0, MAX_CHARS - len(title))]
        letters = [ch for ch in title + body if ch.isalpha()]
        if letters and sum(ch.isascii() for ch in letters) < 0.6 * len(letters):
            notices.append(
                "text does not look English; the map is English, so matches may be missing"
            )
        exclude_pos = {self.position[i] for i in excluded_ids if i in self.position}
        existing = self.known_by_name(title, body, excluded_ids)
        share = known_share(self, title, body)
        vector = self.query_vector(title, body)
        if not vector:
            notices.append("no word of the text occurs in the map")
        sims = self.similarities(vector, exclude_pos)
        ordered = heapq.nlargest(1, sims.items(), key=lambda item: item[1])
        best_sim = ordered[0][1] if ordered else 0.0
        ranked = self.rank_parents(sims, exclude_pos)
        support = ranked[0][1] if ranked else None
        off_topic = existing is None and unrelated(support, share, f"{title} {body}")
        doubtful = unrelated(support, share, f"{title} {body}", whole_words=True)
        near_sims = sims
        if method == "semantic" and vector:  # no shared word at all: nothing to go on
            semantic = self.semantic()
            query = semantic.embed(title, body) if embedding is None else embedding
            ordered = self.order_parents(sims, ranked, exclude_pos)
            ranked = semantic.rank(query, sims, ordered, exclude_pos)
            near_sims = semantic.similarities(query, exclude_pos)
            far = max(near_sims.values(), default=0.0) < RELATED_EMBEDDING
            off_topic, doubtful = off_topic and far, doubtful and far
        else:
            ranked = self.parent_confidences(sims, ranked, exclude_pos)
        if existing is None and not doubtful and ordered:  # a paraphrase needs firmer ground
            existing = self.paraphrase_of(
                title,
                vector,
                sims,
                exclude_pos,
                share,
                excluded_ids,
                embedding=near_sims if near_sims is not sims else None,
            )
        if existing is not None and existing.how != "paraphrase":
            # The text names a topic the map has: that topic is no parent for it, nor is
            # anything under it. A paraphrase match is only likely, and when the text turns out
            # to be new it is most often a specialisation of the topic it resembles (on the
            # bundled map, 12 of 59 left-out leaves matched their own parent that way), so the
            # matched topic stays a candidate then.
            itself = {self.position[t.id] for t in self.kb.subtree(existing.id)}
            ranked = [(c, score) for c, score in ranked if c not in itself]
        words = surfaces(f"{title}\n{body}")
        candidates = [
            self._candidate(c, score, vector, near_sims, words)
            for c, score in ranked[: max(top, 0)]
        ]
        return Placement(
            text=(title + ("\n" + body if body else "")),
            existing=existing,
            candidates=candidates,
            best_similarity=best_sim,
            unrelated=off_topic,
            notices=notices,
            method=method,
        )

    def semantic(self) -> SemanticScorer:
        """The embedding side, built on first use (loads the `semantic` extra unless an encoder
        was passed in)."""
        if self._semantic is None:
            self._semantic = SemanticScorer(self, self.encoder, self.word_encoder)
        return self._semantic

    def _candidate(
        self,
        c: int,
        score: float,
        vector: dict[str, float],
        sims: dict[int, float],
        words: dict[str, str],
    ) -> Candidate:
        topic = self.kb.topics[self.ids[c]]
        near = sorted(
            ((k, sims[k]) for k in self.children_of[c] if k in sims), key=lambda x: -x[1]
        )[:3]
        if c in sims and (not near or sims[c] >= near[-1][1]):
            near = sorted([*near, (c, sims[c])], key=lambda x: -x[1])[:3]
        weight: Counter[str] = Counter()
        for k in [c, *[k for k, _ in near]]:
            doc = self.vectors[k]
            for term, w in vector.items():
                if term in doc:
                    weight[term] += w * doc[term]
        return Candidate(
            id=topic.id,
            title=topic.title,
            path=[(t.id, t.title) for t in self.kb.path(topic.id)],
            score=score,
            terms=list(dict.fromkeys(words.get(t, t) for t, _ in weight.most_common(6))),
            nearest=[(self.ids[k], self.kb.topics[self.ids[k]].title, s) for k, s in near],
        )
