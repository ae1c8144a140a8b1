"""BibTeX with many @string macros (issue 16): `read_bibtex` against the way it read them before
(every macro prepended to every entry, a fresh parser per entry: quadratic), side by side on the
same file, then the new reader alone on a file ten times larger.

    .venv/bin/python benchmarks/bibtex_macros.py [--count 300] [--large 2000]
"""

from __future__ import annotations

import argparse
import re
import time

from fomo.ingest.bibtex import read_bibtex

_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]", re.MULTILINE)


def macro_bib(count: int) -> str:
    macros = [f'@string{{m{i} = "Venue number {i}"}}' for i in range(count)]
    entries = [
        f"@article{{k{i},\n  title = {{Paper {i}}},\n  journal = m{i},\n  year = {{2024}}\n}}"
        for i in range(count)
    ]
    return "\n".join(macros + entries) + "\n"


def anchor(text: str) -> int:
    """The reader before issue 16, reduced to its parsing: all macros before each entry."""
    import bibtexparser
    from bibtexparser.bparser import BibTexParser

    starts = list(_START.finditer(text))
    pieces = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        pieces.append((match.group(1).lower(), text[match.start() : end]))
    strings = "\n".join(chunk for kind, chunk in pieces if kind == "string")
    found = 0
    for kind, chunk in pieces:
        if kind == "string":
            continue
        parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False)
        found += len(bibtexparser.loads(strings + "\n" + chunk, parser=parser).entries[-1:])
    return found


def timed(function, *args) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300, help="macros (and entries) side by side")
    parser.add_argument("--large", type=int, default=2000, help="macros for the new reader alone")
    args = parser.parse_args()
    text = macro_bib(args.count)
    old, found_old = timed(anchor, text)
    new, batch = timed(read_bibtex, text, "macros.bib")
    assert found_old == len(batch.items) == args.count  # type: ignore[attr-defined]
    print(f"{args.count}+{args.count} macros/entries ({len(text):,} bytes)")
    print(f"  before (macros per entry): {old:.2f} s")
    print(f"  read_bibtex:               {new:.2f} s")
    print(f"  ratio before/now: {old / new:.1f}x")
    large = macro_bib(args.large)
    seconds, batch = timed(read_bibtex, large, "large.bib")
    assert len(batch.items) == args.large  # type: ignore[attr-defined]
    print(f"{args.large}+{args.large} ({len(large):,} bytes), read_bibtex alone: {seconds:.2f} s")


if __name__ == "__main__":
    main()
