"""Find every name of the map in a text: the matcher behind `fomo annotate`, the browser
extension's term index and the MCP `annotate` tool.

Written here rather than with a regular expression of all names (the benchmark's anchor)
because the map's names meet a text through `kb.names.name_key`: "chain of thought",
"Chain-of-Thought" and "chains-of-thought" are one name. The text is cut into words once, each
word gets its key, and a name is a run of words whose joined keys are a name key (the longest
run wins). Three kinds of name follow three rules:

- short acronyms and brand-shaped words ("MoE", "LoRA", "DPO", "vLLM", "o1") match only as
  written (a trailing plural "s" allowed), so "moe" or "lora" in ordinary prose are left alone;
- ordinary English words ("Attention", "Memory", "Falcon", "Cursor": a single plain word that
  `wordfreq` rates at least `ORDINARY_ZIPF` in English) match only as a proper noun: written
  with a capital, not at the start of a sentence. Their multi-word forms ("self-attention",
  "agent memory") match like any other name. The rule needs no field in the map;
- every other name matches on its key, whatever its case, spelling or separators.

Nothing inside URLs, e-mail addresses, inline code, fenced code or `<code>` is matched, nor a
word glued to an identifier ("tiktoken.get_encoding").
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fomo.kb.names import name_key
from fomo.model import KnowledgeBase, Topic

# Zipf frequency (log10 of uses per billion words) at and above which a single word is
# ordinary English: "attention" 5.1, "memory" 4.8, "falcon" 3.7, "retrieval" 3.3,
# "distillation" 3.0, "tokenizer" below 1. Chosen on the labelled corpus (benchmarks/annotate).
ORDINARY_ZIPF = 3.5
# Single words with this many letters or fewer that are not plain words match case-sensitively.
SHORT = 5
MAX_NAME_WORDS = 12
# How near (in characters) a weak mention needs a stronger one, and how common in English an
# all-caps acronym must be to count as weak ("ORM" 2.5, "NSA" 3.9; "DPO" 2.2, "RLHF" 0); see
# `find`. Chosen on the labelled corpus.
SUPPORT = 400
WEAK_ZIPF = 2.5

# Words as the text is cut: letters, digits and underscores, so "cl100k_base" and "foo_DPO" are
# one word each (a name's key drops the underscore, an identifier stays whole).
WORD = re.compile(r"\w+")
_SPLIT = re.compile(r"(\w+)")
# Between two words of one name: spaces (at most one line break), or one hyphen, slash, dot,
# colon, plus sign or apostrophe with a space either side at most.
_GAP = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*|[ \t]?[-\u2010\u2011\u2013/.:+'’][ \t]?")
# Code and links, found in one pass (each alternative starts at a rare character, so it is
# quick); URLs, e-mail addresses and paths are judged per match instead (see `_in_address`).
_PROTECTED = re.compile(
    r"```.*?(?:```|\Z)"
    r"|~~~.*?(?:~~~|\Z)"
    r"|`[^`\n]+`"
    r"|\[[^\]\n]*\]\([^)\n]*\)"
    r"|<(code|pre|kbd|samp|script|style)\b.*?(?:</\1\s*>|\Z)",
    re.S | re.I,
)
_SPACE = re.compile(r"\s")
_PATH = re.compile(r"[(\"'\[<]*(?:www\.|\w[\w-]*(?:\.[\w-]+)+/)", re.I)
_SENTENCE_END = set(".!?\n•*#>|")
_OPENERS = set(" \t\"'“‘([{-–—")


@dataclass(frozen=True)
class Mention:
    """One found name: where it is in the text, and the topic it names (the first of
    `candidates` when the name is ambiguous)."""

    text: str
    start: int
    end: int
    id: str
    candidates: tuple[str, ...] = ()


@dataclass
class Entry:
    """What a matched topic shows: its title, its path of titles from the root, its essence."""

    id: str
    title: str
    path: list[str]
    essence: str


@dataclass
class Annotation:
    text: str
    mentions: list[Mention]
    topics: dict[str, Entry]

    def as_list(self) -> list[dict[str, Any]]:
        """The `--json` form: one object per mention."""
        rows = []
        for mention in self.mentions:
            entry = self.topics[mention.id]
            row: dict[str, Any] = {
                "text": mention.text,
                "start": mention.start,
                "end": mention.end,
                "id": mention.id,
                "title": entry.title,
                "path": entry.path,
                "essence": entry.essence,
            }
            if len(mention.candidates) > 1:
                row["candidates"] = [
                    {"id": c, "title": self.topics[c].title, "path": self.topics[c].path}
                    for c in mention.candidates
                ]
            rows.append(row)
        return rows


def matchable_title(title: str) -> str:
    """A title without its trailing qualifier: "Mercury (Inception Labs)" is named "Mercury"."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", title) or title


