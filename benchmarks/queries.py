"""Query answers you can trust (issue 12): `fomo search` and `fomo where`, each against an anchor
measured side by side in the same run.

    .venv/bin/python benchmarks/queries.py [--kb DIR] [--misses]

- search: every topic's title as the query, the share of topics that come first (target 99%),
  and every alias (one topic's alias, target 95%). Anchor: plain FTS5 BM25 as `fomo search` ran
  before issue 12 (every word, the last as a prefix, else any word; ranked by BM25 alone).
- where: the term lists of benchmarks/terms/*.tsv plus benchmarks/where_nearmiss.tsv (short
  forms, ambiguous names, names that contain another topic's name): the share answered right,
  and the share answered WRONGLY with exit 0 (another topic given as the answer; target 0%).
  Anchor: the lookup before issue 12 (exact, else the closest fuzzy name at 88 or more with a
  4-point lead, else nothing).
- where by paper title: every paper title a topic cites, as the term (a reader who meets the
  paper): right when the answer is the citing topic (of several, the one named before the
  title's colon), or, with no such one, when every citing topic is listed; wrong when another
  topic is answered with exit 0. Anchor: the same lookup without the paper tier (names only).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from fomo.errors import FomoError
from fomo.kb.load import load
from fomo.kb.location import bundled_kb
from fomo.kb.names import name_key
from fomo.query.lookup import IndexNames, NoAnswer, TableNames, resolve
from fomo.query.search import search

HERE = Path(__file__).resolve().parent
TARGET_TITLE, TARGET_ALIAS, TARGET_WRONG = 0.99, 0.95, 0.0


def anchor_search(index, query: str, limit: int) -> list[str]:
    """`fomo search` before issue 12: FTS5 BM25, every word (last as prefix), else any word."""
    words = [w.lower() for w in re.findall(r"\w+", query)]
    if not words:
        return []

    def expression(joiner: str) -> str:
        quoted = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
        return f" {joiner} ".join(quoted)

    ranked = index.search(expression("AND"), limit)
    if not ranked and len(words) > 1:
        ranked = index.search(expression("OR"), limit)
    return [topic_id for topic_id, _ in ranked]


def anchor_resolve(index, term: str) -> str | None:
    """`fomo where` before issue 12: exact key, else the best fuzzy name (88+, 4-point lead)."""
    from rapidfuzz import fuzz, process

    key = name_key(term)
    if not key:
        return None
    exact = index.ids_for_key(key)
    if exact:
        return exact[0][0]
    names = index.all_names()
    best: dict[str, float] = {}
    for _, score, position in process.extract(
        key, [k for k, _ in names], scorer=fuzz.ratio, limit=12
    ):
        topic_id = names[position][1]
        best[topic_id] = max(best.get(topic_id, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    clear = len(ranked) == 1 or (len(ranked) > 1 and ranked[1][1] < ranked[0][1] - 4.0)
    return ranked[0][0] if ranked and ranked[0][1] >= 88.0 and clear else None


def ratio(ours: float, anchor: float) -> str:
    return f"{ours / anchor:.2f}x" if anchor else "inf"


def bench_search(loaded, misses: bool) -> None:
    kb, index = loaded.kb, loaded.index
    owners: dict[str, set[str]] = {}
    for topic in kb.topics.values():
        for alias in topic.aliases:
            owners.setdefault(name_key(alias), set()).add(topic.id)
    titles = [(t.title, t.id) for t in kb.topics.values()]
    aliases = [
        (a, t.id) for t in kb.topics.values() for a in t.aliases if len(owners[name_key(a)]) == 1
    ]
    for label, queries, target in (
        ("title", titles, TARGET_TITLE),
        ("alias", aliases, TARGET_ALIAS),
    ):
        ours = anchor = 0
        missed = []
        ours_s = anchor_s = 0.0
        for query, expected in queries:
            started = time.perf_counter()
            try:
                hits = [h.id for h in search(index, query, limit=3)]
            except FomoError:
                hits = []
            ours_s += time.perf_counter() - started
            started = time.perf_counter()
            old = anchor_search(index, query, 3)
            anchor_s += time.perf_counter() - started
            ours += hits[:1] == [expected]
            anchor += old[:1] == [expected]
            if hits[:1] != [expected]:
                missed.append((query, expected, hits[:3]))
        n = max(len(queries), 1)
        print(
            f"search by {label} ({len(queries)} queries): first {ours / n:6.1%} "
            f"(target {target:.0%}, ratio {ours / n / target:.2f}); anchor FTS5 BM25 "
            f"{anchor / n:6.1%} (ours/anchor {ratio(ours, anchor)}); "
            f"{ours_s / n * 1000:.2f} ms vs {anchor_s / n * 1000:.2f} ms per query"
        )
        if misses:
            for query, expected, hits in missed:
                print(f"    miss {query!r}: expected {expected}, got {hits}")


def read_terms() -> list[tuple[str, str, str]]:
    """(source, term, expected) from the term lists and the near-miss list."""
    rows = []
    for path in [*sorted((HERE / "terms").glob("*.tsv")), HERE / "where_nearmiss.tsv"]:
        for line in path.read_text("utf-8").splitlines():
            if line.strip() and not line.startswith("#") and "\t" in line:
                term, _, expected = line.partition("\t")
                rows.append((path.stem, term.strip(), expected.strip()))
    return rows


def bench_where(loaded, misses: bool) -> None:
    kb, index = loaded.kb, loaded.index
    groups: dict[str, list[int]] = {}
    for source, term, expected in read_terms():
        group = "near-miss" if source == "where_nearmiss" else "term lists"
        exact = index.ids_for_key(name_key(term))
        if expected == "-" and exact:
            expected = exact[0][0]  # the map gained this name since the list was written
        wanted = set(expected.split("|")) if expected != "-" else set()
        wanted &= set(kb.topics) if expected != "-" else wanted
        if expected != "-" and not wanted:
            continue  # the expected topic left the map
        try:
            answer = resolve(index, term).topic_id
            listed: set[str] = set()
        except NoAnswer as refused:
            answer, listed = None, {tid for tid, _ in refused.suggestions}
        except FomoError:
            answer, listed = None, set()
        old = anchor_resolve(index, term)
        if "|" in expected:
            right = answer is None and wanted <= listed
        else:
            right = answer in wanted if wanted else answer is None
        wrong = answer is not None and answer not in wanted
        old_right = (old in wanted) if wanted and "|" not in expected else old is None
        old_wrong = old is not None and old not in wanted
        row = groups.setdefault(group, [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += right
        row[2] += wrong
        row[3] += old_right
        row[4] += old_wrong
        if misses and not right:
            print(
                f"    {group} miss {term!r}: expected {expected}, got {answer} {sorted(listed)[:5]}"
            )
    for group, (n, right, wrong, old_right, old_wrong) in groups.items():
        print(
            f"where, {group} ({n} terms): right {right / n:6.1%}, wrong with exit 0 "
            f"{wrong / n:6.1%} (target {TARGET_WRONG:.0%}); anchor: right {old_right / n:6.1%}, "
            f"wrong {old_wrong / n:6.1%}"
        )


class NamesOnly(TableNames):
    """The lookup before the paper tier: a paper's title finds only what a name finds."""

    def citing(self, key: str) -> list[str]:
        return []


