"""Where the knowledge base and its compiled index live.

`--kb DIR` wins; otherwise `./knowledge` when it exists; otherwise the map bundled inside the
installed package. The index is a cache outside the knowledge base (the bundled map may sit in a
read-only site-packages), keyed by the knowledge base's absolute path.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from fomo.errors import FomoError

MAP_DIR = "map"
SESSIONS_DIR = "sessions"
JOURNAL = ".fomo-journal.json"  # an edit in progress (fomo.kb.edit.journal)


def bundled_kb() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "knowledge"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "knowledge"


def resolve_kb(path: str | os.PathLike[str] | None) -> Path:
    if path is not None:
        kb = Path(path)
        if not kb.is_dir():
            raise FomoError(
                f"knowledge base folder {str(kb)!r} does not exist",
                hint="pass --kb with a folder that holds map/ (and optionally sessions/)",
            )
        if not (kb / MAP_DIR).is_dir():
            raise FomoError(
                f"{str(kb)!r} has no map/ folder",
                file=str(kb),
                hint="a knowledge base holds map/index.md and the topic folders under it",
            )
        return kb.resolve()
    local = Path("knowledge")
    if (local / MAP_DIR).is_dir():
        return local.resolve()
    return bundled_kb()


def inside(kb: Path, rel: str) -> bool:
    """Whether `kb/rel` stays under `kb` with every `..` and symlink followed: a knowledge base
    may be anyone's repository, and its names must not lead FOMO to read or write elsewhere."""
    if not rel or Path(rel).is_absolute():
        return False
    return (kb / rel).resolve().is_relative_to(kb.resolve())


def edit_pending(kb: Path) -> bool:
    """Whether a killed edit left its journal (or the journal's temporary file) behind: one
    listing of the knowledge base's top folder, cheap enough for every command."""
    try:
        names = os.listdir(kb)
    except OSError:
        return False
    return any(name.startswith((JOURNAL, f".fomo-{JOURNAL}")) for name in names)


def cache_dir() -> Path:
    explicit = os.environ.get("FOMO_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "fomo"


def index_path(kb: Path) -> Path:
    digest = hashlib.sha1(str(kb).encode()).hexdigest()[:16]
    return cache_dir() / f"index-{digest}.sqlite3"
