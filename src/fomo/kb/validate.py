"""`fomo check`: every problem in a knowledge base as a finding with a stable code, the file and
line, what is wrong and how to fix it. Works on raw records so that wrong types and typos in keys
are judged as written, then on the built tree for ids, relations and cycles.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fomo.kb import schema
from fomo.kb.fields import (
    Finding,
    Report,
    check_fields,
    check_keys,
    check_released,
    check_url,
)
from fomo.kb.load import Loaded, build
from fomo.kb.location import MAP_DIR, inside
from fomo.kb.names import NAME_KINDS, make_id, name_key, record_names
from fomo.kb.schema import EARLIEST_YEAR, is_int
from fomo.model import REFERENCE_KINDS, KnowledgeBase

ESSENCE_LIMIT = 200
# Essences written by importers and `ingest --apply` until a person writes one; `check` flags them.
ESSENCE_PLACEHOLDER = "TODO:"
TOPIC_KEYS = schema.order(schema.TOPIC)
SESSION_KEYS = schema.order(schema.SESSION)
PART_KEYS = schema.order(schema.PART)
ARTICLE_KEYS = schema.order(schema.ARTICLE)
# Of two files claiming one name, the one modified this much later (ns) is the newcomer blamed.
NEWER_BY = 60 * 10**9
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _check_topic(report: Report, path: str, record: dict[str, Any], this_year: int) -> None:
    meta, lines = record["meta"], record["lines"]
    line = lines.get
    if not ID_PATTERN.match(record["id"]):
        report.add(
            "bad-id",
            path,
            1,
            f"id '{record['id']}' is not lowercase kebab-case",
            f"rename the file or folder to '{make_id(record['id'])}'",
        )
    check_keys(report, path, meta, lines, TOPIC_KEYS)
    check_fields(report, path, schema.TOPIC, meta, lambda key: line(key, 1), "")
    essence = meta.get("essence")
    if isinstance(essence, str):
        if len(essence) > ESSENCE_LIMIT:
            report.add(
                "essence-too-long",
                path,
                line("essence", 1),
                f"essence is {len(essence)} characters, over the limit of {ESSENCE_LIMIT}",
                "say what it is and why it exists in one short sentence; move detail to the body",
            )
        if essence.strip().startswith(ESSENCE_PLACEHOLDER):
            report.add(
                "essence-placeholder",
                path,
                line("essence", 1),
                "essence is still a placeholder",
                "write one sentence in your own words: what it is and why it exists",
            )
    year = meta.get("year")
    if year is not None and is_int(year) and not EARLIEST_YEAR <= year <= this_year + 1:
        report.add(
            "bad-year",
            path,
            line("year", 1),
            f"year {year!r} is not plausible",
            f"use a four-digit year between {EARLIEST_YEAR} and {this_year + 1}, or leave it out",
        )
    check_released(report, path, meta, line("released", 1), this_year)
    paper = meta.get("paper")
    if paper is not None:
        if not isinstance(paper, dict) or not isinstance(paper.get("title"), str):
            report.add(
                "bad-type",
                path,
                line("paper", 1),
                "'paper' must have a title",
                'write paper: {title: "...", year: 2023}',
            )
        elif paper.get("url") is not None:
            check_url(report, path, line("paper", 1), paper.get("url"), "paper")
    references = meta.get("references")
    if references is not None and not isinstance(references, list):
        report.add(
            "bad-type",
            path,
            line("references", 1),
            "'references' must be a list",
            "write references: as a list of {title, url, kind}",
        )
    for reference in references if isinstance(references, list) else []:
        start = line("references", 1)
        if not isinstance(reference, dict):
            report.add(
                "bad-type",
                path,
                start,
                "a reference must be {title, url, kind}",
                "write - {title: ..., url: https://..., kind: docs}",
            )
            continue
        at = report.line_of(path, str(reference.get("url") or reference.get("title")), start)
        check_url(report, path, at, reference.get("url"), "reference")
        kind = reference.get("kind")
        if kind is not None and kind not in REFERENCE_KINDS:
            report.add(
                "bad-reference-kind",
                path,
                at,
                f"reference kind {kind!r} is unknown",
                "use one of: " + ", ".join(REFERENCE_KINDS),
            )


def _check_tree(
    report: Report,
    records: list[tuple[str, dict[str, Any]]],
    kb: KnowledgeBase,
    dirs: list[str],
    broken: set[str],
    mtimes: dict[str, int],
) -> None:
    """Ids, names, relations, links, cycles and folders across the tree. Ids in `broken` are
    topics whose files did not load: their own finding says so, and links to them are not
    reported again (one broken file, one finding)."""
    by_id: dict[str, list[str]] = defaultdict(list)
    for path, record in records:
        by_id[record["id"]].append(path)
    for topic_id, paths in by_id.items():
        for path in paths[1:]:
            report.add(
                "duplicate-id",
                path,
                1,
                f"id '{topic_id}' is also used by {paths[0]}",
                "ids are unique across the whole map: rename one of the files or folders",
            )
    lines_of = {path: record["lines"] for path, record in records}
    claims: dict[str, list[tuple[int, int, str, str, str, str]]] = defaultdict(list)
    for path, record in records:
        for kind, name in record_names(record["id"], record["meta"]):
            key = name_key(name)
            if key and all(c[4] != record["id"] for c in claims[key]):
                age = mtimes.get(path, 0) // NEWER_BY
                claims[key].append((age, NAME_KINDS.index(kind), kind, name, record["id"], path))
    for contenders in claims.values():
        if len(contenders) < 2:
            continue
        contenders.sort()  # the older file keeps the name; then id before title before alias
        _, _, owner_kind, owner_name, owner_id, _ = contenders[0]
        for _, _, kind, name, _topic_id, path in contenders[1:]:
            lines = lines_of[path]
            at = report.line_of(path, name, lines.get("aliases", 1)) if kind == "alias" else 1
            at = lines.get("title", 1) if kind == "title" else at
            report.add(
                "name-collision",
                path,
                at,
                f"{kind} '{name}' reads the same as {owner_kind} '{owner_name}' of '{owner_id}'",
                f"each id, title and alias must name one topic: change this {kind}",
            )
    for topic in kb.topics.values():
        path = topic.source.file
        lines = lines_of[path]
        for key in ("builds_on", "alternative_to", "related", "also_under"):
            for target in getattr(topic, key):
                if target in kb or target in broken:
                    continue
                close = difflib.get_close_matches(target, list(kb.topics), n=1, cutoff=0.75)
                report.add(
                    "unknown-relation",
                    path,
                    report.line_of(path, target, lines.get(key, 1)),
                    f"{key} names '{target}', which is no topic",
                    f"did you mean '{close[0]}'?" if close else "use an existing topic id",
                )
    bodies = {path: record for path, record in records}
    for topic in kb.topics.values():
        path = topic.source.file
        if topic.id in topic.also_under or (topic.parent and topic.parent in topic.also_under):
            report.add(
                "bad-also-under",
                path,
                lines_of[path].get("also_under", 1),
                "also_under names the topic itself or its own parent",
                "also_under lists other, secondary parents; drop this one",
            )
        record = bodies[path]
        _check_links(report, path, record["body"], record.get("body_line", 1), kb, broken)
    _check_cycles(report, kb)
    have_index = {p.rsplit("/", 1)[0] for p in mtimes if p.endswith("/index.md")}
    for folder in dirs:
        if folder.startswith(MAP_DIR) and folder not in have_index:
            report.add(
                "folder-without-index",
                folder,
                1,
                "folder has no index.md",
                f"add {folder}/index.md with a title and essence for this branch",
            )


_LINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|[^\[\]\n]*)?\]\]")
_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]*`", re.MULTILINE | re.DOTALL)
_OPENING = re.compile(r"\[\[")


def _check_links(
    report: Report,
    path: str,
    body: str,
    first_line: int,
    kb: KnowledgeBase,
    broken: Iterable[str] = (),
) -> None:
    """`[[id]]` links in a body must name topics, and every `[[` must close on its line (a link
    broken across lines renders as its raw text); code blocks and spans are not links."""
    text = _CODE.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    for found in _OPENING.finditer(_LINK.sub(lambda m: " " * len(m.group(0)), text)):
        report.add(
            "unclosed-link",
            path,
            first_line + text.count("\n", 0, found.start()),
            "`[[` opens a topic link that does not close on its line",
            "write [[id]] or [[id|text]] on one line; for literal brackets use `code`",
        )
    for found in _LINK.finditer(text):
        target = found.group(1).strip()
        if target in kb or target in broken:
            continue
        close = difflib.get_close_matches(target, list(kb.topics), n=1, cutoff=0.75)
        report.add(
            "unknown-link",
            path,
            first_line + text.count("\n", 0, found.start()),
            f"[[{target}]] links to no topic",
            f"did you mean [[{close[0]}]]?" if close else "use a topic id from `fomo tree`",
        )


def _check_cycles(report: Report, kb: KnowledgeBase) -> None:
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()

    def visit(start: str) -> None:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            if state.get(node) == 2:
                continue
            state[node] = 1
            topic = kb.topics[node]
            for target in topic.builds_on:
                if target not in kb:
                    continue
                if target in trail:
                    cycle = trail[trail.index(target) :]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        path = topic.source.file
                        report.add(
                            "builds-on-cycle",
                            path,
                            report.line_of(path, target, 1),
                            "builds_on goes round in a circle: " + " -> ".join([*cycle, target]),
                            "a topic cannot build on itself, even indirectly: drop one link",
                        )
                elif state.get(target) != 2:
                    stack.append((target, [*trail, target]))
            state[node] = 2

    for topic_id in kb.topics:
        if topic_id not in state:
            visit(topic_id)


def _check_ids_exist(
    report: Report, path: str, at: int, value: Any, kb: KnowledgeBase, what: str, known: set[str]
) -> None:
    """Each string in a `topics` list must name a topic (other items are bad-type already);
    ids of topic files that did not load are left to those files' own findings."""
    for topic_id in value if isinstance(value, list) else []:
        if not isinstance(topic_id, str) or topic_id in kb or topic_id in known:
            continue
        close = difflib.get_close_matches(topic_id, list(kb.topics), n=1)
        report.add(
            "unknown-topic",
            path,
            report.line_of(path, topic_id, at),
            f"{what} names topic '{topic_id}', which does not exist",
            f"did you mean '{close[0]}'?" if close else "use an id from `fomo tree`",
        )


