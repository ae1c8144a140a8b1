"""Terminal output: ANSI colour on a terminal, plain text when piped or with NO_COLOR, and JSON.

Plain escape codes rather than rich: importing rich costs more than a whole `fomo where`.
"""

from __future__ import annotations

import json
import os
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


def use_colour(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def paint(text: str, *styles: str) -> str:
    if not styles or not use_colour():
        return text
    codes = ";".join(_CODES[s] for s in styles)
    return f"\033[{codes}m{text}\033[0m"


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def terminal_safe(text: str) -> str:
    """Drop control characters so that map text cannot drive the terminal."""
    return "".join(ch for ch in text if ch >= " " or ch in "\n\t")
