"""Terminal output: ANSI colour on a terminal, plain text when piped or with NO_COLOR, and JSON.

Text is wrapped to the terminal's width with hanging indents (labels on the left, their values
aligned beside them), never splitting a word; piped output is left unwrapped so other tools get
one record per line. `COLUMNS` sets the width as it does for `rich`, `click` and `ls`.

Plain escape codes and `textwrap` rather than rich: importing rich costs more than a whole
`fomo where`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from typing import Any

_CODES = {
    "bold": "1",
    "dim": "2",
    "cyan": "36",
    "green": "32",
    "yellow": "33",
    "red": "31",
    "magenta": "35",
    "blue": "34",
}
MIN_WIDTH = 40
_ANSI = re.compile(r"\033\[[0-9;]*m")


def use_colour(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def paint(text: str, *styles: str, stream: Any = None) -> str:
    text = terminal_safe(text)
    if not styles or not text or not use_colour(stream):
        return text
    codes = ";".join(_CODES[s] for s in styles)
    return f"\033[{codes}m{text}\033[0m"


def width(stream: Any = None) -> int | None:
    """Columns to wrap to: COLUMNS when set, the terminal's width on a terminal, else None."""
    stream = stream or sys.stdout
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(MIN_WIDTH, int(columns))
    if getattr(stream, "isatty", lambda: False)():
        return max(MIN_WIDTH, shutil.get_terminal_size((100, 24)).columns)
    return None


def visible_length(text: str) -> int:
    return len(_ANSI.sub("", text))


def _pieces(word: str, room: int) -> list[str]:
    """A word too long for a line: a path or URL breaks after a '/', anything else stays whole."""
    out: list[str] = []
    while len(word) > room and "/" in word[:room]:
        cut = word.rindex("/", 0, room) + 1
        out.append(word[:cut])
        word = word[cut:]
    return [*out, word] if word else out


def wrap(text: str, indent: int = 0, first: str = "", columns: int | None = None) -> list[str]:
    """`first` (may be painted) then `text` wrapped under it with a hanging indent of `indent`
    columns; words are never split (a path or URL may break after a '/'). With no width
    (piped) the text stays on one line."""
    text = " ".join(terminal_safe(text).split())
    if columns is None:
        return [first + text]
    room = max(columns - indent, 10)
    lines: list[str] = []
    line, used = first, visible_length(first)
    start = used
    for word in text.split(" "):
        pieces = _pieces(word, room) if len(word) > room else [word]
        for number, piece in enumerate(pieces):
            glue = "" if number or used == start else " "
            if used + len(glue) + len(piece) > columns and used > start:
                lines.append(line)
                line, used = " " * indent, indent
                start, glue = indent, ""
            line += glue + piece
            used += len(glue) + len(piece)
    lines.append(line)
    return [ln.rstrip() for ln in lines]


def rows(pairs: list[tuple[str, str]], colour: str = "green", gap: int = 2) -> list[str]:
    """Label/value rows: labels padded to one width, values wrapped beside them."""
    columns = width()
    if not pairs:
        return []
    label_width = max(len(label) for label, _ in pairs)
    if columns is not None:
        label_width = min(label_width, columns // 3)
    out: list[str] = []
    for label, value in pairs:
        first = paint(label.ljust(label_width), colour) + " " * gap
        out.extend(wrap(value, label_width + gap, first, columns))
    return out


def paragraph(text: str, indent: int = 0) -> list[str]:
    return wrap(text, indent, " " * indent, width())


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def terminal_safe(text: str) -> str:
    """Drop control characters so that map text cannot drive the terminal (applied to the text
    before it is painted, so our own colour codes survive)."""
    return "".join(ch for ch in text if ch >= " " or ch in "\n\t")


def error(message: str, hint: str = "") -> None:
    """The one error style: `error: ...` (red on a terminal), the hint on the line beneath."""
    stream = sys.stderr
    lines = [paint("error:", "red", "bold", stream=stream) + " " + terminal_safe(message)]
    if hint:
        lines.append(paint("  hint:", "yellow", stream=stream) + " " + terminal_safe(hint))
    stream.write("\n".join(lines) + "\n")


def note(message: str, kind: str = "note") -> None:
    """A notice or warning on standard error, in the same style as errors."""
    stream = sys.stderr
    colour = "yellow" if kind == "warning" else "cyan"
    stream.write(paint(f"{kind}:", colour, stream=stream) + " " + terminal_safe(message) + "\n")