def _check_article(
    report: Report, path: str, record: dict[str, Any], kb: KnowledgeBase, known: set[str]
) -> None:
    meta, lines = record["meta"], record["lines"]
    check_keys(report, path, meta, lines, ARTICLE_KEYS)
    check_fields(report, path, schema.ARTICLE, meta, lambda key: lines.get(key, 1), "")
    _check_links(report, path, record["body"], record.get("body_line", 1), kb, known)
    _check_ids_exist(report, path, 1, meta.get("topics"), kb, "article", known)
    from fomo.kb.articles import link_problems  # it imports kb.edit, which imports us

    body, first = record["body"], record.get("body_line", 1)
    for code, line, message, hint in link_problems(report.root, kb, path, body, first):
        report.add(code, path, line, message, hint)


def _check_part(
    report: Report,
    path: str,
    part: dict[str, Any],
    start: int,
    root: Path,
    kb: KnowledgeBase,
    known: set[str],
) -> None:
    folder = path.rsplit("/", 1)[0]
    title = part.get("title") if isinstance(part.get("title"), str) else None
    at = report.line_of(path, str(title or part.get("number")), start)
    for key in part:
        if key not in PART_KEYS:
            close = difflib.get_close_matches(str(key), PART_KEYS, n=1, cutoff=0.6)
            report.add(
                "unknown-key",
                path,
                report.line_of(path, str(key), at),
                f"unknown part key '{key}'",
                f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(PART_KEYS),
            )
    check_fields(report, path, schema.PART, part, lambda key: report.line_of(path, key, at), "part")
    _check_ids_exist(report, path, at, part.get("topics"), kb, "part", known)
    article = part.get("article")
    from fomo.kb.articles import plain_file_name  # it imports kb.edit, which imports us

    if isinstance(article, str) and (
        not plain_file_name(article) or not inside(root, f"{folder}/{article}")
    ):
        report.add(
            "bad-article",
            path,
            report.line_of(path, article, at),
            f"part's article '{article}' is not a file of {folder}/ (a folder, '..', a hidden "
            "name, or a link that leads out of the knowledge base)",
            "put the article in the session's folder and give its file name alone",
        )
    elif isinstance(article, str) and not (root / folder / article).is_file():
        report.add(
            "missing-article",
            path,
            report.line_of(path, article, at),
            f"part names article '{article}', which is not in {folder}/",
            "create the file (`fomo new-article`) or fix the name",
        )
    elif isinstance(article, str) and article.endswith(".ipynb"):
        from fomo.kb.articles import notebook_problems

        for code, line, message, hint in notebook_problems(root, kb, f"{folder}/{article}"):
            report.add(code, f"{folder}/{article}", line, message, hint)


