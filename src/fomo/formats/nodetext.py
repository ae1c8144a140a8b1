"""What a mind-map node says, as topic fields: its title and aliases, an essence within the
limit (the rest kept in the body), the kind of each link, and whether its id is one FOMO wrote.
The importer (`fomo.formats.importer`) plans files from these."""

from __future__ import annotations

import re

from fomo.formats.tree import Node, split_title
from fomo.kb.names import name_key
from fomo.kb.validate import ESSENCE_LIMIT, ESSENCE_PLACEHOLDER, ID_PATTERN

NO_ESSENCE = f"{ESSENCE_PLACEHOLDER} one sentence on what it is and why it exists"
CUT_PREFIX = f"{ESSENCE_PLACEHOLDER} shorten: "
# A sentence ends at . ! or ? (closing quotes and brackets included) before a space or the end.
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s|$)")
# Words a full stop follows without ending the sentence (lowercase, without that final stop).
_ABBREVIATIONS = frozenset(
    "e.g i.e vs al cf viz approx ca fig figs eq eqs no nos vol pp sec ch ref refs resp incl "
    "esp dept univ dr mr mrs ms prof st jr sr u.s u.k a.k.a".split()
)
_RANDOM_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-|^\d+$|^[0-9a-z]{20,}$")
_KIND_BY_HOST = (
    ("arxiv.org", "paper"),
    ("doi.org", "paper"),
    ("openreview.net", "paper"),
    ("youtube.com", "video"),
    ("youtu.be", "video"),
    ("github.com", "code"),
)


def first_sentence(text: str) -> str:
    """The text up to its first sentence end; "e.g.", "i.e.", "vs.", "et al.", initials and a
    stop followed by a lowercase word do not end a sentence."""
    for match in _SENTENCE_END.finditer(text):
        rest = text[match.end() :].lstrip()
        if not rest:
            break
        if match.group().startswith(".") and not match.group().startswith(".."):
            before = text[: match.start()].split()
            word = before[-1].lstrip("([\"'").lower() if before else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        if rest[0].islower():
            continue
        return text[: match.end()]
    return text


def looks_like_fomo_id(node_id: str) -> bool:
    """Ids that FOMO wrote (kebab-case words), not a tool's random ones (uuids, long hashes)."""
    return bool(ID_PATTERN.match(node_id)) and not _RANDOM_ID.search(node_id)


def reference_kind(url: str) -> str:
    host = url.split("/")[2].lower() if url.count("/") >= 2 else ""
    return next((kind for part, kind in _KIND_BY_HOST if host.endswith(part)), "docs")


def names(node: Node, *, split: bool = True) -> tuple[str, list[str]]:
    """Title and aliases: a bracketed tail "(DPO)" becomes an alias; repeats dropped."""
    title, tail = split_title(node.title) if split else (" ".join(node.title.split()), [])
    keys = {name_key(title)}
    aliases = []
    for alias in [*node.aliases, *tail]:
        key = name_key(alias)
        if key and key not in keys:
            keys.add(key)
            aliases.append(alias)
    return title, aliases


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def essence_and_body(node: Node) -> tuple[str, str, bool]:
    """(essence, body, cut). The node's essence (the note's first line in tools with one notes
    field) is kept whole when it fits the limit. Over the limit, its first sentence becomes the
    essence and the rest goes to the body; a first sentence still over the limit is cut and
    marked with the placeholder, so `check` asks a person to rewrite it, and the whole text
    stays in the body, so nothing is lost."""
    first = " ".join(node.essence.split())
    if not first:
        return NO_ESSENCE, node.note, False
    if len(first) <= ESSENCE_LIMIT:
        return first, node.note, False
    sentence = first_sentence(first)
    if len(sentence) <= ESSENCE_LIMIT:
        return sentence, _paragraphs(first[len(sentence) :].strip(), node.note), False
    room = ESSENCE_LIMIT - len(CUT_PREFIX) - 1
    short = sentence[:room].rsplit(" ", 1)[0] if " " in sentence[:room] else sentence[:room]
    return CUT_PREFIX + short + "…", _paragraphs(first, node.note), True
