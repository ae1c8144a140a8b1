"""`fomo ingest SOURCE`: triage a feed of papers against the map; optionally add the new ones."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

from fomo.cli.style import note, paint, print_json, terminal_safe
from fomo.kb.urls import is_web_url

DEFAULT_MIN_SCORE = 0.3


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "ingest",
        parents=[common],
        help="triage a paper feed (arXiv, RSS/Atom, JSON Feed, BibTeX, list of titles or URLs)",
        description="Read an arXiv Atom feed or API answer, any RSS/Atom feed, a JSON Feed, "
        "a BibTeX file or a plain list of titles or URLs (a file, '-' for stdin, or an "
        "http(s) URL) and say for each item whether the map already knows it, where a new "
        "one would go, or that it is "
        "unrelated to LLMs. An item whose arXiv id, DOI or URL a topic already cites is known "
        "as that topic. Placement is lexical unless --method semantic (see `fomo place "
        "--help`; the feed is encoded in one batch). With --apply, "
        "accepted new items become topic files (status: emerging) whose essence is a TODO "
        "placeholder that `fomo check` flags until you write it.",
    )
    parser.add_argument("source", help="file, '-' (stdin) or http(s) URL")
    parser.add_argument(
        "--kind",
        choices=("auto", "feed", "bibtex", "text"),
        default="auto",
        help="what SOURCE holds (default: sniffed from its content)",
    )
    parser.add_argument("--top", type=int, default=3, metavar="N", help="parents per item")
    parser.add_argument(
        "--method",
        choices=("auto", "lexical", "semantic"),
        default="lexical",
        help="placement method (default lexical; auto: semantic when the extra is installed)",
    )
    parser.add_argument(
        "--format", choices=("table", "md", "json"), default="table", help="output format"
    )
    parser.add_argument("--json", action="store_true", help="same as --format json")
    parser.add_argument(
        "--timeout", type=float, default=20.0, metavar="S", help="seconds to wait for a URL"
    )
    parser.add_argument(
        "--apply", action="store_true", help="write accepted new items as topic files"
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="with --apply: accept every new item whose best parent scores at least --min-score",
    )
    parser.add_argument(
        "--min-score",
        type=float,
        default=DEFAULT_MIN_SCORE,
        metavar="S",
        help="with --apply --yes: the lowest score (the model's probability, 0-1, that it is "
        f"the parent) of the best parent to accept (default {DEFAULT_MIN_SCORE})",
    )
    parser.set_defaults(run=run)


class _Progress:
    """A one-line progress bar on standard error, only when it is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.active = total > 0 and sys.stderr.isatty()

    def __call__(self, done: int) -> None:
        if not self.active:
            return
        width = 30
        filled = int(width * done / self.total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}")
        if done >= self.total:
            sys.stderr.write("\r" + " " * (width + 20) + "\r")
        sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from fomo.cli.editing import edit_root
    from fomo.errors import FomoError
    from fomo.ingest.read import read
    from fomo.ingest.triage import triage
    from fomo.kb.load import load
    from fomo.query.place import model_for, resolve_method

    if args.top < 1:
        raise FomoError("--top must be at least 1", hint="e.g. --top 3")
    if args.timeout <= 0:
        raise FomoError("--timeout must be positive", hint="e.g. --timeout 20")
    if args.yes and not args.apply:
        raise FomoError("--yes only makes sense with --apply", hint="add --apply")
    if args.apply and not args.yes and not sys.stdin.isatty():
        raise FomoError(
            "--apply asks before each item, but standard input is not a terminal",
            hint="run it in a terminal, or pass --yes --min-score S to accept without asking",
        )
    method = resolve_method(args.method)
    fmt = "json" if args.json else args.format
    # --apply writes: the bundled map inside an installed package is refused up front.
    root = edit_root(args.kb) if args.apply else args.kb
    loaded = load(root)
    batch = read(args.source, kind=args.kind, timeout=args.timeout)
    model = model_for(loaded.kb)
    verdicts = triage(
        model, batch.items, top=args.top, method=method, progress=_Progress(len(batch.items))
    )
    for notice in batch.notices:
        note(notice)
    for problem in batch.problems:
        note(str(problem), "warning")
    written: list[str] = []
    skipped: list[Any] = []
    failure: FomoError | None = None
    if args.apply:
        try:
            written, skipped = apply(loaded.root, verdicts, args)
        except FomoError as error:
            failure = error  # nothing was written; the triage report is still worth printing
    for problem in skipped:
        note(str(problem), "warning")
    if fmt == "json":
        print_json(
            {
                "source": args.source,
                "kind": batch.kind,
                "method": method,
                "items": [v.as_dict() for v in verdicts],
                "problems": [{"where": p.where, "message": p.message} for p in batch.problems],
                "notices": batch.notices,
                "written": written,
                "not_written": [{"where": p.where, "message": p.message} for p in skipped],
            }
        )
    elif fmt == "md":
        sys.stdout.write(markdown(args.source, batch, verdicts, written))
    else:
        sys.stdout.write(table(verdicts, written) + "\n")
    if failure is not None:
        raise failure
    return 0


