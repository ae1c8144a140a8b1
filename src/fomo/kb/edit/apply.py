"""Carrying out a planned `Change`: preflight (refuse when the tree moved since planning), then
renames (`git mv` inside a work tree), atomic writes (temporary file in the same folder, fsync,
os.replace, fsync of the folder) and folder removals, each recorded so a failure anywhere undoes
the whole batch."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from fomo.errors import FomoError
from fomo.kb.edit.change import Change
from fomo.kb.edit.faults import os_error
from fomo.kb.edit.lock import locked


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _temp_prefix(path: Path) -> str:
    return f".fomo-{path.name}-"


def atomic_write(path: Path, data: str | bytes) -> None:
    """Readers see the old file or the new one, nothing between; no temporary file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Temporaries left by a killed earlier run (we hold the lock: nobody else is writing).
    for stale in path.parent.glob(_temp_prefix(path) + "*.tmp"):
        stale.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        with os.fdopen(handle, "wb") as stream:
            stream.write(raw)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            shutil.copymode(path, temporary)
        else:  # mkstemp makes 0600 files; a new file gets the usual mode under the umask
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError) and error.filename is None:
            error.filename = str(path)  # the file the user knows, not the temporary
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def in_git_work_tree(root: Path) -> bool:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return False
    return result.returncode == 0 and result.stdout.strip() == "true"


def _tracked(root: Path, rel: str) -> bool:
    result = subprocess.run(
        ["git", "-C", str(root), "ls-files", "--", rel], capture_output=True, text=True, check=False
    )
    return result.returncode == 0 and bool(result.stdout.strip())


def _rename(root: Path, source: str, target: str, git: bool) -> None:
    if git and _tracked(root, source):
        result = subprocess.run(
            ["git", "-C", str(root), "mv", "--", source, target],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            return
    os.rename(root / source, root / target)


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


def apply(changes: Change | Iterable[Change], root: Path) -> None:
    """Carry out planned changes under the lock; on any failure undo what was done (an OS
    failure, such as a full disk, then raises `FomoError` naming the file and the fix)."""
    root = Path(root)
    batch = [changes] if isinstance(changes, Change) else list(changes)
    with locked(root):
        for change in batch:
            _preflight(root, change)
        git = any(c.moves for c in batch) and in_git_work_tree(root)
        undo: list[Callable[[], None]] = []
        try:
            for change in batch:
                _apply_one(root, change, git, undo)
        except BaseException as error:
            for step in reversed(undo):
                with contextlib.suppress(Exception):
                    step()
            if isinstance(error, OSError):
                raise os_error(error, root) from None
            raise


def _apply_one(root: Path, change: Change, git: bool, undo: list[Callable[[], None]]) -> None:
    """Carry out one change, recording how to reverse each step in `undo`."""
    for folder in change.created_dirs:
        if not (root / folder).exists():
            (root / folder).mkdir(parents=True)
            undo.append(lambda f=folder: (root / f).rmdir())
    for source, target in change.moves:
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        _rename(root, source, target, git)
        undo.append(lambda s=source, t=target: _rename(root, t, s, git))
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
        _fsync_dir(root / touched)
