"""The compiled index: an SQLite cache of every parsed file, names for lookup and an FTS5 table.

Built on first use and brought up to date on every open: each file's size and mtime are compared
with the cache, and a file whose stamp moved is re-read only if its content hash changed. Every
edit, save or checkout moves the nanosecond mtime, so the next command sees it; only a write that
deliberately restores both the size and the mtime would go unseen until the file changes again.
Deleting the cache is always safe (it is rebuilt on the next command).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import sqlite3
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from fomo.kb.location import edit_pending, index_path
from fomo.kb.names import name_key, record_names
from fomo.kb.schema import LINK_KEYS, as_int
from fomo.kb.walk import PROBLEM_STAMP, Problem, scan

SCHEMA_VERSION = 9  # bump when name keys or tables change

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files (
    id INTEGER PRIMARY KEY, path TEXT UNIQUE, size INTEGER, mtime_ns INTEGER, digest TEXT,
    kind TEXT, record TEXT, broken INTEGER
);
CREATE TABLE dirs (path TEXT PRIMARY KEY);
CREATE TABLE topics (
    path TEXT PRIMARY KEY, id TEXT, parent TEXT, title TEXT, ord INTEGER, essence TEXT
);
CREATE INDEX topics_id ON topics(id);
CREATE INDEX topics_parent ON topics(parent);
CREATE TABLE names (key TEXT, id TEXT, path TEXT, kind TEXT);
CREATE INDEX names_key ON names(key);
CREATE INDEX names_path ON names(path);
CREATE TABLE relations (path TEXT, source TEXT, kind TEXT, target TEXT);
CREATE INDEX relations_target ON relations(target);
CREATE INDEX relations_path ON relations(path);
CREATE VIRTUAL TABLE search USING fts5(
    path UNINDEXED, id UNINDEXED, title, aliases, essence, body, refs,
    tokenize = 'porter unicode61'
);
"""


@dataclass(frozen=True)
class SyncStats:
    scanned: int
    parsed: int
    removed: int


@dataclass(frozen=True)
class OutlineRow:
    id: str
    parent: str | None
    title: str
    order: int | None
    path: str


