"""Carrying out a planned `Change`: preflight (refuse when the tree moved since planning), then
renames (`git mv` inside a work tree), atomic writes (temporary file in the same folder, fsync,
os.replace, fsync of the folder) and folder removals, each recorded so a failure anywhere undoes
the whole batch."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path

from fomo.errors import FomoError
from fomo.kb.edit import journal
from fomo.kb.edit.change import Change
from fomo.kb.edit.faults import os_error
from fomo.kb.edit.files import atomic_write, fsync_dir, in_git_work_tree, rename
from fomo.kb.edit.lock import LOCK_TIMEOUT, locked
from fomo.kb.location import inside


def _final_to_original(change: Change) -> dict[str, str]:
    """For each path after the moves, where its content sits before them."""
    mapping: dict[str, str] = {}

    def original(path: str) -> str:
        for source, target in reversed(change.moves):
            if path == target:
                path = source
            elif path.startswith(target + "/"):
                path = source + path[len(target) :]
        return path

    for write in change.writes:
        mapping[write.path] = original(write.path)
    return mapping


def _preflight(root: Path, change: Change) -> None:
    """Refuse before touching anything when the tree no longer matches the plan."""
    stale = FomoError(
        "the knowledge base changed since this edit was planned",
        hint="run the command again",
        code="changed",
    )
    touched = [
        *(path for move in change.moves for path in move),
        *(write.path for write in change.writes),
        *change.created_dirs,
        *change.removed_dirs,
    ]
    for path in touched:
        if not inside(root, path):
            raise FomoError(
                f"{path} leads out of the knowledge base (a symbolic link on the way); "
                "nothing was changed",
                hint="replace the link with a real folder, or edit that file by hand",
            )
    for source, _target in change.moves:
        if not (root / source).exists():
            raise stale
    originals = _final_to_original(change)
    for write in change.writes:
        where = root / originals[write.path]
        if write.old is None:
            if where.exists() or (root / write.path).exists():
                raise FomoError(f"{write.path} already exists", hint="run the command again")
        else:
            try:
                current = where.read_text(encoding="utf-8")
            except OSError:
                raise stale from None
            if current != write.old:
                raise stale


def recover(root: Path, *, wait: bool = True) -> bool:
    """Roll back an edit a killed process left half done (see `journal`), under the lock.

    Every edit runs this first, and so does every command that opens the index (with
    `wait=False`: when another process holds the lock its edit is alive, not interrupted).
    True when something was rolled back."""
    root = Path(root)
    if not journal.pending(root):
        return False
    try:
        with locked(root, timeout=LOCK_TIMEOUT if wait else 0.0):
            return journal.rollback(root)
    except OSError as error:
        raise os_error(error, root, undone=False) from None


def apply(changes: Change | Iterable[Change], root: Path) -> None:
    """Carry out planned changes under the lock; on any failure undo what was done (an OS
    failure, such as a full disk or a read-only folder, then raises `FomoError` naming the
    file and the fix). A journal written first lets the next command roll back an edit whose
    process was killed."""
    root = Path(root)
    batch = [changes] if isinstance(changes, Change) else list(changes)
    with locked(root):
        recover(root)
        for change in batch:
            _preflight(root, change)
        git = any(c.moves for c in batch) and in_git_work_tree(root)
        undo: list[Callable[[], None]] = []
        try:
            try:
                journal.write(root, batch)
            except OSError as error:  # the folder is what must be writable, not our journal
                error.filename = str(root)
                raise
            for change in batch:
                _apply_one(root, change, git, undo)
        except BaseException as error:
            undone = True
            for step in reversed(undo):
                try:
                    step()
                except Exception:
                    undone = False  # the journal stays: the next command finishes the undo
            if undone:  # and the folders the writes made, and any temporary file
                with contextlib.suppress(OSError):
                    journal.rollback(root)
            if isinstance(error, OSError):
                raise os_error(error, root) from None
            raise
        journal.clear(root)


def _apply_one(root: Path, change: Change, git: bool, undo: list[Callable[[], None]]) -> None:
    """Carry out one change, recording how to reverse each step in `undo`."""
    for folder in change.created_dirs:
        if not (root / folder).exists():
            (root / folder).mkdir(parents=True)
            undo.append(lambda f=folder: (root / f).rmdir())
    for source, target in change.moves:
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        rename(root, source, target, git)
        undo.append(lambda s=source, t=target: rename(root, t, s, git))
    for write in change.writes:
        path = root / write.path
        if write.new is None:
            old = path.read_text(encoding="utf-8")
            path.unlink()
            undo.append(lambda p=path, o=old: atomic_write(p, o))
        else:
            existed = path.exists()
            previous = path.read_text(encoding="utf-8") if existed else None
            atomic_write(path, write.new)
            undo.append(
                (lambda p=path, o=previous: atomic_write(p, o))
                if previous is not None
                else (lambda p=path: p.unlink(missing_ok=True))
            )
    for folder in change.removed_dirs:
        with contextlib.suppress(OSError):
            (root / folder).rmdir()
    for touched in {Path(w.path).parent for w in change.writes} | {
        Path(t).parent for _, t in change.moves
    }:
        fsync_dir(root / touched)