def names_of(topic: Topic) -> list[str]:
    """Every name a reader may write for a topic (`Topic.names()`): its title without a
    trailing qualifier, then its aliases. Ids are left out: "yi" or "dpo" in lowercase prose
    are not the names "Yi" and "DPO"."""
    return [
        matchable_title(name) if how == "title" else name
        for how, name in topic.names()
        if how != "id"
    ]


# The word and name caches hold every word and name of a large map (5,000 topics have some
# 10,000 names): `fomo serve` rebuilds the term index after each title edit, and a cache
# smaller than the map is emptied by every rebuild before any entry is used again.
WORD_CACHE = 1 << 16


@functools.lru_cache(maxsize=WORD_CACHE)
def word_key(word: str) -> str:
    return name_key(word)


@functools.lru_cache(maxsize=WORD_CACHE)
def is_ordinary(word: str) -> bool:
    """Whether a plain word is common English (wordfreq); imported on first use only."""
    from wordfreq import zipf_frequency

    lowered = word.lower()
    forms = {lowered, lowered[:-1] if lowered.endswith("s") else lowered}
    return max(zipf_frequency(form, "en") for form in forms) >= ORDINARY_ZIPF


@functools.lru_cache(maxsize=WORD_CACHE)
def classify(name: str) -> str:
    """'exact' (acronyms and short brand-shaped words), 'proper' (ordinary English words) or
    'key' (everything else); see the module docstring."""
    words = WORD.findall(name)
    if len(words) != 1:
        return "key"
    word = words[0]
    if word != name.strip():
        return "symbol"  # "LoRA+", "C++": its key is another name's
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "key"
    uppers = sum(c.isupper() for c in letters)
    if len(letters) >= 2 and uppers == len(letters):
        return "exact"  # an acronym: "RAG", "BLOOM", "REINFORCE"
    shaped = uppers > (1 if word[0].isupper() else 0) or any(c.isdigit() for c in word)
    if shaped:
        return "exact" if len(word) <= SHORT else "key"
    if word.isalpha() and is_ordinary(word):
        return "proper"
    return "key"


@dataclass
class TermIndex:
    """Every name of a knowledge base, ready for matching."""

    keys: dict[str, list[str]] = field(default_factory=dict)  # joined word keys -> ids
    exact: dict[str, list[str]] = field(default_factory=dict)  # surface -> ids
    proper: dict[str, list[str]] = field(default_factory=dict)  # word key -> ids
    reach: dict[str, int] = field(default_factory=dict)  # first word key -> most words
    prefixes: set[str] = field(default_factory=set)  # joined keys of a name's first words
    names: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> (name, kind)
    # per word as written: its key, and whether a name can start with it (filled as texts come)
    word_keys: dict[str, str] = field(default_factory=dict)
    starts: dict[str, int] = field(default_factory=dict)

    def key(self, word: str) -> str:
        key = self.word_keys.get(word)
        if key is None:
            key = self.word_keys[word] = word_key(word)
        return key

    def can_start(self, word: str) -> int:
        """1: the word may be a whole name; 2: it may only begin a longer one; 0: neither."""
        key = self.key(word)
        if (
            key in self.keys
            or word in self.exact
            or (word[-1:] == "s" and word[:-1] in self.exact)
            or (key in self.proper and word[:1].isupper() and word[1:].islower())
        ):
            return 1
        return 2 if key in self.prefixes else 0

    def add(self, name: str, topic_id: str, rank: int) -> None:
        name = name.strip()
        words = WORD.findall(name)
        if not words or len(words) > MAX_NAME_WORDS or len(name) < 2:
            return
        kind = classify(name)
        if kind == "symbol":
            return
        if kind == "exact":
            table, key = self.exact, name
        else:
            keys = [word_key(w) for w in words]
            key = "".join(keys)
            if not key:
                return
            if kind == "proper":
                table = self.proper
            else:
                table = self.keys
                self.reach[keys[0]] = max(self.reach.get(keys[0], 0), len(words))
                self.prefixes.update(itertools.accumulate(keys[:-1]))  # the first n keys joined
        ids = table.setdefault(key, [])
        if topic_id not in ids:
            # the title's owner first: a topic titled X beats one that lists X as an alias
            ids.insert(0, topic_id) if rank == 0 else ids.append(topic_id)
        self.names.setdefault(topic_id, []).append((name, kind))


