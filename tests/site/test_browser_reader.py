"""The map as a reader meets it, in Debian's Chromium: readable on arrival at a desktop and a
phone size, light and dark; Fit keeps every title clear of the overlays; the map search matches
words and word beginnings and offers near misses; the reader's progress and last visit."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import topic_file
from tests.site.conftest import write_kb

SIZES = [(1400, 900), (390, 844)]
BRANCHES = 22


def wide_kb() -> dict[str, str]:
    """A map shaped like the bundled one: 22 branches with long names, three levels below."""
    files = {"map/index.md": topic_file("Large Language Models", "Models that predict text.")}
    for b in range(BRANCHES):
        branch = f"b{b:02d}"
        files[f"map/{branch}/index.md"] = topic_file(
            f"Branch {b} with a fairly long name", "A branch.", order=str(b)
        )
        for c in range(6):
            files[f"map/{branch}/{branch}-c{c}/index.md"] = topic_file(
                f"Topic {b}.{c} of the branch", "A topic."
            )
            for leaf in range(3):
                files[f"map/{branch}/{branch}-c{c}/{branch}-c{c}-l{leaf}.md"] = topic_file(
                    f"Leaf {b}.{c}.{leaf}", "A leaf."
                )
    # one colour too dark for the dark theme, one too pale for the light one
    files["site.yml"] = "branch_colours: {b00: '#1a1a2e', b01: '#ffe066'}\n"
    files["map/b01/b01-c0/inference-endpoints.md"] = topic_file(
        "Inference endpoints", "Hosted APIs that serve a model."
    )
    return files


def build(base: Path, files: dict[str, str]) -> Path:
    from fomo.site.build import build_site

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FOMO_CACHE_DIR", str(base / "cache"))
        build_site(write_kb(base / "kb", files), base / "out", search=False)
    return base / "out"


@pytest.fixture(scope="module")
def wide_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(build(tmp_path_factory.mktemp("wide"), wide_kb()))


def serve(out: Path) -> Iterator[str]:
    import threading

    from fomo.site.serve import Generation, _Server, make_handler

    server = _Server(("127.0.0.1", 0), make_handler(out, Generation(), live=False))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class Page:
    """A fresh browser context at one size and colour scheme that records console errors."""

    def __init__(self, browser: Any, width: int, height: int, scheme: str = "light") -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=scheme
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open_map(self, url: str) -> Any:
        self.page.goto(url)
        self.page.wait_for_function("document.documentElement.dataset.map === 'ready'")
        self.page.wait_for_timeout(50)  # the first frame
        return self.page

    def close(self) -> None:
        self.context.close()
        assert not self.errors, self.errors


def inside(label: dict[str, Any], view: dict[str, Any], insets: dict[str, Any]) -> bool:
    return (
        label["x"] >= 0
        and label["y"] >= insets["top"]
        and label["x"] + label["w"] <= view["w"]
        and label["y"] + label["h"] <= view["h"] - insets["bottom"]
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_first_view_names_every_branch_inside_the_canvas(
    browser: Any, wide_url: str, size: tuple[int, int], scheme: str
) -> None:
    view = Page(browser, *size, scheme)
    page = view.open_map(wide_url + "index.html")
    debug = page.evaluate("fomoMap.debug()")
    assert debug["level"] == 1  # level 2 (154 rows) cannot be read once fitted
    assert debug["scale"] >= 0.7  # the titles are drawn at a readable size
    branches = [label for label in debug["labels"] if label["depth"] == 1]
    assert len(branches) == BRANCHES
    outside = [b["text"] for b in branches if not inside(b, debug["view"], debug["insets"])]
    assert not outside, outside
    assert page.locator("#map-level").input_value() == "1"
    background = rgb(debug["background"])
    dim = [c for c in debug["branchColours"] if contrast(rgb(c), background) < 3]
    assert not dim, dim
    view.close()


def rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def luminance(c: tuple[float, ...]) -> float:
        lin = [
            v / 255 / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in c
        ]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_fit_keeps_overview_names_clear_of_the_overlays(
    browser: Any, wide_url: str, size: tuple[int, int]
) -> None:
    view = Page(browser, *size)
    page = view.open_map(wide_url + "index.html")
    page.select_option("#map-level", "99")  # far too many rows: the overview names branches
    page.click("#map-fit")
    page.wait_for_timeout(50)
    debug = page.evaluate("fomoMap.debug()")
    assert debug["scale"] < 0.38
    assert debug["insets"]["bottom"] > 0  # the help line and the zoom buttons overlay the stage
    labels = debug["labels"]
    assert labels and all(inside(label, debug["view"], debug["insets"]) for label in labels)
    root = next(label for label in labels if label["depth"] == 0)
    assert root["text"].startswith("Large Language")  # cut with an ellipsis on a phone
    view.close()


def test_a_small_map_opens_fully_unfolded(browser: Any, site_url: str) -> None:
    view = Page(browser, 1400, 900)
    page = view.open_map(site_url + "index.html")
    assert page.evaluate("fomoMap.visibleCount()") == page.evaluate("fomoMap.nodes")
    assert page.locator("#map-level").input_value() == "99"
    view.close()


def search(page: Any, text: str) -> list[str]:
    page.fill("#map-search", text)
    return page.locator("#map-results li").all_inner_texts()


def test_map_search_matches_words_and_prefixes_not_inner_substrings(
    browser: Any, wide_url: str, site_url: str
) -> None:
    view = Page(browser, 1400, 900)
    page = view.open_map(wide_url + "index.html")
    found = search(page, "endpoint")
    assert found[0].startswith("Inference endpoints")
    found = search(page, "infer endp")  # beginnings of two words, in any order of typing
    assert found[0].startswith("Inference endpoints")
    found = search(page, "dpoint")  # inside a word: no match, and nothing close enough
    assert not any(text.startswith("Inference endpoints") for text in found)
    page = view.open_map(site_url + "index.html")
    found = search(page, "DPO")
    assert found[0].startswith("Direct Preference Optimization")
    assert page.locator("#map-results li[role=option]").count() == 1
    view.close()


def test_map_search_suggests_near_misses(browser: Any, site_url: str) -> None:
    view = Page(browser, 1400, 900)
    page = view.open_map(site_url + "index.html")
    found = search(page, "rlfh")
    assert "Did you mean" in found[0]
    assert found[1].startswith("Reinforcement Learning from Human Feedback")
    page.keyboard.press("Enter")
    assert page.evaluate("fomoMap.selectedId()") == "rlhf"
    assert "No topic matches" in search(page, "zzzzqqq")[0]
    view.close()


def test_marking_a_topic_known_survives_a_reload_and_shows_in_the_map(
    browser: Any, site_url: str
) -> None:
    view = Page(browser, 1400, 900)
    page = view.page
    page.goto(site_url + "topics/dpo.html")
    known = page.locator("[data-progress-for] button[data-state=known]")
    known.click()
    assert known.get_attribute("aria-pressed") == "true"
    page.reload()
    assert known.get_attribute("aria-pressed") == "true"
    page = view.open_map(site_url + "index.html")
    assert page.evaluate("fomoMap.mark('dpo')") == "known"
    assert "1 of" in page.locator("#map-welcome-state").inner_text()
    # the branch above shows how much of it the reader knows
    page.evaluate("fomoMap.select('preferences')")
    assert "1 of 4 known" in page.locator("#map-selected").inner_text()
    # marking in the map's panel works too, and a second click clears the mark
    page.locator("#map-selected button[data-state=learning]").click()
    assert page.evaluate("fomoMap.mark('preferences')") == "learning"
    page.locator("#map-selected button[data-state=learning]").click()
    assert page.evaluate("fomoMap.mark('preferences')") == ""
    view.close()


def test_progress_exports_and_imports_as_a_file(
    browser: Any, site_url: str, tmp_path: Path
) -> None:
    view = Page(browser, 1400, 900)
    page = view.page
    page.goto(site_url + "topics/rlhf.html")
    page.locator("[data-progress-for] button[data-state=learning]").click()
    page = view.open_map(site_url + "index.html")
    with page.expect_download() as download:
        page.click("#progress-export")
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["fomo-progress"] == 1 and data["topics"] == {"rlhf": "learning"}
    data["topics"] = {"dpo": "known", "tokenization": "bogus-state"}
    saved.write_text(json.dumps(data))
    page.set_input_files("#progress-file", str(saved))
    page.wait_for_function("fomoMap.mark('dpo') === 'known'")
    assert page.evaluate("fomoMap.mark('rlhf')") == "learning"  # merged, not replaced
    assert page.evaluate("fomoMap.mark('tokenization')") == ""  # unknown states are dropped
    view.close()


def test_new_since_the_last_visit_is_highlighted(browser: Any, site_url: str) -> None:
    view = Page(browser, 1400, 900)
    page = view.open_map(site_url + "index.html")
    assert not page.evaluate("fomoMap.isNew('dpo')")  # a first visit: nothing is "new"
    # a later visit in a new browsing session, after one stored long before the topics' dates
    page.evaluate("localStorage.setItem('fomo:last-visit', '2000-01-01')")
    page.evaluate("sessionStorage.clear()")
    page = view.open_map(site_url + "index.html")
    assert page.evaluate("fomoMap.isNew('dpo')")
    assert "since your last visit" in page.locator("#map-welcome-state").inner_text()
    # the date stays fixed while the reader moves between pages of this browsing session
    page.goto(site_url + "new.html")
    assert page.locator("li.is-new .badge-new").count() >= 1
    # a visit after every date: nothing new
    page.evaluate("localStorage.setItem('fomo:last-visit', '2999-01-01')")
    page.evaluate("sessionStorage.clear()")
    page = view.open_map(site_url + "index.html")
    assert not page.evaluate("fomoMap.isNew('dpo')")
    view.close()


def test_a_tap_on_a_phone_opens_the_bottom_sheet(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.goto(site_url + "index.html")
    page.wait_for_function("document.documentElement.dataset.map === 'ready'")
    page.evaluate("fomoMap.expandToLevel(99); fomoMap.fit()")
    sheet = page.locator(".map-panel")
    assert sheet.bounding_box()["y"] > 844 - 60  # only its handle shows until a topic is chosen
    point = page.evaluate("fomoMap.screenPoint('tokenization')")
    box = page.locator("#map-canvas").bounding_box()
    assert 0 < point["x"] < box["width"] and 0 < point["y"] < box["height"], (point, box)
    page.touchscreen.tap(box["x"] + point["x"] + 5, box["y"] + point["y"])
    page.wait_for_timeout(300)  # the sheet slides up
    assert page.evaluate("fomoMap.selectedId()") == "tokenization"
    assert page.url.endswith("#topic=tokenization")  # shown, not yet opened
    top = sheet.bounding_box()["y"]
    assert 844 * 0.4 < top < 844
    assert "Tokenization" in page.locator("#map-selected h2").inner_text()
    context.close()


def test_an_example_search_on_the_home_panel_runs_it(browser: Any, site_url: str) -> None:
    view = Page(browser, 1400, 900)
    page = view.open_map(site_url + "index.html")
    chip = page.locator("#map-examples .chip").first
    assert chip.inner_text() == "PPO"  # the topic other topics refer to most
    chip.click()
    assert page.input_value("#map-search") == "PPO"
    assert page.locator("#map-results li").first.inner_text().startswith("Proximal Policy")
    view.close()
