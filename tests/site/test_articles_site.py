"""An MkDocs project imported with `fomo import mkdocs.yml` and built with `fomo build`: its pages
render as MkDocs Material renders them (raw HTML kept and made safe, images and files copied,
links between pages resolved, notebooks shown, one H1, MkDocs' heading ids), checked on the
HTML and in Debian's Chromium (Mermaid line breaks, the copy button, no script runs)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from fomo.cli import main
from tests.conftest import STARTER
from tests.site.conftest import need_mermaid, write_kb

PROJECT = Path(__file__).parents[1] / "formats" / "samples" / "mkdocs_site"
S1 = "articles/03-session-1-tokens-and-preferences"
S2 = "articles/04-session-2-evaluation"
TOKENIZERS = f"{S1}/01-part-1-tokenizers.html"
NOTEBOOK = f"{S1}/02-part-2-rlhf-in-a-notebook.html"
EVALUATION = f"{S2}/01-measuring-language-models.html"


class _Page(HTMLParser):
    """The parts of a page the assertions need: links, ids, H1s, the article's text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.h1 = 0
        self.prose_text: list[str] = []
        self._prose = 0
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.urls.append(str(values[name]))
        if values.get("id"):
            self.ids.add(str(values["id"]))
        self.h1 += tag == "h1"
        if self._prose:
            self._prose += tag == "div"
            self._code += tag in ("pre", "code")
        elif tag == "div" and values.get("class") == "prose":
            self._prose = 1

    def handle_endtag(self, tag: str) -> None:
        if self._prose:
            self._prose -= tag == "div"
            self._code -= tag in ("pre", "code")

    def handle_data(self, data: str) -> None:
        if self._prose and not self._code:
            self.prose_text.append(data)


def _read(out: Path, rel: str) -> tuple[str, _Page]:
    text = (out / rel).read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    return text, page


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("mkdocs")
    kb = write_kb(base / "kb", dict(STARTER))
    assert main(["import", str(PROJECT / "mkdocs.yml"), "--kb", str(kb)]) == 0
    out = base / "out"
    assert main(["build", "--kb", str(kb), "--out", str(out), "--no-search"]) == 0
    return out


def test_every_local_image_and_link_resolves(imported_site: Path) -> None:
    pages = sorted(imported_site.glob("articles/*/*.html"))
    assert len(pages) == 6
    for path in pages:
        rel = path.relative_to(imported_site).as_posix()
        _, page = _read(imported_site, rel)
        for url in page.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("#") or url == "x":  # `x`: the XSS fixture
                continue
            target = urlsplit(urljoin(f"http://site/{rel}", url))
            file = imported_site / unquote(target.path.lstrip("/"))
            assert file.is_file(), f"{rel}: {url} leads nowhere"
            if target.fragment and file.suffix == ".html":
                _, linked = _read(imported_site, file.relative_to(imported_site).as_posix())
                assert target.fragment in linked.ids, f"{rel}: {url}: no such anchor"


def test_images_and_files_are_copied_with_their_bytes(imported_site: Path) -> None:
    for rel in ("images/pipeline diagram.png", "files/cheat sheet.txt"):
        assert (imported_site / "files" / rel).read_bytes() == (PROJECT / rel).read_bytes()
    text, _ = _read(imported_site, TOKENIZERS)
    assert 'src="../../files/images/pipeline%20diagram.png"' in text


def test_raw_html_renders_and_nothing_is_escaped(imported_site: Path) -> None:
    text, page = _read(imported_site, TOKENIZERS)
    prose = "".join(page.prose_text)
    for escaped in ("<p", "<img", "<br", "<hr", "<center", "<details", "<summary", "<!--"):
        assert escaped not in prose, escaped
    assert '<p align="center">' in text and "<center>" in text and "<hr>" in text
    assert "Speaker notes" not in text and "example size" not in text  # comments vanish
    assert text.count("<tr>") == 3  # the closing comment is not a table row


def test_summaries_are_kept(imported_site: Path) -> None:
    text, _ = _read(imported_site, TOKENIZERS)
    assert "<summary>References</summary>" in text and ">Details<" not in text
    other, _ = _read(imported_site, EVALUATION)
    assert "<summary>Reading time</summary>" in other


def test_one_h1_and_a_different_h1_becomes_the_title(imported_site: Path) -> None:
    for path in imported_site.glob("articles/*/*.html"):
        _, page = _read(imported_site, path.relative_to(imported_site).as_posix())
        assert page.h1 == 1, path
    text, _ = _read(imported_site, EVALUATION)
    assert "<h1>Measuring language models</h1>" in text
    assert "<title>Measuring language models" in text


