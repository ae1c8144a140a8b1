"""Front matter written back: a ruamel.yaml round trip that re-emits only the top-level keys that
changed and copies every other byte (comments, key order, quoting, blank lines, the body); the
result is re-parsed and compared with the intended data, so a formatting surprise is refused
rather than written. New keys go where the schema's key order puts them. New files are rendered
by `render_front_matter`, the one front-matter writer of every command and importer."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from typing import Any

from fomo.errors import FomoError
from fomo.kb import schema

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
# Canonical key order of a topic file (new keys are inserted after their predecessor here).
TOPIC_ORDER = schema.order(schema.TOPIC)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _split(text: str, file: str) -> tuple[list[str], list[str], list[str]]:
    """(opening line, front-matter lines, closing line + body lines), all with line ends."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise FomoError("no front matter", file=file, line=1, code="no-front-matter")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise FomoError("front matter is not closed", file=file, line=1, code="no-front-matter")
    return lines[:1], lines[1:end], lines[end:]


def _blocks(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level key -> (first line, end line) in `lines`: the key line and what belongs to
    it (indented lines, column-0 sequence items, blank lines inside); trailing blank lines and
    column-0 comments are left outside, with the next key."""
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _TOP_KEY.match(line))]
    blocks: dict[str, tuple[int, int]] = {}
    for position, (start, key) in enumerate(starts):
        limit = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        end = start + 1
        for i in range(start + 1, limit):
            line = lines[i]
            if line.strip() == "":
                continue
            if line[0] in " \t" or line.startswith("-"):
                end = i + 1
            else:
                break
        blocks.setdefault(key, (start, end))
    return blocks


def _plain(value: Any) -> Any:
    """ruamel / PyYAML values as comparable plain data."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _safe_load(source: str) -> Any:
    import yaml

    return yaml.safe_load(source)


_NO_PLAIN_START_IN_FLOW = ("?", ":")


def text_value(value: Any) -> Any:
    """`value`, quoted when it is text that YAML 1.1 (PyYAML, which reads the map) would take
    for something else or refuse: ruamel writes YAML 1.2 and leaves `on`, `yes` or `1e3` plain,
    which would read back as True or a number, and `?0` plain inside `{...}`, where PyYAML
    allows no plain text to begin with `?` or `:`."""
    if not isinstance(value, str) or (
        _resolves_to_str(value) and not value.startswith(_NO_PLAIN_START_IN_FLOW)
    ):
        return value
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(value)


def _resolves_to_str(value: str) -> bool:
    import yaml

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))
    return bool(tag == "tag:yaml.org,2002:str")