def _fingerprint(files: dict[str, tuple[int, int]], dirs: list[str]) -> str:
    """One digest of every stamp: when it matches the last sync, nothing needs comparing.

    Hashes the scan in its own order with C-speed joins (sorting or formatting 10,000 entries
    would cost as much as the comparison it saves); a folder listed in another order only costs
    one full comparison, never a stale answer."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update("\0".join(files).encode())
    digest.update(array("q", chain.from_iterable(files.values())).tobytes())
    digest.update("\0".join(dirs).encode())
    return digest.hexdigest()


PARALLEL_FROM = 400  # files to parse before a process pool pays for its start-up
_CHUNK = 200
# A first sync of this many files leaves the full-text table empty, to be filled by the first
# search (`Index.search`): most commands never search (a site build, `where`, `tree`), and the
# FTS5 inserts were a fifth of a cold load of 5,000 topics.
LAZY_SEARCH_FROM = 400


def _read_chunk(base: str, jobs: list[tuple[str, str]]) -> list[tuple[str, str, Any]]:
    """(path, digest, record) per file; record is None when the content hash is unchanged
    (only the stamp moved) and the path is skipped when the file vanished meanwhile."""
    from fomo.kb.records import read_record

    done = []
    for path, known_digest in jobs:
        try:
            with open(f"{base}/{path}", "rb") as handle:
                raw = handle.read()
        except FileNotFoundError:
            continue  # removed meanwhile
        except OSError as error:  # a finding, looked at again next time (never "absent")
            done.append((path, "", problem_record(path, "unreadable", error)))
            continue
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        done.append((path, digest, None if digest == known_digest else read_record(raw, path)))
    return done


def problem_record(path: str, code: str, error: OSError | Problem) -> dict[str, Any]:
    """The record of a file the walk or the reader could not read: an error, nothing else."""
    from fomo.kb.records import classify

    if isinstance(error, Problem):
        message, hint = error.message, error.hint
    else:
        message = f"file cannot be read: {error.strerror or error}"
        hint = "give yourself read permission (chmod u+r) on the file"
    record: dict[str, Any] = {"kind": classify(path), "meta": {}, "body": "", "lines": {}}
    record["error"] = {"code": code, "message": message, "line": 1, "hint": hint}
    if record["kind"] == "topic":
        from fomo.kb.records import topic_place

        record["id"], record["parent"] = topic_place(path, {})
    return record


def _read_all(base: str, jobs: list[tuple[str, str]]) -> Iterator[tuple[str, str, Any]]:
    """Read and parse files, across processes when there are many (a first build): parsing
    YAML is most of the cost and the main process meanwhile writes SQLite."""
    workers = min(4, os.cpu_count() or 1)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        yield from _read_chunk(base, jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [jobs[i : i + _CHUNK] for i in range(0, len(jobs), _CHUNK)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for done in pool.map(_read_chunk, [base] * len(chunks), chunks):
            yield from done


def _found(
    kb: Path, paths: list[str], problems: dict[str, Problem], jobs: list[tuple[str, str]]
) -> Iterator[tuple[str, str, Any]]:
    """(path, digest, record) of `paths`: the walk's problems as error records (an empty
    digest: read again next time), then the files of `jobs` read and parsed."""
    for path in paths:
        if path in problems:
            yield path, "", problem_record(path, problems[path].code, problems[path])
    yield from _read_all(str(kb), jobs)


def read_files(kb: Path) -> list[tuple[str, dict[str, Any]]]:
    """(path, record) of every file of `kb`, by path, as a sync would store them, read straight
    from the files: for a command that reads the map once and has no index to bring up to
    date (`load.load_once`)."""
    recover_pending_edit(kb)
    on_disk, _, problems = scan(kb)
    paths = list(on_disk)
    jobs = [(path, "") for path in paths if path not in problems]
    return sorted((path, record) for path, _, record in _found(kb, paths, problems, jobs))


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _search_row(rowid: int, path: str, record: dict[str, Any]) -> tuple[Any, ...]:
    """A topic's row of the full-text table."""
    meta = record["meta"]
    aliases = [a for a in _list(meta.get("aliases")) if isinstance(a, str)]
    refs = " ".join(
        _text(r.get("title")) + " " + _text(r.get("url"))
        for r in _list(meta.get("references"))
        if isinstance(r, dict)
    )
    paper = meta.get("paper")
    if isinstance(paper, dict):
        refs += " " + _text(paper.get("title"))
    title, essence = _text(meta.get("title")), _text(meta.get("essence"))
    return (rowid, path, record["id"], title, " ".join(aliases), essence, record["body"], refs)


class _Rows:
    """Rows for the derived tables, gathered during a sync and written with one executemany
    per table (per-file statements cost more than the FTS work itself on a first build)."""

    def __init__(self, *, search: bool = True) -> None:
        self.with_search = search
        self.files: list[tuple[Any, ...]] = []
        self.topics: list[tuple[Any, ...]] = []
        self.names: list[tuple[Any, ...]] = []
        self.relations: list[tuple[Any, ...]] = []
        self.search: list[tuple[Any, ...]] = []

    def add_topic(self, rowid: int, path: str, record: dict[str, Any]) -> None:
        meta = record["meta"]
        topic_id = record["id"]
        title = _text(meta.get("title"))
        essence = _text(meta.get("essence"))
        self.topics.append(
            (path, topic_id, record["parent"], title, as_int(meta.get("order")), essence)
        )
        names = {(name_key(name), how) for how, name in record_names(topic_id, meta)}
        self.names.extend((key, topic_id, path, kind) for key, kind in names if key)
        self.relations.extend(
            (path, topic_id, kind, target)
            for kind in LINK_KEYS
            for target in _list(meta.get(kind))
            if isinstance(target, str)
        )
        if self.with_search:
            self.search.append(_search_row(rowid, path, record))

    def write(self, db: sqlite3.Connection) -> None:
        db.executemany(
            "INSERT INTO files (id, path, size, mtime_ns, digest, kind, record, broken) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self.files,
        )
        db.executemany("INSERT INTO topics VALUES (?, ?, ?, ?, ?, ?)", self.topics)
        db.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", self.names)
        db.executemany("INSERT INTO relations VALUES (?, ?, ?, ?)", self.relations)
        db.executemany(
            "INSERT INTO search (rowid, path, id, title, aliases, essence, body, refs) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self.search,
        )


