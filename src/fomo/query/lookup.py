"""Name lookup for `where`, `tree ID`, `place` and the exporters: a term -> one topic, honestly.

Tiers, each tried only when the one before found nothing:

1. exact: the term's name key (`fomo.kb.names.name_key`: case, punctuation, hyphens, British
   spelling and plurals do not matter) is a topic's id, title or alias; "Name (Expansion)"
   counts when its parts name the same one topic;
2. a paper's title: the topic whose `paper` it is ("Attention Is All You Need" -> Transformer);
   when several cite it, the one named before the title's colon ("QLoRA: Efficient ..."), else
   every one is listed;
3. partial: the term's words are a run of whole words of exactly one topic's title or alias
   ("Chinchilla" -> Chinchilla Scaling Laws, "R1-Zero" -> DeepSeek-R1 by its alias
   DeepSeek-R1-Zero), the last word possibly cut short, a version number possibly written
   apart ("Qwen 4" -> Qwen4-Max); when several topics carry the words ("Codex") every one is
   listed and none is chosen;
4. fuzzy (rapidfuzz over the keys): taken only for a misspelling that is a clear winner with
   as many words as the name, never for a name that extends or shortens another or changes its
   version (OLMoE is not OLMo, C-Eval is not "Eval", GSM-Hard is not GShard), nor for an
   acronym written in capitals against a name that is not one (LAION is not Lion): then the
   closest names are offered and nothing is answered.

Hints rank names by a similarity that prefers a shared start and shared whole words ("GPT" ->
GPT-2 before GPTQ).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from fomo.errors import FomoError, UnknownTopicError
from fomo.kb.names import NameTable, name_key, name_table, record_table
from fomo.model import Topic

MAX_TERM = 200  # characters: a name is short; a longer query is a usage error
FUZZY_ACCEPT = 88.0  # a misspelling at least this close is taken as the answer ...
FUZZY_MARGIN = 8.0  # ... when the next topic is this many points further away
HINT_MIN = 75.0  # hints at least this similar are offered
MAX_LISTED = 12  # candidates listed for an ambiguous name

_WORD = re.compile(r"[^\W_]+")
_SYMBOL = re.compile(r"[^\W_][+#]")
_PARENTHESES = re.compile(r"\s*([^()]+?)\s*\(([^()]+)\)\s*")


@dataclass
class Match:
    topic_id: str
    how: str  # "id", "title", "alias", "paper", "partial" or "fuzzy"
    score: float = 100.0
    name: str = ""  # the name that matched, as the map writes it

    @property
    def kind(self) -> str:
        """How the answer was found, for --json: exact, alias, paper, partial or fuzzy."""
        return {"id": "exact", "title": "exact"}.get(self.how, self.how)


class NoAnswer(UnknownTopicError):
    """No single topic: `candidates` are (id, title) to choose from; `why` is "ambiguous" (the
    name belongs to several topics), "closest" (only near names) or "none"."""

    def __init__(self, term: str, candidates: list[tuple[str, str]], why: str) -> None:
        super().__init__(term, candidates)
        self.why = why
        listed = ", ".join(f"{title} ({tid})" for tid, title in candidates[:5])
        if why == "ambiguous":
            self.message = f"{term!r} names {len(candidates)} topics; give one of their ids"
            self.hint = f"one of: {listed}"
        elif why == "closest":
            self.message = f"no topic is named {term!r}"
            self.hint = f"closest: {listed}; or try `fomo search`"


@dataclass(frozen=True)
class Name:
    """One name of a topic as written, with its key and the keys of its words."""

    text: str
    topic_id: str
    how: str  # "id", "title" or "alias"
    key: str
    words: tuple[str, ...]

    @staticmethod
    def of(text: str, topic_id: str, how: str) -> Name:
        return Name(text, topic_id, how, name_key(text), tuple(words(text)))


class NameSource(Protocol):
    """What lookup needs: exact keys, the topics citing a paper title, every name (prepared
    once), and a title per id."""

    def exact(self, key: str) -> list[tuple[str, str]]: ...

    def citing(self, key: str) -> list[str]: ...

    def names(self) -> Names: ...

    def title(self, topic_id: str) -> str: ...


class Names:
    """Every name of the map, with the word index the partial tier searches."""

    def __init__(self, rows: list[Name]) -> None:
        self.rows = [row for row in rows if row.key]
        self.keys = [row.key for row in self.rows]
        self.by_word: dict[str, list[Name]] = {}
        self.by_topic: dict[str, list[str]] = {}
        for row in self.rows:
            self.by_topic.setdefault(row.topic_id, []).append(row.key)
            if row.how != "id":
                for word in set(row.words):
                    self.by_word.setdefault(word, []).append(row)
        self.sorted_words = sorted(self.by_word)

    def with_word(self, word: str, cut: bool) -> list[Name]:
        """Names holding `word` whole, or (with `cut`) a word that starts with it."""
        if not cut:
            return self.by_word.get(word, [])
        found: list[Name] = []
        start = bisect.bisect_left(self.sorted_words, word)
        for candidate in self.sorted_words[start:]:
            if not candidate.startswith(word):
                break
            found += self.by_word[candidate]
        return found


class TableNames:
    """A NameSource over the map's one name table (`fomo.kb.names.NameTable`), with the word
    index the partial tier searches built once; placement leaves topics out with `without`."""

    def __init__(self, table: NameTable) -> None:
        self.table = table
        self._names: Names | None = None

    @staticmethod
    def of(topics: Iterable[Topic]) -> TableNames:
        return TableNames(name_table(topics))

    def without(self, exclude: frozenset[str]) -> TableNames:
        if not exclude:
            return self
        kept = TableNames(self.table.without(exclude))
        if self._names is not None:
            kept._names = Names([r for r in self._names.rows if r.topic_id not in exclude])
        return kept

    def exact(self, key: str) -> list[tuple[str, str]]:
        return self.table.exact(key)

    def citing(self, key: str) -> list[str]:
        return self.table.citing(key)

    def names(self) -> Names:
        if self._names is None:
            self._names = Names([Name.of(n, tid, how) for n, tid, how in self.table.names()])
        return self._names

    def title(self, topic_id: str) -> str:
        return self.table.title(topic_id)


class IndexNames(TableNames):
    """Names from the compiled index: exact keys straight from its `names` table (`fomo where`
    never loads the whole map); the full name table only when a partial or fuzzy look is
    needed."""

    def __init__(self, index: object) -> None:
        self.index = index
        self._table: NameTable | None = None
        self._names = None

    @property  # type: ignore[override]
    def table(self) -> NameTable:
        if self._table is None:
            records = self.index.records_of_kind(("topic",))  # type: ignore[attr-defined]
            self._table = record_table(
                (record.get("id") or "", record.get("meta") or {}) for _, record in records
            )
        return self._table

    def exact(self, key: str) -> list[tuple[str, str]]:
        return self.index.ids_for_key(key)  # type: ignore[attr-defined]

    def title(self, topic_id: str) -> str:
        summary = self.index.topic_summary(topic_id)  # type: ignore[attr-defined]
        return summary[0] if summary else topic_id

    def text_hits(self, term: str) -> list[tuple[str, str]]:
        """Topics whose text holds the term's words: suggestions when no name is close
        ("lora adapters" names no topic, but LoRA's text speaks of adapters)."""
        from fomo.query.search import search

        try:
            hits = search(self.index, term, limit=5)  # type: ignore[arg-type]
        except FomoError:
            return []
        return [(hit.id, hit.title) for hit in hits]


def source_of(where: object) -> NameSource:
    """A NameSource for an Index (or one already)."""
    return where if hasattr(where, "exact") else IndexNames(where)  # type: ignore[return-value]


def words(name: str) -> list[str]:
    return [k for k in (name_key(w) for w in _WORD.findall(name)) if k]


def variant(a: str, b: str) -> bool:
    """Whether two name keys name different things: another version ("qwen3" / "qwen"), or one
    extends the other ("olmoe" / "olmo", "ceval" / "eval", "xlstm" / "lstm")."""
    if re.sub(r"\D", "", a) != re.sub(r"\D", "", b):
        return True
    short, long = sorted((a, b), key=len)
    return long.startswith(short) or long.endswith(short)


def _run_at(query: list[str], name: list[str], cut: bool) -> bool:
    """Whether `query` is a run of whole words of `name` (with `cut`, the last may be a start),
    not followed by a number that continues its version ("Qwen3" is not "Qwen3.5")."""
    n = len(query)
    for i in range(len(name) - n + 1):
        if name[i : i + n - 1] != query[:-1]:
            continue
        if query[-1][-1].isdigit() and i + n < len(name) and name[i + n].isdigit():
            continue
        last = name[i + n - 1]
        if last == query[-1] or (cut and len(query[-1]) >= 3 and last.startswith(query[-1])):
            return True
    return False


def with_versions_joined(query: list[str]) -> list[str]:
    """The words with a version number joined to the word before it ("qwen 4" -> "qwen4"),
    as most model names write it (Qwen4-Max, Llama3)."""
    joined: list[str] = []
    for word in query:
        if joined and word.isdigit() and not joined[-1].isdigit():
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def partial(source: NameSource, term: str) -> list[tuple[str, str]]:
    """Topics (id, the name) whose title or alias holds the term's words as whole words, else
    as the start of words, else with a version number joined to the word before it ("Qwen 4"
    -> Qwen4-Max); when several, those written in the term's own case win ("MATH")."""
    query = words(term)
    if not query:
        return []
    found = _partial(source, term, query)
    joined = with_versions_joined(query)
    return found or (_partial(source, term, joined) if joined != query else [])


def _partial(source: NameSource, term: str, query: list[str]) -> list[tuple[str, str]]:
    raw = " ".join(_WORD.findall(term))
    names = source.names()
    for cut in (False, True):
        pool = names.with_word(query[0], cut and len(query) == 1)
        found: dict[str, str] = {}
        cased: dict[str, str] = {}
        for name in pool:
            if not _run_at(query, list(name.words), cut):
                continue
            found.setdefault(name.topic_id, name.text)
            if raw in " ".join(_WORD.findall(name.text)):
                cased.setdefault(name.topic_id, name.text)
        if found:
            return list((cased if cased and len(found) > 1 else found).items())
    return []


def similarity(term: str, name: Name) -> float:
    """Hint score: edit similarity (0..100), plus up to 15 for a shared start and 15 for a
    shared whole word."""
    from rapidfuzz import fuzz

    key, other = name_key(term), name.key
    if not other:
        return 0.0
    score = fuzz.ratio(key, other)
    common = 0
    for a, b in zip(key, other, strict=False):
        if a != b:
            break
        common += 1
    score += 15.0 * common / max(len(key), 1)
    if set(words(term)) & set(name.words):
        score += 15.0
    return score


def hints(source: NameSource, term: str, limit: int = 5) -> list[tuple[str, str]]:
    """The closest names' topics (id, title), best first."""
    from rapidfuzz import fuzz, process

    key = name_key(term)
    names = source.names()
    best: dict[str, float] = {}
    shortlist = [p for _, _, p in process.extract(key, names.keys, scorer=fuzz.ratio, limit=60)]
    shortlist += [p for p, k in enumerate(names.keys) if len(key) >= 3 and k.startswith(key[:3])]
    for position in shortlist:
        name = names.rows[position]
        score = similarity(term, name)
        if score >= HINT_MIN:
            best[name.topic_id] = max(best.get(name.topic_id, 0.0), score)
    ranked = sorted(best, key=lambda t: (-best[t], source.title(t).lower()))
    return [(tid, source.title(tid)) for tid in ranked[:limit]]


def resolve(where: object, term: str) -> Match:
    """The one topic a term names, or NoAnswer with the topics to choose from."""
    if len(term) > MAX_TERM:
        raise FomoError(
            f"the term is {len(term):,} characters; a name is at most {MAX_TERM}",
            hint="give a name (fomo where dpo), or search text with fomo search",
        )
    key = name_key(term)
    if not key:
        raise FomoError(
            f"{term!r} has no letters or digits to look up",
            hint="give a name, e.g. fomo where dpo",
        )
    source = source_of(where)
    if _SYMBOL.search(term) and not source.citing(key):  # "LoRA+", "QuIP#": the key drops the
        return _with_symbol(source, term)  # symbol that makes the name (unless a paper's title)
    exact = source.exact(key)
    if len(exact) == 1:
        return Match(exact[0][0], exact[0][1], name=term)
    if exact:
        raise NoAnswer(term, [(tid, source.title(tid)) for tid, _ in exact], "ambiguous")
    both = _PARENTHESES.fullmatch(term)
    if both:  # "ARC (AI2 Reasoning Challenge)": a name and its expansion that agree
        found_ids = {found for part in both.groups() for found, _ in source.exact(name_key(part))}
        if len(found_ids) == 1:
            return Match(found_ids.pop(), "alias", name=term)
    cited = source.citing(key)
    if len(cited) > 1 and ":" in term:  # "QLoRA: Efficient ..." is QLoRA's, not NF4's
        named = {tid for tid, _ in source.exact(name_key(term.split(":", 1)[0]))}
        cited = [tid for tid in cited if tid in named] or cited
    if len(cited) == 1:
        return Match(cited[0], "paper", name=term)
    if cited:
        raise NoAnswer(term, [(tid, source.title(tid)) for tid in cited], "ambiguous")
    found = partial(source, term)
    if len(found) == 1:
        tid, name = found[0]
        return Match(tid, "partial", 100.0 * len(key) / max(len(name_key(name)), 1), name)
    if found:
        listed = sorted(found, key=lambda item: source.title(item[0]).lower())[:MAX_LISTED]
        raise NoAnswer(term, [(tid, source.title(tid)) for tid, _ in listed], "ambiguous")
    return _fuzzy(source, term, key)


def _with_symbol(source: NameSource, term: str) -> Match:
    """A name whose symbol the key would drop: only a name written with it answers."""
    pattern = re.compile(r"(?<![^\W_])" + re.escape(term.strip()) + r"(?![^\W_])", re.IGNORECASE)
    found = {n.topic_id: n for n in source.names().rows if pattern.search(n.text)}
    exact = {n.topic_id: n for n in found.values() if n.key == name_key(term)}
    pick = exact or found
    if len(pick) == 1:
        name = next(iter(pick.values()))
        how = name.how if name.key == name_key(term) else "partial"
        return Match(name.topic_id, how, name=name.text)
    if pick:
        listed = sorted(pick, key=lambda tid: source.title(tid).lower())[:MAX_LISTED]
        raise NoAnswer(term, [(tid, source.title(tid)) for tid in listed], "ambiguous")
    raise _no_answer(source, term)


def _fuzzy(source: NameSource, term: str, key: str) -> Match:
    from rapidfuzz import fuzz, process

    names = source.names()
    best: dict[str, tuple[float, Name]] = {}
    for _, score, position in process.extract(key, names.keys, scorer=fuzz.ratio, limit=12):
        name = names.rows[position]
        if name.topic_id not in best or score > best[name.topic_id][0]:
            best[name.topic_id] = (score, name)
    ranked = sorted(best.values(), key=lambda item: -item[0])
    if ranked:
        score, name = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        clear = score - runner_up >= FUZZY_MARGIN
        own = names.by_topic.get(name.topic_id, [])
        same_shape = len(words(term)) == len(name.words)  # "GSM-Hard" is not a typo of GShard
        same_shape &= not capitals(term) or capitals(name.text)  # "LAION" is not a typo of Lion
        if score >= FUZZY_ACCEPT and clear and same_shape and not any(variant(key, k) for k in own):
            return Match(name.topic_id, "fuzzy", score, name.text)
    raise _no_answer(source, term)


def capitals(name: str) -> bool:
    """Written as an acronym: at least two letters, every one a capital (RLHF, LAION)."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _no_answer(source: NameSource, term: str) -> NoAnswer:
    """The topics whose names come close to `term` (then those whose text mentions it), or
    none at all."""
    close = hints(source, term)
    text_hits = getattr(source, "text_hits", None)
    if text_hits is not None:
        close += [hit for hit in text_hits(term) if hit not in close][: max(0, 5 - len(close))]
    if close:
        return NoAnswer(term, close, "closest")
    return NoAnswer(term, [], "none")
