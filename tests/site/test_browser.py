"""End-to-end in Debian's Chromium: the map, search, deep links, articles, safety, access."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import topic_file
from tests.site.conftest import SITE_KB, XSS, need_axe, need_chromium, need_mermaid, write_kb


@pytest.fixture(scope="session")
def axe_script() -> str:
    return need_axe()


def test_missing_tools_skip_locally_saying_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        need_chromium(str(tmp_path / "no-chromium"))
    with pytest.raises(pytest.skip.Exception, match="npm ci"):
        need_axe((tmp_path / "axe.min.js",))


def test_missing_tools_fail_on_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium"):
        need_chromium(str(tmp_path / "no-chromium"))
    with pytest.raises(pytest.fail.Exception, match="npm ci"):
        need_axe((tmp_path / "axe.min.js",))
    (tmp_path / "axe.min.js").write_text("window.axe = {};")
    assert need_axe((tmp_path / "axe.min.js",)) == "window.axe = {};"


class Watched:
    """A page plus everything that went wrong on it: console errors, dialogs, outside requests."""

    def __init__(self, page: Any, origin: str) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(origin) or url.startswith(("data:", "blob:", "about:")):
                r.continue_()
            else:
                self.outside.append(url)
                r.abort()

        page.route("**/*", route)


@pytest.fixture
def watched(browser: Any, site_url: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    w = Watched(page, site_url.rstrip("/"))
    yield w
    context.close()
    assert not w.errors, w.errors
    assert not w.dialogs, w.dialogs
    assert not w.outside, w.outside


def open_map(w: Watched, url: str) -> Any:
    w.page.goto(url)
    w.page.wait_for_function("document.documentElement.dataset.map === 'ready'")
    return w.page


def test_map_renders(watched: Watched, site_url: str) -> None:
    page = open_map(watched, site_url + "index.html")
    assert page.evaluate("fomoMap.nodes") == len([k for k in SITE_KB if k.startswith("map/")])
    assert page.evaluate("fomoMap.isVisible('training')")
    assert page.evaluate("fomoMap.stats.frames") >= 1
    # something was painted: the canvas is not a single flat colour
    distinct = page.evaluate(
        """() => { const c = document.getElementById('map-canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set(); for (let i = 0; i < d.length; i += 4000) seen.add(d[i] + ',' + d[i+1]);
        return seen.size; }"""
    )
    assert distinct > 2


def test_folding_with_mouse_and_keyboard(watched: Watched, site_url: str) -> None:
    page = open_map(watched, site_url + "index.html")
    assert page.evaluate("fomoMap.isExpanded('training')")
    assert page.evaluate("fomoMap.isVisible('preferences')")
    point = page.evaluate("fomoMap.screenPoint('training')")
    box = page.locator("#map-canvas").bounding_box()
    page.mouse.click(box["x"] + point["toggleX"], box["y"] + point["toggleY"])
    assert not page.evaluate("fomoMap.isExpanded('training')")
    assert not page.evaluate("fomoMap.isVisible('preferences')")
    page.mouse.click(
        box["x"] + point["toggleX"],
        box["y"] + page.evaluate("fomoMap.screenPoint('training')")["toggleY"],
    )
    assert page.evaluate("fomoMap.isVisible('preferences')")
    # keyboard: select preferences (collapsed at level 2), unfold it with ArrowRight
    page.select_option("#map-level", "2")
    page.evaluate("fomoMap.select('preferences')")
    page.locator("#map-canvas").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("fomoMap.isVisible('dpo')")
    page.keyboard.press("Space")
    assert not page.evaluate("fomoMap.isVisible('dpo')")
    page.select_option("#map-level", "99")
    assert page.evaluate("fomoMap.visibleCount()") == page.evaluate("fomoMap.nodes")


def test_search_finds_dpo_and_opens_its_page(watched: Watched, site_url: str) -> None:
    page = open_map(watched, site_url + "index.html")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "map-search"
    page.keyboard.type("DPO")
    first = page.locator("#map-results li").first
    assert "Direct Preference Optimization" in first.inner_text()
    page.keyboard.press("Enter")
    assert page.evaluate("fomoMap.selectedId()") == "dpo"
    assert page.evaluate("fomoMap.isVisible('dpo')")
    assert "Direct Preference Optimization" in page.locator("#map-selected").inner_text()
    page.click("#map-open-page")
    page.wait_for_url("**/topics/dpo.html")
    assert page.locator("h1").inner_text() == "Direct Preference Optimization"


def test_deep_link_focuses_node(watched: Watched, site_url: str) -> None:
    page = open_map(watched, site_url + "index.html#topic=dpo")
    assert page.evaluate("fomoMap.selectedId()") == "dpo"
    point = page.evaluate("fomoMap.screenPoint('dpo')")
    box = page.locator("#map-canvas").bounding_box()
    assert 0 < point["x"] < box["width"] and 0 < point["y"] < box["height"]


def test_malformed_deep_link_still_draws_the_map(watched: Watched, site_url: str) -> None:
    # %E0%A4 is a cut-off UTF-8 sequence: decodeURIComponent throws URIError on it
    page = open_map(watched, site_url + "index.html#topic=%E0%A4")
    assert page.evaluate("fomoMap.stats.frames") >= 1
    assert page.evaluate("fomoMap.isVisible('training')")
    assert page.evaluate("fomoMap.selectedId()") is None
    page.evaluate("location.hash = '#topic=%E0%A4%'")  # a bad link followed later: ignored too
    page.wait_for_timeout(100)
    page.evaluate("location.hash = '#topic=dpo'")  # and a good one still works afterwards
    page.wait_for_function("fomoMap.selectedId() === 'dpo'")


def test_click_on_title_opens_topic_page(watched: Watched, site_url: str) -> None:
    page = open_map(watched, site_url + "index.html#topic=tokenization")
    point = page.evaluate("fomoMap.screenPoint('tokenization')")
    box = page.locator("#map-canvas").bounding_box()
    page.mouse.click(box["x"] + point["x"] + 5, box["y"] + point["y"])
    page.wait_for_url("**/topics/tokenization.html")


def test_article_admonitions_collapsibles_and_mermaid(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url + "articles/01-training/dpo-article.html")
    assert page.locator(".admonition.tip .admonition-title").inner_text() == "Key idea"
    collapsible = page.locator("details.admonition")
    assert not collapsible.evaluate("d => d.open")
    collapsible.locator("summary").click()
    assert collapsible.evaluate("d => d.open")
    page.locator("details:not(.admonition) > summary").click()
    assert page.locator("text=Inside").is_visible()
    need_mermaid()
    page.wait_for_function("document.documentElement.dataset.diagrams === 'done'", timeout=15000)
    assert page.locator("pre.mermaid svg").count() == 1
    assert "DPO" in page.locator("pre.mermaid svg").evaluate("s => s.textContent")


def test_hostile_title_renders_as_text(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url + "topics/xss.html")
    assert page.locator("h1").inner_text() == "<img src=x onerror=alert(1)>"
    assert page.locator("main img").count() == 0
    page = open_map(watched, site_url + "index.html")
    page.fill("#map-search", "onerror")
    assert "<img src=x onerror=alert(1)>" in page.locator("#map-results li").first.inner_text()
    page.keyboard.press("Enter")
    assert page.locator("#map-selected img").count() == 0
    for rel in ("contribute.html", "timeline.html", "new.html", "topics/index.html"):
        page.goto(site_url + rel)
    page.wait_for_timeout(200)
    assert not watched.dialogs


def test_pagefind_search_page_finds_dpo(watched: Watched, site_url: str) -> None:
    """Pagefind's UI fills each result in when its fragment arrives, in no fixed order: wait
    for DPO's link rather than reading the links as soon as the first one shows."""
    page = watched.page
    page.goto(site_url + "search.html?q=preference")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.pagefind-ui__result-link')]"
        ".some(a => a.href.endsWith('/topics/dpo.html'))",
        timeout=15000,
    )


