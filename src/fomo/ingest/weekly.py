"""The glue of the maintainers' weekly loop (templates/weekly-triage.yml), run as
`python -m fomo.ingest.weekly`:

- `sources`: the week's arXiv API queries for cs.CL and cs.LG, then the feeds `site.yml` lists,
  one URL a line, for the workflow to pass one by one to `fomo ingest --format md`;
- `body DIGEST...`: those digests as one issue body, cut to fit GitHub's limit on an issue's
  size (the full digests stay in the run's artifact).

It is not a `fomo` subcommand because only the workflow needs it; the triage itself is
`fomo ingest`, so the issue says exactly what a maintainer sees when running it by hand. The
feeds come through `fomo.site.config`, the one reader (and validator) of `site.yml`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

from fomo.errors import FomoError

ARXIV_API = "https://export.arxiv.org/api/query"
# The arXiv API answers at most 2,000 entries a request; a week of cs.CL is well under that.
ARXIV_MAX = 2000
DAYS = 7
TITLE = "FOMO weekly triage"
MARKER = "<!-- fomo-weekly-triage -->"
# GitHub refuses an issue body over 65,536 characters; keep room for the header.
BODY_LIMIT = 60_000


def arxiv_query(category: str, start: dt.date, end: dt.date, without: str = "") -> str:
    """The arXiv API URL of the papers first submitted to `category` from `start` to `end`
    (inclusive, GMT), newest first; `without` leaves out a category already read."""
    query = f"cat:{category} AND submittedDate:[{start:%Y%m%d}0000 TO {end:%Y%m%d}2359]"
    if without:
        query += f" ANDNOT cat:{without}"
    params = {
        "search_query": query,
        "sortBy": "submittedDate",
        "sortOrder": "descending",
        "start": 0,
        "max_results": ARXIV_MAX,
    }
    return f"{ARXIV_API}?{urlencode(params)}"


def sources(feeds: Sequence[str], today: dt.date, days: int = DAYS) -> list[str]:
    """The week's sources: cs.CL, then cs.LG without what cs.CL already listed (cross-lists
    would otherwise be triaged twice), then the team's feeds."""
    start = today - dt.timedelta(days=days - 1)
    return [
        arxiv_query("cs.CL", start, today),
        arxiv_query("cs.LG", start, today, without="cs.CL"),
        *feeds,
    ]


def _is_row(line: str) -> bool:
    return line.startswith(("| ", "- "))


def _cut(digest: str, rows: int, more: str) -> str:
    """A digest with at most `rows` rows (table rows or list items) per section; each cut is
    said below its section."""
    out: list[str] = []
    kept = dropped = 0
    in_table = False

    def close() -> None:
        nonlocal kept, dropped
        if dropped:
            while out and not out[-1].strip():
                out.pop()
            out.extend(["", f"*... and {dropped} more {more}*", ""])
        kept = dropped = 0

    for line in digest.splitlines():
        if line.startswith("#"):
            close()
            in_table = False
        if line.startswith("|---"):
            in_table = True
            out.append(line)
            continue
        if _is_row(line) and (in_table or line.startswith("- ")):
            if kept < rows:
                kept += 1
                out.append(line)
            else:
                dropped += 1
            continue
        if not line.strip():
            in_table = False
        out.append(line)
    close()
    return "\n".join(out)


def issue_body(
    digests: Sequence[str],
    today: dt.date,
    run_url: str = "",
    days: int = DAYS,
    limit: int = BODY_LIMIT,
) -> str:
    """The issue's Markdown: what it is and how to act on it, then each source's digest, with
    every section cut to the most rows (the same for all) that let the whole fit in `limit`
    characters."""
    start = today - dt.timedelta(days=days - 1)
    where = f"the [run's artifact](<{run_url}>)" if run_url else "the run's artifact"
    head = [
        f"# {TITLE}: {start.isoformat()} to {today.isoformat()}",
        MARKER,
        "",
        "This week's arXiv cs.CL and cs.LG submissions and the feeds in `site.yml`, triaged "
        "against the map by `fomo ingest`: **new** items with the parent they would go under, "
        "items the map **already knows**, and items **unrelated** to LLMs. To accept a "
        "placement, run `fomo ingest SOURCE --apply` (it asks item by item) or "
        "`fomo add ID --under PARENT --title ... --essence ...`, then `fomo check` and open a "
        "pull request (CONTRIBUTING.md, 'The weekly loop'). This issue is rewritten each week.",
        "",
    ]
    if run_url:
        head += [f"The full digests are in the artifact of [this run](<{run_url}>).", ""]
    more = f"in the full triage ({where})"

    def text(rows: int) -> str:
        cut = "\n\n".join(_cut(d.strip(), rows, more) for d in digests)
        return ("\n".join(head) + "\n" + cut).rstrip("\n") + "\n"

    low, high = 0, sum(d.count("\n") + 1 for d in digests)  # more than any section holds
    if len(text(high)) <= limit:
        return text(high)
    while low < high:  # the most rows per section that still fit
        middle = (low + high + 1) // 2
        if len(text(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    return text(low)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fomo.ingest.weekly",
        description="Helpers of the weekly triage workflow (templates/weekly-triage.yml).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    listed = commands.add_parser("sources", help="print the week's source URLs, one a line")
    listed.add_argument("--kb", type=Path, default=Path("knowledge"), help="its site.yml's feeds")
    listed.add_argument("--days", type=int, default=DAYS, help="how many days back (default 7)")
    body = commands.add_parser("body", help="print the issue body made of ingest digests")
    body.add_argument("digests", nargs="+", type=Path, help="`fomo ingest --format md` outputs")
    body.add_argument("--run-url", default="", help="link to the run (its artifact)")
    body.add_argument("--days", type=int, default=DAYS)
    args = parser.parse_args(argv)
    today = dt.datetime.now(dt.timezone.utc).date()
    try:
        if args.days < 1:
            raise FomoError("--days must be at least 1", hint="e.g. --days 7")
        if args.command == "sources":
            from fomo.site.config import load_config

            feeds = load_config(args.kb).feeds
            sys.stdout.write("".join(f"{url}\n" for url in sources(feeds, today, args.days)))
        else:
            texts = [_read(path) for path in args.digests]
            sys.stdout.write(issue_body(texts, today, args.run_url, args.days))
    except FomoError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    return 0


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FomoError(
            f"cannot read the digest: {error}", file=str(path), hint="pass `fomo ingest` outputs"
        ) from None


if __name__ == "__main__":
    raise SystemExit(main())