def flow_list(items: Iterable[Any]) -> Any:
    """A YAML list written on one line: `[a, b]` (the map's house style for names)."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq([text_value(item) for item in items])
    seq.fa.set_flow_style()
    return seq


def flow_map(items: dict[str, Any]) -> Any:
    """A YAML mapping written on one line: `{title: ..., url: ...}`."""
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap({key: text_value(value) for key, value in items.items()})
    mapping.fa.set_flow_style()
    return mapping


def rewrite_front_matter(
    text: str, file: str, mutate: Callable[[Any], None], order: tuple[str, ...] = TOPIC_ORDER
) -> str:
    """`text` with its front matter changed by `mutate(data)` (a ruamel CommentedMap).

    Only the top-level keys whose value changed are re-emitted; all other bytes are kept."""
    head, front, tail = _split(text, file)
    newline = "\r\n" if front and front[0].endswith("\r\n") else "\n"
    source = "".join(front)
    yaml = _yaml()
    try:
        data = yaml.load(source)
    except Exception as error:  # ruamel raises many types; all mean "not YAML"
        raise FomoError(
            f"front matter is not valid YAML: {str(error).splitlines()[0]}",
            file=file,
            hint="run `fomo check` and fix the file first",
            code="bad-yaml",
        ) from None
    if data is None:
        from ruamel.yaml.comments import CommentedMap

        data = CommentedMap()
    before = {str(k): _plain(v) for k, v in data.items()}
    mutate(data)
    after = {str(k): _plain(v) for k, v in data.items()}
    changed = [k for k in after if before.get(k, _MISSING) != after[k]]
    removed = [k for k in before if k not in after]
    if not changed and not removed:
        return text
    stream = io.StringIO()
    yaml.dump(data, stream)
    dumped = stream.getvalue().splitlines(keepends=True)
    dumped_blocks = _blocks(dumped)
    lines = list(front)
    blocks = _blocks(lines)
    replacements: list[tuple[int, int, list[str]]] = []
    for key in removed:
        if key in blocks:
            replacements.append((*blocks[key], []))
    for key in changed:
        if key not in dumped_blocks:
            raise FomoError(f"could not write key {key!r}", file=file, code="edit-failed")
        start, end = dumped_blocks[key]
        new_lines = [line.rstrip("\r\n") + newline for line in dumped[start:end]]
        if key in blocks:
            replacements.append((*blocks[key], new_lines))
        else:
            replacements.append((*_insertion_point(key, blocks, lines, order), new_lines))
    for start, end, new_lines in sorted(replacements, key=lambda r: (r[0], r[1]), reverse=True):
        lines[start:end] = new_lines
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    result = "".join(head + lines + tail)
    _verify(result, file, after)
    return result


_MISSING = object()


def _insertion_point(
    key: str, blocks: dict[str, tuple[int, int]], lines: list[str], order: tuple[str, ...]
) -> tuple[int, int]:
    """Where a new key goes: after the nearest key that precedes it in `order`, else after the
    last key (before trailing comments and blank lines)."""
    if key in order:
        for previous in reversed(order[: order.index(key)]):
            if previous in blocks:
                end = blocks[previous][1]
                return end, end
        for following in order[order.index(key) + 1 :]:
            if following in blocks:
                start = blocks[following][0]
                return start, start
    end = max((b[1] for b in blocks.values()), default=len(lines))
    return end, end


def _verify(text: str, file: str, expected: dict[str, Any]) -> None:
    """The written text must parse to exactly the intended data."""
    _, front, _ = _split(text, file)
    try:
        parsed = _safe_load("".join(front)) or {}
    except Exception as error:
        raise FomoError(
            f"the edited front matter would not parse: {error}", file=file, code="edit-failed"
        ) from None
    if _plain(parsed) != expected:
        raise FomoError(
            "the edit could not keep the file's formatting; nothing was written",
            file=file,
            hint="make this change by hand in an editor",
            code="edit-failed",
        )


def render_front_matter(fields: dict[str, Any], body: str = "") -> str:
    """A new Markdown file from `fields` (lists of names on one line, references as one-line
    mappings) and a body."""
    from ruamel.yaml.comments import CommentedMap

    data = CommentedMap()
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            items = [flow_map(v) if isinstance(v, dict) else text_value(v) for v in value]
            value = items if any(isinstance(v, dict) for v in value) else flow_list(items)
        elif isinstance(value, dict):
            value = flow_map(value)
        data[key] = text_value(value)
    stream = io.StringIO()
    yaml = _yaml()
    yaml.representer.ignore_aliases = lambda _data: True  # `added` and `reviewed` share a date
    yaml.dump(data, stream)
    if body and not body.endswith("\n"):
        body += "\n"
    return f"---\n{stream.getvalue()}---\n{body}"


def insert_key(data: Any, key: str, value: Any) -> None:
    """Put a new key where the house order wants it (the text splice places it the same way)."""
    keys = list(data.keys())
    position = len(keys)
    if key in TOPIC_ORDER:
        later = set(TOPIC_ORDER[TOPIC_ORDER.index(key) + 1 :])
        position = next((i for i, k in enumerate(keys) if k in later), len(keys))
    data.insert(position, key, value)
