"""Freshness of the map: what is stale, what changed since a date, what appeared since a month,
and topics by year.

Two clocks: the map's own (`added` / `reviewed`, and inside a git work tree `git log`, which
catches edits nobody dated) says what changed in the map; the reader's (`released: YYYY-MM`,
else `year`) says when the thing itself appeared, which is how "what's new" and the timeline
are ordered.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from fomo.errors import FomoError
from fomo.kb.location import MAP_DIR
from fomo.kb.records import topic_place
from fomo.model import KnowledgeBase, Topic

DEFAULT_AGE = dt.timedelta(days=180)
_AGE = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$")
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}
_MONTH_ARG = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


MAX_AGE_DAYS = 100 * 366


def parse_age(text: str) -> dt.timedelta:
    """'180d', '6m', '2w', '1y' (or plain days) -> a timedelta."""
    match = _AGE.match(text.lower())
    if not match:
        raise FomoError(
            f"cannot read the age {text!r}",
            hint="write a number with d (days), w (weeks), m (months) or y (years), e.g. 180d",
        )
    days = int(match.group(1)) * _UNIT_DAYS[match.group(2)]
    if days > MAX_AGE_DAYS:
        raise FomoError(
            f"the age {text!r} reaches back before any LLM",
            hint="use at most 100y, e.g. --older-than 180d",
        )
    return dt.timedelta(days=days)


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """An ISO date, or an age back from today ('7d', '1m')."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        return (today or dt.date.today()) - parse_age(text)
    except FomoError:
        raise FomoError(
            f"cannot read the date {text!r}", hint="write YYYY-MM-DD or an age such as 7d"
        ) from None


@dataclass
class StaleTopic:
    id: str
    title: str
    reviewed: str | None
    days: int | None  # since last review; None when never reviewed
    file: str


@dataclass
class QuietBranch:
    id: str
    title: str
    last_added: str | None
    days: int | None


@dataclass
class Unpromoted:
    id: str
    title: str
    added: str | None
    days: int | None
    file: str


@dataclass
class Staleness:
    older_than_days: int
    today: str
    topics: list[StaleTopic] = field(default_factory=list)
    branches: list[QuietBranch] = field(default_factory=list)
    emerging: list[Unpromoted] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def empty(self) -> bool:
        return not (self.topics or self.branches or self.emerging)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def stale(
    kb: KnowledgeBase, older_than: dt.timedelta = DEFAULT_AGE, today: dt.date | None = None
) -> Staleness:
    today = today or dt.date.today()
    cutoff = today - older_than
    report = Staleness(older_than.days, today.isoformat())
    for topic in kb.walk():
        reviewed = topic.reviewed
        if reviewed is None or reviewed < cutoff:
            report.topics.append(
                StaleTopic(
                    topic.id,
                    topic.title,
                    _iso(reviewed),
                    (today - reviewed).days if reviewed else None,
                    topic.source.file,
                )
            )
        if topic.status == "emerging" and (topic.added is None or topic.added < cutoff):
            report.emerging.append(
                Unpromoted(
                    topic.id,
                    topic.title,
                    _iso(topic.added),
                    (today - topic.added).days if topic.added else None,
                    topic.source.file,
                )
            )
    root = kb.root
    for branch in kb.children(root.id) if root is not None else []:
        dates = [t.added for t in kb.subtree(branch.id) if t.added]
        last = max(dates) if dates else None
        if last is None or last < cutoff:
            report.branches.append(
                QuietBranch(
                    branch.id, branch.title, _iso(last), (today - last).days if last else None
                )
            )
    report.topics.sort(key=lambda s: (s.reviewed or "", s.id))
    return report


