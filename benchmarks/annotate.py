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
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fomo.kb.load import load
from fomo.query.annotate import all_names, build_index, find
from fomo.site.terms import term_index_json

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
    parser.add_argument("--megabytes", type=float, default=1.0)
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
    raw = term_index_json(kb).encode()
    print(
        f"extension term index: {len(raw) / 1024:.0f} KB raw, "
        f"{len(gzip.compress(raw, 9)) / 1024:.0f} KB gzipped (target <= 300 KB gzipped)"
    )
    print(
        f"extension in Chromium, 5,000-word page: {extension_ms(args.kb, plain):.0f} ms to mark "
        "(median of 5 loads; target <= 50 ms)"
    )
    started, answered = mcp_where(args.kb)
    print(
        f"fomo mcp: started and initialised in {started * 1000:.0f} ms; "
        f"a where call answered in {answered * 1000:.0f} ms (target: well under 1 s)"
    )
    return 0


def extension_ms(kb: str, plain: str) -> float:
    """Write the extension for the map, serve a 5,000-word page built from the corpus, and read
    the time the content script measured for its first pass (data-fomo-ms)."""
    import http.server
    import statistics
    import threading

    from playwright.sync_api import sync_playwright

    words = plain.split()
    text = " ".join((words * (5000 // len(words) + 1))[:5000])
    paragraphs = "".join(f"<p>{text[i : i + 600]}</p>" for i in range(0, len(text), 600))
    body = f"<!doctype html><html><body><article>{paragraphs}</article></body></html>".encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "ext"
        subprocess.run(
            [sys.executable, "-m", "fomo", "extension", "--kb", kb, "--out", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/"
        times = []
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(Path(work) / "profile"),
                executable_path="/usr/bin/chromium",
                headless=False,
                args=[
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    f"--disable-extensions-except={out}",
                    f"--load-extension={out}",
                ],
            )
            page = context.new_page()
            for _ in range(5):
                page.goto(url)
                page.wait_for_function("document.documentElement.dataset.fomoMs !== undefined")
                times.append(float(page.evaluate("document.documentElement.dataset.fomoMs")))
            context.close()
        httpd.shutdown()
    return statistics.median(times)


def mcp_where(kb: str) -> tuple[float, float]:
    """Seconds to start `fomo mcp` and initialise a session, then to answer one `where`."""
    import anyio
    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    async def measure() -> tuple[float, float]:
        params = StdioServerParameters(
            command=sys.executable, args=["-m", "fomo", "mcp", "--kb", kb]
        )
        began = time.perf_counter()
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            started = time.perf_counter() - began
            began = time.perf_counter()
            await session.call_tool("where", {"term": "dpo"})
            return started, time.perf_counter() - began

    return anyio.run(measure)


if __name__ == "__main__":
    raise SystemExit(main())