def _check_sessions(
    report: Report,
    records: list[tuple[str, dict[str, Any]]],
    kb: KnowledgeBase,
    root: Path,
    known: set[str],
) -> None:
    for path, record in records:
        meta, lines = record["meta"], record["lines"]
        if record["kind"] == "article":
            _check_article(report, path, record, kb, known)
            continue
        if record["kind"] != "session":
            continue
        check_keys(report, path, meta, lines, SESSION_KEYS)
        check_fields(report, path, schema.SESSION, meta, lambda k, at=lines: at.get(k, 1), "")
        parts = meta.get("parts")
        if parts is not None and not isinstance(parts, list):
            report.add(
                "bad-type",
                path,
                lines.get("parts", 1),
                "'parts' must be a list",
                "write parts: as a list of {number, title, topics, status}",
            )
            continue
        for part in parts or []:
            start = lines.get("parts", 1)
            if not isinstance(part, dict):
                report.add(
                    "bad-type",
                    path,
                    start,
                    "a part must be a mapping",
                    "write - {number: 1, title: ..., topics: [...]}",
                )
                continue
            _check_part(report, path, part, start, root, kb, known)


def check_topic_record(path: str, record: dict[str, Any], root: Path) -> list[Finding]:
    """The per-file findings of one parsed topic (the edit layer vets a file before writing)."""
    report = Report(root)
    _check_topic(report, path, record, dt.date.today().year)
    return report.findings


