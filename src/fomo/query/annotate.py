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
# How near (in characters) a weak mention needs a stronger one; see `find`.
SUPPORT = 400

WORD = re.compile(r"[^\W_]+")
# Between two words of one name: spaces (at most one line break), hyphens, slashes, dots,
# underscores, colons, plus signs and apostrophes.
_GAP = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*|[ \t]?[-\u2010\u2011\u2013/._:+'’][ \t]?")
_PROTECTED = re.compile(
    r"```.*?(?:```|\Z)"
    r"|~~~.*?(?:~~~|\Z)"
    r"|`[^`\n]+`"
    r"|\[[^\]\n]*\]\([^)\n]*\)"
    r"|<(code|pre|kbd|samp|script|style)\b.*?(?:</\1\s*>|\Z)"
    r"|\b(?:https?|ftp|file)://[^\s<>\"')\]]+"
    r"|\bwww\.[^\s<>\"')\]]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|ai|dev|edu|gov|co|uk|de)/[^\s<>\"')\]]*",
    re.S | re.I,
)
# What may stand right before or after a match that makes it part of something else.
_GLUE_BEFORE = re.compile(r"[\w@#$\\][._\\]?$|[._\\]$")
_GLUE_AFTER = re.compile(r"^(?:[._\\]\w|\w)")
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
    """Every name a reader may write for a topic: its title and its aliases."""
    names = getattr(topic, "names", None)
    if callable(names):
        return list(names())
    return [matchable_title(topic.title), *topic.aliases]


@functools.lru_cache(maxsize=4096)
def word_key(word: str) -> str:
    return name_key(word)


@functools.lru_cache(maxsize=4096)
def is_ordinary(word: str) -> bool:
    """Whether a plain word is common English (wordfreq); imported on first use only."""
    from wordfreq import zipf_frequency

    lowered = word.lower()
    forms = {lowered, lowered[:-1] if lowered.endswith("s") else lowered}
    return max(zipf_frequency(form, "en") for form in forms) >= ORDINARY_ZIPF


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
    names: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> (name, kind)

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
    return [m.span() for m in _PROTECTED.finditer(text)]


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _glued(text: str, start: int, end: int) -> bool:
    """A match that is part of an identifier, path, handle or longer token."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return bool(before and _GLUE_BEFORE.search(before)) or bool(after and _GLUE_AFTER.match(after))


def find(index: TermIndex, text: str) -> list[Mention]:
    """Every mention in `text`, left to right, the longest name winning at each place.

    A weak mention (a short acronym, or an all-caps word that is also English: "ORM", "NSA",
    "PAIR") is kept only when a stronger mention of another topic stands within `SUPPORT`
    characters: alone in a text about databases or the news it most likely means something
    else."""
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


def _weak(surface: str) -> bool:
    letters = sum(c.isalpha() for c in surface)
    return letters <= 3 or (surface.isupper() and is_ordinary(surface))


def _scan(index: TermIndex, text: str) -> Iterator[tuple[Mention, bool]]:
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    shields = _protected(text)
    shield = 0
    keys: list[str | None] = [None] * len(words)
    reach, exact, proper, table = index.reach, index.exact, index.proper, index.keys
    i = 0
    count = len(words)
    while i < count:
        start, end = words[i]
        while shield < len(shields) and shields[shield][1] <= start:
            shield += 1
        if shield < len(shields) and shields[shield][0] <= start:
            i += 1
            continue
        surface = text[start:end]
        key = keys[i]
        if key is None:
            key = keys[i] = word_key(surface)
        found: tuple[int, list[str]] | None = None  # (last word index, ids)
        most = reach.get(key, 0)
        if most:
            joined = key
            last = i
            limit = min(count, i + most)
            for j in range(i + 1, limit):
                if not _GAP.fullmatch(text, words[j - 1][1], words[j][0]):
                    break
                if shield < len(shields) and shields[shield][0] < words[j][1]:
                    break
                next_key = keys[j]
                if next_key is None:
                    next_key = keys[j] = word_key(text[words[j][0] : words[j][1]])
                joined += next_key
                if joined in table:
                    last = j
                    found = (j, table[joined])
            if found is None and key in table:
                found = (last, table[key])
        weak = False
        if found is None:
            ids = exact.get(surface)
            if ids is None and surface.endswith("s"):
                ids = exact.get(surface[:-1])
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
                weak = _weak(surface)
        if found is not None:
            last, ids = found
            stop = words[last][1]
            if not _glued(text, start, stop):
                yield Mention(text[start:stop], start, stop, ids[0], tuple(ids)), weak
                i = last + 1
                continue
        i += 1


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