def _short(text: str, width: int) -> str:
    text = " ".join(terminal_safe(text).split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def table(verdicts: list[Any], written: list[str]) -> str:
    width = max(60, shutil.get_terminal_size((100, 20)).columns)
    title_width = max(24, (width - 20) // 2)
    colours = {"known": "green", "new": "cyan", "unrelated": "dim"}
    lines = [paint(f"{'#':>3}  {'status':<9}  {'item':<{title_width}}  where", "bold")]
    for number, verdict in enumerate(verdicts, start=1):
        status = verdict.status + ("*" if verdict.duplicate_of else "")
        if verdict.status == "known" and verdict.existing:
            guess = "perhaps " if verdict.existing.tentative else ""
            where = f"= {guess}{verdict.existing.title} ({verdict.existing.id})"
        elif verdict.status == "new" and verdict.candidates:
            where = "→ " + "; ".join(f"{c.title} {c.score:.2f}" for c in verdict.candidates)
        elif verdict.status == "new":
            where = "→ (no candidate)"
        else:
            where = ""
        lines.append(
            f"{number:>3}  {paint(f'{status:<9}', colours.get(verdict.status, 'dim'))}  "
            f"{_short(verdict.item.title, title_width):<{title_width}}  "
            f"{_short(where, max(20, width - title_width - 18))}"
        )
    counts = {s: sum(v.status == s for v in verdicts) for s in ("known", "new", "unrelated")}
    lines.append(
        paint(
            f"{len(verdicts)} items: {counts['known']} known, {counts['new']} new, "
            f"{counts['unrelated']} unrelated"
            + (
                f"; {sum(1 for v in verdicts if v.duplicate_of)} repeated (*)"
                if any(v.duplicate_of for v in verdicts)
                else ""
            ),
            "dim",
        )
    )
    for path in written:
        lines.append(f"wrote {path}")
    if written:
        lines.append(paint("write each new essence (now TODO), then run `fomo check`", "yellow"))
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def _link(verdict: Any) -> str:
    title = _cell(verdict.item.title).replace("[", "\\[").replace("]", "\\]")
    url = verdict.item.url
    if is_web_url(url):
        return f"[{title}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"
    return title


def markdown(source: str, batch: Any, verdicts: list[Any], written: list[str]) -> str:
    new = [v for v in verdicts if v.status == "new"]
    known = [v for v in verdicts if v.status == "known"]
    unrelated = [v for v in verdicts if v.status == "unrelated"]
    out = [
        f"## FOMO ingest digest ({dt.date.today().isoformat()})",
        "",
        f"Source: `{_cell(source).replace('`', '')}` ({batch.kind}). {len(verdicts)} items: "
        f"{len(new)} new, {len(known)} already known, {len(unrelated)} unrelated"
        + (f"; {len(batch.problems)} entries skipped" if batch.problems else "")
        + ".",
        "",
    ]
    if new:
        out += [f"### New ({len(new)})", "", "| Paper | Suggested parent | Score | Why |"]
        out.append("|---|---|---|---|")
        for v in new:
            best = v.best
            if best is None:
                out.append(f"| {_link(v)} | (none) | | |")
                continue
            path = " › ".join(title for _, title in best.path)
            why = ", ".join(best.terms[:4])
            if best.nearest:
                why += "; near " + ", ".join(t for _, t, _ in best.nearest[:2])
            others = ", ".join(f"{c.title} ({c.score:.2f})" for c in v.candidates[1:])
            parent = f"**{_cell(best.title)}** (`{best.id}`)<br>{_cell(path)}"
            if others:
                parent += f"<br>also: {_cell(others)}"
            repeated = f" (repeats {_cell(v.duplicate_of)})" if v.duplicate_of else ""
            out.append(f"| {_link(v)}{repeated} | {parent} | {best.score:.2f} | {_cell(why)} |")
        out.append("")
    if known:
        out += [
            f"### Already known ({len(known)})",
            "",
            "| Paper | Topic | Match |",
            "|---|---|---|",
        ]
        for v in known:
            e = v.existing
            guess = " (a guess)" if e.tentative else ""
            out.append(
                f"| {_link(v)} | **{_cell(e.title)}** (`{e.id}`) | {e.how} {e.score:.2f}{guess} |"
            )
        out.append("")
    if unrelated:
        out += [f"### Unrelated to LLMs ({len(unrelated)})", ""]
        out += [f"- {_link(v)}" for v in unrelated]
        out.append("")
    if batch.problems:
        out += ["### Skipped entries", ""]
        out += [f"- {_cell(p.where)}: {_cell(p.message)}" for p in batch.problems]
        out.append("")
    if written:
        out += ["### Added to the map (essence to write)", ""]
        out += [f"- `{path}`" for path in written]
        out.append("")
    return "\n".join(out) + "\n"


def apply(root: Path, verdicts: list[Any], args: argparse.Namespace) -> tuple[list[str], list[Any]]:
    """Ask (or take --yes --min-score) which new items to add, then write them all at once
    through the edit layer; returns the written paths (relative to the kb) and the items left
    out with why. The questions come first: the lock is held only while planning and writing.

    An item only guessed to be known ("perhaps already known as") is asked about too, since
    such guesses are more often wrong than right; --yes never adds one."""
    from fomo.ingest.write import add

    accepted = []
    for verdict in verdicts:
        wanted = verdict.status == "new" or verdict.guessed_known
        if not wanted or verdict.duplicate_of or not verdict.candidates:
            continue
        if args.yes:
            if verdict.status != "new" or verdict.best.score < args.min_score:
                continue
            parent = verdict.best.id
        else:
            parent = ask(verdict)
            if parent == "quit":
                break
            if parent is None:
                continue
        accepted.append((verdict.item, parent))
    if not accepted:
        return [], []
    result = add(root, accepted)
    return [planned.path for planned in result.added], result.skipped


def ask(verdict: Any) -> str | None:
    """Ask whether to add one item; returns the chosen parent id, None to skip, 'quit'."""
    sys.stderr.write("\n" + terminal_safe(verdict.item.title) + "\n")
    if verdict.guessed_known:
        known = verdict.existing
        sys.stderr.write(
            f"  perhaps already known as {terminal_safe(known.title)} ({known.id}), "
            f"a guess at {known.score:.2f}: see `fomo where {known.id}` before adding it\n"
        )
    for number, c in enumerate(verdict.candidates, start=1):
        path = " › ".join(t for _, t in c.path)
        sys.stderr.write(f"  {number}. {terminal_safe(path)}  ({c.score:.2f})\n")
    while True:
        sys.stderr.write("add under 1? [y]es, [n]o, a number for another parent, [q]uit: ")
        sys.stderr.flush()
        answer = sys.stdin.readline()
        if not answer:
            return "quit"
        answer = answer.strip().lower()
        if answer in ("y", "yes"):
            return verdict.candidates[0].id
        if answer in ("", "n", "no"):
            return None
        if answer in ("q", "quit"):
            return "quit"
        if answer.isdigit() and 1 <= int(answer) <= len(verdict.candidates):
            return verdict.candidates[int(answer) - 1].id
