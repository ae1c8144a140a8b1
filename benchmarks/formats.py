"""Import and export speed per format on a synthetic 10,000-node map, against merely parsing the
same file with the standard library (zipfile + json, ElementTree, json), side by side in one run.

    .venv/bin/python benchmarks/formats.py [--nodes 10000] [--repeat 3]

Prints seconds (best of --repeat) and the ratios read/parse and write/parse (target <= 5x).
The Markdown outline has no standard-library parser; its anchor is markdown-it-py's parse.
Also times the importer's plan (ids, matching, rendering every topic file) for the whole map.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from fomo.formats import freeplane, opml, outline, xmind
from fomo.formats import json as json_format
from fomo.formats.importer import plan_import
from fomo.formats.tree import Link, Node, count
from fomo.model import KnowledgeBase


def synthetic(total: int) -> Node:
    """A map shaped like a real one: ~8 branches, fan-out 6, notes, aliases, links, relations."""
    root = Node("Large Language Models", id="llm", essence="Models that predict text.")
    queue, made = [root], 1
    while made < total:
        parent = queue.pop(0)
        for _ in range(6):
            if made >= total:
                break
            node = Node(
                f'Topic number {made} about <attention> & "scaling"',
                id=f"topic-{made}",
                essence=f"One sentence on topic {made}, what it is and why it exists.",
                note="A longer body.\nWith a second line." if made % 3 == 0 else "",
                aliases=[f"T{made}"] if made % 2 == 0 else [],
                year=2000 + made % 25,
                links=[Link(f"https://example.org/{made}")] if made % 4 == 0 else [],
                relations=[("related", f"topic-{made - 1}")] if made % 5 == 0 and made > 1 else [],
            )
            parent.children.append(node)
            queue.append(node)
            made += 1
    return root


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def xmind_parse(data: bytes) -> object:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return json.loads(archive.read("content.json"))


ANCHORS = {
    "xmind": ("zipfile+json", xmind, xmind_parse),
    "freeplane": ("ElementTree", freeplane, ET.fromstring),
    "opml": ("ElementTree", opml, ET.fromstring),
    "json": ("json.loads", json_format, json.loads),
    "markdown": (
        "markdown-it",
        outline,
        lambda data: MarkdownIt("commonmark").parse(data.decode()),
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tree = synthetic(args.nodes)
    print(
        f"synthetic map: {count(tree)} nodes; best of {args.repeat}; python {sys.version.split()[0]}"
    )
    header = f"{'format':10} {'bytes':>10} {'anchor':>15} {'parse s':>8} {'read s':>8} {'write s':>8} {'read/parse':>10} {'write/parse':>11}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name, (anchor_name, module, anchor) in ANCHORS.items():
        output = module.write(tree)
        data = output if isinstance(output, bytes) else output.encode("utf-8")
        parse = best(lambda a=anchor, d=data: a(d), args.repeat)
        read = best(lambda m=module, d=data, n=name: m.read(d, f"bench.{n}"), args.repeat)
        write = best(lambda m=module: m.write(tree), args.repeat)
        worst = max(worst, read / parse, write / parse)
        print(
            f"{name:10} {len(data):>10} {anchor_name:>15} {parse:>8.3f} {read:>8.3f} "
            f"{write:>8.3f} {read / parse:>9.1f}x {write / parse:>10.1f}x"
        )
    with tempfile.TemporaryDirectory() as folder:
        kb_dir = Path(folder)
        plan_time = best(
            lambda: plan_import(tree, KnowledgeBase([]), kb_dir, file="bench"), args.repeat
        )
    json_data = json_format.write(tree)
    parse_json = best(lambda: json.loads(json_data), args.repeat)
    print(
        f"importer plan (ids, matching, {count(tree)} topic files rendered): {plan_time:.3f} s "
        f"= {plan_time / parse_json:.1f}x json.loads of the same map"
    )
    print(f"worst read-or-write ratio over the formats: {worst:.1f}x (target <= 5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
