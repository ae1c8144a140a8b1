"""The browser extension in Debian's Chromium: `fomo extension` writes it from a small map, a
persistent context loads it unpacked, and a local page that looks like a social post is marked."""

from __future__ import annotations

import hashlib
import http.server
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fomo.cli import main
from tests.conftest import STARTER, local_server, topic_file
from tests.site.conftest import CHROMIUM_ARGS, XSS, need_chromium, write_kb

EXTENSION_KB = {
    **STARTER,
    "map/basics/mixture-of-experts.md": topic_file(
        "Mixture of Experts", "Many expert layers and a router.", aliases="[MoE]"
    ),
    "map/basics/attention.md": topic_file("Attention", "Weighs tokens against each other."),
    "map/basics/speculative-decoding.md": topic_file(
        "Speculative Decoding", "A draft model proposes, the big model checks."
    ),
    "map/basics/evil.md": topic_file(f'"Evil {XSS}"', f'"{XSS} essence"', aliases="[Evilformer]"),
}

POST = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A post</title>
<style>body { font: 16px sans-serif; max-width: 40rem; margin: 2rem auto; }</style></head>
<body>
<article class="post">
  <header><strong>Ada Lovelace</strong> · 2h</header>
  <p id="text">Hot take: DPO beats PPO for most teams, and RLHF is overkill. Pay attention
  to your data. A Mixture of Experts helps too; the MoE router matters. DPO again.</p>
  <p id="evil">Have you tried Evilformer yet?</p>
  <textarea id="reply">DPO in a textarea</textarea>
  <div id="editable" contenteditable="true">RLHF while editing</div>
  <p>Run <code id="code">tokenizer.encode()</code> then read the Tokenization docs.</p>
  <a href="/x" id="link">Proximal Policy Optimization link</a>
</article>
<div id="feed"></div>
</body></html>
"""


@pytest.fixture(scope="module")
def extension(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("extension")
    kb = write_kb(base / "kb", EXTENSION_KB)
    out = base / "ext"
    assert main(["extension", "--kb", str(kb), "--out", str(out), "--base-url",
                 "https://maps.example.org/fomo"]) == 0  # fmt: skip
    return out


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = POST.encode() if self.path in ("/", "/post") else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with local_server(_Handler) as url:
        yield url


@pytest.fixture(scope="module")
def page_and_requests(
    extension: Path, server: str, browser: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[object, list[str]]]:
    """A persistent context with the unpacked extension, from the session's Playwright (one
    sync Playwright per thread) and Debian's Chromium."""
    executable = need_chromium()
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path_factory.mktemp("profile")),
        executable_path=executable,
        headless=False,  # the --headless=new argument makes it headless, with extensions
        args=[
            "--headless=new",
            *(arg for arg in CHROMIUM_ARGS if arg != "--headless"),
            f"--disable-extensions-except={extension}",
            f"--load-extension={extension}",
        ],
    )
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    page = context.new_page()
    page.goto(f"{server}/post")
    page.wait_for_selector("span.fomo-mark", timeout=10_000)
    yield page, seen
    context.close()


def test_the_extension_folder_and_zip(extension: Path) -> None:
    manifest = json.loads((extension / "manifest.json").read_text())
    assert manifest["manifest_version"] == 3
    assert manifest["browser_specific_settings"]["gecko"]["id"]
    assert manifest["content_scripts"][0]["js"] == ["terms.js", "content.js"]
    with zipfile.ZipFile(extension.with_name("ext.zip")) as bundle:
        assert set(bundle.namelist()) == {
            "manifest.json", "terms.js", "content.js", "card.css", "popup.html", "popup.js",
        }  # fmt: skip
    terms = (extension / "terms.js").read_text()
    assert "<img" not in terms  # the XSS title is escaped inside the script


def test_first_mentions_are_marked_with_their_ids(page_and_requests: tuple) -> None:
    page, _ = page_and_requests
    marks = page.eval_on_selector_all(
        "#text span.fomo-mark", "els => els.map(e => [e.textContent, e.dataset.fomoId])"
    )
    assert marks == [
        ["DPO", "dpo"],
        ["PPO", "ppo"],
        ["RLHF", "rlhf"],
        ["Mixture of Experts", "mixture-of-experts"],
    ]  # "attention" is an ordinary word; MoE and the second DPO are not first mentions


