"""`fomo place TEXT`: is a concept already in the map, and if not, under which topic does it go?

A lexical model, built once per process from the loaded KnowledgeBase and kept in memory:

- every topic is a document of its title and aliases (weighted highest), essence, paper title,
  tags and body, analysed by a domain-aware tokeniser (hyphenated names such as "kv-cache" or
  "gpt-4o" give their parts and their joined form; British spellings and plurals fold as in
  `fomo.kb.names`; a light suffix stemmer folds "quantized"/"quantization");
- acronyms learned from the aliases ("DPO" -> "direct preference optimization") expand in both
  directions, so a query saying "RLHF" meets a topic that spells it out;
- terms carry BM25 weights (idf x saturated, length-normalised term frequency) and documents are
  compared by cosine, so scores are absolute (0..1) and thresholds mean the same on any map;
- a candidate parent scores by its own text and by its children's text (the nearest existing
  topics below it): a new method belongs with the methods it resembles.

"Already known" is an exact or fuzzy name match (the name key and resolver of `fomo where`) on
the names the text offers (the whole text when short, a paper title's "Name:" prefix, acronyms in
parentheses), or else a paraphrase: a small logistic model over the query's nearest topic (how
close, how far ahead of the next topic and of its own family, how much of the query's weight and
of its rarest terms that topic's own text covers) says it describes that topic, not a new sibling.

Written here rather than taken from a search library because the scoring has to aggregate over
the tree and leave topics out (the leave-one-out benchmark), and the map is small enough that a
pure-Python inverted index places hundreds of items per second.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
import unicodedata
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fomo.errors import FomoError, UnknownTopicError
from fomo.kb.index import OutlineRow
from fomo.kb.names import name_key
from fomo.model import KnowledgeBase, Topic
from fomo.query.where import resolve

METHOD = "lexical"
METHODS = ("lexical", "semantic")
MAX_CHARS = 20_000  # longer text is cut here (with a notice): an abstract is ~2,000

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

# Paraphrase detection: a logistic model over KNOWN_FEATURES (below) of the query and its nearest
# topic says how likely the text describes that topic rather than something new beside it.
# Fitted by `benchmarks/placement.py --fit-known` on the map itself, never on the hand-written
# paraphrases: positives are each topic's essence with half its words dropped or swapped for
# other words of the map (the topic present), negatives the same text with the topic left out.
# The threshold is the lowest that keeps the cross-validated false "already known" rate on the
# leave-one-out queries (which the fit does not see) at most 9.5%.
NAME_MAX_WORDS = 8  # text this short is also looked up as a name

# The semantic method scores each candidate parent by a weighted sum of these features, then a
# softmax over the candidates (so its score reads as "probability this is the parent"). The
# weights were fitted by `benchmarks/placement.py --fit` (a conditional logit over the
# leave-one-out set, 5-fold cross-validated; see benchmarks/RESULTS.md).
SEMANTIC_FEATURES = (
    "lexical",  # the lexical parent score (rank_parents)
    "lexical_own",  # lexical cosine with the candidate itself
    "lexical_child",  # best lexical cosine among its children
    "lexical_vote",  # summed lexical cosine of the 10 nearest topics that are its children
    "semantic_own",  # embedding cosine with the candidate itself
    "semantic_child",  # best embedding cosine among its children
    "semantic_children",  # mean of the three best
    "semantic_family",  # cosine with the mean embedding of the candidate and its children
    "semantic_vote",  # summed embedding cosine of the 10 nearest topics that are its children
    "children_log",  # log(1 + number of children)
    "leaf",  # 1 when it has no children (it would have to become a folder)
)
SEMANTIC_WEIGHTS = (  # fitted on the bundled map of 857 topics, 675 leaves
    20.3703,
    -5.9917,
    -5.6565,
    0.5358,
    1.6077,
    0.6859,
    -3.0515,
    18.0373,
    -0.2714,
    -0.0789,
    -2.3928,
)
SEMANTIC_NEAREST = 30  # the nearest topics by embedding whose parents become candidates
VOTERS = 10

KNOWN_FEATURES = (
    "similarity",  # cosine of the query with the nearest topic
    "margin",  # ... minus the cosine with the next nearest topic
    "family_margin",  # ... minus the best cosine with its parent, siblings and children
    "own_coverage",  # share of the query's weight on terms the nearest topic's text has
    "family_coverage",  # share only its family has (a new sibling reads like the family)
    "distinctive",  # share of the query's three rarest terms the nearest topic has
    "category",  # 1 when the nearest topic has children
)
KNOWN_WEIGHTS = (  # fitted on the bundled map of 857 topics
    7.6558,
    5.7122,
    3.6359,
    11.7645,
    -5.2847,
    -1.4375,
    0.4249,
)
KNOWN_BIAS = -8.4679
KNOWN_THRESHOLD = 0.857
LEXICAL_CANDIDATES = 25

_RAW_TOKEN = re.compile(r"[^\W_]+(?:[-.'’+][^\W_]+)*")
_ACRONYM_IN_PARENS = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,14})\)")
_NAME_LIKE = re.compile(r"^[A-Za-z]*[a-z][A-Z]|^[A-Z]{2}|[A-Za-z]\d|\d[A-Za-z]")
_NAME_PREFIX = re.compile(r"^\s*([^:\n]{2,60}?)\s*:\s+\S")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "across",
        "after",
        "again",
        "against",
        "all",
        "almost",
        "also",
        "although",
        "always",
        "am",
        "among",
        "an",
        "and",
        "another",
        "any",
        "are",
        "around",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "enough",
        "etc",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "least",
        "less",
        "like",
        "made",
        "make",
        "makes",
        "making",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "near",
        "need",
        "needs",
        "neither",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "onto",
        "or",
        "other",
        "others",
        "otherwise",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "per",
        "quite",
        "rather",
        "same",
        "several",
        "she",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "therefore",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "to",
        "too",
        "toward",
        "towards",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "use",
        "used",
        "uses",
        "using",
        "very",
        "via",
        "was",
        "we",
        "well",
        "were",
        "what",
        "whatever",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "paper",
        "propose",
        "proposes",
        "proposed",
        "present",
        "presents",
        "introduce",
        "introduces",
        "introduced",
        "novel",
        "new",
        "approach",
        "approaches",
        "show",
        "shows",
        "shown",
        "demonstrate",
        "demonstrates",
        "result",
        "results",
        "achieve",
        "achieves",
        "work",
        "works",
        "study",
        "studies",
        "based",
        "framework",
        "experiment",
        "experiments",
        "extensive",
        "significantly",
        "significant",
        "state",
        "art",
        "outperform",
        "outperforms",
        "existing",
        "recent",
        "recently",
        "furthermore",
        "moreover",
        "specifically",
        "particular",
        "particularly",
        "various",
        "well-known",
    ]
)

# Suffixes folded by the light stemmer, longest first; the stem keeps at least four letters.
_SUFFIXES = (
    ("izations", "iz"),
    ("ization", "iz"),
    ("ations", ""),
    ("ation", ""),
    ("ings", ""),
    ("ing", ""),
    ("ers", ""),
    ("er", ""),
    ("ed", ""),
    ("ly", ""),
)


def _fold(text: str) -> str:
    """Lowercase and accent-free, but letters of other scripts are kept (they just match less)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    word = name_key(word) or word
    if word.isdigit() or len(word) <= 4:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Domain-aware terms of a text: stems of its words, plus joined forms of compound names."""
    found: list[str] = []
    for raw in _RAW_TOKEN.findall(_fold(text)):
        parts = [p for p in re.split(r"[-.'’+]", raw) if p]
        if len(parts) > 1:
            joined = "".join(parts)
            if len(joined) <= 20:
                found.append(_stem(joined))
        for part in parts:
            if part in STOPWORDS or (len(part) == 1 and not part.isdigit()):
                continue
            found.append(_stem(part))
    return [t for t in found if t]


def surfaces(text: str) -> dict[str, str]:
    """term -> the word of the text it came from, to show evidence in the reader's words."""
    found: dict[str, str] = {}
    for raw in _RAW_TOKEN.findall(text):
        parts = [p for p in re.split(r"[-.'’+]", raw) if p]
        for word in [raw, *parts] if len(parts) > 1 else parts:
            for term in tokens(word)[:1]:
                found.setdefault(term, word.lower() if not word.isupper() else word)
    return found