def build_index(kb: KnowledgeBase) -> TermIndex:
    index = TermIndex()
    for topic in kb.walk():
        for rank, name in enumerate(names_of(topic)):
            index.add(name, topic.id, rank)
    return index


def _protected(text: str) -> list[tuple[int, int]]:
    return (
        [m.span() for m in _PROTECTED.finditer(text)]
        if "`" in text or "<" in text or ("](" in text) or "~~~" in text
        else []
    )


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


_PLAIN_BEFORE = set(" \t\n\r(\"'“‘[{*_")
_PLAIN_AFTER = set(" \t\n\r,;!?)\"'”’]}*:")


def _in_address(text: str, start: int, end: int) -> bool:
    """Part of a URL, e-mail address, handle, path or identifier ("tiktoken.get_encoding")."""
    before = text[start - 1] if start else " "
    after = text[end : end + 2]
    if before in _PLAIN_BEFORE and (
        not after or after[0] in _PLAIN_AFTER or (after[0] == "." and after[1:] in ("", " ", "\n"))
    ):
        return False
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    space = _SPACE.search(text, end)
    chunk = text[left : space.start() if space else len(text)]
    if "://" in chunk or "@" in chunk or _PATH.match(chunk):
        return True
    if before in ("#", "$", "\\") or (before == "." and text[start - 2 : start - 1].isalnum()):
        return True
    return len(after) == 2 and after[0] in ".\\" and after[1].isalnum()


def find(index: TermIndex, text: str) -> list[Mention]:
    """Every mention in `text`, left to right, the longest name winning at each place.

    A weak mention (an all-caps acronym that is also common in English text: "ORM", "NSA",
    "PAIR", see `is_weak`) is kept only when a stronger mention of another topic stands within
    `SUPPORT` characters: alone in a text about databases or the news it most likely means
    something else."""
    found = list(_scan(index, text))
    strong = [m.start for m, weak in found if not weak]
    kept = []
    for mention, weak in found:
        if weak:
            at = bisect.bisect_left(strong, mention.start - SUPPORT)
            if at >= len(strong) or strong[at] > mention.end + SUPPORT:
                continue
        kept.append(mention)
    return kept


@functools.lru_cache(maxsize=WORD_CACHE)
def is_weak(name: str) -> bool:
    """An all-caps acronym that is also common as a word of English text ("ORM", "NSA", "RAG",
    "PAIR": `wordfreq` rates it at least `WEAK_ZIPF`): see `find`. Mixed-case acronyms ("MoE",
    "LoRA") and rare ones ("DPO", "RLHF") are distinctive enough alone."""
    from wordfreq import zipf_frequency

    return name.isupper() and zipf_frequency(name.lower(), "en") >= WEAK_ZIPF


def _scan(index: TermIndex, text: str) -> Iterator[tuple[Mention, bool]]:
    """Candidates, each with whether it is weak. The text is split once into words and the
    separators between them (C speed); only words a name can start with are looked at."""
    parts = _SPLIT.split(text)
    ends = list(itertools.accumulate(map(len, parts)))
    words = parts[1::2]
    starts = index.starts
    if len(starts) > WORD_CACHE:  # a long-lived index (the MCP server) sees ever new words
        starts.clear()
        index.word_keys.clear()
    for word in set(words).difference(starts):
        starts[word] = index.can_start(word)
    shields = _protected(text)
    shield = 0
    prefixes_or_names = index.prefixes | index.keys.keys()
    reach, prefixes, exact, proper, table = (
        index.reach,
        index.prefixes,
        index.exact,
        index.proper,
        index.keys,
    )
    count = len(words)
    word_keys = index.word_keys
    keys = [word_keys[word] for word in words]
    keys.append("")
    hits = [
        i
        for i, word in enumerate(words)
        if (kind := starts[word]) == 1 or (kind == 2 and keys[i] + keys[i + 1] in prefixes_or_names)
    ]
    free = 0  # the first word not yet inside a match
    for i in hits:
        if i < free:
            continue
        start = ends[2 * i]
        while shield < len(shields) and shields[shield][1] <= start:
            shield += 1
        if shield < len(shields) and shields[shield][0] <= start:
            continue
        surface = words[i]
        key = keys[i]
        found: tuple[int, list[str]] | None = None  # (last word, ids)
        weak = False
        most = reach.get(key, 0)
        if most:
            joined = key
            for j in range(i + 1, min(count, i + most)):
                if joined not in prefixes or not _GAP.fullmatch(parts[2 * j]):
                    break
                joined += keys[j]
                if joined in table:
                    found = (j, table[joined])
            if found is None and key in table:
                found = (i, table[key])
        if found is None:
            ids = exact.get(surface)
            if ids is None and surface[-1:] == "s":
                ids = exact.get(surface[:-1])
                weak = ids is not None and is_weak(surface[:-1])
            elif ids is not None:
                weak = is_weak(surface)
            if (
                ids is None
                and key in proper
                and surface[:1].isupper()
                and surface[1:].islower()
                and not _sentence_start(text, start)
            ):
                ids = proper[key]
            if ids is not None:
                found = (i, ids)
        if found is None:
            continue
        last, ids = found
        stop = ends[2 * last + 1]
        if _in_address(text, start, stop):
            continue
        yield Mention(text[start:stop], start, stop, ids[0], tuple(ids)), weak
        free = last + 1