class Index:
    def __init__(self, kb: Path, db_path: Path | None = None) -> None:
        self.kb = kb
        self.db_path = db_path or index_path(kb)
        self.in_memory = False  # True when the cache file could not be used
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        """The cache file; a corrupt one is discarded and rebuilt; when the cache cannot be
        written at all (a full disk, a read-only home), an in-memory cache for this command."""
        try:
            return self._open_file()
        except sqlite3.DatabaseError:
            try:
                self._discard()
                return self._open_file()
            except (sqlite3.DatabaseError, OSError):
                return self._memory()
        except OSError:
            return self._memory()

    def _open_file(self) -> sqlite3.Connection:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # A cache: WAL with synchronous=NORMAL stays consistent on a crash and skips an
            # fsync per commit (a lost last commit is re-read from the files next time).
            db.execute("PRAGMA synchronous=NORMAL")
            if not self._has_meta(db):
                # A new cache, or one another `fomo` process is creating right now: create it
                # under the write lock (`_create` checks again), never unlink it, which broke
                # that other process ("database disk image is malformed").
                self._create(db)
            version = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if version is None or int(version[0]) != SCHEMA_VERSION:  # an older FOMO's cache
                db.close()
                self._discard()
                db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                self._create(db)
        except BaseException:
            db.close()
            raise
        return db

    def _memory(self) -> sqlite3.Connection:
        self.in_memory = True
        db = sqlite3.connect(":memory:", isolation_level=None)
        self._create(db)
        return db

    @staticmethod
    def _has_meta(db: sqlite3.Connection) -> bool:
        row = db.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone()
        return row is not None

    def _discard(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        if not Index._has_meta(db):
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """One view of the cache for several reads: another `fomo` process may sync between
        them (WAL lets it commit meanwhile), and a caller that reads the records, then builds
        the tree, must see both from the same moment."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("COMMIT")

    # -- keeping it fresh -------------------------------------------------------------------

    def sync(self) -> SyncStats:
        """Bring the cache up to date with the files on disk. When the cache file cannot be
        written (SQLite's "database or disk is full", a read-only cache folder), this command
        carries on with an in-memory cache: slower, never wrong, and never a traceback."""
        try:
            return self._sync()
        except sqlite3.OperationalError:
            if self.in_memory:
                raise
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = self._memory()
            return self._sync()

    def _sync(self) -> SyncStats:
        on_disk, dirs, problems = scan(self.kb)
        fingerprint = _fingerprint(on_disk, dirs) if not problems else ""
        row = self.db.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
        if fingerprint and row is not None and row[0] == fingerprint:
            return SyncStats(len(on_disk), 0, 0)
        parsed = 0
        # What the cache holds is read inside the write lock: another `fomo` process may have
        # synced while this one waited for it (reading before made both insert the same paths).
        self.db.execute("BEGIN IMMEDIATE")
        try:
            previous, known_dirs = self._last_scan()
            stale = [p for p, stamp in on_disk.items() if previous.get(p) != stamp]
            removed = [p for p in previous if p not in on_disk]
            if not stale and not removed and known_dirs == dirs:
                self._remember_scan(fingerprint, on_disk, dirs)
                self.db.execute("COMMIT")
                return SyncStats(len(on_disk), 0, 0)
            known = self._digests(stale)
            for path in removed:
                self._forget(path)
            jobs = [(path, known.get(path, "")) for path in stale if path not in problems]
            lazy = self._search_deferred() or (not previous and len(jobs) >= LAZY_SEARCH_FROM)
            rows = _Rows(search=not lazy)
            next_id = self.db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM files").fetchone()[0]
            for path, digest, record in _found(self.kb, stale, problems, jobs):
                if not digest:  # unreadable: read again next time, whatever its stamp
                    on_disk[path] = PROBLEM_STAMP
                    fingerprint = ""
                size, mtime = on_disk[path]
                if record is None:
                    self.db.execute(
                        "UPDATE files SET size=?, mtime_ns=? WHERE path=?", (size, mtime, path)
                    )
                    continue
                parsed += 1
                if path in known:
                    self._forget(path)
                broken = int(bool(record["error"]))
                rows.files.append(
                    (next_id, path, size, mtime, digest, record["kind"], json.dumps(record), broken)
                )
                if record["kind"] == "topic":
                    rows.add_topic(next_id, path, record)
                next_id += 1
            rows.write(self.db)
            if known_dirs != dirs:
                self.db.execute("DELETE FROM dirs")
                self.db.executemany("INSERT INTO dirs VALUES (?)", [(d,) for d in dirs])
            self._remember_scan(fingerprint, on_disk, dirs)
            if lazy:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('search', 'deferred')")
            self.db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # the cause matters, not a failed rollback
                self.db.execute("ROLLBACK")
            raise
        return SyncStats(len(on_disk), parsed, len(removed))

    def _search_deferred(self) -> bool:
        row = self.db.execute("SELECT value FROM meta WHERE key='search'").fetchone()
        return row is not None and row[0] == "deferred"

    def _fill_search(self) -> None:
        """Fill the full-text table a big first sync left empty, from the records it holds."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if self._search_deferred():  # another process may have filled it meanwhile
                rows = self.db.execute("SELECT id, path, record FROM files WHERE kind='topic'")
                self.db.executemany(
                    "INSERT INTO search (rowid, path, id, title, aliases, essence, body, refs) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [_search_row(rowid, path, json.loads(text)) for rowid, path, text in rows],
                )
                self.db.execute("DELETE FROM meta WHERE key='search'")
            self.db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise

    def _last_scan(self) -> tuple[dict[str, tuple[int, int]], list[str]]:
        """The stamps and folders the cache was last brought up to date with. Kept as one
        marshalled value: loading it costs a few milliseconds, reading 10,000 rows does not."""
        row = self.db.execute("SELECT value FROM meta WHERE key='scan'").fetchone()
        if row is not None:
            try:
                files, dirs = marshal.loads(row[0])
                return files, dirs
            except (EOFError, ValueError, TypeError):
                pass
        files = {p: (s, m) for p, s, m in self.db.execute("SELECT path, size, mtime_ns FROM files")}
        return files, [row[0] for row in self.db.execute("SELECT path FROM dirs")]

    def _remember_scan(
        self, fingerprint: str, files: dict[str, tuple[int, int]], dirs: list[str]
    ) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [("fingerprint", fingerprint), ("scan", marshal.dumps((files, dirs)))],
        )

    def _digests(self, paths: list[str]) -> dict[str, str]:
        """Content hashes the cache holds for these paths (all of them when there are many)."""
        if len(paths) > 50:
            return dict(self.db.execute("SELECT path, digest FROM files"))
        found: dict[str, str] = {}
        for path in paths:
            row = self.db.execute("SELECT digest FROM files WHERE path=?", (path,)).fetchone()
            if row is not None:
                found[path] = row[0]
        return found

    def _forget(self, path: str) -> None:
        row = self.db.execute("SELECT id FROM files WHERE path=?", (path,)).fetchone()
        if row is not None:
            self.db.execute("DELETE FROM search WHERE rowid=?", (row[0],))
        for table in ("topics", "names", "relations", "files"):
            self.db.execute(f"DELETE FROM {table} WHERE path=?", (path,))

    # -- reading ------------------------------------------------------------------------------

    def records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for path, record in self.db.execute("SELECT path, record FROM files ORDER BY path"):
            yield path, json.loads(record)

    def encoded_records(self) -> Iterator[tuple[str, str, str, str]]:
        """(path, content hash, kind, record as JSON) of every file, by path: a caller that
        kept what it decoded before decodes only the records whose hash changed."""
        yield from self.db.execute("SELECT path, digest, kind, record FROM files ORDER BY path")

    def mtimes(self) -> dict[str, int]:
        """Each file's modification time (ns): which of two colliding files came later."""
        return dict(self.db.execute("SELECT path, mtime_ns FROM files"))

    def first_unreadable(self) -> tuple[str, dict[str, Any]] | None:
        """A file that could not be parsed at all, if any (by path order)."""
        row = self.db.execute(
            "SELECT path, record FROM files WHERE broken=1 AND kind!='' ORDER BY path LIMIT 1"
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def records_of_kind(self, kinds: tuple[str, ...]) -> Iterator[tuple[str, dict[str, Any]]]:
        marks = ",".join("?" * len(kinds))
        rows = self.db.execute(
            f"SELECT path, record FROM files WHERE kind IN ({marks}) ORDER BY path", kinds
        )
        for path, record in rows:
            yield path, json.loads(record)

    def record(self, path: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT record FROM files WHERE path=?", (path,)).fetchone()
        return json.loads(row[0]) if row else None

    def dirs(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT path FROM dirs ORDER BY path")]

    def outline(self) -> list[OutlineRow]:
        return self._rows("")

    def outline_of(self, where: str, values: tuple[Any, ...]) -> list[OutlineRow]:
        """Outline rows matching an SQL condition over the topics table."""
        return self._rows(f" WHERE {where}", values)

    def _rows(self, condition: str, values: tuple[Any, ...] = ()) -> list[OutlineRow]:
        sql = "SELECT id, parent, title, ord, path FROM topics" + condition
        return [OutlineRow(*row) for row in self.db.execute(sql, values)]

    def ids_for_key(self, key: str) -> list[tuple[str, str]]:
        """(topic id, how it matched) for a name key, ids first, then titles, then aliases."""
        rows = self.db.execute(
            "SELECT DISTINCT id, kind FROM names WHERE key=? ORDER BY "
            "CASE kind WHEN 'id' THEN 0 WHEN 'title' THEN 1 ELSE 2 END",
            (key,),
        )
        seen: dict[str, str] = {}
        for topic_id, kind in rows:
            seen.setdefault(topic_id, kind)
        return list(seen.items())

    def incoming(self, topic_id: str) -> list[tuple[str, str]]:
        """(kind, source id) of every relation that points at this topic."""
        rows = self.db.execute(
            "SELECT kind, source FROM relations WHERE target=? ORDER BY kind, source", (topic_id,)
        )
        return list(rows)

    def topic_summary(self, topic_id: str) -> tuple[str, str, str] | None:
        """(title, essence, file) of a topic, straight from the search table."""
        row = self.db.execute(
            "SELECT title, essence, path FROM topics WHERE id=? LIMIT 1", (topic_id,)
        ).fetchone()
        return tuple(row) if row else None

    def all_names(self) -> list[tuple[str, str]]:
        return list(self.db.execute("SELECT key, id FROM names"))

    def search(self, expression: str, limit: int) -> list[tuple[str, float]]:
        if self._search_deferred():
            self._fill_search()
        rows = self.db.execute(
            "SELECT id, bm25(search, 0, 0, 10.0, 8.0, 4.0, 1.0, 2.0) AS rank FROM search "
            "WHERE search MATCH ? ORDER BY rank LIMIT ?",
            (expression, limit),
        )
        return [(topic_id, -rank) for topic_id, rank in rows]


def open_index(kb: Path) -> Index:
    """An index brought up to date with the files of `kb` (after `recover_pending_edit`)."""
    recover_pending_edit(kb)
    index = Index(kb)
    index.sync()
    return index


def recover_pending_edit(kb: Path) -> None:
    """Roll back an edit that a killed process left half done, when the knowledge base can be
    written and no live edit holds the lock."""
    if edit_pending(kb):
        from fomo.errors import FomoError
        from fomo.kb.edit import recover

        with contextlib.suppress(FomoError):
            recover(kb, wait=False)