def _variant(a: str, b: str) -> bool:
    """Whether two name keys name different things: another version ("qwen3" / "qwen"), or one
    extends the other ("indirectpromptinjection" / "directpromptinjection", "xlstm" / "lstm")."""
    if re.sub(r"\D", "", a) != re.sub(r"\D", "", b):
        return True
    short, long = sorted((a, b), key=len)
    return long.startswith(short) or long.endswith(short)


def _same_thing(name: str, topic: Topic) -> bool:
    """A fuzzy match counts as "already known" only when it is a misspelling, not a variant."""
    key = name_key(name)
    names = [topic.id, topic.title, *topic.aliases]
    from rapidfuzz import fuzz

    closest = max(names, key=lambda n: fuzz.ratio(key, name_key(n)))
    return not _variant(key, name_key(closest))


def name_prefix(title: str, max_words: int = 4) -> str | None:
    """The name a paper title leads with ("SimPO: Simple Preference ..." -> "SimPO"), if it
    has one of at most `max_words` words. One rule for placement and for `ingest --apply`."""
    match = _NAME_PREFIX.match(title)
    if match and len(match.group(1).split()) <= max_words:
        return match.group(1).strip()
    return None


def _is_acronym(alias: str) -> bool:
    letters = alias.replace("-", "").replace(".", "")
    return 2 <= len(letters) <= 8 and " " not in alias and sum(c.isupper() for c in alias) >= 2