@dataclass
class Event:
    """One thing that happened to the map: kind is added, reviewed, or a git change
    (created, modified, renamed, deleted)."""

    date: str
    kind: str
    id: str
    title: str
    file: str
    branch: str | None = None
    detail: str = ""


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def git_events(root: Path, since: dt.date) -> list[tuple[str, str, str, str]] | None:
    """(date, status letter, map path relative to the kb, old path) from `git log` since a
    date; None outside a git work tree."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    prefix = _git(root, "rev-parse", "--show-prefix")
    prefix = (prefix or "").strip()
    log = _git(
        root,
        "log",
        f"--since={since.isoformat()} 00:00",
        "--name-status",
        "-M",
        "--format=@%cs",
        "--",
        MAP_DIR,
    )
    if log is None:
        return []
    found = []
    date = ""
    for line in log.splitlines():
        if line.startswith("@"):
            date = line[1:].strip()
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        status = fields[0][:1]
        path, old = fields[-1], fields[1] if len(fields) == 3 else ""
        path = path[len(prefix) :] if path.startswith(prefix) else path
        old = old[len(prefix) :] if old.startswith(prefix) else old
        if path.endswith(".md"):
            found.append((date, status, path, old))
    return found


_GIT_KINDS = {"A": "created", "M": "modified", "R": "renamed", "D": "deleted", "C": "created"}


def changes(
    kb: KnowledgeBase, since: dt.date, root: Path | None = None, use_git: bool = True
) -> list[Event]:
    """Everything added, reviewed or (from git) changed on or after `since`, newest first."""
    events: list[Event] = []

    def branch_title(topic_id: str) -> str | None:
        branch = kb.branch_of(topic_id) if topic_id in kb else None
        return branch.title if branch else None

    seen: set[tuple[str, str]] = set()
    for topic in kb.walk():
        if topic.added and topic.added >= since:
            events.append(
                Event(
                    topic.added.isoformat(),
                    "added",
                    topic.id,
                    topic.title,
                    topic.source.file,
                    branch_title(topic.id),
                )
            )
            seen.add((topic.id, topic.added.isoformat()))
        if topic.reviewed and topic.reviewed >= since and topic.reviewed != topic.added:
            events.append(
                Event(
                    topic.reviewed.isoformat(),
                    "reviewed",
                    topic.id,
                    topic.title,
                    topic.source.file,
                    branch_title(topic.id),
                )
            )
    if use_git and root is not None:
        by_day: dict[tuple[str, str], Event] = {}
        for date, status, path, old in git_events(root, since) or []:
            topic_id, _ = topic_place(path, {"title": ""})
            if path == f"{MAP_DIR}/index.md" and kb.root is not None:
                topic_id = kb.root.id
            topic = kb.get(topic_id)
            kind = _GIT_KINDS.get(status, "modified")
            if kind == "created" and (topic_id, date) in seen:
                continue
            key = (topic_id, date)
            detail = f"from {old}" if old else ""
            if key in by_day:
                continue
            by_day[key] = Event(
                date,
                kind,
                topic_id,
                topic.title if topic else topic_id,
                path,
                branch_title(topic_id),
                detail,
            )
        events += by_day.values()
    events.sort(key=lambda e: e.date, reverse=True)  # stable: map order within a day
    return events


def digest_markdown(events: list[Event], since: dt.date, title: str = "LLM map") -> str:
    """The Markdown digest: "New in the LLM map since ...", grouped by what happened."""
    lines = [f"# New in the {title} since {since.isoformat()}", ""]
    if not events:
        return "\n".join([*lines, "Nothing new.", ""])
    groups = (
        ("added", "New topics"),
        ("created", "New files"),
        ("modified", "Changed"),
        ("renamed", "Moved"),
        ("deleted", "Removed"),
        ("reviewed", "Reviewed"),
    )
    for kind, heading in groups:
        chosen = [e for e in events if e.kind == kind]
        if not chosen:
            continue
        lines += [f"## {heading}", ""]
        for event in chosen:
            where = f" ({event.branch})" if event.branch else ""
            detail = f", {event.detail}" if event.detail else ""
            title = _md_escape(event.title)
            lines.append(f"- **{title}** `{event.id}`{where}, {event.date}{detail}")
        lines.append("")
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def parse_month(text: str) -> tuple[int, int]:
    """'2026-06' -> (2026, 6); a bare year '2026' means its January."""
    match = _MONTH_ARG.match(text.strip())
    month = int(match.group(2) or 1) if match else 0
    if not match or not 1 <= month <= 12:
        raise FomoError(
            f"cannot read the month {text!r}",
            hint="write YYYY-MM (e.g. 2026-06) or a year (2026)",
        )
    return int(match.group(1)), month


def appeared(topic: Topic) -> tuple[int, int | None] | None:
    """When the thing appeared: (year, month) from `released`, (year, None) from `year` alone,
    None when the map does not say."""
    if topic.released:
        return int(topic.released[:4]), int(topic.released[5:7])
    if topic.year is not None:
        return topic.year, None
    return None


def appeared_label(topic: Topic) -> str:
    """'2026-06', '2026', or '' when unknown."""
    return topic.released or (str(topic.year) if topic.year is not None else "")


def _newest_key(topic: Topic) -> tuple[int, bool, int, str]:
    year, month = appeared(topic) or (0, None)
    return -year, month is None, -(month or 0), topic.title.casefold()


def newest_first(topics: Iterable[Topic]) -> list[Topic]:
    """Topics that have a date of appearance, newest first: within a year the dated months
    (newest first), then those known only by year; ties by title."""
    return sorted((t for t in topics if appeared(t) is not None), key=_newest_key)


def within_year(topics: Iterable[Topic]) -> list[Topic]:
    """The topics of one year in the order they appeared: dated months first (oldest first),
    then those known only by year; ties by title."""
    return sorted(
        topics,
        key=lambda t: (t.released is None, t.released or "", t.title.casefold()),
    )


@dataclass
class Appearance:
    """A topic that appeared on or after a month: `appeared` is 'YYYY-MM' or 'YYYY'."""

    appeared: str
    id: str
    title: str
    file: str
    branch: str | None = None


def appeared_since(kb: KnowledgeBase, since: tuple[int, int]) -> tuple[list[Appearance], list[str]]:
    """Topics that appeared in or after the month `since`, newest first, and the ids of the
    topics of `since`'s year that have no month (they may be older, so they are only named).
    A topic known only by its year counts when the whole year is in range."""
    year, month = since
    chosen: list[Topic] = []
    unknown: list[str] = []
    for topic in newest_first(kb.walk()):
        when = appeared(topic) or (0, None)
        if when[1] is None:
            if when[0] > year or (when[0] == year and month == 1):
                chosen.append(topic)
            elif when[0] == year:
                unknown.append(topic.id)
        elif when >= (year, month):
            chosen.append(topic)

    def branch_title(topic_id: str) -> str | None:
        branch = kb.branch_of(topic_id)
        return branch.title if branch else None

    found = [
        Appearance(appeared_label(t), t.id, t.title, t.source.file, branch_title(t.id))
        for t in chosen
    ]
    return found, unknown


def appeared_markdown(
    found: list[Appearance], since: tuple[int, int], title: str = "LLM map"
) -> str:
    """The Markdown digest of what appeared since a month, newest first."""
    lines = [f"# Appeared since {since[0]}-{since[1]:02d} in the {title}", ""]
    if not found:
        return "\n".join([*lines, "Nothing the map knows of.", ""])
    for item in found:
        where = f" ({item.branch})" if item.branch else ""
        lines.append(f"- **{_md_escape(item.title)}** `{item.id}`{where}, {item.appeared}")
    lines.append("")
    return "\n".join(lines)


def timeline(kb: KnowledgeBase, topic_id: str | None = None) -> dict[int, list[str]]:
    """year -> ids of the topics (in the branch, or the whole map) that appeared that year,
    years oldest first, each year in the order its topics appeared (`within_year`)."""
    topics = kb.subtree(topic_id) if topic_id else list(kb.walk())
    years: dict[int, list[Topic]] = defaultdict(list)
    for topic in topics:
        when = appeared(topic)
        if when is not None:
            years[when[0]].append(topic)
    return {year: [t.id for t in within_year(years[year])] for year in sorted(years)}
