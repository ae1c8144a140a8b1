"""The front-matter schema: every field of a topic, session, part and article, declared once.

Each `Field` says its name, its type, whether it is required, its allowed values, its label for
people, and (by its place in the tuple) the order the edit layer writes keys in. The validator
(`fomo.kb.validate`) judges raw values by type, the loader (`fomo.kb.load`) converts them with
`read`, the index takes the relation columns and whole-number ranges from here, and edits insert
new keys in `order(...)`. Adding a field is one line here plus its use, in the manner of MkDocs'
`config_options` or datasette's `Setting`.

Relation kinds and their labels ("builds on" / "built on by", ...) live here as well, for the
CLI, the site and every exporter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fomo.model import PART_STATUSES, REFERENCE_KINDS, RELATION_KINDS, TOPIC_STATUSES

EARLIEST_YEAR = 1940
# Whole numbers beyond this are refused (`order`, part `number`): SQLite stores 64-bit integers,
# and no map needs a position past a billion.
INT_LIMIT = 10**9
_MONTH = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])")


@dataclass(frozen=True)
class Field:
    """One front-matter key.

    `type` is one of: text, names (list of strings), ids (list of topic ids), int, year, month,
    date, choice, url, paper, references, parts."""

    name: str
    type: str
    label: str
    required: bool = False
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Relation:
    """A kind of link between topics. `label` names the link itself (an edge in an export);
    `heading` lists the topics a topic points to, `inverse_heading` those that point to it
    (None: a symmetric kind, whose links both ways are listed once under `heading`)."""

    kind: str
    label: str
    heading: str
    inverse_heading: str | None


RELATIONS = (
    Relation("builds_on", "builds on", "builds on", "built on by"),
    Relation("alternative_to", "alternative to", "alternatives", None),
    Relation("related", "related", "related", None),
)
RELATION_LABELS = {r.kind: r.label for r in RELATIONS}
assert tuple(RELATION_LABELS) == RELATION_KINDS, "model.RELATION_KINDS and RELATIONS disagree"

TOPIC = (
    Field("title", "text", "Title", required=True),
    Field("aliases", "names", "Also called"),
    Field("essence", "text", "Essence", required=True),
    Field("order", "int", "Order among siblings"),
    Field("year", "year", "Year"),
    Field("released", "month", "Released"),
    Field("paper", "paper", "Paper"),
    *(Field(r.kind, "ids", r.label.capitalize()) for r in RELATIONS),
    Field("also_under", "ids", "Also under"),
    Field("tags", "names", "Tags"),
    Field("status", "choice", "Status", allowed=TOPIC_STATUSES),
    Field("added", "date", "Added"),
    Field("reviewed", "date", "Reviewed"),
    Field("references", "references", "References"),
)
SESSION = (
    Field("title", "text", "Title", required=True),
    Field("summary", "text", "Summary"),
    Field("audience", "text", "Audience"),
    Field("parts", "parts", "Parts"),
)
PART = (
    Field("number", "int", "Part"),
    Field("title", "text", "Title"),
    Field("topics", "ids", "Topics"),
    Field("status", "choice", "Status", allowed=PART_STATUSES),
    Field("author", "text", "Author"),
    Field("article", "text", "Article"),
    Field("video", "url", "Video"),
    Field("seminar", "date", "Seminar"),
)
ARTICLE = (
    Field("title", "text", "Title"),
    Field("author", "text", "Author"),
    Field("published", "date", "Published"),
    Field("topics", "ids", "Topics"),
    Field("status", "text", "Status"),
    Field("summary", "text", "Summary"),
    Field("tags", "names", "Tags"),
)
# Topic keys whose values are topic ids (the index's `relations` table holds them all).
LINK_KEYS = tuple(f.name for f in TOPIC if f.type == "ids")


def order(fields: Iterable[Field]) -> tuple[str, ...]:
    """Key names in the order the edit layer writes them."""
    return tuple(f.name for f in fields)


def field_of(fields: Iterable[Field], name: str) -> Field | None:
    return next((f for f in fields if f.name == name), None)


# ---- reading: raw YAML values -> model values (None when the value is not of its type) ------


def as_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def as_list(value: Any) -> list[str]:
    """A list of names; a single string counts as a list of one, anything else is dropped."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip()]
    return []


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def as_int(value: Any) -> int | None:
    """A whole number within INT_LIMIT, else None."""
    return value if is_int(value) and abs(value) <= INT_LIMIT else None


def is_month(value: str) -> bool:
    """True for "2026-03"; False for "2026-13", "2026-3" or a full date."""
    return _MONTH.fullmatch(value) is not None


def as_month(value: Any) -> str | None:
    return value if isinstance(value, str) and is_month(value) else None


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def is_date(value: Any) -> bool:
    return as_date(value) is not None


_READERS = {
    "text": lambda v: as_text(v) or None,
    "names": as_list,
    "ids": as_list,
    "int": as_int,
    "year": as_int,
    "month": as_month,
    "date": as_date,
    "choice": lambda v: as_text(v) or None,
    "url": lambda v: as_text(v) or None,
}


def read(field: Field, value: Any) -> Any:
    """The model value of a simple field (text, lists, numbers, dates); None or [] when absent
    or of the wrong type (the validator reports those)."""
    return _READERS[field.type](value)


def read_simple(fields: Iterable[Field], meta: dict[str, Any]) -> dict[str, Any]:
    """Every simple field of `fields` read from `meta`, by name."""
    return {f.name: read(f, meta.get(f.name)) for f in fields if f.type in _READERS}


__all__ = [
    "ARTICLE",
    "EARLIEST_YEAR",
    "INT_LIMIT",
    "LINK_KEYS",
    "PART",
    "REFERENCE_KINDS",
    "RELATIONS",
    "RELATION_LABELS",
    "SESSION",
    "TOPIC",
    "Field",
    "Relation",
    "as_date",
    "as_int",
    "as_list",
    "as_month",
    "as_text",
    "field_of",
    "is_date",
    "is_int",
    "is_month",
    "order",
    "read",
    "read_simple",
]
