"""Term coverage of the bundled map (issue 3): the share of practitioners' terms that
`fomo where` resolves to the right topic.

The terms were written down before the map was filled: benchmarks/terms/*.tsv, one
`term<TAB>expected-id` per line. Target: 100%.

Run: .venv/bin/python benchmarks/term_coverage.py [--kb knowledge]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fomo.errors import FomoError
from fomo.kb.load import open_readable
from fomo.query.where import resolve

TERMS = Path(__file__).resolve().parent / "terms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kb", default=str(Path(__file__).resolve().parents[1] / "knowledge"))
    args = parser.parse_args()
    index = open_readable(args.kb)
    total = hits = 0
    misses = []
    for path in sorted(TERMS.glob("*.tsv")):
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            term, _, expected = line.partition("\t")
            total += 1
            try:
                got = resolve(index, term).topic_id
            except FomoError:
                got = None
            if got == expected:
                hits += 1
            else:
                misses.append(f"  {term!r}: expected {expected}, got {got} ({path.name})")
    print(f"terms: {total} from {len(list(TERMS.glob('*.tsv')))} lists")
    print(f"resolved to the right topic: {hits}/{total} = {hits / total:.1%} (target 100%)")
    print("\n".join(misses))
    return 0 if hits == total else 1


if __name__ == "__main__":
    sys.exit(main())
