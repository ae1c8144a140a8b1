"""The lexical side of placement: every topic as a BM25-weighted term vector, compared by cosine.

- every topic is a document of its title and aliases (weighted highest), essence, paper title,
  tags and body, analysed by `tokenise.tokens`;
- acronyms learned from the aliases ("DPO" -> "direct preference optimization") expand in both
  directions, so a query saying "RLHF" meets a topic that spells it out;
- terms carry BM25 weights (idf x saturated, length-normalised term frequency) and documents are
  compared by cosine, so scores are absolute (0..1) and thresholds mean the same on any map;
- a candidate parent scores by its own text and by its children's text (the nearest existing
  topics below it): a new method belongs with the methods it resembles.

Written here rather than taken from a search library because the scoring has to aggregate over
the tree and leave topics out (the leave-one-out benchmark), and the map is small enough that a
pure-Python inverted index places hundreds of items per second.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from fomo.model import KnowledgeBase, Topic
from fomo.query.place.tokenise import _is_acronym, tokens

# Field weights of a topic document: names say most about what a topic is.
TITLE_WEIGHT = 3.0
ALIAS_WEIGHT = 3.0
ESSENCE_WEIGHT = 2.0
PAPER_WEIGHT = 1.0
TAG_WEIGHT = 1.0
BODY_WEIGHT = 1.0
QUERY_TITLE_WEIGHT = 2.0  # the first line of a query (a paper title) counts double
EXPANSION_WEIGHT = 0.5  # an acronym's spelled-out words, or the acronym of spelled-out words

K1 = 1.2
B = 0.75

# Candidate parent score = OWN * sim(own text) + CHILD * best child + SPREAD * mean of next ones.
OWN = 0.7
CHILD = 0.3
SPREAD = 0.3
GRANDCHILD = 0.2  # a grandchild's similarity counts this much as a child's
LEAF_FACTOR = 0.3  # a topic without children is a less likely parent (it would become a folder)
NEAREST = 60  # how many of the most similar topics vote for parents
FAMILY = 0.5  # + this x cosine of the query with the candidate's family (itself + children)


class LexicalModel:
    """BM25-weighted topic vectors with an inverted index, over one KnowledgeBase."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.ids: list[str] = list(kb.topics)
        self.position = {tid: i for i, tid in enumerate(self.ids)}
        self.parent_of: list[int | None] = []
        self.children_of: list[list[int]] = [[] for _ in self.ids]
        for tid in self.ids:
            parent = kb.topics[tid].parent
            p = self.position.get(parent) if parent else None
            self.parent_of.append(p)
        for i, p in enumerate(self.parent_of):
            if p is not None:
                self.children_of[p].append(i)
        self.acronyms, self.expansions = self._learn_acronyms(kb.topics.values())
        bags = [self._document(kb.topics[tid]) for tid in self.ids]
        self.doc_count = len(bags)
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag.keys())
        self.idf = {
            term: math.log(1 + (self.doc_count - n + 0.5) / (n + 0.5)) for term, n in df.items()
        }
        lengths = [sum(bag.values()) for bag in bags]
        average = (sum(lengths) / len(lengths)) if lengths else 1.0
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.vectors: list[dict[str, float]] = []
        for i, bag in enumerate(bags):
            norm_length = 1 - B + B * (lengths[i] / average if average else 1.0)
            vector = {
                term: self.idf[term] * tf * (K1 + 1) / (tf + K1 * norm_length)
                for term, tf in bag.items()
            }
            size = math.sqrt(sum(w * w for w in vector.values())) or 1.0
            vector = {term: w / size for term, w in vector.items()}
            self.vectors.append(vector)
            for term, weight in vector.items():
                self.postings[term].append((i, weight))
        # A family (a topic and its children) as one document: the sum of their unit vectors.
        # Its cosine with a query says how well the query fits the family as a whole, which a
        # single best child (one lucky shared word) does not.
        self.family: list[dict[str, float]] = []
        self.family_sq: list[float] = []
        for c in range(self.doc_count):
            total: dict[str, float] = defaultdict(float)
            for k in [c, *self.children_of[c]]:
                for term, w in self.vectors[k].items():
                    total[term] += w
            self.family.append(dict(total))
            self.family_sq.append(sum(w * w for w in total.values()))

    # -- analysis -------------------------------------------------------------------------

    @staticmethod
    def _learn_acronyms(
        topics: Iterable[Topic],
    ) -> tuple[dict[str, list[str]], list[tuple[tuple[str, ...], str]]]:
        """acronym term -> spelled-out terms, and spelled-out term sequences -> acronym term."""
        acronyms: dict[str, list[str]] = {}
        for topic in topics:
            long_terms = tokens(topic.title)
            for alias in topic.aliases:
                if not _is_acronym(alias):
                    continue
                short = tokens(alias)
                if len(short) != 1 or not long_terms or short == long_terms:
                    continue
                acronyms.setdefault(short[0], long_terms)
        expansions = sorted(
            ((tuple(v), k) for k, v in acronyms.items() if len(v) >= 2),
            key=lambda item: -len(item[0]),
        )
        return acronyms, expansions

    def analyse(self, text: str) -> list[str]:
        """Terms of a text with acronyms expanded both ways (expansions marked with '~')."""
        terms = tokens(text)
        extra: list[str] = []
        for term in terms:
            extra.extend(self.acronyms.get(term, ()))
        if self.expansions and len(terms) >= 2:
            present = set(terms)
            for sequence, short in self.expansions:
                if short in present or not set(sequence) <= present:
                    continue
                n = len(sequence)
                if any(tuple(terms[i : i + n]) == sequence for i in range(len(terms) - n + 1)):
                    extra.append(short)
        return terms + ["~" + t for t in extra]

    def _bag(self, text: str, weight: float, into: Counter[str]) -> None:
        for term in self.analyse(text):
            if term.startswith("~"):
                into[term[1:]] += weight * EXPANSION_WEIGHT
            else:
                into[term] += weight

    def _document(self, topic: Topic) -> Counter[str]:
        bag: Counter[str] = Counter()
        self._bag(topic.title, TITLE_WEIGHT, bag)
        self._bag(topic.id.replace("-", " "), 1.0, bag)
        for alias in topic.aliases:
            self._bag(alias, ALIAS_WEIGHT, bag)
        self._bag(topic.essence, ESSENCE_WEIGHT, bag)
        if topic.paper:
            self._bag(topic.paper.title, PAPER_WEIGHT, bag)
        for tag in topic.tags:
            self._bag(tag, TAG_WEIGHT, bag)
        if topic.body:
            self._bag(re.sub(r"\[\[([a-z0-9-]+)\]\]", r"\1", topic.body[:4000]), BODY_WEIGHT, bag)
        return bag

    def query_vector(self, title: str, body: str = "") -> dict[str, float]:
        bag: Counter[str] = Counter()
        self._bag(title, QUERY_TITLE_WEIGHT if body else 1.0, bag)
        if body:
            self._bag(body, 1.0, bag)
        vector = {
            term: self.idf[term] * (1 + math.log(tf)) if tf >= 1 else self.idf[term] * tf
            for term, tf in bag.items()
            if term in self.idf
        }
        size = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {term: w / size for term, w in vector.items()}

    # -- scoring --------------------------------------------------------------------------

    def similarities(self, vector: dict[str, float], exclude: set[int]) -> dict[int, float]:
        """Cosine of the query with every topic that shares a term with it."""
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vector.items():
            for i, w in self.postings.get(term, ()):
                scores[i] += weight * w
        for i in exclude:
            scores.pop(i, None)
        return scores

    def rank_parents(self, sims: dict[int, float], exclude: set[int]) -> list[tuple[int, float]]:
        """Candidate parents by own similarity plus their children's (and grandchildren's).

        Only the NEAREST most similar topics take part: the rest cannot change the top ranks
        and would cost most of the time."""
        near = heapq.nlargest(NEAREST, sims.items(), key=lambda item: item[1])
        own = dict(near)
        kids: dict[int, list[float]] = defaultdict(list)
        for i, s in near:
            p = self.parent_of[i]
            if p is None or p in exclude:
                continue
            kids[p].append(s)
            g = self.parent_of[p]
            if g is not None and g not in exclude:
                kids[g].append(s * GRANDCHILD)
        ranked: list[tuple[int, float]] = []
        for c in own.keys() | kids.keys():
            if c in exclude:
                continue
            found = kids.get(c)
            score = OWN * own.get(c, sims.get(c, 0.0))
            if found:
                found.sort(reverse=True)
                score += CHILD * found[0]
                if len(found) > 1:
                    score += SPREAD * sum(found[1:4]) / 3
            children = len(self.children_of[c])
            if children and exclude:
                children -= sum(1 for k in exclude if self.parent_of[k] == c)
            if not children:
                score *= LEAF_FACTOR
            else:
                score += FAMILY * self.family_similarity(c, sims, exclude)
            ranked.append((c, score))
        ranked.sort(key=lambda item: (-item[1], self.ids[item[0]]))
        return ranked

    def family_similarity(self, c: int, sims: dict[int, float], exclude: set[int]) -> float:
        """Cosine of the query with the sum of c's and its children's vectors, computed from the
        per-topic similarities (the sum's norm is precomputed; left-out children come off)."""
        members = [c, *self.children_of[c]]
        gone = [k for k in members if k in exclude]
        dot = sum(sims.get(k, 0.0) for k in members if k not in exclude)
        square = self.family_sq[c]
        if gone:
            removed: dict[str, float] = defaultdict(float)
            for k in gone:
                for term, w in self.vectors[k].items():
                    removed[term] += w
            family = self.family[c]
            square += sum(w * w - 2 * w * family.get(t, 0.0) for t, w in removed.items())
        return dot / math.sqrt(square) if square > 1e-9 else 0.0
