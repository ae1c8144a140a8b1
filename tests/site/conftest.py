"""Site fixtures: one small knowledge base built once per test session, served over HTTP, and
one headless Chromium (Debian's, never a downloaded one) shared by every browser test."""

from __future__ import annotations

import os
import shutil
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from tests.conftest import STARTER, topic_file

XSS = "<img src=x onerror=alert(1)>"
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE_PLACES = (
    ROOT / "node_modules/axe-core/axe.min.js",
    ROOT / "src/fomo/site/assets/vendor/axe.min.js",
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

ARTICLE = textwrap.dedent(
    """\
    ---
    title: Preferences without a reward model
    author: Ada
    published: 2026-11-20
    topics: [dpo, rlhf]
    ---
    Intro that links [[dpo]] and [[rlhf|classic RLHF]].

    ## Why it matters

    !!! tip "Key idea"
        The policy is its own reward model.

    ??? note "Derivation (click to open)"
        Hidden until opened.

    <details markdown>
    <summary>More detail</summary>
    Inside **details**.
    </details>

    ```mermaid
    graph LR
      A[RLHF] --> B[DPO]
    ```

    ```python
    def loss(x):
        return -x
    ```

    ### A smaller heading

    [bad](javascript:alert(1)) and [good](https://example.org/).
    """
)

SITE_KB = {
    **STARTER,
    "map/basics/xss.md": topic_file(
        f'"{XSS}"',
        f'"Essence with {XSS} and </script><!-- inside"',
        references='\n  - {title: "evil", url: "javascript:alert(1)", kind: blog}',
        year="2024",
    ),
    "sessions/01-training/index.md": textwrap.dedent(
        """\
        ---
        title: Training
        summary: How models are trained.
        parts:
          - {number: 1, title: Preferences, topics: [preferences], status: published, author: Ada, article: dpo-article.md, video: "https://example.org/video", seminar: 2026-11-21}
          - {number: 2, title: Tokens, topics: [tokenization], status: open}
        ---
        """
    ),
    "sessions/01-training/dpo-article.md": ARTICLE,
}


def write_kb(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture kb built once (with search) for read-only tests."""
    from fomo.site.build import build_site

    base = tmp_path_factory.mktemp("site")
    old = os.environ.get("FOMO_CACHE_DIR")
    os.environ["FOMO_CACHE_DIR"] = str(base / "cache")
    try:
        kb = write_kb(base / "kb", SITE_KB)
        build_site(kb, base / "out", search=True)
    finally:
        if old is None:
            os.environ.pop("FOMO_CACHE_DIR", None)
        else:
            os.environ["FOMO_CACHE_DIR"] = old
    return base / "out"


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served by our own server (without live reload)."""
    from fomo.site.serve import Generation, _Server, make_handler

    server = _Server(("127.0.0.1", 0), make_handler(built_site, Generation(), live=False))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def missing(what: str, install: str) -> NoReturn:
    """A tool the browser tests need is missing: skip on a developer's machine, but fail when
    the CI variable is set, so that a CI run without the browser cannot pass by skipping."""
    message = f"{what} is missing; install it with: {install}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (failing, not skipping, because CI is set)", pytrace=False)
    pytest.skip(message)


def need_chromium(path: str = CHROMIUM) -> str:
    """Debian's Chromium (never a downloaded one) and the Playwright package that drives it."""
    if not Path(path).exists() or shutil.which("chromium") is None:
        missing(f"Debian's Chromium ({path})", "sudo apt-get install -y chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the playwright Python package", "pip install -e '.[test]'")
    return path


def need_axe(places: tuple[Path, ...] = AXE_PLACES) -> str:
    """axe-core's script, which `npm ci` installs for the accessibility tests."""
    for place in places:
        if place.is_file():
            return place.read_text(encoding="utf-8")
    missing("axe-core (node_modules/axe-core/axe.min.js)", "npm ci (in the repository root)")


def need_mermaid() -> None:
    """The bundled Mermaid, which `npm ci` copies into the package."""
    from fomo.site.build import mermaid_js

    if mermaid_js() is None:
        missing(
            "Mermaid (src/fomo/site/assets/vendor/mermaid.min.js)",
            "npm ci (in the repository root)",
        )


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
