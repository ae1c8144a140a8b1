"""A strict fast path for the plain front matter that nearly every topic file uses.

Building the index parses every file, and PyYAML spends most of that time constructing Python
objects in pure Python. Topic front matter is almost always a flat mapping of plain scalars,
flow lists and one-line flow mappings, so this module reads exactly that subset and returns
None for anything else (anchors, block scalars, escapes, YAML 1.1 booleans, floats, odd dates,
multi-line values, ...), which then goes to PyYAML. It never guesses: a property test holds it
to PyYAML's answer on everything it accepts.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_KEY = re.compile(r"([A-Za-z_][\w-]*):(?: (.*))?$")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)$")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})$")
# Plain scalars that YAML 1.1 may read as something other than a string: leave them to PyYAML.
_AMBIGUOUS = re.compile(r"[-+.0-9]|(?:y|n|yes|no|on|off|true|false|null|~|=)$", re.IGNORECASE)
# Anything but a newline and printable characters (YAML has more line breaks, and refuses some
# control characters): leave the whole text to PyYAML.
_UNUSUAL = re.compile(r"[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_FORBIDDEN = set(",[]{}")


class _Decline(Exception):
    """The text is outside the subset; PyYAML decides."""


def _scalar(text: str, in_flow: bool) -> Any:
    if not text or text != text.strip() or "\t" in text:
        raise _Decline
    first = text[0]
    if first in "\"'":
        if len(text) < 2 or text[-1] != first or first in text[1:-1] or "\\" in text:
            raise _Decline
        return text[1:-1]
    if first in _PLAIN_START or ": " in text or " #" in text or text.endswith(":"):
        raise _Decline
    if in_flow and (_FLOW_FORBIDDEN.intersection(text) or ":" in text):
        raise _Decline
    if _INT.match(text) and len(text) < 18:
        return int(text)
    date = _DATE.match(text)
    if date:
        try:
            return dt.date(*(int(part) for part in date.groups()))
        except ValueError:
            raise _Decline from None
    if _AMBIGUOUS.match(text):
        raise _Decline
    return text


def _split_flow(inner: str) -> list[str]:
    """Items of a one-line flow collection; quoted items may hold commas."""
    items, current, quote = [], [], ""
    for char in inner:
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
            current.append(char)
        elif char == ",":
            items.append("".join(current).strip())
            current = []
        elif char in "[]{}":
            raise _Decline
        else:
            current.append(char)
    if quote:
        raise _Decline
    tail = "".join(current).strip()
    if tail:
        items.append(tail)
    elif items:
        raise _Decline  # a trailing comma or an empty item
    return items


def _value(text: str) -> Any:
    if text.startswith("[") and text.endswith("]"):
        return [_scalar(item, True) for item in _split_flow(text[1:-1])]
    if text.startswith("{") and text.endswith("}"):
        mapping: dict[str, Any] = {}
        for item in _split_flow(text[1:-1]):
            key, sep, value = item.partition(": ")
            if not sep or not _is_key(key) or key in mapping:
                raise _Decline
            mapping[key] = _scalar(value.strip(), True)
        return mapping
    return _scalar(text, False)


def _is_key(text: str) -> bool:
    return bool(_KEY.match(text + ":")) and not _AMBIGUOUS.match(text)


def load(source: str) -> dict[str, Any] | None:
    """The mapping PyYAML would give for `source`, or None when `source` is outside the subset."""
    if _UNUSUAL.search(source):
        return None
    result: dict[str, Any] = {}
    open_lists: set[str] = set()
    block_key: str | None = None
    try:
        for line in source.split("\n"):
            stripped = line.rstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("  - ") and block_key is not None:
                result[block_key].append(_value(stripped[4:].strip()))
                continue
            match = _KEY.match(stripped)
            if match is None or match.group(1) in result or not _is_key(match.group(1)):
                return None
            key, value = match.group(1), match.group(2)
            if value is None or not value.strip():
                result[key] = []
                open_lists.add(key)
                block_key = key
            else:
                result[key] = _value(value.strip())
                block_key = None
    except _Decline:
        return None
    if not result:
        return None
    return {
        key: None if key in open_lists and not value else value for key, value in result.items()
    }
