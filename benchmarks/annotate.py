"""Accuracy and speed of `fomo annotate` (issue 15).

Accuracy: precision and recall of the matcher on the hand-labelled corpus in
`benchmarks/annotate/corpus.txt` (labels written before the matcher was tuned; see the README
beside it). A mention counts as right when its span and its topic id equal a label's.

Speed: throughput of the matcher (and of the whole `fomo annotate --json` process) on a long
text, against the anchor of one plain compiled regular expression of all the map's names
(case-insensitive, word-bounded, longest first) over the same text, timed side by side.

Size: the extension's term index for the map, raw and gzipped.

    .venv/bin/python benchmarks/annotate.py [--kb knowledge] [--verbose] [--megabytes 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fomo.kb.load import load
from fomo.query.annotate import all_names, build_index, find

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "annotate" / "corpus.txt"
LABEL = re.compile(r"⟦([^|⟧]+)\|([^⟧]+)⟧")


def parse(path: Path) -> list[tuple[str, str, set[tuple[int, int, str]]]]:
    """(slug, plain text, {(start, end, id)}) per item."""
    items = []
    for block in re.split(r"^=== ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        head, _, body = block.partition("\n")
        text, gold, last = [], set(), 0
        size = 0
        for match in LABEL.finditer(body):
            text.append(body[last : match.start()])
            size += match.start() - last
            surface, topic_id = match.groups()
            gold.add((size, size + len(surface), topic_id))
            text.append(surface)
            size += len(surface)
            last = match.end()
        text.append(body[last:])
        items.append((head.split()[0], "".join(text).strip("\n"), gold))
    return items


def accuracy(index, items, verbose: bool) -> tuple[float, float, int, int, int]:
    tp = fp = fn = 0
    for slug, text, gold in items:
        found = {(m.start, m.end, m.id) for m in find(index, text)}
        tp += len(found & gold)
        wrong, missed = found - gold, gold - found
        fp += len(wrong)
        fn += len(missed)
        if verbose and (wrong or missed):
            print(f"-- {slug}")
            for s, e, i in sorted(wrong):
                print(f"   false: {text[s:e]!r} -> {i}")
            for s, e, i in sorted(missed):
                print(f"   missed: {text[s:e]!r} ({i})")
    return tp / max(1, tp + fp), tp / max(1, tp + fn), tp, fp, fn


def anchor(index) -> re.Pattern[str]:
    names = sorted(set(all_names(index)), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.I)


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", default="knowledge")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--accuracy-only", action="store_true", help="skip the timings")
    args = parser.parse_args()

    kb = load(args.kb).kb
    started = time.perf_counter()
    index = build_index(kb)
    build_seconds = time.perf_counter() - started
    items = parse(CORPUS)
    labels = sum(len(g) for _, _, g in items)
    precision, recall, tp, fp, fn = accuracy(index, items, args.verbose)
    print(f"map: {len(kb)} topics; term index built in {build_seconds * 1000:.0f} ms")
    print(f"corpus: {len(items)} items, {labels} labelled mentions")
    print(f"precision: {precision:.1%} (target >= 95%)  [{tp} right, {fp} wrong]")
    print(f"recall:    {recall:.1%} (target >= 90%)  [{fn} missed]")

    if args.accuracy_only:
        return 0
    plain = "\n\n".join(text for _, text, _ in items)
    size = int(args.megabytes * 1_000_000)
    long_text = (plain + "\n\n") * (size // len(plain.encode()) + 1)
    megabytes = len(long_text.encode()) / 1e6
    pattern = anchor(index)
    ours = best_of(lambda: sum(1 for _ in find(index, long_text)))
    theirs = best_of(lambda: sum(1 for _ in pattern.finditer(long_text)), repeat=1)
    print(
        f"throughput on {megabytes:.1f} MB: matcher {megabytes / ours:.2f} MB/s "
        f"({ours:.2f} s); plain regex of {len(set(all_names(index)))} names "
        f"{megabytes / theirs:.2f} MB/s ({theirs:.2f} s); ratio ours/regex time "
        f"{ours / theirs:.2f}x (target >= 1 MB/s)"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as handle:
        handle.write(long_text)
        handle.flush()
        command = [sys.executable, "-m", "fomo", "annotate", "--kb", args.kb, "--json"]
        process = best_of(
            lambda: subprocess.run([*command, handle.name], check=True, stdout=subprocess.DEVNULL),
            repeat=2,
        )
    print(
        f"fomo annotate --json (whole process, {megabytes:.1f} MB): {process:.2f} s = "
        f"{megabytes / process:.2f} MB/s"
    )
    try:
        from fomo.site.terms import term_index
    except ImportError:
        return 0
    raw = json.dumps(term_index(kb), ensure_ascii=False, separators=(",", ":")).encode()
    print(
        f"extension term index: {len(raw) / 1024:.0f} KB raw, "
        f"{len(gzip.compress(raw, 9)) / 1024:.0f} KB gzipped (target <= 300 KB gzipped)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
