"""Split a Markdown file into YAML front matter and body, keeping line numbers.

PyYAML's C loader parses (it is several times faster than ruamel.yaml, which matters when the
index is rebuilt over ten thousand files); line numbers of top-level keys come from a scan of the
front-matter lines, which is all the validator needs to point at a key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from fomo.errors import FomoError
from fomo.kb import quickyaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


@dataclass
class Document:
    meta: dict[str, Any]
    body: str
    key_lines: dict[str, int] = field(default_factory=dict)
    body_line: int = 1
    repeated: dict[str, int] = field(default_factory=dict)  # a key written again: its line

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def decode(raw: bytes, file: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FomoError(
            "file is not valid UTF-8",
            code="not-utf8",
            file=file,
            line=line,
            hint="re-save the file with UTF-8 encoding",
        ) from None
    return text.removeprefix("\ufeff")


def parse_document(text: str, file: str) -> Document:
    """Front matter (between `---` lines at the top) and the Markdown body after it."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise FomoError(
            "no front matter",
            code="no-front-matter",
            file=file,
            line=1,
            hint="start the file with a line '---', the YAML keys, then another '---'",
        )
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise FomoError(
            "front matter is not closed",
            code="no-front-matter",
            file=file,
            line=1,
            hint="add a line '---' after the last YAML key",
        )
    source = "".join(lines[1:end])
    meta = quickyaml.load(source)
    if meta is None:
        meta = _full_yaml(source, file)
    if not isinstance(meta, dict):
        raise FomoError(
            "front matter must be a mapping of keys to values",
            code="bad-yaml",
            file=file,
            line=2,
            hint="write one 'key: value' per line",
        )
    key_lines: dict[str, int] = {}
    repeated: dict[str, int] = {}  # YAML lets the last of two equal keys win without a word
    for number, line in enumerate(lines[1:end], start=2):
        match = _KEY_LINE.match(line)
        if match:
            key = match.group(1)
            if key in key_lines:
                repeated.setdefault(key, number)
            key_lines.setdefault(key, number)
    body = "".join(lines[end + 1 :])
    return Document(
        meta={str(k): v for k, v in meta.items()},
        body=body,
        key_lines=key_lines,
        body_line=end + 2,
        repeated=repeated,
    )


def _full_yaml(source: str, file: str) -> Any:
    """PyYAML for whatever the fast path declined; {} for an empty front matter.

    Aliases are refused before anything is built: a few nested anchors expand into gigabytes
    once copied into the index (the "billion laughs" file), and front matter never needs them."""
    try:
        for event in yaml.parse(source, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                raise FomoError(
                    f"front matter uses the YAML alias *{event.anchor}",
                    code="bad-yaml",
                    file=file,
                    line=event.start_mark.line + 2,
                    hint="write the value out instead of using &anchors and *aliases",
                )
        meta = yaml.load(source, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise FomoError(
            f"front matter is not valid YAML: {problem}",
            code="bad-yaml",
            file=file,
            line=line,
            hint="quote values that contain ': ', '#', '[' or '{' with double quotes",
        ) from None
    except ValueError as error:  # a constructor's complaint, e.g. the date 2026-02-30
        raise FomoError(
            f"front matter holds an impossible value: {error}",
            code="bad-yaml",
            file=file,
            line=2,
            hint="check that dates are real days (YYYY-MM-DD) and numbers are numbers",
        ) from None
    return {} if meta is None else meta
