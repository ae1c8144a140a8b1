"""The edit journal: what an edit in progress is doing, so that a killed one can be rolled back.

Before `apply` touches anything it writes `.fomo-journal.json` at the knowledge base's root (a
dot file: never read as content, never published) listing the batch: folders it creates, the
renames, each write with the text it replaces, folders it removes. It is deleted when the edit
finished or was undone. When a process dies in between (kill -9, power loss), the journal
stays, and the next command rolls the edit back before doing anything else: each step is
reversed only if it happened (every step is checked against the disk, so rolling back twice is
harmless), the temporary files of interrupted atomic writes are removed, and so are the folders
the edit created. The knowledge base is then exactly as before the killed command.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from pathlib import Path

from fomo.errors import FomoError
from fomo.kb.edit.change import Change
from fomo.kb.edit.files import atomic_write, fsync_dir, in_git_work_tree, rename
from fomo.kb.location import JOURNAL, edit_pending, inside


def write(root: Path, batch: Iterable[Change]) -> None:
    """Record the batch before its first step (atomically: the journal is whole or absent)."""
    steps = [
        {
            "created_dirs": _missing_folders(root, change),
            "moves": change.moves,
            "writes": [{"path": w.path, "old": w.old} for w in change.writes],
            "removed_dirs": change.removed_dirs,
        }
        for change in batch
    ]
    atomic_write(root / JOURNAL, json.dumps({"version": 1, "changes": steps}))


def _check(root: Path, changes: object) -> None:
    """Refuse a journal FOMO did not write before acting on it: it sits in the knowledge base,
    which may come from anyone's git repository, and rolling back writes, deletes and renames
    the files it names. Every step must have the shape `write` gives it and name a path inside
    the knowledge base."""

    def path_ok(value: object) -> bool:
        return isinstance(value, str) and ".." not in Path(value).parts and inside(root, value)

    def step_ok(change: object) -> bool:
        if not isinstance(change, dict):
            return False
        steps = [change.get(key, []) for key in ("writes", "moves", "created_dirs", "removed_dirs")]
        if not all(isinstance(step, list) for step in steps):
            return False
        writes, moves, created, removed = steps
        return (
            all(
                isinstance(w, dict)
                and path_ok(w.get("path"))
                and (w.get("old") is None or isinstance(w.get("old"), str))
                for w in writes
            )
            and all(isinstance(m, list) and len(m) == 2 and all(map(path_ok, m)) for m in moves)
            and all(map(path_ok, [*created, *removed]))
        )

    if not isinstance(changes, list) or not all(map(step_ok, changes)):
        raise FomoError(
            "not an edit journal FOMO wrote (a step is malformed or names a path outside "
            "the knowledge base); nothing was rolled back",
            file=JOURNAL,
            hint="if no fomo edit was interrupted here, delete the file; if one was, restore "
            "the knowledge base with git and delete it",
        )


def _missing_folders(root: Path, change: Change) -> list[str]:
    """Every folder the change will create, its own and those its writes and renames need."""
    wanted = [*change.created_dirs]
    wanted += [str(Path(w.path).parent) for w in change.writes]
    wanted += [str(Path(target).parent) for _, target in change.moves]
    missing: list[str] = []
    for folder in wanted:
        current = Path(folder)
        while str(current) not in (".", "") and not (root / current).exists():
            if str(current) not in missing:
                missing.append(str(current))
            current = current.parent
    return missing


def clear(root: Path) -> None:
    (root / JOURNAL).unlink(missing_ok=True)
    fsync_dir(root)


def pending(root: Path) -> bool:
    """Whether an edit was interrupted (cheap: run by every command)."""
    return edit_pending(root)


def rollback(root: Path) -> bool:
    """Undo the interrupted edit the journal describes, then delete the journal. The caller
    holds the edit lock. False when there was nothing to recover."""
    path = root / JOURNAL
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        changes = data["changes"]
    except FileNotFoundError:
        _sweep_temporaries([root])
        return False
    except (OSError, ValueError, KeyError, TypeError):
        changes = []  # a journal cut short was written before any step: nothing to undo
    _check(root, changes)
    git = any(c.get("moves") for c in changes) and in_git_work_tree(root)
    folders: set[Path] = {root}
    for change in reversed(changes):
        for write in change.get("writes", []):
            target = root / write["path"]
            folders.add(target.parent)
            if write["old"] is None:
                target.unlink(missing_ok=True)
            elif target.exists() and _text(target) != write["old"]:
                atomic_write(target, write["old"])
        for source, target in reversed(change.get("moves", [])):
            if (root / target).exists() and not (root / source).exists():
                (root / source).parent.mkdir(parents=True, exist_ok=True)
                rename(root, target, source, git)
            folders.add((root / target).parent)
        for folder in reversed(change.get("created_dirs", [])):
            folders.add(root / folder)
    _sweep_temporaries(folders)
    for change in changes:
        for folder in sorted(change.get("created_dirs", []), key=len, reverse=True):
            with contextlib.suppress(OSError):  # only when empty
                (root / folder).rmdir()
    clear(root)
    return True


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _sweep_temporaries(folders: Iterable[Path]) -> None:
    """Remove `.fomo-*.tmp` files an interrupted atomic write left in these folders."""
    for folder in folders:
        with contextlib.suppress(OSError):
            for stale in folder.glob(".fomo-*.tmp"):
                stale.unlink(missing_ok=True)
