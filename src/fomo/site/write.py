"""Writing the site's files: atomically, and only when their bytes changed.

A file that exists is written to a temporary name beside it and renamed over the old one, so a
build that is killed leaves every page that was there either as it was or as it should be,
never half-written (the temporary files start with a dot: the preview server does not serve
them, and the next build removes them). A file that did not exist is created in place: there is
no old page to keep, and the rename is a second directory operation per file (writing 5,000
new files took twice as long with it). A killed build can leave such a new file short; the next
build writes every file it has no digest for, so it is replaced.

A digest per written file lets rebuilds skip files whose bytes are the same, which keeps
`fomo serve`'s rebuilds small and the browser's caches warm.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from fomo.errors import FomoError

TEMPORARY_PREFIX = ".fomo-"
TEMPORARY_SUFFIX = ".tmp"


def digest_of(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def put(target: Path, data: bytes) -> None:
    """Write `data` at `target`: created in place when new, else replaced in one step (a
    rename within its folder)."""
    try:
        with open(target, "xb") as handle:
            handle.write(data)
    except FileExistsError:
        _replace(target, data)


def _replace(target: Path, data: bytes) -> None:
    temporary = target.with_name(f"{TEMPORARY_PREFIX}{target.name}.{os.getpid()}{TEMPORARY_SUFFIX}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


class Writer:
    """Writes files under `root` and remembers the digest of each, by path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._digests: dict[str, str] = {}
        self._folders: set[str] = set()

    def _target(self, path: str) -> Path:
        """`root/path`, refusing a path that would leave the output folder: page paths come
        from names in the knowledge base, which may be anyone's."""
        if path.startswith("/") or ".." in path.split("/"):
            raise FomoError(
                f"refusing to write {path!r}: it would land outside the output folder",
                hint="rename the file or folder of the knowledge base that gives this page "
                "its path (`fomo check` reports the part or article)",
            )
        return self.root / path

    def write(self, path: str, text: str | bytes) -> bool:
        """Write `text` (or bytes: an article's image) at `path` (relative, `/`-separated)
        unless it is already there; True when the file was written."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        digest = digest_of(data)
        target = self._target(path)
        if self._digests.get(path) == digest and target.exists():
            return False
        folder = path.rpartition("/")[0]
        if folder not in self._folders:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        put(target, data)
        self._digests[path] = digest
        return True

    def digest(self, path: str) -> str | None:
        return self._digests.get(path)

    def record(self, path: str, digest: str) -> None:
        """Remember a file another process (a render worker) wrote."""
        self._digests[path] = digest

    def remove(self, path: str) -> None:
        self._digests.pop(path, None)
        with contextlib.suppress(FileNotFoundError):
            self._target(path).unlink()

    def paths(self) -> set[str]:
        return set(self._digests)

    def forget(self) -> None:
        self._digests.clear()
        self._folders.clear()


def existing(root: Path, skip: Iterable[str]) -> Iterator[str]:
    """Relative paths of the files under `root`, outside the top-level folders `skip`; removes
    the temporary files a killed build left on the way."""
    skipped = set(skip)
    for folder, subfolders, files in os.walk(root):
        if folder == str(root):
            subfolders[:] = [s for s in subfolders if s not in skipped]
        relative = os.path.relpath(folder, root)
        for name in files:
            path = name if relative == "." else f"{relative}/{name}".replace(os.sep, "/")
            if name.startswith(TEMPORARY_PREFIX) and name.endswith(TEMPORARY_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))
                continue
            yield path