def test_heading_ids_match_mkdocs_and_the_contents_follow_toc_depth(imported_site: Path) -> None:
    text, page = _read(imported_site, TOKENIZERS)
    assert {"why-tokens-matter", "merges-with-bpe-and-tiktoken", "deepest-level"} <= page.ids
    contents = text.split('aria-label="On this page"', 1)[1].split("</nav>", 1)[0]
    assert 'href="#deeper-level"' in contents  # h3: within the project's toc_depth 3
    assert 'href="#deepest-level"' not in contents  # h4: beyond it


def test_the_notebook_page_has_its_cells(imported_site: Path) -> None:
    text, page = _read(imported_site, NOTEBOOK)
    assert "<h1>RLHF in a notebook</h1>" in text and page.h1 == 1
    assert '<span class="nb">print</span>' in text
    assert '<pre class="nb-output nb-stream">0.9\n</pre>' in text
    assert "<td>chosen</td>" in text
    outputs = list(imported_site.glob("files/sessions/*/*_outputs/*.png"))
    assert len(outputs) == 1 and outputs[0].read_bytes().startswith(b"\x89PNG")


def test_no_script_or_handler_survives(imported_site: Path) -> None:
    for path in imported_site.glob("articles/*/*.html"):
        text = path.read_text(encoding="utf-8")
        prose = text.split('<div class="prose">', 1)[1].split("</article>", 1)[0]
        assert not re.search(r"<script|<svg|\son\w+=|javascript:|alert\(", prose), path


@pytest.fixture(scope="module")
def imported_url(imported_site: Path) -> Iterator[str]:
    from fomo.site.serve import Generation, _Server, make_handler

    server = _Server(("127.0.0.1", 0), make_handler(imported_site, Generation(), live=False))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_browser_mermaid_br_copy_button_and_no_script(browser: object, imported_url: str) -> None:
    need_mermaid()
    context = browser.new_context()  # type: ignore[attr-defined]
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(imported_url + TOKENIZERS)
    page.wait_for_function("document.documentElement.dataset.diagrams === 'done'")
    labels = page.eval_on_selector_all(
        "pre.mermaid svg .nodeLabel", "els => els.map(e => e.innerHTML)"
    )
    broken = [label for label in labels if "raw text" in label or "merged" in label]
    assert len(broken) == 2 and all("<br" in label and "&lt;" not in label for label in broken)
    assert page.locator("pre.mermaid svg").count() == 1
    page.set_viewport_size({"width": 420, "height": 800})
    overflow = page.evaluate(
        """() => {
          const code = [...document.querySelectorAll('.prose p code')]
            .find(c => c.textContent.includes('encode_ordinary'));
          return code.getBoundingClientRect().right - code.closest('.prose').getBoundingClientRect().right;
        }"""
    )
    assert overflow <= 1  # the long inline code wraps inside the text column
    button = page.locator("div.highlight button.copy-code").first
    button.click()
    page.wait_for_function("document.querySelector('button.copy-code').textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("def merge(pair, words):") and "Copy" not in copied
    page.wait_for_timeout(200)
    assert not dialogs
    assert page.evaluate("typeof window.alert") == "function"  # nothing replaced or ran it
    context.close()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>'
    b'<circle r="4"/></svg>'
)


def test_svg_is_copied_clean_and_pages_or_scripts_never(tmp_path: Path) -> None:
    files = dict(STARTER)
    files["sessions/01-training/01-figures.md"] = (
        "---\ntitle: Figures\n---\n![d](d.svg) [raw](page.html) [s](tool.js) [ok](notes.txt)\n"
    )
    kb = write_kb(tmp_path / "kb", files)
    (kb / "sessions/01-training/d.svg").write_bytes(SVG)
    for name in ("page.html", "tool.js", "notes.txt"):
        (kb / "sessions/01-training" / name).write_text("<script>alert(3)</script>")
    out = tmp_path / "out"
    assert main(["build", "--kb", str(kb), "--out", str(out), "--no-search"]) == 0
    copied = out / "files/sessions/01-training"
    svg = (copied / "d.svg").read_bytes()
    assert b"<circle" in svg and b"script" not in svg and b"onload" not in svg
    assert (copied / "notes.txt").is_file()
    assert not (copied / "page.html").exists() and not (copied / "tool.js").exists()
    assert main(["check", "--kb", str(kb)]) == 1
