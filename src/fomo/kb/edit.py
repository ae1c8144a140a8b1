"""Safe edits of the knowledge base: plan a `Change`, show it as a diff, apply it atomically.

Why each piece exists:
- Front matter is edited with a ruamel.yaml round trip, but only the top-level keys that changed
  are re-emitted; every other line (comments, key order, quoting, blank lines) and the body are
  copied byte for byte. The result is re-parsed and compared with the intended data, so a
  formatting surprise is refused rather than written.
- Every planned change is validated before anything is written: the topic file must parse and
  pass the per-topic checks, the parent must exist, the id and names must be new, a move may not
  go into the topic's own subtree. A refused edit raises `FomoError` and touches nothing.
- Files are written atomically (temporary file in the same folder, fsync, os.replace, fsync of
  the folder), so a killed process leaves the old file or the new one, never half of one.
- An advisory lock (flock on the knowledge base folder itself, so no lock file appears in the
  tree) serialises edits: plan and apply inside `locked(root)` and two edits at once cannot lose
  either. `apply` also refuses when a file changed since its change was planned.

Typical use (the ingest writer can use `create_topic` + `apply` the same way)::

    with locked(root):
        change = add_topic(root, "preferences", "simpo", title="SimPO", essence="...")
        apply(change)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fomo.errors import FomoError
from fomo.kb.location import MAP_DIR
from fomo.kb.names import make_id, name_key, name_table
from fomo.kb.validate import ID_PATTERN, TOPIC_KEYS, check_topic_record
from fomo.model import KnowledgeBase, Topic

LOCK_TIMEOUT = 10.0
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
# Canonical key order of a topic file (new keys are inserted after their predecessor here).
TOPIC_ORDER = TOPIC_KEYS


# --------------------------------------------------------------------------------------------
# Changes


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


# --------------------------------------------------------------------------------------------
# Lock


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


# --------------------------------------------------------------------------------------------
# Atomic writes


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
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
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


# --------------------------------------------------------------------------------------------
# Front matter round trip


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _split(text: str, file: str) -> tuple[list[str], list[str], list[str]]:
    """(opening line, front-matter lines, closing line + body lines), all with line ends."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise FomoError("no front matter", file=file, line=1, code="no-front-matter")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise FomoError("front matter is not closed", file=file, line=1, code="no-front-matter")
    return lines[:1], lines[1:end], lines[end:]