@pytest.mark.parametrize(
    ("query", "rel", "title"),
    [
        ("DPO", "/topics/dpo.html", "Direct Preference Optimization"),  # an alias, weighted
        ("tokenization", "/topics/tokenization.html", "Tokenization"),  # a title
    ],
)
def test_pagefind_ranks_the_named_topic_first_with_its_title(
    watched: Watched, site_url: str, query: str, rel: str, title: str
) -> None:
    """Pagefind reads only each page's searchable body (`--root-selector`): titles and the
    title and alias weights still come through."""
    page = watched.page
    page.goto(site_url + f"search.html?q={query}")
    # The first result in score order: Pagefind's UI lists a placeholder per result and fills
    # each in when its fragment arrives, so the first link to appear may be a later result's.
    first = page.locator(".pagefind-ui__result").first.locator(".pagefind-ui__result-link")
    first.wait_for(timeout=15000)
    assert first.evaluate("a => a.href").endswith(rel)
    assert first.inner_text().strip() == title


def first_result(w: Watched, site_url: str, query: str) -> Any:
    """The first search result once its fragment has arrived (Pagefind's UI shows dots in a
    result's place until then)."""
    w.page.goto(site_url + f"search.html?q={query}")
    selector = ".pagefind-ui__result .pagefind-ui__result-excerpt"
    w.page.wait_for_function(
        f"() => /[a-z]/i.test(document.querySelector({selector!r})?.textContent ?? '')",
        timeout=15000,
    )
    return w.page.locator(".pagefind-ui__result").first