@dataclass
class Existing:
    """The topic the text already names or paraphrases."""

    id: str
    title: str
    score: float
    how: str  # "id", "title", "alias", "fuzzy" or "paraphrase"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "score": round(self.score, 3), "how": self.how}


@dataclass
class Candidate:
    """A suggested parent with the evidence that made the case."""

    id: str
    title: str
    path: list[tuple[str, str]]  # (id, title) from the root down to the candidate
    score: float
    terms: list[str] = field(default_factory=list)
    nearest: list[tuple[str, str, float]] = field(default_factory=list)  # (id, title, sim)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "path": [{"id": i, "title": t} for i, t in self.path],
            "score": round(self.score, 3),
            "evidence": {
                "terms": self.terms,
                "nearest": [
                    {"id": i, "title": t, "score": round(s, 3)} for i, t, s in self.nearest
                ],
            },
        }


@dataclass
class Placement:
    text: str
    existing: Existing | None
    candidates: list[Candidate]
    best_similarity: float = 0.0  # of the single closest topic: near 0 means unrelated to the map
    notices: list[str] = field(default_factory=list)
    method: str = METHOD

    def as_dict(self) -> dict[str, Any]:
        return {
            "existing": self.existing.as_dict() if self.existing else None,
            "candidates": [c.as_dict() for c in self.candidates],
            "method": self.method,
            "notices": self.notices,
        }


class _NameTable:
    """The name lookups `where.resolve` needs, served from memory so topics can be left out.

    The name keys are computed once per model (`name_key` is the slow part); a table for a set
    of left-out topics only filters them."""

    def __init__(
        self,
        kb: KnowledgeBase,
        keys: dict[str, list[tuple[str, str]]],
        exclude: frozenset[str],
    ) -> None:
        self._rows = [
            OutlineRow(t.id, t.parent, t.title, t.order, "")
            for t in kb.topics.values()
            if t.id not in exclude
        ]
        if exclude:
            keys = {
                key: kept
                for key, found in keys.items()
                if (kept := [item for item in found if item[0] not in exclude])
            }
        self._kb = kb
        self._keys = keys
        self._names = [(key, tid) for key, found in keys.items() for tid, _ in found]

    @staticmethod
    def keys_of(kb: KnowledgeBase) -> dict[str, list[tuple[str, str]]]:
        """name key -> (topic id, how) for every id, title and alias; ids sort first."""
        keys: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for topic in kb.topics.values():
            for how, name in [("id", topic.id), ("title", topic.title)] + [
                ("alias", a) for a in topic.aliases
            ]:
                key = name_key(name)
                if key and (topic.id, how) not in keys[key]:
                    keys[key].append((topic.id, how))
        order = {"id": 0, "title": 1, "alias": 2}
        for found in keys.values():
            found.sort(key=lambda item: order[item[1]])
        return dict(keys)

    def ids_for_key(self, key: str) -> list[tuple[str, str]]:
        return list(self._keys.get(key, []))

    def all_names(self) -> list[tuple[str, str]]:
        return self._names

    def outline(self) -> list[OutlineRow]:
        return self._rows

    def search(self, expression: str, limit: int) -> list[tuple[str, float]]:
        """No full-text suggestions: placement only needs the match, not "did you mean"."""
        return []

    def topic_summary(self, topic_id: str) -> tuple[str, str, str] | None:
        topic = self._kb.topics.get(topic_id)
        return (topic.title, topic.essence, topic.source.file) if topic else None


