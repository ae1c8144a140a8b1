"""Known or new: does a text name or describe a topic the map has, or is it off-topic?

- A name match (the lookup of `fomo where`: exact or a clear misspelling, never part of a longer
  name nor a variant such as OLMoE for OLMo) on the names the text offers: the
  whole text when short, a paper title's "Name:" prefix, acronyms in parentheses.
- Else a paraphrase: a small logistic model over the query's nearest topic (how close, how far
  ahead of the next topic and of its own family, how much of the query's weight and of its
  rarest terms that topic's own text covers) says it describes that topic, not a new sibling.
  It needs real evidence besides: at least MIN_SHARED content words shared with that topic, and
  most of the text's weight on words the map knows (words it has never seen count against), and
  the text must not look unrelated even when a compound word of the field counts only whole
  ("pre-training", not "train").
- Unrelated: the text uses no LLM vocabulary and either no candidate parent gathers real
  support, or much of it is words the map has never seen and no parent gathers strong support;
  one rule for `place` and `ingest`.
"""

from __future__ import annotations

import heapq
import math
import re

from fomo.errors import FomoError
from fomo.kb.names import name_key
from fomo.query.lookup import TableNames, resolve, variant
from fomo.query.place.lexical import LexicalModel
from fomo.query.place.results import Existing
from fomo.query.place.tokenise import _RAW_TOKEN, name_prefix, tokens

# Paraphrase detection: a logistic model over KNOWN_FEATURES (below) of the query and its nearest
# topic says how likely the text describes that topic rather than something new beside it.
# Fitted by `benchmarks/placement.py --fit-known` on the map itself, never on the hand-written
# paraphrases: positives are each topic's essence with half its words dropped or swapped for
# other words of the map (the topic present), negatives the same text with the topic left out.
# The threshold is the lowest that keeps the false "already known" rate on the leave-one-out
# queries (which the fit does not see) at most 9.5%, by 5-fold cross-validation with the
# evidence gates below applied, every other topic's body read without the left-out topic's
# mentions. The coverage features read each topic's identity terms (title, aliases, essence,
# paper, tags: no body, which also describes the neighbours). Refit once every topic but one had
# a body (2,000 topics): CV false "already known" 9.5%, rough paraphrases recalled 84.2% (lexical)
# and 89.4% (semantic) (benchmarks/RESULTS.md, "Ninth session").
NAME_MAX_WORDS = 8  # text this short is also looked up as a name
NAME_VARIANT_WORDS = 4  # a title this short is a name, compared with the paraphrased topic's

KNOWN_FEATURES = (
    "similarity",  # cosine of the query with the nearest topic
    "margin",  # ... minus the cosine with the next nearest topic
    "family_margin",  # ... minus the best cosine with its parent, siblings and children
    "own_coverage",  # share of the query's weight on the nearest topic's identity terms
    "family_coverage",  # share only its family's identity terms have (a new sibling)
    "distinctive",  # share of the query's three rarest terms among those identity terms
    "category",  # 1 when the nearest topic has children
    "word_coverage",  # share of the query's idf (each term once) on those identity terms
)
KNOWN_WEIGHTS = (  # fitted on the map of 2,000 topics (`--fit-known --method lexical`)
    -12.1861,  # similarity
    14.8102,  # margin
    3.8666,  # family_margin
    -1.6322,  # own_coverage (word_coverage carries the coverage; the two are collinear)
    -7.4997,  # family_coverage
    -2.4113,  # distinctive
    -0.4571,  # category
    24.6834,  # word_coverage
)
KNOWN_BIAS = -7.7212
KNOWN_THRESHOLD = 0.114

