"""Issue 13's two speed questions, each side by side in one run (alternating, medians):

- the 10,000-node map's first draw and expand-all with this checkout's mindmap.js against the
  one of an earlier revision (default 96a019e, before issue 13: it opened at level 2 and had no
  arrival-level search, progress marks or overlay-aware Fit);
- Pagefind over the 5,000-topic site as built now against the same pages with the
  data-pagefind-ignore / data-pagefind-weight marks removed (what it indexed before).

Run: .venv/bin/python benchmarks/site_reader.py [--rev 96a019e] [--rounds 4] [--skip-pagefind]
(benchmarks/site_build.py gives the absolute figures against Hugo + Pagefind).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from site_build import CHROMIUM_ARGS, ROOT, make_kb

FIRST_DRAW = (
    "new Promise(r => requestAnimationFrame(() => r(performance.now())))"
    ".then(t => t - performance.getEntriesByType('navigation')[0].responseEnd)"
)


def serve(out: Path) -> str:
    from fomo.site.serve import Generation, _Server, make_handler

    server = _Server(("127.0.0.1", 0), make_handler(out, Generation(), live=False))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/index.html"


def map_side_by_side(work: Path, rev: str, rounds: int) -> None:
    from playwright.sync_api import sync_playwright

    from fomo.site.build import build_site

    make_kb(work / "kb-map", 10000, 0, with_body=False)
    now = work / "map-now"
    build_site(work / "kb-map", now, search=False)
    before = work / "map-before"
    shutil.copytree(now, before)
    old = subprocess.run(
        ["git", "show", f"{rev}:src/fomo/site/assets/mindmap.js"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    (before / "assets/mindmap.js").write_bytes(old)
    home = (before / "index.html").read_text()  # the old script opened at the selected level
    (before / "index.html").write_text(
        home.replace('<option value="2">', '<option value="2" selected>')
    )
    urls = {"now": serve(now), "before": serve(before)}
    figures: dict[str, list[tuple[float, float]]] = {"now": [], "before": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for _ in range(rounds):
            for name, url in urls.items():
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(url)
                page.wait_for_function("document.documentElement.dataset.map === 'ready'")
                figures[name].append(
                    (page.evaluate(FIRST_DRAW), page.evaluate("fomoMap.expandAll()"))
                )
                page.close()
        browser.close()
    for name, rows in figures.items():
        draws = ", ".join(f"{d:.0f}" for d, _ in rows)
        expands = ", ".join(f"{e:.0f}" for _, e in rows)
        print(f"map {name}: first draw {draws} ms; expand-all {expands} ms")
    for index, what in ((0, "first draw"), (1, "expand-all")):
        ratio = statistics.median(r[index] for r in figures["now"]) / statistics.median(
            r[index] for r in figures["before"]
        )
        print(f"map {what}, now / {rev}: {ratio:.2f}x (medians)")


def pagefind_side_by_side(work: Path, rounds: int) -> None:
    from fomo.site.build import build_site
    from fomo.site.pagefind import command

    make_kb(work / "kb-site", 5000, 200)
    now = work / "site-now"
    build_site(work / "kb-site", now, search=False)
    before = work / "site-before"
    shutil.copytree(now, before)
    for page in before.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        unmarked = re.sub(r' data-pagefind-(?:ignore|weight="\d+")', "", text)
        if unmarked != text:
            page.write_text(unmarked, encoding="utf-8")
    seconds: dict[str, list[float]] = {"now": [], "before": []}
    size: dict[str, int] = {}
    for _ in range(rounds):
        for name, root in (("now", now), ("before", before)):
            shutil.rmtree(root / "pagefind", ignore_errors=True)
            started = time.perf_counter()
            subprocess.run([*command(), "--site", str(root), "--silent"], check=True)
            seconds[name].append(time.perf_counter() - started)
            size[name] = sum(
                p.stat().st_size for p in (root / "pagefind").rglob("*") if p.is_file()
            )
    for name in seconds:
        runs = ", ".join(f"{s:.1f}" for s in seconds[name])
        print(f"pagefind {name}: {runs} s; index {size[name] / 1e6:.1f} MB")
    ratio = statistics.median(seconds["now"]) / statistics.median(seconds["before"])
    print(
        f"pagefind now / unmarked pages: {ratio:.2f}x time, {size['now'] / size['before']:.2f}x index size"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="96a019e")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--skip-pagefind", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        map_side_by_side(work, args.rev, args.rounds)
        if not args.skip_pagefind:
            pagefind_side_by_side(work, max(2, args.rounds - 1))


if __name__ == "__main__":
    main()
