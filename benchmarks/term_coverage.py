"""Term coverage of the bundled map (issues 3 and 11): the share of terms that `fomo where`
resolves to the right topic, reported list by list.

- benchmarks/terms/*.tsv: `term<TAB>expected-id`, written down before the map was filled (A-E:
  practitioners' terms; longtail: terms one step off the main road, from public indexes). Lines
  starting with `#` are comments. Target: 100% for A-E, at least 90% for the long tail.
- benchmarks/seed-map.tsv: every node of the seed project's own mind map by its printed name. A
  node counts when `where` finds it without guessing (not a fuzzy match). Target: 100%.

Run: .venv/bin/python benchmarks/term_coverage.py [--kb knowledge] [--misses]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fomo.errors import FomoError
from fomo.kb.load import open_readable
from fomo.query.where import resolve

HERE = Path(__file__).resolve().parent
TERMS = HERE / "terms"
SEED_MAP = HERE / "seed-map.tsv"


def read_rows(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            first, _, second = line.partition("\t")
            rows.append((first, second))
    return rows


def resolved(index: object, term: str) -> tuple[str | None, str]:
    try:
        answer = resolve(index, term)  # type: ignore[arg-type]
    except FomoError:
        return None, ""
    how = str(getattr(answer, "match", getattr(answer, "how", "")))
    return answer.topic_id, how


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kb", default=str(HERE.parent / "knowledge"))
    parser.add_argument("--misses", action="store_true", help="list every term not resolved")
    args = parser.parse_args()
    index = open_readable(args.kb)
    all_met = True
    for path in sorted(TERMS.glob("*.tsv")):
        rows = read_rows(path)
        misses = []
        for term, expected in rows:
            got, _ = resolved(index, term)
            if got != expected:
                misses.append(f"    {term!r}: expected {expected}, got {got}")
        target = 0.9 if path.stem == "longtail" else 1.0
        share = 1 - len(misses) / len(rows)
        all_met &= share >= target
        print(
            f"{path.stem:>9}: {len(rows) - len(misses)}/{len(rows)} = {share:.1%} (target {target:.0%})"
        )
        if args.misses and misses:
            print("\n".join(misses))
    seed = read_rows(SEED_MAP)
    seed_misses = []
    for term, parent in seed:
        got, how = resolved(index, term)
        if got is None or how == "fuzzy":
            seed_misses.append(f"    {term!r} (under {parent}): got {got} {how}".rstrip())
    share = 1 - len(seed_misses) / len(seed)
    all_met &= not seed_misses
    print(f" seed map: {len(seed) - len(seed_misses)}/{len(seed)} = {share:.1%} (target 100%)")
    if args.misses and seed_misses:
        print("\n".join(seed_misses))
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