# The semantic method decides the same way with the embeddings as evidence too: its nearest topic
# is the one with the best mean of the lexical and the embedding cosine (the two count alike;
# the blend is used for similarity and both margins), and two features are added. The embedding
# cosine is itself the mean of two encoders' (`SemanticScorer.similarities`). Fitted and
# thresholded by the same rule (`benchmarks/placement.py --fit-known --method semantic`): CV
# false "already known" 9.5%, rough paraphrases recalled 89.2%, harder ones (names left out)
# 58.4% (1,864 topics; with the sentence encoder alone, on 1,795 topics: 88.9% and 58.4%).
SEMANTIC_KNOWN_FEATURES = (
    *KNOWN_FEATURES,
    "embedding",  # embedding cosine (both encoders' mean) of the query with the nearest topic
    "embedding_margin",  # ... minus the best embedding cosine with any other topic
)
SEMANTIC_KNOWN_WEIGHTS = (  # fitted on the map of 2,000 topics (`--fit-known --method semantic`)
    -21.3808,  # similarity
    22.0950,  # margin
    4.9711,  # family_margin
    1.0639,  # own_coverage
    -6.9218,  # family_coverage
    -2.3690,  # distinctive
    -0.1396,  # category
    20.0952,  # word_coverage
    4.7391,  # embedding
    5.8661,  # embedding_margin
)
SEMANTIC_KNOWN_BIAS = -4.9513
SEMANTIC_KNOWN_THRESHOLD = 0.124
# A version of a family ("Grok 4.7", "Claude 3.5 Sonnet": at most VERSION_WORDS words after the
# family's title, one with a digit) gives way to the family when the text names no version and
# the family is no more than VERSION_TIE less similar.
VERSION_WORDS = 2
VERSION_TIE = 0.02
MIN_SHARED = 2  # content words a paraphrase must share with its topic's identity terms
MIN_KNOWN_SHARE = 0.6  # share of the text's weight on words the map knows, for a paraphrase

# Below this best-parent score, a text is unrelated unless it speaks of LLMs: a short title can
# share one rare word with some topic (a high cosine), but no parent gathers real support.
UNRELATED_SCORE = 0.2
# ... or below STRONG_SUPPORT when less than MIN_RELATED_SHARE of its weight is on words the map
# knows. The thresholds were chosen on benchmarks/offtopic.txt against the left-out topics and
# the paraphrases (benchmarks/RESULTS.md).
MIN_RELATED_SHARE = 0.8
STRONG_SUPPORT = 0.6
# The semantic method reads the sentence as well: a text whose embedding comes this close to some
# topic is not unrelated, whatever its words. No title of benchmarks/offtopic.txt comes above
# 0.44; left-out topics (their own topic excluded) fall below 0.45 one time in 19, and
# "OpenAI's 175 billion parameter few-shot learner from 2020" (GPT-3: no LLM cue word, best parent
# by words 0.198) is at 0.63 (benchmarks/RESULTS.md, "Ninth session").
RELATED_EMBEDDING = 0.45
_CUE_TEXT = (
    "llm llms language model language models transformer gpt chatgpt bert token tokens "
    "prompt prompting chatbot instruction tuning fine-tuning rlhf in-context attention "
    "pretraining pre-training retrieval-augmented rag agent agents reasoning thinking "
    "chain-of-thought decoding inference alignment embeddings nlp natural-language "
    "text-generation generative multimodal"
)
# Words that hint a text is about LLMs, the parts of a compound too ("training", "text",
# "context"): enough to keep a text from being called unrelated, since many of the field's
# topics use no other (Adafactor, grokking, sequence packing).
_LLM_CUES = frozenset(tokens(_CUE_TEXT))
# The same words with a compound counted only whole ("pre-training", never "train"): what a
# text needs before it can be a paraphrase of a topic, beside real support. "Train travel
# across Europe on a budget" shares "train" and "Europe" with Apertus, and was "already known"
# as it.
_LLM_WORDS = frozenset(tokens(word)[0] for word in _CUE_TEXT.split())
_ACRONYM_IN_PARENS = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,14})\)")
_NAME_LIKE = re.compile(r"^[A-Za-z]*[a-z][A-Z]|^[A-Z]{2}|[A-Za-z]\d|\d[A-Za-z]")


