"""The unit every reader yields: one paper or link, and the problems found while reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Item:
    """A paper or link to triage; `where` says where it came from (entry number or line)."""

    title: str
    summary: str = ""
    url: str | None = None
    year: int | None = None
    authors: list[str] = field(default_factory=list)
    where: str = ""

    def __post_init__(self) -> None:
        """Lone surrogates (a JSON feed's "\\ud800") cannot be printed or written: U+FFFD."""

        def whole(text: str) -> str:
            return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")

        self.title, self.summary = whole(self.title), whole(self.summary)
        self.authors = [whole(author) for author in self.authors]

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "summary": self.summary,
            "url": self.url,
            "year": self.year,
            "authors": self.authors,
            "where": self.where,
        }


@dataclass
class Problem:
    """An entry that could not be read; the rest of the source is still processed."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Batch:
    """What a source yielded: its items, the entries it skipped, and what kind it was."""

    kind: str
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
