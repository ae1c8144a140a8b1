"""Does raw HTML and images in articles slow `fomo build`? (issue 14: within 5% at 5,000 topics.)

Two knowledge bases written by `site_build.make_kb`, identical but for the articles: in one
each of the 200 articles opens with a centred image in raw HTML (`<p align="center"><img ...>`,
`<br>`), with its PNG beside it, so the build sanitizes every article with nh3 and copies 200
files; in the other (the anchor: articles as they were before) they do not. Measured side by
side, alternating, several rounds, medians compared:

- pages only, in this process, one worker: CPU seconds (what sanitizing and copying can change,
  without Pagefind, forks or disk; the steadiest figure on a busy machine);
- one article body rendered in-process: CPU milliseconds (the cost of raw HTML itself);
- unless --pages-only: the full cold build with search in fresh processes, wall and CPU time
  (the build, its render workers and Pagefind).

Run: .venv/bin/python benchmarks/article_assets.py [--topics 5000] [--articles 200] [--rounds 3]
[--pages-only]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_build import fomo_build, make_kb


def cpu_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def article_ms(kb: Path) -> float:
    """Best of five: CPU milliseconds to render one article body in-process (Markdown, links,
    sanitizing when it has raw HTML), over all of the knowledge base's articles."""
    import time

    from fomo.kb.load import load
    from fomo.site.markdown import MarkdownRenderer
    from fomo.site.prose import page_urls, render_article

    loaded = load(kb)
    articles = loaded.kb.articles
    renderer = MarkdownRenderer(raw_html=True)
    pages = page_urls(loaded.kb)
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for article in articles:
            render_article(article, loaded.root, renderer, pages=pages, prefix="../../")
        best = min(best, time.process_time() - started)
    loaded.index.close()
    return best * 1000 / len(articles)


def pages_cpu(kb: Path, out: Path) -> float:
    """CPU seconds of a pages-only build (no Pagefind) in this process with one worker: the
    part of the build that sanitizing and copying can change, without fork or disk noise."""
    import time

    from fomo.site.build import SiteBuilder

    shutil.rmtree(out, ignore_errors=True)
    started = time.process_time()
    SiteBuilder(kb, out, search=False, workers=1).build()
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=5000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--pages-only", action="store_true", help="only the in-process pages-only CPU figures"
    )
    parser.add_argument(
        "--full-only", action="store_true", help="only the full cold builds with search"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = dict(os.environ, FOMO_CACHE_DIR=str(work / "cache"))
        kbs = {
            "before (plain articles)": work / "plain",
            "raw HTML + image": work / "figures",
        }
        make_kb(kbs["before (plain articles)"], args.topics, args.articles, figures=False)
        make_kb(kbs["raw HTML + image"], args.topics, args.articles, figures=True)
        seconds: dict[str, list[float]] = {name: [] for name in kbs}
        cpu: dict[str, list[float]] = {name: [] for name in kbs}
        copied: dict[str, int] = {}
        os.environ["FOMO_CACHE_DIR"] = env["FOMO_CACHE_DIR"]
        pages: dict[str, list[float]] = {name: [] for name in kbs}
        for round_ in range(0 if args.full_only else args.rounds + 1):  # round 0 warms up
            order = list(kbs.items()) if round_ % 2 == 0 else list(reversed(kbs.items()))
            for name, kb in order:
                used = pages_cpu(kb, work / "pages")
                if round_:
                    pages[name].append(used)
        print(f"== {args.topics} topics + {args.articles} articles, {args.rounds} rounds ==")
        for name, values in pages.items() if not args.full_only else ():
            runs = ", ".join(f"{v:.2f}" for v in values)
            print(
                f"pages-only CPU, 1 process, {name:24} median {statistics.median(values):6.2f} s ({runs})"
            )
        if not args.full_only:
            plain, figures = (statistics.median(v) for v in pages.values())
            print(f"pages-only CPU ratio raw HTML + image / before: {figures / plain:.3f}")
            for name, kb in kbs.items():
                print(f"one article body, in-process, {name}: {article_ms(kb):.2f} ms CPU")
        if args.pages_only:
            return
        for round_ in range(args.rounds):
            order = list(kbs.items()) if round_ % 2 == 0 else list(reversed(kbs.items()))
            for name, kb in order:
                out = work / "out"
                shutil.rmtree(out, ignore_errors=True)
                before = cpu_seconds()
                seconds[name].append(fomo_build(kb, out, env)["seconds"])
                cpu[name].append(cpu_seconds() - before)
                copied[name] = len(list((out / "files").rglob("*.png")))
        for what, table in (("wall", seconds), ("CPU", cpu)):
            for name, values in table.items():
                runs = ", ".join(f"{v:.2f}" for v in values)
                print(f"{what:4} {name:24} median {statistics.median(values):7.2f} s  ({runs})")
            plain, figures = (statistics.median(v) for v in table.values())
            print(f"{what:4} ratio raw HTML + image / before: {figures / plain:.3f} (limit 1.05)")
        print("images copied per build: " + ", ".join(f"{k}: {v}" for k, v in copied.items()))


if __name__ == "__main__":
    main()
