"""The names a topic answers to, in one place: name keys, the name table and the id maker.

Name keys are the one normalisation that makes "D.P.O.", "dpo" and "Direct preference
optimisation" meet.

A key is case-folded, accent-free, American-spelled, singular, with every separator removed;
letters of every script count ("中文" has a key of its own). The
index stores one key per id, title and alias; `where` looks terms up by the same key, and `check`
refuses two topics that share one. Written here rather than taken from a stemmer because a stemmer
folds too much ("optimizer" and "optimization" would collide) and the map needs exact, explainable
matches.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from fomo.model import Topic

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script

# British -> American spellings that appear in LLM writing, word by word (public: the browser
# extension's term index carries them, to fold names the same way).
SPELLING = {
    "optimisation": "optimization",
    "optimisations": "optimizations",
    "optimise": "optimize",
    "optimised": "optimized",
    "optimiser": "optimizer",
    "optimisers": "optimizers",
    "optimising": "optimizing",
    "tokenisation": "tokenization",
    "tokenise": "tokenize",
    "tokeniser": "tokenizer",
    "tokenisers": "tokenizers",
    "normalisation": "normalization",
    "normalise": "normalize",
    "normalised": "normalized",
    "regularisation": "regularization",
    "quantisation": "quantization",
    "quantise": "quantize",
    "quantised": "quantized",
    "generalisation": "generalization",
    "generalise": "generalize",
    "summarisation": "summarization",
    "summarise": "summarize",
    "summariser": "summarizer",
    "visualisation": "visualization",
    "initialisation": "initialization",
    "specialisation": "specialization",
    "specialised": "specialized",
    "parallelisation": "parallelization",
    "personalisation": "personalization",
    "localisation": "localization",
    "utilisation": "utilization",
    "categorisation": "categorization",
    "organisation": "organization",
    "recognise": "recognize",
    "modelling": "modeling",
    "labelling": "labeling",
    "labelled": "labeled",
    "travelling": "traveling",
    "behaviour": "behavior",
    "behaviours": "behaviors",
    "behavioural": "behavioral",
    "colour": "color",
    "favour": "favor",
    "centre": "center",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "analyse": "analyze",
    "analysed": "analyzed",
    "licence": "license",
    "defence": "defense",
    "programme": "program",
    "artefact": "artifact",
    "artefacts": "artifacts",
}

# Words whose trailing "s" is not a plural.
KEEP_S = {"always", "bias", "alias", "gas", "news", "lens", "corpus", "status", "focus", "plus"}


def _singular(word: str) -> str:
    if len(word) <= 3 or word in KEEP_S or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word


def name_key(text: str) -> str:
    """The lookup key of a name: equal keys mean the same name to a reader."""
    if text.isascii():  # most names: nothing to decompose, and a third of the cost
        folded = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = [_singular(SPELLING.get(word, word)) for word in _WORD.findall(folded)]
    return "".join(words)


# ---- the name table ---------------------------------------------------------------------------

NAME_KINDS = ("id", "title", "alias")  # strongest claim first
_STRENGTH = {kind: rank for rank, kind in enumerate(NAME_KINDS)}


def record_names(topic_id: str, meta: dict[str, Any]) -> list[tuple[str, str]]:
    """`Topic.names()` for a raw record (the index and the validator judge files as written):
    the id, the title when it is text, the aliases that are text."""
    title = meta.get("title")
    aliases = meta.get("aliases")
    return [
        ("id", topic_id),
        *([("title", title)] if isinstance(title, str) else []),
        *(
            ("alias", a)
            for a in (aliases if isinstance(aliases, list) else [])
            if isinstance(a, str)
        ),
    ]


class NameTable:
    """Which topics answer to which name key: built once from `Topic.names()` (or records).

    Serves `fomo.query.lookup` (`exact`, `names`, `title`, `without`), the index's `names` table
    (`rows`), and every writer that must refuse a name another topic already answers to
    (`owner`)."""

    def __init__(
        self,
        rows: Iterable[tuple[str, str, str]],
        titles: dict[str, str],
        papers: Iterable[tuple[str, str]] = (),
    ) -> None:
        """`rows` are (name as written, topic id, how); `titles` map ids to titles; `papers` are
        (paper title, topic id): a reader who meets a paper finds its topic, but a paper title
        is no name of the topic (two topics may cite one paper), so it is kept apart."""
        self._titles = titles
        self._rows = [(name, tid, how, name_key(name)) for name, tid, how in rows]
        self._papers: dict[str, list[str]] = {}
        for title, tid in papers:
            cited = self._papers.setdefault(name_key(title), [])
            if tid not in cited:
                cited.append(tid)
        self._papers.pop("", None)
        self._index()

    def _index(self) -> None:
        self._keys: dict[str, list[tuple[str, str]]] = {}
        for _, tid, how, key in sorted(self._rows, key=lambda r: _STRENGTH[r[2]]):
            if not key:
                continue
            found = self._keys.setdefault(key, [])
            if all(tid != t for t, _ in found):
                found.append((tid, how))

    def exact(self, key: str) -> list[tuple[str, str]]:
        """(topic id, how) for a name key: ids first, then titles, then aliases."""
        return list(self._keys.get(key, []))

    ids_for_key = exact  # the compiled index's name for the same question

    def citing(self, key: str) -> list[str]:
        """The topics whose `paper` has this title key."""
        return list(self._papers.get(key, []))

    def names(self) -> list[tuple[str, str, str]]:
        """Every (name as written, topic id, how) with a key."""
        return [(name, tid, how) for name, tid, how, key in self._rows if key]

    def rows(self) -> list[tuple[str, str, str, str]]:
        """Every (key, topic id, how, name as written) with a key, each key once per topic."""
        seen: set[tuple[str, str, str]] = set()
        out = []
        for name, tid, how, key in self._rows:
            if key and (key, tid, how) not in seen:
                seen.add((key, tid, how))
                out.append((key, tid, how, name))
        return out

    def title(self, topic_id: str) -> str:
        return self._titles.get(topic_id, topic_id)

    def keys_of(self, topic_id: str) -> set[str]:
        """Every name key a topic answers to."""
        return {key for _, tid, _, key in self._rows if tid == topic_id and key}

    def owner(self, name: str, exclude: str | None = None) -> tuple[str, str] | None:
        """(topic id, the name as written) of the strongest claim on `name`'s key, leaving
        out topic `exclude`; None when the name is free (or has no key)."""
        key = name_key(name)
        for tid, how in self._keys.get(key, []) if key else []:
            if tid != exclude:
                written = next(n for n, t, h, k in self._rows if t == tid and h == how and k == key)
                return tid, written
        return None

    def without(self, exclude: frozenset[str]) -> NameTable:
        """The same table with some topics left out (placement judges a topic against the rest)."""
        if not exclude:
            return self
        kept = NameTable((), {t: v for t, v in self._titles.items() if t not in exclude})
        kept._rows = [row for row in self._rows if row[1] not in exclude]
        kept._papers = {
            key: ids
            for key, cited in self._papers.items()
            if (ids := [t for t in cited if t not in exclude])
        }
        kept._index()
        return kept


def name_table(topics: Iterable[Topic]) -> NameTable:
    """The name table of in-memory topics: what `fomo where`, `place`, the importer, ingest,
    the validator and the edit layer look names up in."""
    rows: list[tuple[str, str, str]] = []
    titles: dict[str, str] = {}
    papers: list[tuple[str, str]] = []
    for topic in topics:
        titles[topic.id] = topic.title
        rows.extend((name, topic.id, how) for how, name in topic.names())
        if topic.paper is not None:
            papers.append((topic.paper.title, topic.id))
    return NameTable(rows, titles, papers)


def record_table(records: Iterable[tuple[str, dict[str, Any]]]) -> NameTable:
    """The name table of raw topic records, (id, meta) each."""
    rows: list[tuple[str, str, str]] = []
    titles: dict[str, str] = {}
    papers: list[tuple[str, str]] = []
    for topic_id, meta in records:
        title = meta.get("title")
        titles[topic_id] = title if isinstance(title, str) else topic_id
        rows.extend((name, topic_id, how) for how, name in record_names(topic_id, meta))
        paper = meta.get("paper")
        if isinstance(paper, dict) and isinstance(paper.get("title"), str):
            papers.append((paper["title"], topic_id))
    return NameTable(rows, titles, papers)


# ---- the id maker -------------------------------------------------------------------------------

MAX_ID = 60  # characters of an id made from a title
# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)
_SLUG = re.compile(r"[^a-z0-9]+")


def transliterate(text: str) -> str:
    """ASCII letters for Latin ones ("Café" -> "Cafe", "Straße" -> "Strasse"); other scripts
    are dropped (an id made of them alone takes a hash, see `make_id`)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN))
    return decomposed.encode("ascii", "ignore").decode()


def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens; "" when nothing is left."""
    return _SLUG.sub("-", transliterate(text).lower()).strip("-")


def make_id(title: str, limit: int | None = MAX_ID) -> str:
    """The kebab-case id for a title, shared by import, ingest, `add` and the root's id.

    Accents are folded ("Café" -> `cafe`), the id is cut at a word boundary to at most `limit`
    characters (None: not cut; the root's id), and a title with no Latin letter or digit
    ("中文", "<>{}&") gets `topic-` and a short hash of the title: the same title always gives
    the same, valid id."""
    title = " ".join(unicodedata.normalize("NFC", title).split())
    made = slug(title)
    if not made:
        return "topic-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    if limit is None or len(made) <= limit:
        return made
    head = made[: limit + 1]
    boundary = head.rfind("-")
    return made[:boundary] if boundary > 0 else made[:limit].strip("-")