def test_fields_editable_regions_code_and_links_are_left_alone(page_and_requests: tuple) -> None:
    page, _ = page_and_requests
    assert page.input_value("#reply") == "DPO in a textarea"
    assert page.inner_html("#editable") == "RLHF while editing"
    assert page.inner_html("#code") == "tokenizer.encode()"
    assert page.inner_html("#link") == "Proximal Policy Optimization link"
    assert page.get_attribute("span.fomo-mark[data-fomo-id=tokenization]", "tabindex") == "0"


def test_hover_and_keyboard_focus_open_the_card(page_and_requests: tuple) -> None:
    page, _ = page_and_requests
    page.hover("span.fomo-mark[data-fomo-id=dpo]")
    card = page.locator("#fomo-card")
    card.wait_for(state="visible")
    assert "Direct Preference Optimization" in card.inner_text()
    assert "Training LLMs › Fine-tuning to human preferences" in card.inner_text()
    assert card.locator("a").first.get_attribute("href") == (
        "https://maps.example.org/fomo/topics/dpo.html"
    )
    page.mouse.move(0, 0)
    card.wait_for(state="hidden")
    page.focus("span.fomo-mark[data-fomo-id=rlhf]")
    card.wait_for(state="visible")
    assert "Reinforcement Learning from Human Feedback" in card.inner_text()
    assert page.get_attribute("span.fomo-mark[data-fomo-id=rlhf]", "aria-expanded") == "true"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.closest('#fomo-card') !== null")
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")


def test_a_hostile_title_is_shown_as_text(page_and_requests: tuple) -> None:
    page, _ = page_and_requests
    page.hover("span.fomo-mark[data-fomo-id=evil]")
    card = page.locator("#fomo-card")
    card.wait_for(state="visible")
    assert f"Evil {XSS}" in card.inner_text()
    assert f"{XSS} essence" in card.inner_text()
    assert card.locator("img").count() == 0
    page.mouse.move(0, 0)


def test_content_added_later_is_marked(page_and_requests: tuple) -> None:
    page, _ = page_and_requests
    page.evaluate(
        """() => { const p = document.createElement('p'); p.id = 'later';
        p.textContent = 'Later: Tokenization, PPO and Speculative Decoding, all in one post.';
        document.getElementById('feed').appendChild(p); }"""
    )
    page.wait_for_selector("#later span.fomo-mark", timeout=5_000)
    ids = page.eval_on_selector_all(
        "#later span.fomo-mark", "els => els.map(e => e.dataset.fomoId)"
    )
    assert ids == ["speculative-decoding"]  # the others were marked before: first mentions only
    assert page.locator("span.fomo-mark[data-fomo-id=tokenization]").count() == 1


def test_no_request_left_the_pages_server(page_and_requests: tuple, server: str) -> None:
    _, seen = page_and_requests
    assert seen
    outside = [u for u in seen if not u.startswith((server, "chrome-extension://"))]
    assert outside == []


def _extension_id(folder: Path) -> str:
    """Chromium's id of an unpacked extension: the SHA-256 of its absolute path, the first 32
    hex digits written with the letters a-p."""
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


def test_pausing_a_site_removes_the_marks_and_resuming_brings_them_back(
    page_and_requests: tuple, extension: Path
) -> None:
    page, _ = page_and_requests
    popup = page.context.new_page()
    popup.goto(f"chrome-extension://{_extension_id(extension)}/popup.html")
    assert popup.inner_text("#status") == "Terms are marked on http(s) pages only."
    popup.evaluate("chrome.storage.local.set({paused: ['127.0.0.1']})")
    page.wait_for_function("document.querySelectorAll('span.fomo-mark').length === 0")
    assert "DPO beats PPO" in page.inner_text("#text")  # the text is whole again
    popup.evaluate("chrome.storage.local.set({paused: []})")
    page.wait_for_selector("#text span.fomo-mark[data-fomo-id=dpo]")
    popup.close()
