"""A planned edit as data: the files it writes and the renames it makes, shown as a diff."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class FileWrite:
    """One file's new text (`new` None deletes it); `old` None means the file must not exist.
    `path` is relative to the knowledge base and is the path after the change's moves. `new`
    may be bytes for a new binary file (an image an imported article shows)."""

    path: str
    old: str | None
    new: str | bytes | None


@dataclass
class Change:
    """A planned edit: renames first (git mv inside a work tree), then writes."""

    summary: str
    writes: list[FileWrite] = field(default_factory=list)
    moves: list[tuple[str, str]] = field(default_factory=list)
    removed_dirs: list[str] = field(default_factory=list)  # emptied folders, removed last
    created_dirs: list[str] = field(default_factory=list)  # folders created before the moves

    def paths(self) -> list[str]:
        return [w.path for w in self.writes] + [p for move in self.moves for p in move]

    def diff(self) -> str:
        """A unified diff (with git-style rename lines) describing the change."""
        out: list[str] = []
        for source, target in self.moves:
            out += [f"rename from {source}\n", f"rename to {target}\n"]
        for write in self.writes:
            if isinstance(write.new, bytes):
                out.append(f"Binary file b/{write.path} added ({len(write.new)} bytes)\n")
                continue
            old = (write.old or "").splitlines(keepends=True)
            new = (write.new or "").splitlines(keepends=True)
            before = "/dev/null" if write.old is None else f"a/{write.path}"
            after = "/dev/null" if write.new is None else f"b/{write.path}"
            for line in difflib.unified_diff(old, new, before, after):
                out.append(
                    line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                )
        return "".join(out)


def merge(summary: str, changes: Iterable[Change]) -> Change:
    merged = Change(summary)
    for change in changes:
        merged.writes += change.writes
        merged.moves += change.moves
        merged.removed_dirs += change.removed_dirs
        merged.created_dirs += change.created_dirs
    return merged