def speaks_of_llms(text: str, *, whole_words: bool = False) -> bool:
    """Whether the text uses a word of the field; `whole_words`: not by a compound's part."""
    return not (_LLM_WORDS if whole_words else _LLM_CUES).isdisjoint(tokens(text))


def unrelated(
    best_parent_score: float | None, share: float, text: str, *, whole_words: bool = False
) -> bool:
    """The off-topic rule of `place` and `ingest`: no LLM words, and either no parent gathers
    support or much of the text is words the map has never seen (`share`: `known_share`) and
    no parent gathers strong support. With `whole_words`, the stricter rule a paraphrase must
    pass (`speaks_of_llms`)."""
    score = best_parent_score or 0.0
    weak = score < UNRELATED_SCORE or (share < MIN_RELATED_SHARE and score < STRONG_SUPPORT)
    return weak and not speaks_of_llms(text, whole_words=whole_words)


def known_share(model: LexicalModel, title: str, body: str = "") -> float:
    """Share of the text's idf weight on words the map knows; unseen words weigh as the rarest
    known ones, so "Chocolate cake recipe" is mostly unknown however well "recipe" matches."""
    rarest = max(model.idf.values(), default=1.0)
    terms = [t for t in model.analyse(f"{title}\n{body}") if not t.startswith("~")]
    total = sum(model.idf.get(t, rarest) for t in terms)
    return sum(model.idf.get(t, 0.0) for t in terms) / total if total else 0.0


def shared_words(model: LexicalModel, vector: dict[str, float], topic: int) -> int:
    """Content words the text shares with what the topic is (its identity terms)."""
    identity = model.identity_terms(topic)
    return sum(1 for t in vector if t in identity)


def blend(sims: dict[int, float], embedding: dict[int, float]) -> dict[int, float]:
    """The semantic method's similarity for "already known": the mean of the lexical and the
    embedding cosine (only over topics sharing a word: no shared word, no evidence)."""
    return {i: (s + embedding.get(i, 0.0)) / 2 for i, s in sims.items()}


def known_features(
    model: LexicalModel,
    vector: dict[str, float],
    sims: dict[int, float],
    exclude: set[int],
    embedding: dict[int, float] | None = None,
) -> tuple[int, list[float]] | None:
    """(the nearest topic, KNOWN_FEATURES of the query against it), or None if no topic
    shares a word. The coverage features read the topics' identity terms (no body: a body
    describes the neighbours too). With `embedding` (the query's embedding cosine with every
    topic left in), the nearest topic is by `blend` and the features are
    SEMANTIC_KNOWN_FEATURES."""
    if embedding is not None:
        found = known_features(model, vector, blend(sims, embedding), exclude)
        if found is None:
            return None
        b, features = found
        other = max((s for i, s in embedding.items() if i != b), default=0.0)
        cosine = embedding.get(b, 0.0)
        return b, [*features, cosine, cosine - other]
    ordered = heapq.nlargest(2, sims.items(), key=lambda item: item[1])
    if not ordered:
        return None
    b, first = ordered[0]
    second = ordered[1][1] if len(ordered) > 1 else 0.0
    family_root = _unversioned(model, vector, sims, b, exclude)
    if family_root is not None:
        b, first, second = family_root, sims[family_root], first
    doc = model.identity_terms(b)
    family = _family(model, b, exclude)
    family_best = max((sims.get(k, 0.0) for k in family), default=0.0)
    own = sum(w * w for t, w in vector.items() if t in doc) + 0.0
    elsewhere = (
        sum(
            w * w
            for t, w in vector.items()
            if t not in doc and any(t in model.identity_terms(k) for k in family)
        )
        + 0.0
    )
    distinctive = heapq.nlargest(3, vector, key=lambda t: model.idf.get(t, 0.0))
    covered = sum(1 for t in distinctive if t in doc) / max(len(distinctive), 1)
    return b, [
        first,
        first - second,
        first - family_best,
        own,
        elsewhere,
        covered,
        1.0 if model.children_of[b] else 0.0,
        sum(model.idf[t] for t in vector if t in doc) / sum(model.idf[t] for t in vector),
    ]


