"""The one error FOMO raises on bad input: it carries where the problem is and how to fix it.

Nothing below the CLI prints or exits; it raises a `FomoError` and the CLI turns it into a
message and exit code 2.
"""

from __future__ import annotations


class FomoError(Exception):
    """Bad input or usage: a file and line when known, what is wrong, and how to fix it."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        hint: str = "",
        code: str = "error",
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        hint = f"\n  hint: {self.hint}" if self.hint else ""
        return f"{where}{self.message}{hint}"


class UnknownTopicError(FomoError):
    """A term or id that names no topic; carries the closest suggestions."""

    def __init__(self, term: str, suggestions: list[tuple[str, str]]) -> None:
        hint = "did you mean " + ", ".join(f"{title} ({tid})" for tid, title in suggestions)
        super().__init__(
            f"no topic matches {term!r}", hint=hint + "?" if suggestions else "try `fomo search`"
        )
        self.term = term
        self.suggestions = suggestions