def check(loaded: Loaded, today: dt.date | None = None) -> list[Finding]:
    """All findings for a loaded knowledge base, ordered by file and line."""
    report = Report(loaded.root)
    this_year = (today or dt.date.today()).year
    with loaded.index.snapshot():  # one view, whatever another process syncs meanwhile
        records = list(loaded.index.records())
        kb = build(loaded.index, strict=False)
        mtimes = loaded.index.mtimes()
        dirs = loaded.index.dirs()
    readable = []
    for path, record in records:
        error = record.get("error")
        if error:
            report.add(error["code"], path, error["line"], error["message"], error["hint"])
        elif record["kind"]:
            readable.append((path, record))
    for path, record in readable:
        for key, line in record.get("repeated", {}).items():
            report.add(
                "duplicate-key",
                path,
                line,
                f"key '{key}' is written twice (first on line {record['lines'][key]}); "
                "only the last one counts",
                f"keep one '{key}:' line and merge the values into it",
            )
    topic_records = [(p, r) for p, r in readable if r["kind"] == "topic"]
    for path, record in topic_records:
        _check_topic(report, path, record, this_year)
    broken = {str(r["id"]) for _, r in records if r.get("error") and r.get("kind") == "topic"}
    _check_tree(report, topic_records, kb, dirs, broken, mtimes)
    _check_sessions(report, readable, kb, loaded.root, broken)
    return sorted(report.findings, key=lambda f: (f.file, f.line, f.code))
