"""One file of the knowledge base -> one JSON-able record, the unit the index caches.

A record keeps the raw front matter (so the validator can judge types and spellings), the body,
the line of every key, and the error that made the file unreadable, if any. Turning records into
model objects is `fomo.kb.load`'s job; judging them is `fomo.kb.validate`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fomo.errors import FomoError
from fomo.kb.location import MAP_DIR, SESSIONS_DIR
from fomo.kb.names import make_id, slug

ROOT_PARENT = ""  # the parent recorded for a top-level branch: whatever the root's id is
# Front matter holds flat fields and short lists of records; a value nested deeper than this is
# broken or hostile, and converting it would exhaust Python's recursion limit (libyaml itself
# accepts up to 1,000 levels).
MAX_NESTING = 50


class _TooDeep(Exception):
    pass


def slugify(text: str) -> str:
    """A file-name slug (accents folded as in every id); "topic" when nothing is left."""
    return slug(text) or "topic"


def classify(rel: str) -> str:
    """'topic', 'session', 'article' or '' (not ours) for a path relative to the kb root."""
    parts = rel.split("/")
    if not rel.endswith(".md"):
        return ""
    if parts[0] == MAP_DIR and len(parts) >= 2:
        return "topic"
    if parts[0] == SESSIONS_DIR and len(parts) == 3:
        return "session" if parts[2] == "index.md" else "article"
    return ""


def topic_place(rel: str, meta: dict[str, Any]) -> tuple[str, str | None]:
    """(id, parent id) from a map path; the root (map/index.md) takes the slug of its title."""
    parts = rel.split("/")[1:]
    if parts == ["index.md"]:
        title = meta.get("title")
        return make_id(title if isinstance(title, str) else "root", limit=None), None
    folders = parts[:-1] if parts[-1] == "index.md" else [*parts[:-1], parts[-1][: -len(".md")]]
    topic_id = folders[-1]
    parent = folders[-2] if len(folders) >= 2 else ROOT_PARENT
    return topic_id, parent


def _jsonable(value: Any, depth: int = 0) -> Any:
    if depth > MAX_NESTING:
        raise _TooDeep
    if isinstance(value, dict):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v, depth + 1) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _too_deep(value: Any) -> bool:
    try:
        _jsonable(value, 1)
    except _TooDeep:
        return True
    return False


def read_record(raw: bytes, rel: str) -> dict[str, Any]:
    from fomo.kb.frontmatter import decode, parse_document  # PyYAML: only when parsing

    kind = classify(rel)
    record: dict[str, Any] = {"kind": kind, "meta": {}, "body": "", "lines": {}, "error": None}
    try:
        document = parse_document(decode(raw, rel), rel)
    except FomoError as error:
        record["error"] = {
            "code": error.code,
            "message": error.message,
            "line": error.line or 1,
            "hint": error.hint,
        }
    else:
        try:
            record["meta"] = _jsonable(document.meta)
        except _TooDeep:
            key = str(next(k for k, v in document.meta.items() if _too_deep(v)))
            record["error"] = {
                "code": "bad-yaml",
                "message": f"the value of {key!r} is nested more than {MAX_NESTING} levels deep",
                "line": document.line_of(key),
                "hint": "front matter holds plain fields and short lists; flatten that value",
            }
        else:
            record["body"] = document.body
            record["lines"] = document.key_lines
            record["body_line"] = document.body_line
            if document.repeated:
                record["repeated"] = document.repeated
    if kind == "topic":
        record["id"], record["parent"] = topic_place(rel, record["meta"])
    return record
