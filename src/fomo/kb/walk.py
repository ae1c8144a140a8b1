"""The one walk of a knowledge base: every Markdown file under map/ and sessions/, safely.

Only regular files are read. A symlink is followed only when it resolves to a file inside the
knowledge base; a dangling link, a loop, a link that leaves the knowledge base, a link to a
folder of Markdown files, a FIFO or other special file, a folder that cannot be listed and a
name that is not valid UTF-8 are each reported as a `Problem` with its path (the index turns
them into findings), never opened, so no command hangs on a FIFO, publishes a file from outside
or silently loses a linked branch.

Plain strings and os.scandir rather than pathlib: this runs on every command over every file,
so its per-entry cost is most of a warm `fomo where`.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from fomo.kb.location import MAP_DIR, SESSIONS_DIR


@dataclass(frozen=True)
class Problem:
    """An entry the walk will not read: a stable code, what is wrong and how to fix it."""

    code: str
    message: str
    hint: str


# A linked folder is not walked: followed, a loop or a link back into the map would read a
# branch twice or forever, and one leading out would publish files from elsewhere. One that
# holds Markdown is reported, since skipped without a word its topics or articles would vanish;
# one of images (an article's `img -> ../shared`) is only a folder the site links to.
FOLDER_LINK = Problem(
    "symlink-folder",
    "symbolic link to a folder: the Markdown files in it (topics, articles) are not read",
    "move the folder itself here (or copy it) instead of linking to it",
)

# The stamp recorded for a problem entry: never a real (size, mtime), so the entry is looked at
# again as soon as it becomes a readable file.
PROBLEM_STAMP = (-1, -1)


def shown(text: str) -> str:
    """A path as it can be printed and stored: undecodable bytes become U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _decodable(name: str) -> bool:
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _holds_markdown(folder: str) -> bool:
    """Whether `folder` has a `.md` file at its top (a branch has its index.md there). Only the
    top is listed: this runs on every command, and the link may lead anywhere, even to `/`."""
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith(".md") for entry in entries)
    except OSError:
        return False


def _symlink_problem(full: str, inside: str) -> Problem | None:
    """None when the link resolves to a regular file inside the knowledge base."""
    try:
        target = os.path.realpath(full, strict=True)
    except OSError as error:
        if getattr(error, "errno", None) == 40:  # ELOOP
            return Problem(
                "symlink-loop",
                "symbolic link loop: the link never reaches a file",
                "replace the link with the file itself, or delete it",
            )
        return Problem(
            "dangling-symlink",
            "symbolic link to a file that does not exist",
            "point the link at an existing file inside the knowledge base, or delete it",
        )
    if not target.startswith(inside):
        return Problem(
            "symlink-outside",
            "symbolic link to a file outside the knowledge base: not read",
            "copy the file into the knowledge base instead of linking to it",
        )
    return None


def scan(root: Path) -> tuple[dict[str, tuple[int, int]], list[str], dict[str, Problem]]:
    """Every Markdown file under map/ and sessions/ with (size, mtime_ns), every folder, and
    the entries that cannot be read (their stamp is PROBLEM_STAMP in the files mapping)."""
    files: dict[str, tuple[int, int]] = {}
    dirs: list[str] = []
    problems: dict[str, Problem] = {}
    base = str(root)
    inside = os.path.realpath(base) + os.sep

    def refuse(rel: str, problem: Problem) -> None:
        rel = shown(rel)
        files[rel] = PROBLEM_STAMP
        problems[rel] = problem

    for top in (MAP_DIR, SESSIONS_DIR):
        stack = [top]
        while stack:
            rel = stack.pop()
            try:
                entries = os.scandir(f"{base}/{rel}")
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as error:
                refuse(
                    rel,
                    Problem(
                        "unreadable-folder",
                        f"folder cannot be listed: {error.strerror or error}",
                        "give yourself read and search permission (chmod u+rx) on the folder",
                    ),
                )
                continue
            dirs.append(rel)
            with entries:
                for entry in entries:
                    name = entry.name
                    if name[0] == ".":
                        continue
                    if not _decodable(name):
                        refuse(
                            f"{rel}/{name}",
                            Problem(
                                "bad-file-name",
                                "the name is not valid UTF-8: not read",
                                "rename it with a UTF-8 name (e.g. `mv` it to a lowercase-"
                                "kebab-case id)",
                            ),
                        )
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(f"{rel}/{name}")
                        continue
                    if not name.endswith(".md"):
                        if entry.is_symlink() and entry.is_dir() and _holds_markdown(entry.path):
                            refuse(f"{rel}/{name}", FOLDER_LINK)
                        continue
                    path = f"{rel}/{name}"
                    if entry.is_file(follow_symlinks=False):  # the common case: no extra call
                        try:
                            status = entry.stat()
                        except OSError:
                            continue  # removed meanwhile
                        files[path] = (status.st_size, status.st_mtime_ns)
                        continue
                    if entry.is_symlink():
                        problem = _symlink_problem(f"{base}/{path}", inside)
                        if problem is not None:
                            refuse(path, problem)
                            continue
                    try:
                        status = entry.stat()
                    except OSError as error:
                        refuse(
                            path,
                            Problem(
                                "unreadable",
                                f"file cannot be read: {error.strerror or error}",
                                "give yourself read permission (chmod u+r) on the file",
                            ),
                        )
                        continue
                    if not stat.S_ISREG(status.st_mode):
                        refuse(
                            path,
                            Problem(
                                "not-a-file",
                                "not a regular file (a FIFO, socket or device): not read",
                                "replace it with an ordinary Markdown file, or delete it",
                            ),
                        )
                        continue
                    files[path] = (status.st_size, status.st_mtime_ns)
    return files, dirs, problems
