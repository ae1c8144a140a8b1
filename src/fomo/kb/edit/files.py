"""Low-level file operations of the edit layer: atomic writes (temporary file in the same
folder, fsync, os.replace, fsync of the folder) and renames (`git mv` inside a work tree)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def temp_prefix(path: Path) -> str:
    return f".fomo-{path.name}-"


def atomic_write(path: Path, data: str | bytes) -> None:
    """Readers see the old file or the new one, nothing between; no temporary file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Temporaries left by a killed earlier run (we hold the lock: nobody else is writing).
    for stale in path.parent.glob(temp_prefix(path) + "*.tmp"):
        stale.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent)
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
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
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


def tracked(root: Path, rel: str) -> bool:
    result = subprocess.run(
        ["git", "-C", str(root), "ls-files", "--", rel], capture_output=True, text=True, check=False
    )
    return result.returncode == 0 and bool(result.stdout.strip())


def rename(root: Path, source: str, target: str, git: bool) -> None:
    if git and tracked(root, source):
        result = subprocess.run(
            ["git", "-C", str(root), "mv", "--", source, target],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            return
    os.rename(root / source, root / target)