def entry(kb: KnowledgeBase, topic_id: str) -> Entry:
    topic = kb.topics[topic_id]
    return Entry(topic.id, topic.title, [t.title for t in kb.path(topic_id)], topic.essence)


def annotate(kb: KnowledgeBase, text: str, index: TermIndex | None = None) -> Annotation:
    index = index or build_index(kb)
    mentions = list(find(index, text))
    topics: dict[str, Entry] = {}
    for mention in mentions:
        for topic_id in mention.candidates:
            if topic_id not in topics:
                topics[topic_id] = entry(kb, topic_id)
    return Annotation(text, mentions, topics)


def by_branch(annotation: Annotation) -> list[tuple[str, list[tuple[Entry, list[Mention]]]]]:
    """Matched topics grouped by their top-level branch, the most specific (deepest) first."""
    seen: dict[str, list[Mention]] = {}
    for mention in annotation.mentions:
        seen.setdefault(mention.id, []).append(mention)
    groups: dict[str, list[tuple[Entry, list[Mention]]]] = {}
    for topic_id, found in seen.items():
        item = annotation.topics[topic_id]
        branch = item.path[1] if len(item.path) > 1 else item.path[0]
        groups.setdefault(branch, []).append((item, found))
    for items in groups.values():
        items.sort(key=lambda pair: (-len(pair[0].path), pair[1][0].start))
    return sorted(groups.items(), key=lambda group: min(m.start for _, f in group[1] for m in f))


_SKIPPED_TAGS = ("script", "style", "noscript", "template", "svg", "head", "iframe")
_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "dd", "dt", "figcaption", "hr",
}  # fmt: skip


def html_to_text(html: str | bytes) -> str:
    """The readable text of an HTML page (lxml's HTML parser: forgiving and fast). Scripts and
    styles are dropped; `<pre>` and `<code>` come out fenced so that the matcher skips them."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return ""
    lxml.etree.strip_elements(root, *_SKIPPED_TAGS, lxml.etree.Comment, with_tail=False)
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("pre", "code", "kbd", "samp"):
            fence = "\n```\n" if tag == "pre" else "`"
            code = element.text_content().replace("`", "'")
            parts.append(f"{fence}{code}{fence}" if code.strip() else "")
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            parts.append(element.text or "")
            for child in element:
                walk(child)
            if tag in _BLOCK_TAGS:
                parts.append("\n")
        parts.append(element.tail or "")

    walk(root)
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", "".join(parts))
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def to_markdown(annotation: Annotation, href: Callable[[str], str]) -> str:
    """The text with the first mention of each topic linked to its page (`href(id)`), and a
    glossary of the topics found at the end."""
    pieces: list[str] = []
    last = 0
    linked: list[str] = []
    for mention in annotation.mentions:
        if mention.id in linked:
            continue
        linked.append(mention.id)
        pieces.append(annotation.text[last : mention.start])
        pieces.append(f"[{mention.text}](<{href(mention.id)}>)")
        last = mention.end
    pieces.append(annotation.text[last:])
    body = "".join(pieces).rstrip("\n")
    if not linked:
        return body + "\n"
    glossary = ["", "", "---", "", "**Glossary**", ""]
    for topic_id in linked:
        item = annotation.topics[topic_id]
        path = " › ".join(_md_escape(title) for title in item.path[:-1])
        essence = _md_escape(item.essence) if item.essence else ""
        where = f" ({path})" if path else ""
        glossary.append(
            f"- [{_md_escape(item.title)}](<{href(topic_id)}>){where}: {essence}".rstrip(": ")
        )
    return body + "\n".join(glossary) + "\n"


def all_names(index: TermIndex) -> Iterable[str]:
    """Every name as written (the benchmark's plain-regex anchor uses them)."""
    for names in index.names.values():
        for name, _ in names:
            yield name
