"""The edit lock: an advisory flock on the knowledge base folder itself (so no lock file appears
in the tree) serialises edits; plan and apply inside `locked(root)` and two edits at once cannot
lose either. Re-entrant within a process."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from fomo.errors import FomoError

LOCK_TIMEOUT = 10.0


_held: dict[str, int] = {}
_held_guard = threading.Lock()


@contextlib.contextmanager
def locked(root: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the knowledge base's edit lock (re-entrant within a process).

    Waits up to `timeout` seconds for another edit to finish, then refuses with a clear message.
    """
    key = str(Path(root).resolve())
    with _held_guard:
        if _held.get(key):
            _held[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    release = _acquire(Path(key), timeout)
    with _held_guard:
        _held[key] = 1
    try:
        yield
    finally:
        with _held_guard:
            _held.pop(key, None)
        release()


def _acquire(root: Path, timeout: float) -> Callable[[], None]:
    deadline = time.monotonic() + timeout
    busy = FomoError(
        "another fomo edit is in progress on this knowledge base",
        file=str(root),
        hint="wait for it to finish and run the command again",
        code="locked",
    )
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: an exclusive lock file instead
        lock_file = root / ".fomo.lock"
        while True:
            try:
                fd = os.open(lock_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                if time.monotonic() > deadline:
                    raise busy from None
                time.sleep(0.05)
                continue
            os.close(fd)
            return lambda: lock_file.unlink(missing_ok=True)
    fd = os.open(root, os.O_RDONLY)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                raise busy from None
            time.sleep(0.05)

    def release() -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    return release
