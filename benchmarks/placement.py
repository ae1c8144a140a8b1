"""Placement accuracy and speed on the bundled map (issue 6).

    .venv/bin/python benchmarks/placement.py [--kb DIR] [--misses]

- leave-one-out: every topic without children is taken out of the model (with its aliases) and
  placed by its title + essence; top-1 / top-3 accuracy for its true parent, and for its true
  grandparent (exactly, and "lands in the grandparent's subtree"). Anchor, measured side by side:
  the parent of the best SQLite FTS5 (BM25) hit of `fomo search` for the same text, the removed
  topic skipped. Also the false "already known" rate: how often a removed topic is still claimed
  as known (it should not be: it is gone).
- duplicate detection: each line of benchmarks/paraphrases.tsv (hand-written before tuning) must
  come back as "already known as" its topic.
- throughput: placements per second of the lexical model (one process), target 200/s.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from fomo.kb.load import load
from fomo.kb.location import bundled_kb
from fomo.query.place import PlacementModel

HERE = Path(__file__).resolve().parent
TARGET_TOP3, TARGET_TOP1, TARGET_DUP, TARGET_RATE = 0.85, 0.60, 0.90, 200.0


def fts_parent_ranking(loaded, topic, limit: int = 10) -> list[str]:
    """Anchor: parents of the FTS5 BM25 hits for title + essence, the topic itself skipped."""
    words = re.findall(r"\w+", f"{topic.title} {topic.essence}".lower())
    if not words:
        return []
    expression = " OR ".join(f'"{w}"' for w in words[:64])
    ranked = []
    for hit_id, _ in loaded.index.search(expression, limit + 1):
        if hit_id == topic.id:
            continue
        parent = loaded.kb.topics[hit_id].parent if hit_id in loaded.kb.topics else None
        if parent and parent not in ranked:
            ranked.append(parent)
    return ranked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", default=str(bundled_kb()), help="knowledge base (default bundled)")
    parser.add_argument("--misses", action="store_true", help="list the misses")
    args = parser.parse_args()

    loaded = load(args.kb, strict=False)
    kb = loaded.kb
    started = time.perf_counter()
    model = PlacementModel(kb)
    build_seconds = time.perf_counter() - started
    print(f"map: {len(kb)} topics ({args.kb}); model built in {build_seconds * 1000:.0f} ms")

    leaves = [t for t in kb.topics.values() if t.parent and not kb.children(t.id)]
    hits = {"p1": 0, "p3": 0, "g1": 0, "g3": 0, "gs1": 0, "gs3": 0, "a1": 0, "a3": 0}
    graded = 0
    false_known = 0
    misses = []
    for topic in leaves:
        parent = topic.parent
        grand = kb.topics[parent].parent if parent in kb.topics else None
        placed = model.place(topic.title, topic.essence, top=3, exclude={topic.id})
        ids = [c.id for c in placed.candidates]
        if placed.existing is not None:
            false_known += 1
        graded += 1
        hits["p1"] += ids[:1] == [parent]
        hits["p3"] += parent in ids[:3]
        if not ids[:1] or ids[0] != parent:
            misses.append((topic.id, parent, ids[:3]))
        anchor = fts_parent_ranking(loaded, topic)
        hits["a1"] += anchor[:1] == [parent]
        hits["a3"] += parent in anchor[:3]
        if grand:
            under = [any(step.id == grand for step in kb.path(cid)) for cid in ids[:3] if cid in kb]
            hits["g1"] += ids[:1] == [grand]
            hits["g3"] += grand in ids[:3]
            hits["gs1"] += bool(under[:1] and under[0])
            hits["gs3"] += any(under)
    n = max(graded, 1)
    print(f"\nleave-one-out over {graded} leaf topics (title + essence, topic and aliases removed)")
    p1, p3 = hits["p1"] / n, hits["p3"] / n
    print(
        f"  parent      top-1 {p1:6.1%}  (target {TARGET_TOP1:.0%}, ratio {p1 / TARGET_TOP1:.2f})"
    )
    print(
        f"  parent      top-3 {p3:6.1%}  (target {TARGET_TOP3:.0%}, ratio {p3 / TARGET_TOP3:.2f})"
    )
    print(f"  grandparent top-1 {hits['g1'] / n:6.1%}  top-3 {hits['g3'] / n:6.1%}  (exactly)")
    print(
        f"  grandparent top-1 {hits['gs1'] / n:6.1%}  top-3 {hits['gs3'] / n:6.1%}  "
        "(candidate is the grandparent or inside its subtree)"
    )
    a1, a3 = hits["a1"] / n, hits["a3"] / n
    print(
        f"  anchor FTS5 BM25 nearest-topic parent: top-1 {a1:6.1%}  top-3 {a3:6.1%}  "
        f"(lexical model / anchor: top-1 {p1 / a1 if a1 else float('inf'):.2f}x, "
        f"top-3 {p3 / a3 if a3 else float('inf'):.2f}x)"
    )
    print(f"  false 'already known' on removed topics: {false_known / n:6.1%}")
    if args.misses:
        for topic_id, parent, ids in misses:
            print(f"    miss {topic_id}: parent {parent}, got {ids}")

    pairs = []
    for line in (HERE / "paraphrases.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, _, expected = line.partition("\t")
            pairs.append((text.strip(), expected.strip()))
    missing = [e for _, e in pairs if e not in kb.topics]
    right = 0
    wrong = []
    for text, expected in pairs:
        placed = model.place(text, top=3)
        found = placed.existing.id if placed.existing else None
        if found == expected:
            right += 1
        else:
            best = placed.candidates[0].nearest[0][0] if placed.candidates else None
            wrong.append((text, expected, found, best))
    d = right / max(len(pairs), 1)
    print(f"\nduplicate detection over {len(pairs)} hand-written paraphrases")
    print(
        f"  already known as the right topic {d:6.1%}  (target {TARGET_DUP:.0%}, "
        f"ratio {d / TARGET_DUP:.2f})"
    )
    if missing:
        print(f"  expected ids not in the map: {', '.join(missing)}")
    if args.misses:
        for text, expected, found, best in wrong:
            print(f"    miss {expected}: got {found} (nearest {best}) <- {text}")

    queries = [(t.title, t.essence) for t in kb.topics.values()]
    rounds = max(1, 2000 // max(len(queries), 1))
    started = time.perf_counter()
    count = 0
    for _ in range(rounds):
        for title, essence in queries:
            model.place(title, essence, top=5)
            count += 1
    seconds = time.perf_counter() - started
    rate = count / seconds
    print(
        f"\nthroughput: {count} placements in {seconds:.2f} s = {rate:.0f} items/s "
        f"(target {TARGET_RATE:.0f}/s, ratio {rate / TARGET_RATE:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
