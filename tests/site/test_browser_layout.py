"""Every page kind in Debian's Chromium at a desktop and a phone size, light and dark: the topic
page's columns, nothing wider than a phone, the favicon, the theme toggle, no console errors and
no serious accessibility violations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.site.conftest import need_axe

PAGES = {
    "home": "index.html",
    "topic": "topics/dpo.html",
    "topics": "topics/index.html",
    "session": "sessions/01-training.html",
    "sessions": "sessions/index.html",
    "article": "articles/01-training/dpo-article.html",
    "articles": "articles/index.html",
    "search": "search.html?q=preference",
    "timeline": "timeline.html",
    "new": "new.html",
    "contribute": "contribute.html",
    "404": "404.html",
}


def open_page(browser: Any, url: str, width: int, height: int, scheme: str = "light") -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page, errors


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_page_is_wider_than_a_phone_and_none_logs_errors(
    browser: Any, site_url: str, kind: str, scheme: str
) -> None:
    context, page, errors = open_page(browser, site_url + PAGES[kind], 390, 844, scheme)
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 390, f"{kind} is {width}px wide at 390px"
    assert not errors, errors


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_console_errors_on_a_desktop(browser: Any, site_url: str, kind: str) -> None:
    context, _, errors = open_page(browser, site_url + PAGES[kind], 1400, 900)
    context.close()
    assert not errors, errors


def test_topic_page_is_two_columns_on_a_desktop(browser: Any, site_url: str) -> None:
    context, page, _ = open_page(browser, site_url + "topics/dpo.html", 1400, 900)
    article = page.locator("article.topic").bounding_box()
    side = page.locator("aside.topic-side").bounding_box()
    tree = page.locator("#tree-nav").bounding_box()
    context.close()
    assert side["x"] >= article["x"] + article["width"]  # beside, not below
    assert side["y"] < article["y"] + 200
    assert tree["x"] + tree["width"] <= article["x"]  # the tree on the left
    assert article["width"] >= 600


def test_tree_navigation_opens_the_current_branch(browser: Any, site_url: str) -> None:
    context, page, _ = open_page(browser, site_url + "topics/dpo.html", 1400, 900)
    current = page.locator("#tree-nav [aria-current=page]")
    assert current.inner_text() == "Direct Preference Optimization"
    assert page.locator("#tree-nav a", has_text="Fine-tuning to human preferences").is_visible()
    folded = page.locator("#tree-nav li.branch", has_text="Building Blocks").first
    assert folded.locator("> button.fold").get_attribute("aria-expanded") == "false"
    folded.locator("> button.fold").click()
    assert folded.locator("> ul a").first.is_visible()
    context.close()


def test_favicon_and_social_card(browser: Any, site_url: str) -> None:
    context, page, _ = open_page(browser, site_url + "topics/dpo.html", 1400, 900)
    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(site_url + "topics/" + href)
    assert response.ok and "svg" in response.headers["content-type"]
    title = page.locator("meta[property='og:title']").get_attribute("content")
    description = page.locator("meta[property='og:description']").get_attribute("content")
    context.close()
    assert title.startswith("Direct Preference Optimization")
    assert description.startswith("Fine-tunes directly")


def test_theme_toggle_remembers_the_choice(browser: Any, site_url: str) -> None:
    context, page, _ = open_page(browser, site_url + "topics/dpo.html", 1400, 900, "light")
    background = "getComputedStyle(document.documentElement).backgroundColor"
    light = page.evaluate(background)
    page.click("#theme-toggle")  # system -> dark
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = page.evaluate(background)
    assert dark != light
    page.goto(site_url + "index.html")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(background) == dark
    page.click("#theme-toggle")  # dark -> light
    page.click("#theme-toggle")  # light -> the system's again
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") is None
    assert page.evaluate(background) == light
    context.close()


def test_session_table_becomes_cards_and_outlines_open_full_screen(
    browser: Any, site_url: str
) -> None:
    context, page, _ = open_page(browser, site_url + "sessions/01-training.html", 390, 844)
    assert page.locator("table.parts thead").is_hidden()
    cell = page.locator("table.parts td[data-label=Status]").first
    assert "Status" in page.evaluate(
        "c => getComputedStyle(c, '::before').content", cell.element_handle()
    )
    page.locator(".picture-open").first.click()
    dialog = page.locator("dialog.picture-dialog")
    dialog.wait_for(state="visible")  # opened by script after the click: wait, do not race it
    svg = dialog.locator("svg")
    before = svg.bounding_box()["width"]
    dialog.get_by_role("button", name="Zoom in").click()
    page.wait_for_function(
        "w => document.querySelector('dialog.picture-dialog svg')"
        ".getBoundingClientRect().width > w",
        arg=before,
        timeout=5000,
    )
    dialog.get_by_role("button", name="Close").click()
    dialog.wait_for(state="detached")
    context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(
    "kind", [k for k in PAGES if k not in ("home", "topic", "session", "article")]
)
def test_no_serious_accessibility_violations_on_every_page_kind(
    browser: Any, site_url: str, kind: str, theme: str
) -> None:
    """The other four kinds are checked by test_browser.py; here the chosen theme, not the
    system's, so the toggle's dark is what is checked."""
    axe = need_axe()
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(f"localStorage.setItem('fomo:theme', '{theme}')")
    page.goto(site_url + PAGES[kind])
    page.wait_for_load_state("networkidle")
    if kind == "search":  # Pagefind's loading placeholders are meant to be unreadable
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    page.add_script_tag(content=axe)
    found = page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    context.close()
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert not serious, serious


def test_reading_path_and_the_sessions_numbering(browser: Any, site_url: str) -> None:
    context, page, _ = open_page(browser, site_url + "topics/dpo.html", 1400, 900)
    steps = page.locator(".reading-path .path-steps li").all_inner_texts()
    assert steps == ["Reinforcement Learning from Human Feedback", "Direct Preference Optimization"]
    page.goto(site_url + "topics/rlhf.html")
    assert "Direct Preference Optimization" in page.locator(".reading-path").inner_text()
    page.goto(site_url + "sessions/index.html")
    item = page.locator("ul.sessions > li").first.text_content()
    assert "Session 1" in item and "1. 1." not in item and "1. Training" not in item
    context.close()


def test_session_outline_boxes_link_to_their_topics(browser: Any, site_url: str) -> None:
    context, page, errors = open_page(browser, site_url + "sessions/01-training.html", 1400, 900)
    links = page.locator("svg.branch-picture a")
    links.first.wait_for()
    hrefs = links.evaluate_all("a => a.map(x => x.getAttribute('href'))")
    assert "../topics/preferences.html" in hrefs and "../topics/dpo.html" in hrefs
    page.locator("svg.branch-picture a[href$='dpo.html']").click()
    page.wait_for_url("**/topics/dpo.html")
    context.close()
    assert not errors, errors
