"""The lexical side of placement: every topic as a BM25-weighted term vector, compared by cosine.

- every topic is a document of its title and aliases (weighted highest), essence, paper title,
  tags and body, analysed by `tokenise.tokens`;
- acronyms learned from the aliases ("DPO" -> "direct preference optimization") expand in both
  directions, so a query saying "RLHF" meets a topic that spells it out;
- terms carry BM25 weights (idf x saturated, length-normalised term frequency) and documents are
  compared by cosine, so scores are absolute (0..1) and thresholds mean the same on any map;
- a candidate parent scores by its own text and by its children's text (the nearest existing
  topics below it): a new method belongs with the methods it resembles;
- the candidates are then ordered by a fitted combination of that score and a few more signals
  (how its children, its family and the nearest topics vote, what kind of folder it is):
  `PARENT_FEATURES`, fitted on the map's own leaves by `benchmarks/placement.py --fit-lexical`.

Written here rather than taken from a search library because the scoring has to aggregate over
the tree and leave topics out (the leave-one-out benchmark), and the map is small enough that a
pure-Python inverted index places hundreds of items per second.
"""

from __future__ import annotations

import dataclasses
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

# The order of the candidate parents: a weighted sum of these features of each candidate (a
# conditional logit: softmax over one query's candidates), fitted on the leave-one-out leaves
# of the bundled map with 5-fold cross-validation (`benchmarks/placement.py --fit-lexical`;
# benchmarks/RESULTS.md). The candidates are the RERANK best by `rank_parents` and the parents
# of the RERANK_NEAREST most similar topics.
PARENT_FEATURES = (
    "score",  # the hand-made parent score of rank_parents
    "own",  # cosine with the candidate itself
    "child_1",  # best cosine among its children
    "child_2",  # second best
    "child_3",  # third best
    "family",  # cosine with its family (itself + children)
    "vote",  # summed cosine of the VOTERS nearest topics that are its children
    "voters",  # how many of them are its children
    "children_log",  # log(1 + number of children)
    "leaf",  # 1 when it has no children
    "depth",  # its depth in the tree (0 for a root)
    "grand_vote",  # summed cosine of the VOTERS nearest topics that are its grandchildren
    "rank_log",  # log(1 + its rank by score)
    "leaf_children",  # share of its children that are leaves (a folder of concrete topics)
    "children_mean",  # mean cosine of all its children
    "children_touched",  # share of its children with a cosine above 0.1
    "score_sq",  # score^2, score x family, family^2: the two main signals interact
    "score_family",
    "family_sq",
)
PARENT_WEIGHTS = (  # fitted on the bundled map of 1,795 topics, 1,546 leaves
    -13.3961,  # score
    14.5089,  # own
    6.9759,  # child_1
    2.9808,  # child_2
    2.9436,  # child_3
    45.5920,  # family
    -1.6756,  # vote
    0.2557,  # voters
    0.1770,  # children_log
    1.7348,  # leaf
    -0.2877,  # depth
    -0.2221,  # grand_vote
    -0.4057,  # rank_log
    1.7149,  # leaf_children
    -12.0235,  # children_mean
    -0.8157,  # children_touched
    3.3872,  # score_sq
    -46.9349,  # score_family
    21.4011,  # family_sq
)
RERANK = 25
RERANK_NEAREST = 30
VOTERS = 10


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
        self.depth = [0] * len(self.ids)
        for i in range(len(self.ids)):
            p = self.parent_of[i]
            while p is not None and self.depth[i] <= len(self.ids):
                self.depth[i] += 1
                p = self.parent_of[p]
        self.acronyms, self.expansions = self._learn_acronyms(kb.topics.values())
        self._identity: dict[int, frozenset[str]] = {}
        bags = [self._document(kb.topics[tid]) for tid in self.ids]
        self.doc_count = len(bags)
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag.keys())
        self.idf = {
            term: math.log(1 + (self.doc_count - n + 0.5) / (n + 0.5)) for term, n in df.items()
        }
        lengths = [sum(bag.values()) for bag in bags]
        self.average_length = (sum(lengths) / len(lengths)) if lengths else 1.0
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.vectors: list[dict[str, float]] = []
        for i, bag in enumerate(bags):
            vector = self.weigh(bag)
            self.vectors.append(vector)
            for term, weight in vector.items():
                self.postings[term].append((i, weight))
        # A family (a topic and its children) as one document: the sum of their unit vectors.
        # Its cosine with a query says how well the query fits the family as a whole, which a
        # single best child (one lucky shared word) does not.
        self.family: list[dict[str, float]] = []
        self.family_sq: list[float] = []
        for c in range(self.doc_count):
            family = self.family_vector(c)
            self.family.append(family)
            self.family_sq.append(sum(w * w for w in family.values()))

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

    def identity_terms(self, k: int) -> frozenset[str]:
        """The terms of topic `k` without its body: what the topic is called and what it is.
        "Already known" compares a text with these, because a body also describes the topic's
        neighbours ("unlike AWQ, which rescales channels, ...")."""
        found = self._identity.get(k)
        if found is None:
            topic = dataclasses.replace(self.kb.topics[self.ids[k]], body="")
            found = self._identity[k] = frozenset(self._document(topic))
        return found

    def family_vector(self, c: int) -> dict[str, float]:
        """The sum of the unit vectors of topic `c` and its children."""
        total: dict[str, float] = defaultdict(float)
        for k in [c, *self.children_of[c]]:
            for term, w in self.vectors[k].items():
                total[term] += w
        return dict(total)

    def weigh(self, bag: Counter[str]) -> dict[str, float]:
        """A topic's unit BM25 vector from its bag of terms (idf and average length of the map;
        terms the map does not know are dropped)."""
        average = self.average_length
        norm_length = 1 - B + B * (sum(bag.values()) / average if average else 1.0)
        vector = {
            term: self.idf[term] * tf * (K1 + 1) / (tf + K1 * norm_length)
            for term, tf in bag.items()
            if term in self.idf
        }
        size = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {term: w / size for term, w in vector.items()}

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

    def parent_features(
        self,
        sims: dict[int, float],
        ranked: list[tuple[int, float]],
        exclude: set[int],
        candidates: list[int] | None = None,
    ) -> tuple[list[int], list[list[float]]]:
        """(candidates, their PARENT_FEATURES) for one query, from `rank_parents`' ranking;
        the candidates are the RERANK best and the parents of the RERANK_NEAREST nearest
        topics unless given."""
        near = heapq.nlargest(RERANK_NEAREST, sims.items(), key=lambda item: item[1])
        if candidates is None:
            candidates = [c for c, _ in ranked[:RERANK]]
            seen = set(candidates)
            for i, _ in near:
                p = self.parent_of[i]
                if p is not None and p not in seen and p not in exclude:
                    seen.add(p)
                    candidates.append(p)
        score = dict(ranked)
        rank = {c: r for r, (c, _) in enumerate(ranked)}
        vote: dict[int, float] = defaultdict(float)
        voters: dict[int, int] = defaultdict(int)
        grand_vote: dict[int, float] = defaultdict(float)
        for i, s in near[:VOTERS]:
            p = self.parent_of[i]
            if p is not None:
                vote[p] += s
                voters[p] += 1
                g = self.parent_of[p]
                if g is not None:
                    grand_vote[g] += s
        rows = []
        for c in candidates:
            kids = [k for k in self.children_of[c] if k not in exclude]
            kid_sims = sorted((sims.get(k, 0.0) for k in kids), reverse=True)
            best = [*kid_sims[:3], 0.0, 0.0, 0.0][:3]
            n = len(kids)
            own_score = score.get(c, 0.0)
            family = self.family_similarity(c, sims, exclude) if n else 0.0
            rows.append(
                [
                    own_score,
                    sims.get(c, 0.0),
                    *best,
                    family,
                    vote[c],
                    float(voters[c]),
                    math.log1p(n),
                    0.0 if n else 1.0,
                    float(self.depth[c]),
                    grand_vote[c],
                    math.log1p(rank.get(c, len(ranked))),
                    sum(1 for k in kids if not self.children_of[k]) / n if n else 0.0,
                    sum(kid_sims) / n if n else 0.0,
                    sum(1 for x in kid_sims if x > 0.1) / n if n else 0.0,
                    own_score * own_score,
                    own_score * family,
                    family * family,
                ]
            )
        return candidates, rows

    def order_parents(
        self, sims: dict[int, float], ranked: list[tuple[int, float]], exclude: set[int]
    ) -> list[tuple[int, float]]:
        """The candidates of `rank_parents` in the fitted order (PARENT_WEIGHTS), each with
        its `rank_parents` score (the support it gathers: a feature of the semantic method)."""
        if not ranked:
            return ranked
        candidates, logits = self.parent_logits(sims, ranked, exclude)
        score = dict(ranked)
        order = sorted(range(len(candidates)), key=lambda j: (-logits[j], self.ids[candidates[j]]))
        return [(candidates[j], score.get(candidates[j], 0.0)) for j in order]

    def parent_confidences(
        self, sims: dict[int, float], ranked: list[tuple[int, float]], exclude: set[int]
    ) -> list[tuple[int, float]]:
        """The candidates in the fitted order, each with the fitted model's probability that
        it is the parent (a softmax over the candidates, as the semantic method gives): the
        score a reader sees falls as the list goes down, and `ingest --min-score` means the
        same for both methods."""
        if not ranked:
            return ranked
        candidates, logits = self.parent_logits(sims, ranked, exclude)
        top = max(logits)
        weights = [math.exp(logit - top) for logit in logits]
        total = sum(weights)
        found = [(c, w / total) for c, w in zip(candidates, weights, strict=True)]
        found.sort(key=lambda item: (-item[1], self.ids[item[0]]))
        return found

    def parent_logits(
        self,
        sims: dict[int, float],
        ranked: list[tuple[int, float]],
        exclude: set[int],
        candidates: list[int] | None = None,
    ) -> tuple[list[int], list[float]]:
        """(candidates, the fitted order's logit of each): see `parent_features`."""
        candidates, rows = self.parent_features(sims, ranked, exclude, candidates)
        return candidates, [
            sum(w * f for w, f in zip(PARENT_WEIGHTS, row, strict=True)) for row in rows
        ]

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
