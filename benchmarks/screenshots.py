"""Screenshots of every page kind of the site, at a desktop and a phone size, light and dark.

Not a benchmark: a picture book to look at before calling a design change done (issue 13 asks
for it). It builds the bundled knowledge base (or --kb) into a temporary folder, serves it with
our own server and photographs each page in Debian's Chromium.

Run: .venv/bin/python benchmarks/screenshots.py [--kb PATH] [--out DIR] [--only home,topic]
[--topic ID] [--full]
Writes DIR/<kind>-<width>x<height>-<theme>.png (default DIR: /tmp/fomo-screenshots).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
from pathlib import Path
from typing import Any

from site_build import CHROMIUM_ARGS  # the same flags as the map benchmark

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((1400, 900), (390, 844))
THEMES = ("light", "dark")


def page_kinds(site: Path, topic_id: str = "dpo") -> dict[str, str]:
    """One page of each kind that exists in the built site: kind -> relative URL (the topic
    page of `topic_id` when the site has it)."""
    kinds = {
        "home": "index.html",
        "topics": "topics/index.html",
        "sessions": "sessions/index.html",
        "articles": "articles/index.html",
        "timeline": "timeline.html",
        "new": "new.html",
        "contribute": "contribute.html",
        "search": "search.html?q=preference",
        "404": "404.html",
    }
    topic = f"topics/{topic_id}.html" if (site / f"topics/{topic_id}.html").exists() else None
    topics = sorted(p for p in (site / "topics").glob("*.html") if p.name != "index.html")
    kinds["topic"] = topic or topics[0].relative_to(site).as_posix()
    sessions = sorted(p for p in (site / "sessions").glob("*.html") if p.name != "index.html")
    if sessions:
        kinds["session"] = sessions[-3 if len(sessions) >= 3 else 0].relative_to(site).as_posix()
    articles = sorted(p for p in (site / "articles").glob("*/*.html"))
    if articles:
        kinds["article"] = articles[0].relative_to(site).as_posix()
    return kinds


def note_error(message: Any, seen: list[str]) -> None:
    if message.type == "error":
        seen.append(message.text)


READER = """
localStorage.setItem('fomo:progress', JSON.stringify({topics: %s}));
localStorage.setItem('fomo:last-visit', '2000-01-01');
sessionStorage.removeItem('fomo:since');
"""


def reader_state(
    browser: Any, base: str, out: Path, width: int, height: int, theme: str, topic: str
) -> None:
    """The map and a topic page as a returning reader sees them: a few topics marked, every
    topic new since a visit long ago, one topic selected (the bottom sheet on a phone)."""
    topic_id = topic.rsplit("/", 1)[-1].removesuffix(".html")
    marks = {topic_id: "known", "self-attention": "known", "transformer": "learning"}
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=theme, device_scale_factor=1
    )
    context.add_init_script(READER % json.dumps(marks))
    page = context.new_page()
    for kind, rel in (("home-reader", f"index.html#topic={topic_id}"), ("topic-reader", topic)):
        page.goto(base + rel)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(400)
        name = out / f"{kind}-{width}x{height}-{theme}.png"
        page.screenshot(path=str(name))
        print(name)
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", default=str(ROOT / "knowledge"))
    parser.add_argument("--out", default="/tmp/fomo-screenshots")
    parser.add_argument("--only", default="", help="comma-separated page kinds")
    parser.add_argument("--full", action="store_true", help="whole page, not just the viewport")
    parser.add_argument("--topic", default="dpo", help="the topic page to photograph (its id)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from fomo.site.build import build_site
    from fomo.site.serve import Generation, _Server, make_handler

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site(args.kb, site, search=True)
        server = _Server(("127.0.0.1", 0), make_handler(site, Generation(), live=False))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        kinds = page_kinds(site, args.topic)
        wanted = [k for k in args.only.split(",") if k] or list(kinds)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for width, height in SIZES:
                for theme in THEMES:
                    context = browser.new_context(
                        viewport={"width": width, "height": height},
                        color_scheme=theme,  # type: ignore[arg-type]
                        device_scale_factor=1,
                    )
                    page = context.new_page()
                    errors: list[str] = []
                    page.on("console", lambda m, seen=errors: note_error(m, seen))
                    for kind in wanted:
                        page.goto(base + kinds[kind])
                        page.wait_for_load_state("networkidle")
                        page.wait_for_timeout(400)
                        name = out / f"{kind}-{width}x{height}-{theme}.png"
                        page.screenshot(path=str(name), full_page=args.full)
                        wide = page.evaluate("document.documentElement.scrollWidth")
                        note = f" (scrolls sideways: {wide}px)" if wide > width else ""
                        print(f"{name}{note}")
                    for error in errors:
                        print(f"  console error at {width}x{height} {theme}: {error}")
                    context.close()
                    reader_state(browser, base, out, width, height, theme, kinds["topic"])
            browser.close()
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