def _unversioned(
    model: LexicalModel,
    vector: dict[str, float],
    sims: dict[int, float],
    nearest: int,
    exclude: set[int],
) -> int | None:
    """The parent of `nearest` when the text names no version and `nearest` is one version of
    the parent's family ("Grok 4.7" under "Grok") that the parent all but ties: "xAI's
    chatbot built into X" is Grok, not its latest version.

    "Names no version" reads the query's terms the map knows: a version number the map has
    never seen ("v9") does not count, so such a text gets the family rather than another
    version, and any known number (a year too) keeps the nearest topic as it is."""
    parent = model.parent_of[nearest]
    if parent is None or parent in exclude or any(c.isdigit() for t in vector for c in t):
        return None
    title = model.kb.topics[model.ids[nearest]].title
    family = model.kb.topics[model.ids[parent]].title
    version = title[len(family) :].split() if title.startswith(family + " ") else []
    versioned = 0 < len(version) <= VERSION_WORDS and any(c.isdigit() for c in "".join(version))
    if not versioned or sims.get(parent, 0.0) < sims[nearest] - VERSION_TIE:
        return None
    return parent


def _family(model: LexicalModel, topic: int, exclude: set[int]) -> list[int]:
    """The topic's children, parent and siblings, less those left out."""
    family = list(model.children_of[topic])
    parent = model.parent_of[topic]
    if parent is not None:
        family += [parent, *(k for k in model.children_of[parent] if k != topic)]
    return [k for k in family if k not in exclude]


def known_probability(features: list[float]) -> float:
    """How likely the query describes its nearest topic (the fitted logistic model of the
    lexical or, with the two embedding features, of the semantic method)."""
    semantic = len(features) == len(SEMANTIC_KNOWN_FEATURES)
    weights = SEMANTIC_KNOWN_WEIGHTS if semantic else KNOWN_WEIGHTS
    logit = (SEMANTIC_KNOWN_BIAS if semantic else KNOWN_BIAS) + sum(
        w * f for w, f in zip(weights, features, strict=True)
    )
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))


def known_by_name(model: LexicalModel, names: TableNames, title: str, body: str) -> Existing | None:
    """An exact or clearly misspelt name match for the names the text offers, best first."""
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
    best: Existing | None = None
    for name in dict.fromkeys(n.strip() for n in offered if n.strip()):
        if not name_key(name):
            continue
        try:
            match = resolve(names, name)
        except FomoError:
            continue
        if match.how == "partial":
            continue  # part of a longer name is not that name ("GPT-4o" is not GPT-4o Image ...)
        topic = model.kb.topics[match.topic_id]
        score = match.score / 100 if match.how == "fuzzy" else 1.0
        if best is None or score > best.score:
            best = Existing(topic.id, topic.title, score, match.how)
        if score >= 1.0:
            break
    return best


def names_a_variant(title: str, names: TableNames, topic_id: str) -> bool:
    """Whether a short title (or its "Name:" prefix) is another version or an extension of one
    of the topic's names: a new model of a family, not the family."""
    offered = [title] if len(title.split()) <= NAME_VARIANT_WORDS else []
    prefix = name_prefix(title, max_words=NAME_VARIANT_WORDS)
    offered += [prefix] if prefix else []
    own = names.names().by_topic.get(topic_id, [])
    for name in offered:
        key = name_key(name)
        if key and key not in own and any(variant(key, k) for k in own):
            return True
    return False


def novel_names(model: LexicalModel, title: str) -> list[str]:
    """Name-like words of a title the map has never used ("DoRA", "KTO-Lite", "Qwen3"):
    a text that names something new is not a paraphrase of an existing topic."""
    found = [w for w in _RAW_TOKEN.findall(title) if _NAME_LIKE.search(w)]
    prefix = name_prefix(title, max_words=2)
    if prefix:
        found.append(prefix)
    novel = []
    for word in found:
        terms = tokens(word)
        if terms and any(t not in model.idf for t in terms[:1]):
            novel.append(word)
    return novel