def test_a_topic_matched_by_name_reads_as_the_topic(watched: Watched, site_url: str) -> None:
    """A match on a topic's alias shows its essence (not a window repeating its title and
    aliases), then where it sits and its other names, commas after each name; the review date
    stays out of it."""
    result = first_result(watched, site_url, "tokenizer")
    assert result.locator(".pagefind-ui__result-link").inner_text().strip() == "Tokenization"
    assert result.locator(".pagefind-ui__result-excerpt").inner_text().strip() == (
        "Splitting text into tokens."
    )
    tags = [
        " ".join(t.split()) for t in result.locator(".pagefind-ui__result-tag").all_inner_texts()
    ]
    assert tags == ["In: Building Blocks", "Also known as: tokenisation, tokenizer"]
    assert "Reviewed" not in result.inner_text()


def test_a_topic_result_marks_the_searched_word_and_escapes_the_essence(
    watched: Watched, site_url: str
) -> None:
    """The essence shown in place of Pagefind's excerpt is the author's text, so it is escaped
    (no markup from it runs: the watched page fails on a dialog) and the searched word is
    marked as Pagefind marks its own excerpts."""
    result = first_result(watched, site_url, "inside")
    excerpt = result.locator(".pagefind-ui__result-excerpt")
    assert excerpt.inner_text().strip() == f"Essence with {XSS} and </script><!-- inside"
    assert excerpt.locator("mark").all_inner_texts() == ["inside"]
    assert excerpt.locator("img").count() == 0


def test_other_results_keep_pagefinds_excerpt(watched: Watched, site_url: str) -> None:
    """An article is not a topic: its result is Pagefind's own, the words in context."""
    result = first_result(watched, site_url, "derivation")
    link = result.locator(".pagefind-ui__result-link").first
    assert link.evaluate("a => a.href").endswith("/articles/01-training/dpo-article.html")
    excerpt = result.locator(".pagefind-ui__result-excerpt").first
    assert [m.lower() for m in excerpt.locator("mark").all_inner_texts()] == ["derivation"]
    assert result.locator(".pagefind-ui__result-tag").count() == 0


@pytest.mark.parametrize(
    "rel",
    [
        "index.html",
        "topics/dpo.html",
        "sessions/01-training.html",
        "articles/01-training/dpo-article.html",
    ],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(
    browser: Any, axe_script: str, site_url: str, rel: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + rel)
    if rel.startswith("articles/"):
        page.wait_for_function(
            "document.documentElement.dataset.diagrams"
            " || !document.querySelector('script[src$=\"mermaid.min.js\"]')",
            timeout=15000,
        )
    page.add_script_tag(content=axe_script)
    found = page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    context.close()
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert not serious, serious


def test_serve_reloads_after_an_edit(browser: Any, tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", SITE_KB)
    env = {**os.environ, "FOMO_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fomo",
            "serve",
            "--kb",
            str(kb),
            "--out",
            str(tmp_path / "out"),
            "--port",
            "0",
            "--no-search",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        url = None
        deadline = time.monotonic() + 60
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if "serving" in line:
                url = line.split(" at ")[1].split()[0]
                break
        assert url, "server did not start"
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "topics/tokenization.html")
        assert page.locator("h1").inner_text() == "Tokenization"
        page.wait_for_timeout(300)  # the event stream connects
        (kb / "map/basics/tokenization.md").write_text(
            topic_file("Tokenization Edited", "Splitting text into tokens."), encoding="utf-8"
        )
        page.wait_for_function(
            "document.querySelector('h1').textContent === 'Tokenization Edited'", timeout=20000
        )
        context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
