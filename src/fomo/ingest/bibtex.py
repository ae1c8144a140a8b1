"""BibTeX through bibtexparser 1.x, one entry at a time: bibtexparser silently drops an entry it
cannot parse, so the file is cut at each line that starts an entry and every piece is parsed on
its own; a piece that yields nothing is reported with its line, the rest still come through."""

from __future__ import annotations

import re

from fomo.ingest.items import Batch, Item, Problem
from fomo.kb.urls import is_web_url

_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]", re.MULTILINE)
_SKIP_TYPES = {"comment", "preamble"}
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\s*(?=\{)|\\[^A-Za-z\s]")


def latex_plain(text: str) -> str:
    """A BibTeX field as plain text: no protective braces, no accent commands, one line."""
    text = _LATEX_COMMAND.sub("", text)
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


def looks_like_bibtex(text: str) -> bool:
    return bool(_START.search(text))


def read_bibtex(text: str, name: str) -> Batch:
    import bibtexparser
    from bibtexparser.bparser import BibTexParser

    starts = list(_START.finditer(text))
    pieces = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        line = text.count("\n", 0, match.start()) + 1
        pieces.append((match.group(1).lower(), line, text[match.start() : end]))
    strings = "\n".join(chunk for kind, _, chunk in pieces if kind == "string")
    batch = Batch(kind="bibtex")
    for kind, line, chunk in pieces:
        if kind in _SKIP_TYPES or kind == "string":
            continue
        where = f"{name}:{line}"
        parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False)
        try:
            entries = bibtexparser.loads(strings + "\n" + chunk, parser=parser).entries
        except Exception as error:  # bibtexparser raises assorted pyparsing errors
            batch.problems.append(Problem(where, f"malformed BibTeX entry ({error}); skipped"))
            continue
        if not entries:
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