class PlacementModel:
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
        self._name_keys = _NameTable.keys_of(kb)
        self._semantic: SemanticScorer | None = None
        self._names: dict[frozenset[str], _NameTable] = {}
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

    def known_features(
        self,
        vector: dict[str, float],
        sims: dict[int, float],
        exclude: set[int],
        best_vector: dict[str, float] | None = None,
    ) -> tuple[int, list[float]] | None:
        """(the nearest topic, KNOWN_FEATURES of the query against it), or None if no topic
        shares a word. `best_vector` stands in for the nearest topic's own vector (the fit uses
        it to hide a topic's essence from itself)."""
        ordered = heapq.nlargest(2, sims.items(), key=lambda item: item[1])
        if not ordered:
            return None
        b, first = ordered[0]
        second = ordered[1][1] if len(ordered) > 1 else 0.0
        doc = best_vector if best_vector is not None else self.vectors[b]
        p = self.parent_of[b]
        family = [k for k in self.children_of[b] if k not in exclude]
        if p is not None:
            family += [p, *(k for k in self.children_of[p] if k != b and k not in exclude)]
        family = [k for k in family if k not in exclude]
        family_best = max((sims.get(k, 0.0) for k in family), default=0.0)
        own = sum(w * w for t, w in vector.items() if t in doc) + 0.0
        elsewhere = (
            sum(
                w * w
                for t, w in vector.items()
                if t not in doc and any(t in self.vectors[k] for k in family)
            )
            + 0.0
        )
        distinctive = heapq.nlargest(3, vector, key=lambda t: self.idf.get(t, 0.0))
        covered = sum(1 for t in distinctive if t in doc) / max(len(distinctive), 1)
        return b, [
            first,
            first - second,
            first - family_best,
            own,
            elsewhere,
            covered,
            1.0 if self.children_of[b] else 0.0,
        ]

    def known_probability(self, features: list[float]) -> float:
        """How likely the query describes its nearest topic (the fitted logistic model)."""
        logit = KNOWN_BIAS + sum(w * f for w, f in zip(KNOWN_WEIGHTS, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))

    # -- the answer -----------------------------------------------------------------------

    def names(self, exclude: frozenset[str]) -> _NameTable:
        table = self._names.get(exclude)
        if table is None:
            table = _NameTable(self.kb, self._name_keys, exclude)
            if len(self._names) > 4:
                self._names.clear()
            self._names[exclude] = table
        return table

    def known_by_name(self, title: str, body: str, exclude: frozenset[str]) -> Existing | None:
        """An exact or fuzzy name match for the names the text offers, best first."""
        offered: list[str] = []
        whole = f"{title} {body}".strip()
        if len(whole.split()) <= NAME_MAX_WORDS:
            offered.append(whole)
        if len(title.split()) <= NAME_MAX_WORDS:
            offered.append(title)
        prefix = name_prefix(title)
        if prefix:
            offered.append(prefix)
        offered += _ACRONYM_IN_PARENS.findall(title)
        table = self.names(exclude)
        best: Existing | None = None
        for name in dict.fromkeys(n.strip() for n in offered if n.strip()):
            if not name_key(name):
                continue
            try:
                match = resolve(table, name)  # type: ignore[arg-type]
            except UnknownTopicError:
                continue
            except FomoError:
                continue
            topic = self.kb.topics[match.topic_id]
            if match.how == "fuzzy" and not _same_thing(name, topic):
                continue
            score = match.score / 100
            if best is None or score > best.score:
                best = Existing(topic.id, topic.title, score, match.how)
            if score >= 1.0:
                break
        return best

    def novel_names(self, title: str) -> list[str]:
        """Name-like words of a title the map has never used ("DoRA", "KTO-Lite", "Qwen3"):
        a text that names something new is not a paraphrase of an existing topic."""
        words = [w for w in _RAW_TOKEN.findall(title) if _NAME_LIKE.search(w)]
        prefix = name_prefix(title, max_words=2)
        if prefix:
            words.append(prefix)
        novel = []
        for word in words:
            terms = tokens(word)
            if terms and any(t not in self.idf for t in terms[:1]):
                novel.append(word)
        return novel

    def place(
        self,
        title: str,
        body: str = "",
        *,
        top: int = 5,
        exclude: Iterable[str] = (),
        method: str = METHOD,
    ) -> Placement:
        """Where `title` (a name or paper title) with an optional `body` (abstract) belongs.

        `exclude` leaves topics out as if they were not in the map (the benchmark uses it).
        `method` is "lexical" or "semantic" (the extra; see `resolve_method`). "Already known"
        is decided lexically by both: the embeddings did not separate paraphrases from new
        siblings any better (benchmarks/RESULTS.md).
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
        vector = self.query_vector(title, body)
        if not vector:
            notices.append("no word of the text occurs in the map")
        sims = self.similarities(vector, exclude_pos)
        ordered = heapq.nlargest(1, sims.items(), key=lambda item: item[1])
        best_sim = ordered[0][1] if ordered else 0.0
        if existing is None and ordered and not self.novel_names(title):
            found = self.known_features(vector, sims, exclude_pos)
            if found is not None:
                probability = self.known_probability(found[1])
                if probability >= KNOWN_THRESHOLD:
                    topic = self.kb.topics[self.ids[found[0]]]
                    existing = Existing(topic.id, topic.title, probability, "paraphrase")
        ranked = self.rank_parents(sims, exclude_pos)
        near_sims = sims
        if method == "semantic" and vector:  # no shared word at all: nothing to go on
            semantic = self.semantic()
            query = semantic.embed(title, body)
            ranked = semantic.rank(query, sims, ranked, exclude_pos)
            near_sims = semantic.similarities(query, exclude_pos)
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
            notices=notices,
            method=method,
        )

    def semantic(self) -> SemanticScorer:
        """The embedding side, built on first use (loads the `semantic` extra)."""
        if self._semantic is None:
            self._semantic = SemanticScorer(self)
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


class SemanticScorer:
    """Candidate parents scored with sentence embeddings as well as the lexical model.

    Topic vectors come from `fomo.query.embed` (cached on disk by content digest); similarities
    of a query with every topic are one matrix product, so the cost per item is the encoding."""

    def __init__(self, model: PlacementModel, encoder: Any = None) -> None:
        import numpy as np

        from fomo.query.embed import embed_cached, embedder, topic_text

        self.model = model
        self.encoder = encoder or embedder()
        texts = [topic_text(model.kb.topics[tid]) for tid in model.ids]
        self.matrix = np.asarray(embed_cached(texts, self.encoder), dtype=np.float32)
        families = [[c, *model.children_of[c]] for c in range(len(model.ids))]
        self.family = np.stack([self.matrix[f].sum(axis=0) for f in families]) if texts else None
        self.weights = np.asarray(SEMANTIC_WEIGHTS, dtype=np.float64)

    def embed(self, title: str, body: str = "") -> Any:
        from fomo.query.embed import query_text

        return self.encoder.encode([query_text(title, body)])[0]

    def similarities(self, query: Any, exclude: set[int]) -> dict[int, float]:
        return {i: float(s) for i, s in enumerate(self.matrix @ query) if i not in exclude}

    def features(
        self,
        query: Any,
        sims: dict[int, float],
        lexical: list[tuple[int, float]],
        exclude: set[int],
    ) -> tuple[list[int], Any]:
        """(candidates, feature matrix in SEMANTIC_FEATURES order) for one query."""
        import numpy as np

        model = self.model
        cosines = self.matrix @ query
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
            for k in model.children_of[c]:
                if k in exclude:
                    family -= self.matrix[k]
            size = float(np.linalg.norm(family))
            rows.append(
                [
                    lexical_score.get(c, 0.0),
                    sims.get(c, 0.0),
                    lex_kids,
                    lexical_vote[c],
                    float(cosines[c]),
                    sem_kids[0] if sem_kids else 0.0,
                    sum(sem_kids[:3]) / 3,
                    float(family @ query) / size if size > 1e-9 else 0.0,
                    semantic_vote[c],
                    math.log1p(len(kids)),
                    0.0 if kids else 1.0,
                ]
            )
        return candidates, np.asarray(rows, dtype=np.float64).reshape(-1, len(SEMANTIC_FEATURES))

    def rank(
        self,
        query: Any,
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
    from fomo.query.embed import available

    return available()


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


_MODELS: weakref.WeakKeyDictionary[KnowledgeBase, PlacementModel] = weakref.WeakKeyDictionary()


def model_for(kb: KnowledgeBase) -> PlacementModel:
    """The placement model of a KnowledgeBase, built on first use and kept for the process."""
    model = _MODELS.get(kb)
    if model is None:
        model = PlacementModel(kb)
        _MODELS[kb] = model
    return model


def split_text(text: str) -> tuple[str, str]:
    """(title, body) of free text: the first non-empty line is the title."""
    stripped = text.strip()
    title, _, body = stripped.partition("\n")
    return title.strip(), body.strip()


def place(kb: KnowledgeBase, text: str, *, top: int = 5, method: str = METHOD) -> Placement:
    title, body = split_text(text)
    return model_for(kb).place(title, body, top=top, method=resolve_method(method))
