"""How fast is `fomo build`, and how smooth is the mind map? Measured side by side in one run.

- full build (pages + Pagefind search index) of a synthetic knowledge base of 1,000 and 5,000
  topics + 200 articles (pages of ~400 words with code), against Hugo (Debian's `hugo`, a
  minimal layout) followed by Pagefind over its output, and against MkDocs Material (search
  plugin on; in its own venv, /tmp/mkdocs-venv, created here if missing; at 1,000 topics);
- an incremental rebuild after editing one topic, against the full build;
- peak memory of the build at 5,000 topics;
- the 10,000-node mind map in headless Chromium: time to first draw, expand-all, fps panning,
  and its data + code size gzipped.

Run: .venv/bin/python benchmarks/site_build.py [--sizes 1000 5000] [--no-mkdocs] [--map-nodes N]
[--rounds N] [--before REV] (alone on the machine: the build renders in one process per CPU, so
other load distorts it). `--before REV` also builds with git revision REV's code in each round,
so that a change is measured against the code before it in the same conditions.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "attention",
    "sparse",
    "rotary",
    "adaptive",
    "contrastive",
    "preference",
    "policy",
    "reward",
    "latent",
    "mixture",
    "expert",
    "gated",
    "linear",
    "recurrent",
    "state",
    "space",
    "token",
    "vocabulary",
    "retrieval",
    "augmented",
    "agent",
    "planning",
    "tool",
    "memory",
    "context",
    "window",
    "long",
    "chunked",
    "speculative",
    "draft",
    "verify",
    "quantized",
    "low",
    "rank",
    "adapter",
    "prefix",
    "prompt",
    "chain",
    "thought",
    "tree",
    "graph",
    "reflection",
    "critique",
    "judge",
    "benchmark",
    "evaluation",
    "alignment",
    "safety",
    "guard",
    "red",
    "team",
    "watermark",
    "distillation",
    "pruning",
    "kernel",
    "fused",
    "paged",
    "cache",
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "that",
    "is",
    "for",
    "with",
    "as",
    "on",
    "by",
    "model",
    "training",
    "data",
    "loss",
    "gradient",
    "layer",
]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def prose(rng: random.Random, words: int) -> str:
    out, sentence = [], []
    for _ in range(words):
        sentence.append(rng.choice(WORDS))
        if len(sentence) >= rng.randint(8, 18):
            out.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    return " ".join(out)


def body(rng: random.Random, parent: str | None) -> str:
    link = f" See also [[{parent}]]." if parent else ""
    return (
        f"## Overview\n\n{prose(rng, 150)}{link}\n\n## How it works\n\n{prose(rng, 150)}\n\n"
        "```python\ndef score(model, batch):\n    logits = model(batch.inputs)\n"
        "    return (logits.argmax(-1) == batch.labels).float().mean()\n```\n\n"
        f"## Limits\n\n{prose(rng, 100)}\n"
    )


# A 2x2 PNG: every article shows one, in raw HTML, as the seed project's articles do (issue 14).
FIGURE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000001049444154789c63"
    "f87582018818201400352e0709c3414d6e0000000049454e44ae426082"
)


def make_kb(
    root: Path, topics: int, articles: int, *, with_body: bool = True, figures: bool = True
) -> list[dict]:
    """Write a knowledge base; return the topics as dicts (for the anchors' Markdown).
    `figures`: each article opens with a centred image in raw HTML (its file beside it)."""
    rng = random.Random(11)
    nodes = [{"id": "synthetic-root", "title": "Synthetic Root", "parent": None}]
    children: dict[int, list[int]] = {0: []}
    frontier = 0
    for number in range(1, topics):
        while len(children[frontier]) >= (12 if frontier == 0 else 8):
            frontier += 1
        title = " ".join(rng.choice(WORDS).capitalize() for _ in range(3)) + f" {number}"
        nodes.append({"id": f"t{number}", "title": title, "parent": frontier})
        children[frontier].append(number)
        children[number] = []
    for position, node in enumerate(nodes):
        node["essence"] = prose(rng, 18)
        node["year"] = 2015 + position % 11
        parent = node["parent"]
        node["body"] = body(rng, nodes[parent]["id"] if parent else None) if with_body else ""
        if parent is None:
            path = root / "map" / "index.md"
        else:
            chain = []
            current = position
            while nodes[current]["parent"] is not None:
                chain.append(nodes[current]["id"])
                current = nodes[current]["parent"]
            chain.reverse()
            path = (
                root / "map" / Path(*chain) / "index.md"
                if children[position]
                else (root / "map" / Path(*chain[:-1]) / f"{chain[-1]}.md")
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ntitle: {node['title']}\nessence: {node['essence']}\nyear: {node['year']}\n"
            f"added: 2026-{1 + position % 12:02d}-{1 + position % 28:02d}\n"
            f"aliases: [T{position}]\n---\n{node['body']}",
            encoding="utf-8",
        )
    per_session = 20
    for s in range(0, articles, per_session):
        folder = root / "sessions" / f"{s // per_session + 1:02d}-session"
        folder.mkdir(parents=True, exist_ok=True)
        parts = []
        for a in range(s, min(s + per_session, articles)):
            topic = nodes[1 + a % (len(nodes) - 1)]["id"] if len(nodes) > 1 else "synthetic-root"
            parts.append(
                f"  - {{number: {a - s + 1}, title: Part {a}, topics: [{topic}], "
                f"status: published, author: A, article: a{a}.md}}"
            )
            figure = ""
            if figures:
                (folder / "img").mkdir(exist_ok=True)
                (folder / "img" / f"a{a}.png").write_bytes(FIGURE)
                figure = f'<p align="center"><img src="img/a{a}.png" alt="Figure {a}" width="320"><br>Figure {a}</p>\n\n'
            (folder / f"a{a}.md").write_text(
                f"---\ntitle: Article {a}\nauthor: A\npublished: 2026-10-{1 + a % 28:02d}\n"
                f'topics: [{topic}]\n---\n{figure}{body(rng, topic)}\n!!! tip "Note"\n    {prose(rng, 20)}\n',
                encoding="utf-8",
            )
        (folder / "index.md").write_text(
            f"---\ntitle: Session {s // per_session + 1}\nsummary: Synthetic.\nparts:\n"
            + "\n".join(parts)
            + "\n---\n",
            encoding="utf-8",
        )
    return nodes


def cpu_of_children() -> tuple[float, float]:
    """User and system CPU seconds of every finished child process (and the children they
    waited for: render workers, Pagefind). They are apart because on this machine the system
    time of creating thousands of new files varies tenfold from one run to the next (the
    kernel rereads the file system's allocation maps), while the user time stays put."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


def spent(before: tuple[float, float]) -> tuple[float, float]:
    user, system = cpu_of_children()
    return user - before[0], system - before[1]


def timed(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed: {(done.stderr or done.stdout)[-800:]}")
    return time.perf_counter() - started


def source_at(rev: str, target: Path) -> Path:
    """The `src` folder of git revision `rev`, unpacked under `target` (for PYTHONPATH), with
    this checkout's vendored scripts (npm's, not in git), so both builds copy the same assets."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    vendor = Path("src/fomo/site/assets/vendor")
    if (ROOT / vendor).is_dir():
        shutil.copytree(ROOT / vendor, target / vendor, dirs_exist_ok=True)
    return target / "src"


def fomo_build(kb: Path, out: Path, env: dict) -> dict[str, float]:
    """A cold `fomo build` with search (empty cache, new output folder) in a fresh process, timed
    from before the import: wall seconds, its phases, and peak RSS (MB) of the build process and
    of its largest child (a render worker or Pagefind)."""
    code = (
        "import time;t=time.perf_counter();import resource;"
        "from fomo.site.build import build_site;"
        f"r=build_site({str(kb)!r},{str(out)!r},search=True);"
        "print(time.perf_counter()-t, r.load_seconds, r.search_seconds, r.workers,"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024)"
    )
    shutil.rmtree(env["FOMO_CACHE_DIR"], ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-1500:])
    names = ("seconds", "load", "search", "workers", "peak", "child_peak")
    return dict(zip(names, map(float, done.stdout.split()), strict=True))


def markdown_pages(nodes: list[dict], kb: Path, target: Path, front: str) -> None:
    """The same topic and article pages as plain Markdown files for the anchors."""
    by_parent: dict[int | None, list[dict]] = {}
    for node in nodes:
        by_parent.setdefault(node["parent"], []).append(node)
    (target / "topics").mkdir(parents=True, exist_ok=True)
    (target / "articles").mkdir(parents=True, exist_ok=True)
    for position, node in enumerate(nodes):
        kids = "\n".join(f"- [{c['title']}]({c['id']}.md)" for c in by_parent.get(position, []))
        text = (
            (f"{node['essence']}\n\n{node['body']}\n\n## Inside\n\n{kids}\n")
            .replace("[[", "[")
            .replace("]]", "]")
        )
        header = (
            f'---\ntitle: "{node["title"]}"\n---\n' if front == "hugo" else f"# {node['title']}\n\n"
        )
        (target / "topics" / f"{node['id']}.md").write_text(header + text, encoding="utf-8")
    for article in (kb / "sessions").rglob("a*.md"):
        text = (
            article.read_text(encoding="utf-8")
            .split("---\n", 2)[2]
            .replace("[[", "[")
            .replace("]]", "]")
        )
        header = (
            f'---\ntitle: "{article.stem}"\n---\n' if front == "hugo" else f"# {article.stem}\n\n"
        )
        (target / "articles" / article.name).write_text(header + text, encoding="utf-8")
    index = "---\ntitle: Home\n---\nHome\n" if front == "hugo" else "# Home\n"
    (target / ("_index.md" if front == "hugo" else "index.md")).write_text(index, encoding="utf-8")


def hugo_site(nodes: list[dict], kb: Path, work: Path) -> Path:
    site = work / "hugo"
    markdown_pages(nodes, kb, site / "content", "hugo")
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    base = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
        '</head><body><nav><a href="/">Home</a></nav><main data-pagefind-body>{{ block "main" . }}'
        "{{ end }}</main></body></html>"
    )
    (layouts / "baseof.html").write_text(base)
    (layouts / "single.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}'
    )
    (layouts / "list.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}'
    )
    (site / "hugo.toml").write_text(
        'baseURL = "http://example.org/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS"]\n'
        "[markup.goldmark.renderer]\nunsafe = false\n[markup.highlight]\nnoClasses = false\n"
    )
    return site


def mkdocs_site(nodes: list[dict], kb: Path, work: Path) -> Path:
    site = work / "mkdocs"
    markdown_pages(nodes, kb, site / "docs", "mkdocs")
    (site / "mkdocs.yml").write_text(
        "site_name: bench\ntheme:\n  name: material\nplugins:\n  - search\n"
        "markdown_extensions:\n  - admonition\n  - pymdownx.highlight\n  - pymdownx.superfences\n"
    )
    return site


def ensure_mkdocs() -> Path | None:
    venv = Path("/tmp/mkdocs-venv")
    exe = venv / "bin" / "mkdocs"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        done = subprocess.run([str(venv / "bin/pip"), "install", "-q", "mkdocs-material"])
        if done.returncode != 0:
            return None
    return exe if exe.exists() else None


def incremental(kb: Path, out: Path) -> tuple[float, list[tuple[str, float, int]]]:
    """The full pages-only build (s), then per edit of one topic (its title, then a line of its
    text: what `fomo serve` sees most): the update's seconds and files written; one process."""
    from fomo.site.build import SiteBuilder

    builder = SiteBuilder(kb, out, search=False)
    started = time.perf_counter()
    builder.build()
    full = time.perf_counter() - started
    leaf = next(p for p in sorted((kb / "map").rglob("*.md")) if p.name != "index.md")
    updates = []
    for edit, change in (
        ("title", lambda text: text.replace("title: ", "title: Edited ", 1)),
        ("text", lambda text: text + "\nOne more sentence.\n"),
    ):
        leaf.write_text(change(leaf.read_text(encoding="utf-8")), encoding="utf-8")
        started = time.perf_counter()
        result, _ = builder.update()
        updates.append((edit, time.perf_counter() - started, result.written))
    return full, updates


def map_benchmark(nodes: int, work: Path, env: dict) -> dict[str, float]:
    from fomo.site.build import build_site
    from fomo.site.serve import Generation, _Server, make_handler

    kb = work / f"kb-map-{nodes}"
    make_kb(kb, nodes, 0, with_body=False)
    out = work / f"site-map-{nodes}"
    build_site(kb, out, search=False)
    data = (out / "assets/map-data.js").read_bytes() + (out / "assets/mindmap.js").read_bytes()
    figures = {"gzip_kb": len(gzip.compress(data, 9)) / 1024}
    server = _Server(("127.0.0.1", 0), make_handler(out, Generation(), live=False))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)
        page.wait_for_function("document.documentElement.dataset.map === 'ready'")
        figures["draw_ms"] = page.evaluate(
            "performance.getEntriesByType('navigation')[0] ? "
            "(performance.now() - performance.getEntriesByType('navigation')[0].responseEnd) : 0"
        )
        figures["draw_ms"] = page.evaluate(
            "new Promise(r => requestAnimationFrame(() => r(performance.now())))"
        ) - page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")
        figures["expand_all_ms"] = page.evaluate("fomoMap.expandAll()")
        figures["visible"] = page.evaluate("fomoMap.visibleCount()")
        page.evaluate("fomoMap.zoomTo(1)")
        fps_code = """(seconds) => new Promise(resolve => {
            let frames = 0; const start = performance.now();
            function step(now) { fomoMap.panBy(-3, -7); fomoMap.drawNow(); frames++;
              if (now - start < seconds * 1000) requestAnimationFrame(step);
              else resolve(frames / ((now - start) / 1000)); }
            requestAnimationFrame(step); })"""
        figures["fps_pan_zoom1"] = page.evaluate(fps_code, 2)
        page.evaluate("fomoMap.zoomTo(0.05)")
        figures["fps_pan_overview"] = page.evaluate(fps_code, 2)
        browser.close()
    server.shutdown()
    server.server_close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--no-mkdocs", action="store_true")
    parser.add_argument("--map-nodes", type=int, default=10000)
    parser.add_argument(
        "--rounds", type=int, default=1, help="alternate fomo and hugo+pagefind this many times"
    )
    parser.add_argument("--before", metavar="REV", help="also build with REV's code each round")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fomo-site-bench-"))
    env = {**os.environ, "FOMO_CACHE_DIR": str(work / "cache")}
    before_env = (
        {**env, "PYTHONPATH": str(source_at(args.before, work / "before"))} if args.before else None
    )
    os.environ["FOMO_CACHE_DIR"] = env["FOMO_CACHE_DIR"]
    from fomo.site.pagefind import command  # the binary itself, as `fomo build` runs it

    pagefind = [*command(), "--silent", "--site"]
    print(f"work folder: {work}")
    try:
        for size in args.sizes:
            kb = work / f"kb-{size}"
            nodes = make_kb(kb, size, args.articles)
            print(f"\n== {size} topics + {args.articles} articles ==")
            hugo = hugo_site(nodes, kb, work / f"anchor-{size}") if shutil.which("hugo") else None
            if hugo is None:
                print("hugo: not installed (apt-get install hugo), anchor skipped")
            rounds: list[tuple[float, float, float, float]] = []
            befores: list[float] = []
            for number in range(args.rounds):
                before = cpu_of_children()
                figures = fomo_build(kb, work / f"site-{size}-{number}", env)
                ours_user, ours_system = spent(before)
                ours = figures["seconds"]
                print(
                    f"fomo build, cold (pages + search): {ours:.1f} s (CPU: {ours_user:.1f} s user +"
                    f" {ours_system:.1f} s system) ="
                    f" reading the kb {figures['load']:.1f} s + pages and search"
                    f" {ours - figures['load']:.1f} s ({figures['workers']:.0f} processes render"
                    f" the pages, then Pagefind {figures['search']:.1f} s); peak RSS"
                    f" {figures['peak']:.0f} MB"
                    f" (largest child {figures['child_peak']:.0f} MB)"
                )
                if before_env is not None:
                    earlier = fomo_build(kb, work / f"before-site-{size}-{number}", before_env)
                    befores.append(ours / earlier["seconds"])
                    print(
                        f"fomo build at {args.before}: {earlier['seconds']:.1f} s (reading the kb"
                        f" {earlier['load']:.1f} s, Pagefind {earlier['search']:.1f} s); now /"
                        f" then = {befores[-1]:.2f}x"
                    )
                if hugo is None:
                    continue
                before = cpu_of_children()
                public = f"public-{number}"
                t_hugo = timed(["hugo", "--quiet", "-d", public], cwd=hugo)
                t_pf = timed([*pagefind, str(hugo / public)])
                theirs_user, theirs_system = spent(before)
                rounds.append((ours, t_hugo + t_pf, ours_user, theirs_user))
                print(
                    f"hugo {t_hugo:.1f} s + pagefind {t_pf:.1f} s = {t_hugo + t_pf:.1f} s"
                    f" (CPU: {theirs_user:.1f} s user + {theirs_system:.1f} s system); fomo /"
                    f" (hugo+pagefind) = {ours / (t_hugo + t_pf):.2f}x wall,"
                    f" {ours_user / theirs_user:.2f}x user CPU"
                    " (target <= 1.0x)"
                )
            if len(rounds) > 1:
                walls = statistics.median(r[0] / r[1] for r in rounds)
                cpus = statistics.median(r[2] / r[3] for r in rounds)
                print(
                    f"median of {len(rounds)} alternating rounds: fomo / (hugo+pagefind) ="
                    f" {walls:.2f}x wall, {cpus:.2f}x user CPU"
                )
            if len(befores) > 1:
                print(
                    f"median of {len(befores)} rounds: fomo now / fomo at {args.before} ="
                    f" {statistics.median(befores):.2f}x wall"
                )
            if size <= 1000 and not args.no_mkdocs:
                exe = ensure_mkdocs()
                if exe is None:
                    print("mkdocs material: could not install into /tmp/mkdocs-venv, skipped")
                else:
                    site = mkdocs_site(nodes, kb, work / f"anchor-{size}")
                    t_mk = timed(
                        [str(exe), "build", "-q", "-d", str(work / f"mk-out-{size}")], cwd=site
                    )
                    print(
                        f"mkdocs material (search on): {t_mk:.1f} s; mkdocs / fomo = "
                        f"{t_mk / ours:.1f}x faster (target >= 20x)"
                    )
            full, updates = incremental(kb, work / f"inc-{size}")
            for edit, inc, written in updates:
                print(
                    f"incremental after editing one topic's {edit}: {inc:.2f} s ({written} files"
                    f" written) vs full pages-only build {full:.1f} s = 1/{full / inc:.0f}; vs"
                    f" full build with search {ours:.1f} s = 1/{ours / inc:.0f} (target <= 1/20)"
                )
            shutil.rmtree(kb, ignore_errors=True)
        if args.map_nodes:
            figures = map_benchmark(args.map_nodes, work, env)
            print(f"\n== mind map, {args.map_nodes} nodes, headless Chromium ==")
            print(f"data + code gzipped: {figures['gzip_kb']:.0f} KB (target <= 600 KB)")
            print(
                f"first draw after the page arrived: {figures['draw_ms']:.0f} ms (target <= 1000;"
                " markmap 0.18: 8400 ms)"
            )
            print(
                f"expand all ({figures['visible']} visible): {figures['expand_all_ms']:.0f} ms "
                "(target <= 1000; markmap: 9400 ms)"
            )
            print(
                f"panning, everything expanded: {figures['fps_pan_zoom1']:.0f} fps at zoom 1, "
                f"{figures['fps_pan_overview']:.0f} fps zoomed out to the whole map "
                "(target >= 30; markmap: 1.7)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
