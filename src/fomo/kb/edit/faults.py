"""The one error path for operating-system failures during an edit: a full disk, a read-only
file system, a permission refused. Each becomes a `FomoError` that names the file and the fix,
so every edit command ends with the same clear message and exit code 2, never a traceback."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from fomo.errors import FomoError

_WHY = {
    errno.ENOSPC: (
        "no space left on the device",
        "free some disk space, then run the command again",
    ),
    errno.EDQUOT: ("the disk quota is used up", "free some space, then run the command again"),
    errno.EROFS: (
        "the knowledge base is on a read-only file system",
        "remount it read-write or work in a writable clone, then run the command again",
    ),
    errno.EACCES: (
        "permission denied",
        "make the folder and its files writable for you (chmod u+w), then run it again",
    ),
    errno.EPERM: (
        "operation not permitted",
        "make the folder and its files writable for you (chmod u+w), then run it again",
    ),
}


def os_error(error: OSError, root: Path | None = None, *, undone: bool = True) -> FomoError:
    """`error` as the project's own error: what failed, on which file, and what to do."""
    name = error.filename or error.filename2
    shown = str(name) if name is not None else (str(root) if root else None)
    if shown and root is not None:
        with contextlib.suppress(ValueError):  # another drive on Windows
            shown = os.path.relpath(shown, root) if Path(shown).is_absolute() else shown
        if shown == ".":  # the knowledge base folder itself: say which one
            shown = str(root)
    what, fix = _WHY.get(
        error.errno or 0,
        (
            error.strerror or str(error.args[0] if error.args else error),
            "check the file and its folder, then run it again",
        ),
    )
    done = "; nothing was changed" if undone else ""
    return FomoError(f"could not write: {what}{done}", file=shown, hint=fix, code="os-error")
