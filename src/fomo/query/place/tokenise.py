"""Terms of a text for placement: a domain-aware tokeniser with a light stemmer.

Hyphenated names such as "kv-cache" or "gpt-4o" give their parts and their joined form;
British spellings and plurals fold as in `fomo.kb.names`; a light suffix stemmer folds
"quantized"/"quantization". Written here rather than taken from a stemmer library because a
full stemmer folds too much for names ("optimizer"/"optimization") and this one is a few lines.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from fomo.kb.names import name_key

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
