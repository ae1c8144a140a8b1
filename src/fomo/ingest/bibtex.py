"""BibTeX through bibtexparser 1.x, one entry at a time: bibtexparser silently drops an entry it
cannot parse, so the file is cut at each line that starts an entry and every piece is parsed on
its own; a piece that yields nothing is reported with its line, the rest still come through.

The `@string` macros are parsed once, into one table that every entry's parser starts from:
prepending every macro to every entry made a file of n macros and n entries cost n squared."""

from __future__ import annotations

import re
from typing import Any

from fomo.errors import FomoError
from fomo.ingest.items import Batch, Item, Problem
from fomo.kb.urls import is_web_url

_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]", re.MULTILINE)
_SKIP_TYPES = {"comment", "preamble"}
# characters; pyparsing reads about 100 kB of BibTeX a second, so this bounds a run to a minute
# or so, and a real bibliography to ingest is rarely past a few hundred kB
MAX_SIZE = 4 * 1024 * 1024
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\s*(?=\{)|\\[^A-Za-z\s]")


def latex_plain(text: str) -> str:
    """A BibTeX field as plain text: no protective braces, no accent commands, one line."""
    text = _LATEX_COMMAND.sub("", text)
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


def looks_like_bibtex(text: str) -> bool:
    return bool(_START.search(text))


def _parser() -> Any:
    """One parser for the whole file: building one compiles bibtexparser's pyparsing grammar,
    which costs more than parsing an entry. Parsing again adds to the same database."""
    from bibtexparser.bparser import BibTexParser

    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False)
    parser.expect_multiple_parse = True
    return parser


def read_bibtex(text: str, name: str) -> Batch:
    if len(text) > MAX_SIZE:
        raise FomoError(
            f"BibTeX file is {len(text):,} characters, past the limit of {MAX_SIZE:,}",
            file=name,
            hint="split the bibliography and ingest each part, or keep only the new entries",
        )
    starts = list(_START.finditer(text))
    pieces = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        line = text.count("\n", 0, match.start()) + 1
        pieces.append((match.group(1).lower(), line, text[match.start() : end]))
    batch = Batch(kind="bibtex")
    parser = _parser()
    for kind, line, chunk in pieces:  # the macros first, as BibTeX allows using them anywhere
        if kind == "string":
            try:
                parser.parse(chunk)
            except Exception as error:  # bibtexparser raises assorted pyparsing errors
                batch.problems.append(
                    Problem(f"{name}:{line}", f"malformed @string ({error}); skipped")
                )
    entries = parser.bib_database.entries
    for kind, line, chunk in pieces:
        if kind in _SKIP_TYPES or kind == "string":
            continue
        where = f"{name}:{line}"
        before = len(entries)
        try:
            parser.parse(chunk)
        except Exception as error:  # bibtexparser raises assorted pyparsing errors
            batch.problems.append(Problem(where, f"malformed BibTeX entry ({error}); skipped"))
            continue
        if len(entries) == before:
            batch.problems.append(
                Problem(
                    where,
                    f"malformed @{kind} entry (unbalanced braces or a missing "
                    "key or comma); skipped",
                )
            )
            continue
        entry = entries[-1]
        title = latex_plain(entry.get("title", ""))
        if not title:
            batch.problems.append(Problem(where, f"entry '{entry.get('ID', '?')}' has no title"))
            continue
        year_text = re.search(r"\d{4}", entry.get("year", ""))
        url = entry.get("url", "").strip()
        if not url and entry.get("eprint") and "arxiv" in entry.get("archiveprefix", "").lower():
            url = f"https://arxiv.org/abs/{entry['eprint'].strip()}"
        if not url and entry.get("doi"):
            url = f"https://doi.org/{entry['doi'].strip()}"
        batch.items.append(
            Item(
                title=title,
                summary=latex_plain(entry.get("abstract", "")),
                url=url.strip() if is_web_url(url) else None,
                year=int(year_text.group()) if year_text else None,
                authors=[
                    latex_plain(a) for a in re.split(r"\s+and\s+", entry.get("author", "")) if a
                ],
                where=where,
            )
        )
    return batch