def _blocks(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level key -> (first line, end line) in `lines`: the key line and what belongs to
    it (indented lines, column-0 sequence items, blank lines inside); trailing blank lines and
    column-0 comments are left outside, with the next key."""
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _TOP_KEY.match(line))]
    blocks: dict[str, tuple[int, int]] = {}
    for position, (start, key) in enumerate(starts):
        limit = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        end = start + 1
        for i in range(start + 1, limit):
            line = lines[i]
            if line.strip() == "":
                continue
            if line[0] in " \t" or line.startswith("-"):
                end = i + 1
            else:
                break
        blocks.setdefault(key, (start, end))
    return blocks


def _plain(value: Any) -> Any:
    """ruamel / PyYAML values as comparable plain data."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _safe_load(source: str) -> Any:
    import yaml

    return yaml.safe_load(source)


def flow_list(items: Iterable[Any]) -> Any:
    """A YAML list written on one line: `[a, b]` (the map's house style for names)."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(list(items))
    seq.fa.set_flow_style()
    return seq


def flow_map(items: dict[str, Any]) -> Any:
    """A YAML mapping written on one line: `{title: ..., url: ...}`."""
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap(items)
    mapping.fa.set_flow_style()
    return mapping


def rewrite_front_matter(
    text: str, file: str, mutate: Callable[[Any], None], order: tuple[str, ...] = TOPIC_ORDER
) -> str:
    """`text` with its front matter changed by `mutate(data)` (a ruamel CommentedMap).

    Only the top-level keys whose value changed are re-emitted; all other bytes are kept."""
    head, front, tail = _split(text, file)
    newline = "\r\n" if front and front[0].endswith("\r\n") else "\n"
    source = "".join(front)
    yaml = _yaml()
    try:
        data = yaml.load(source)
    except Exception as error:  # ruamel raises many types; all mean "not YAML"
        raise FomoError(
            f"front matter is not valid YAML: {str(error).splitlines()[0]}",
            file=file,
            hint="run `fomo check` and fix the file first",
            code="bad-yaml",
        ) from None
    if data is None:
        from ruamel.yaml.comments import CommentedMap

        data = CommentedMap()
    before = {str(k): _plain(v) for k, v in data.items()}
    mutate(data)
    after = {str(k): _plain(v) for k, v in data.items()}
    changed = [k for k in after if before.get(k, _MISSING) != after[k]]
    removed = [k for k in before if k not in after]
    if not changed and not removed:
        return text
    stream = io.StringIO()
    yaml.dump(data, stream)
    dumped = stream.getvalue().splitlines(keepends=True)
    dumped_blocks = _blocks(dumped)
    lines = list(front)
    blocks = _blocks(lines)
    replacements: list[tuple[int, int, list[str]]] = []
    for key in removed:
        if key in blocks:
            replacements.append((*blocks[key], []))
    for key in changed:
        if key not in dumped_blocks:
            raise FomoError(f"could not write key {key!r}", file=file, code="edit-failed")
        start, end = dumped_blocks[key]
        new_lines = [line.rstrip("\r\n") + newline for line in dumped[start:end]]
        if key in blocks:
            replacements.append((*blocks[key], new_lines))
        else:
            replacements.append((*_insertion_point(key, blocks, lines, order), new_lines))
    for start, end, new_lines in sorted(replacements, key=lambda r: (r[0], r[1]), reverse=True):
        lines[start:end] = new_lines
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    result = "".join(head + lines + tail)
    _verify(result, file, after)
    return result


_MISSING = object()


def _insertion_point(
    key: str, blocks: dict[str, tuple[int, int]], lines: list[str], order: tuple[str, ...]
) -> tuple[int, int]:
    """Where a new key goes: after the nearest key that precedes it in `order`, else after the
    last key (before trailing comments and blank lines)."""
    if key in order:
        for previous in reversed(order[: order.index(key)]):
            if previous in blocks:
                end = blocks[previous][1]
                return end, end
        for following in order[order.index(key) + 1 :]:
            if following in blocks:
                start = blocks[following][0]
                return start, start
    end = max((b[1] for b in blocks.values()), default=len(lines))
    return end, end


def _verify(text: str, file: str, expected: dict[str, Any]) -> None:
    """The written text must parse to exactly the intended data."""
    _, front, _ = _split(text, file)
    try:
        parsed = _safe_load("".join(front)) or {}
    except Exception as error:
        raise FomoError(
            f"the edited front matter would not parse: {error}", file=file, code="edit-failed"
        ) from None
    if _plain(parsed) != expected:
        raise FomoError(
            "the edit could not keep the file's formatting; nothing was written",
            file=file,
            hint="make this change by hand in an editor",
            code="edit-failed",
        )


def render_front_matter(fields: dict[str, Any], body: str = "") -> str:
    """A new Markdown file from `fields` (lists of names on one line, references as one-line
    mappings) and a body."""
    from ruamel.yaml.comments import CommentedMap

    data = CommentedMap()
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            items = [flow_map(v) if isinstance(v, dict) else v for v in value]
            value = items if any(isinstance(v, dict) for v in value) else flow_list(items)
        elif isinstance(value, dict):
            value = flow_map(value)
        data[key] = value
    stream = io.StringIO()
    yaml = _yaml()
    yaml.representer.ignore_aliases = lambda _data: True  # `added` and `reviewed` share a date
    yaml.dump(data, stream)
    if body and not body.endswith("\n"):
        body += "\n"
    return f"---\n{stream.getvalue()}---\n{body}"


# --------------------------------------------------------------------------------------------
# Planning helpers


def _load(root: Path) -> KnowledgeBase:
    from fomo.kb.load import load

    return load(root).kb


def _topic(kb: KnowledgeBase, topic_id: str, role: str = "topic") -> Topic:
    topic = kb.get(topic_id)
    if topic is None:
        close = difflib.get_close_matches(topic_id, list(kb.topics), n=1, cutoff=0.6)
        raise FomoError(
            f"unknown {role} {topic_id!r}: no topic has this id",
            hint=f"did you mean {close[0]!r}?"
            if close
            else "find ids with `fomo where` or `fomo tree`",
            code="unknown-topic",
        )
    return topic


def _read(root: Path, rel: str) -> str:
    try:
        return (root / rel).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FomoError(f"cannot read the file: {error}", file=rel) from None


def _refuse_collisions(kb: KnowledgeBase, names: Iterable[str], exclude: str | None) -> None:
    table = name_table(kb.topics.values())
    for name in names:
        claim = table.owner(name, exclude)
        if claim is not None:
            owner, written = claim
            raise FomoError(
                f"the name {name!r} reads the same as {written!r} of topic '{owner}'",
                hint=f"each id, title and alias names one topic; see `fomo where {owner}`",
                code="name-collision",
            )


def _check_topic_text(rel: str, text: str, old_text: str | None, allow: Iterable[str] = ()) -> None:
    """The new topic file must parse and pass the per-topic checks (codes it already failed
    before the edit, and `allow`ed codes, are tolerated)."""
    from fomo.kb.records import read_record

    def findings(content: str) -> list[Any]:
        record = read_record(content.encode("utf-8"), rel)
        if record["error"]:
            error = record["error"]
            raise FomoError(
                f"the edited file would not load: {error['message']}",
                file=rel,
                line=error["line"],
                code="edit-failed",
            )
        return check_topic_record(rel, record, Path("."))

    before = {f.code for f in findings(old_text)} if old_text is not None else set()
    for finding in findings(text):
        if finding.code in before or finding.code in set(allow):
            continue
        raise FomoError(
            f"refused: {finding.message}",
            file=rel,
            line=finding.line,
            hint=finding.hint,
            code=finding.code,
        )


def _folder_of(topic: Topic) -> str:
    """Map path of the folder that holds (or would hold) the topic's children."""
    file = topic.source.file
    return file[: -len("/index.md")] if file.endswith("/index.md") else file[: -len(".md")]


def _leaf_to_folder(topic: Topic) -> tuple[str, str] | None:
    """The rename that turns a leaf `x.md` into `x/index.md`, or None for a folder topic."""
    file = topic.source.file
    if file.endswith("/index.md"):
        return None
    return file, f"{file[: -len('.md')]}/index.md"


def _check_id(kb: KnowledgeBase, root: Path, topic_id: str, folder: str) -> None:
    if not ID_PATTERN.match(topic_id):
        raise FomoError(
            f"id {topic_id!r} is not lowercase kebab-case",
            hint=f"use e.g. {make_id(topic_id)!r}",
            code="bad-id",
        )
    if topic_id in kb.topics:
        raise FomoError(
            f"id {topic_id!r} is already used by {kb.topics[topic_id].source.file}",
            hint="ids are unique across the whole map: pick another id",
            code="duplicate-id",
        )
    for candidate in (f"{folder}/{topic_id}.md", f"{folder}/{topic_id}"):
        if (root / candidate).exists():
            raise FomoError(
                f"{candidate} already exists", hint="pick another id", code="duplicate-id"
            )


# --------------------------------------------------------------------------------------------
# The edits


def create_topic(
    root: Path,
    parent_id: str,
    topic_id: str,
    fields: dict[str, Any],
    body: str = "",
    *,
    kb: KnowledgeBase | None = None,
    allow: Iterable[str] = (),
) -> Change:
    """Plan a new topic file `topic_id` under `parent_id` with front matter `fields` (in the
    given order). A leaf parent becomes a folder. `allow` lists check codes to tolerate (e.g.
    'essence-placeholder' for ingested topics whose essence a maintainer still has to write)."""
    root = Path(root)
    kb = kb if kb is not None else _load(root)
    parent = _topic(kb, parent_id, "parent")
    if not parent.source.file.startswith(MAP_DIR + "/"):
        raise FomoError(f"parent {parent_id!r} has no file in the map", hint="pick another parent")
    folder = _folder_of(parent) if parent.parent is not None else MAP_DIR
    _check_id(kb, root, topic_id, folder)
    names = [topic_id, str(fields.get("title") or ""), *(fields.get("aliases") or [])]
    _refuse_collisions(kb, [n for n in names if n], None)
    rel = f"{folder}/{topic_id}.md"
    text = render_front_matter(fields, body)
    _check_topic_text(rel, text, None, allow)
    change = Change(f"add topic '{topic_id}' under '{parent_id}'", [FileWrite(rel, None, text)])
    if parent.parent is not None:
        grow = _leaf_to_folder(parent)
        if grow is not None:
            change.moves.append(grow)
            change.created_dirs.append(folder)
    return change


def add_topic(
    root: Path,
    parent_id: str,
    topic_id: str,
    *,
    title: str,
    essence: str,
    aliases: Iterable[str] = (),
    year: int | None = None,
    today: dt.date | None = None,
    kb: KnowledgeBase | None = None,
) -> Change:
    """Plan `fomo add`: a new leaf topic with `added` and `reviewed` set to today."""
    today = today or dt.date.today()
    fields: dict[str, Any] = {"title": title.strip(), "aliases": list(aliases) or None}
    fields["essence"] = essence.strip()
    fields["year"] = year
    fields["added"] = today
    fields["reviewed"] = today
    return create_topic(root, parent_id, topic_id, fields, kb=kb)


def edit_topic(
    root: Path,
    topic_id: str,
    mutate: Callable[[Any], None],
    summary: str,
    *,
    kb: KnowledgeBase | None = None,
) -> Change:
    """Plan a front-matter edit of one topic (`mutate` changes the ruamel mapping in place)."""
    root = Path(root)
    kb = kb if kb is not None else _load(root)
    topic = _topic(kb, topic_id)
    rel = topic.source.file
    old = _read(root, rel)
    new = rewrite_front_matter(old, rel, mutate)
    if new == old:
        return Change(summary + " (no change)")
    _check_topic_text(rel, new, old)
    return Change(summary, [FileWrite(rel, old, new)])


def add_alias(root: Path, topic_id: str, name: str, *, kb: KnowledgeBase | None = None) -> Change:
    """Plan `fomo alias`: append `name` to the topic's aliases (refusing a name another topic
    already answers to, or one this topic already has)."""
    root = Path(root)
    kb = kb if kb is not None else _load(root)
    topic = _topic(kb, topic_id)
    name = name.strip()
    if not name:
        raise FomoError("the alias is empty", hint='e.g. fomo alias dpo "Direct Preference Opt"')
    if name_key(name) in {name_key(n) for _, n in topic.names()}:
        raise FomoError(
            f"{topic_id!r} already answers to {name!r}",
            hint=f"see `fomo where {topic_id}`",
            code="name-collision",
        )
    _refuse_collisions(kb, [name], topic_id)

    def mutate(data: Any) -> None:
        aliases = data.get("aliases")
        if isinstance(aliases, list):
            aliases.append(name)
        elif isinstance(aliases, str):
            data["aliases"] = flow_list([aliases, name])
        else:
            _insert(data, "aliases", flow_list([name]))

    return edit_topic(root, topic_id, mutate, f"alias '{name}' for '{topic_id}'", kb=kb)


def review_topic(
    root: Path, topic_id: str, *, today: dt.date | None = None, kb: KnowledgeBase | None = None
) -> Change:
    """Plan `fomo review`: set `reviewed` to today."""
    today = today or dt.date.today()

    def mutate(data: Any) -> None:
        if "reviewed" in data:
            data["reviewed"] = today
        else:
            _insert(data, "reviewed", today)

    return edit_topic(root, topic_id, mutate, f"review '{topic_id}' on {today}", kb=kb)


def _insert(data: Any, key: str, value: Any) -> None:
    """Put a new key where the house order wants it (the text splice places it the same way)."""
    keys = list(data.keys())
    position = len(keys)
    if key in TOPIC_ORDER:
        later = set(TOPIC_ORDER[TOPIC_ORDER.index(key) + 1 :])
        position = next((i for i, k in enumerate(keys) if k in later), len(keys))
    data.insert(position, key, value)


def move_topic(
    root: Path, topic_id: str, new_parent_id: str, *, kb: KnowledgeBase | None = None
) -> Change:
    """Plan `fomo move`: the topic's file or folder goes under the new parent (a leaf parent
    becomes a folder; an old parent left with only its index.md becomes a leaf again)."""
    root = Path(root)
    kb = kb if kb is not None else _load(root)
    topic = _topic(kb, topic_id)
    target = _topic(kb, new_parent_id, "parent")
    if topic.parent is None:
        raise FomoError("the root of the map cannot be moved", code="bad-move")
    if new_parent_id in {t.id for t in kb.subtree(topic_id)}:
        raise FomoError(
            f"cannot move '{topic_id}' under '{new_parent_id}': that is inside its own subtree",
            hint="pick a parent outside the branch you are moving",
            code="bad-move",
        )
    if topic.parent == new_parent_id:
        raise FomoError(
            f"'{topic_id}' is already under '{new_parent_id}'",
            hint="nothing to do",
            code="bad-move",
        )
    change = Change(f"move '{topic_id}' under '{new_parent_id}'")
    # 1. the new parent grows a folder when it is a leaf
    new_folder = _folder_of(target) if target.parent is not None else MAP_DIR
    grow = _leaf_to_folder(target) if target.parent is not None else None
    if grow is not None:
        change.created_dirs.append(new_folder)
        change.moves.append(grow)
    # 2. the topic itself (its file, or its whole folder)
    source = topic.source.file
    is_folder = source.endswith("/index.md")
    current = _folder_of(topic) if is_folder else source
    destination = f"{new_folder}/{topic_id}" + ("" if is_folder else ".md")
    for candidate in (f"{new_folder}/{topic_id}", f"{new_folder}/{topic_id}.md"):
        if (root / candidate).exists():
            raise FomoError(f"{candidate} already exists", hint="rename one", code="duplicate-id")
    change.moves.append((current, destination))
    # 3. the old parent shrinks back to a leaf when this was its last child
    old_parent = kb.parent(topic_id)
    if old_parent is not None and old_parent.parent is not None:
        old_folder = _folder_of(old_parent)
        left = [p.name for p in (root / old_folder).iterdir() if p.name != "index.md"]
        moving = Path(current).name
        if left == [moving]:
            change.moves.append((f"{old_folder}/index.md", f"{old_folder}.md"))
            change.removed_dirs.append(old_folder)
    return change


def _session(kb: KnowledgeBase, number: int) -> Any:
    for session in kb.sessions:
        if session.number == number:
            return session
    raise FomoError(
        f"no session {number}",
        hint="see the series with `fomo sessions`",
        code="unknown-session",
    )


def update_part(
    root: Path,
    session_number: int,
    part_number: int,
    updates: dict[str, Any],
    *,
    kb: KnowledgeBase | None = None,
) -> Change:
    """Plan an edit of one part of a session's `parts` list (only that key is re-emitted)."""
    root = Path(root)
    kb = kb if kb is not None else _load(root)
    session = _session(kb, session_number)
    rel = session.source.file
    old = _read(root, rel)

    def mutate(data: Any) -> None:
        parts = data.get("parts")
        for position, part in enumerate(parts if isinstance(parts, list) else [], start=1):
            if isinstance(part, dict) and (part.get("number") or position) == part_number:
                for key, value in updates.items():
                    part[key] = value
                return
        raise FomoError(
            f"session {session_number} has no part {part_number}",
            file=rel,
            hint=f"see `fomo sessions {session_number}`",
            code="unknown-part",
        )

    new = rewrite_front_matter(old, rel, mutate, order=("title", "summary", "audience", "parts"))
    summary = f"update part {part_number} of session {session_number}"
    return Change(summary, [FileWrite(rel, old, new)] if new != old else [])


def create_file(root: Path, rel: str, text: str, summary: str) -> Change:
    """Plan a new file (an article); refused when it exists."""
    if (Path(root) / rel).exists():
        raise FomoError(f"{rel} already exists", hint="pick another name", code="exists")
    return Change(summary, [FileWrite(rel, None, text)])


def merge(summary: str, changes: Iterable[Change]) -> Change:
    merged = Change(summary)
    for change in changes:
        merged.writes += change.writes
        merged.moves += change.moves
        merged.removed_dirs += change.removed_dirs
        merged.created_dirs += change.created_dirs
    return merged


# --------------------------------------------------------------------------------------------
# Applying


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
    """Carry out planned changes under the lock; on any failure undo what was done."""
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
        except BaseException:
            for step in reversed(undo):
                with contextlib.suppress(Exception):
                    step()
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


__all__ = [
    "Change",
    "FileWrite",
    "add_alias",
    "add_topic",
    "apply",
    "atomic_write",
    "create_file",
    "create_topic",
    "edit_topic",
    "locked",
    "merge",
    "move_topic",
    "render_front_matter",
    "review_topic",
    "rewrite_front_matter",
    "update_part",
]