def bench_papers(loaded, misses: bool) -> None:
    kb, index = loaded.kb, loaded.index
    names_only = NamesOnly(IndexNames(index).table)
    papers: dict[str, tuple[str, set[str]]] = {}
    for topic in kb.topics.values():
        if topic.paper is not None:
            papers.setdefault(name_key(topic.paper.title), (topic.paper.title, set()))[1].add(
                topic.id
            )
    counts = {"right": 0, "wrong": 0, "old_right": 0, "old_wrong": 0}
    for title, citing in papers.values():
        head = name_key(title.split(":", 1)[0]) if ":" in title else None
        namesake = {tid for tid, _ in index.ids_for_key(head)} & citing if head else set()
        expected = namesake if len(namesake) == 1 else citing
        for source, prefix in ((index, ""), (names_only, "old_")):
            try:
                answer, offered = resolve(source, title).topic_id, set()
            except NoAnswer as refused:
                answer, offered = None, {tid for tid, _ in refused.suggestions}
            if len(expected) == 1:
                right = answer in expected
            else:
                right = answer is None and expected <= offered
            counts[prefix + "right"] += right
            counts[prefix + "wrong"] += answer is not None and answer not in expected
            if misses and not right and not prefix:
                print(f"    paper miss {title!r}: {sorted(expected)}, got {answer}")
    n = len(papers)
    print(
        f"where, paper titles ({n} papers cited by a topic): right {counts['right'] / n:6.1%} "
        f"(the citing topic, the one named before the colon, or every citing topic listed), "
        f"wrong with exit 0 {counts['wrong'] / n:6.1%}; anchor (names only): right "
        f"{counts['old_right'] / n:6.1%}, wrong {counts['old_wrong'] / n:6.1%}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", default=str(bundled_kb()), help="knowledge base (default bundled)")
    parser.add_argument("--misses", action="store_true", help="list the misses")
    args = parser.parse_args()
    loaded = load(args.kb, strict=False)
    print(f"map: {len(loaded.kb)} topics ({args.kb})")
    bench_search(loaded, args.misses)
    bench_where(loaded, args.misses)
    bench_papers(loaded, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
