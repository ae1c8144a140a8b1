"""The registry of page kinds: one registration adds pages to the build, the sitemap, the
navigation and incremental rebuilds; a knowledge base's templates replace ours by name."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.site import pages
from fomo.site.build import SiteBuilder, build_site
from fomo.site.data import SiteData
from fomo.site.links import Output
from fomo.site.pages import Page, PageKind
from fomo.site.renderer import Renderer
from tests.conftest import topic_file
from tests.site.conftest import SITE_KB, write_kb


def _api_pages(data: SiteData) -> Iterator[Page]:
    for topic in data.order:
        yield Page(
            Output(f"example-api/topics/{topic.id}.json", f"example-api/topics/{topic.id}.json"),
            topic,
        )


def _api_text(renderer: Renderer, page: Page) -> str:
    return json.dumps({"id": page.item.id, "title": page.item.title})


API = PageKind(
    "test-api",
    _api_pages,
    text=_api_text,
    depends=lambda data, page: {page.item.id},
    sitemap=True,
    parallel=True,
)


@pytest.fixture
def with_api(monkeypatch: pytest.MonkeyPatch) -> None:
    pages.kinds()  # the built-in kinds first
    monkeypatch.setitem(pages.REGISTRY, API.name, API)


@pytest.mark.usefixtures("with_api")
def test_one_registration_adds_a_kind_everywhere(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", SITE_KB)
    out = tmp_path / "out"
    builder = SiteBuilder(kb, out, search=False, base_url="https://example.org/")
    builder.build()
    assert json.loads((out / "example-api/topics/dpo.json").read_text())["id"] == "dpo"
    assert "https://example.org/example-api/topics/dpo.json" in (out / "sitemap.xml").read_text()
    (kb / "map/training/preferences/ppo.md").write_text(
        topic_file("PPO v2", "Edited.", aliases="[PPO]"), encoding="utf-8"
    )
    _, touched = builder.update()
    assert "example-api/topics/ppo.json" in touched and "example-api/topics/dpo.json" not in touched
    (kb / "map/training/preferences/ppo.md").unlink()
    _, touched = builder.update()
    assert not (out / "example-api/topics/ppo.json").exists()  # its page is gone with the topic


@pytest.mark.usefixtures("with_api")
def test_a_full_build_removes_pages_of_topics_that_are_gone(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", SITE_KB)
    build_site(kb, tmp_path / "out", search=False)
    (kb / "map/basics/xss.md").unlink()
    build_site(kb, tmp_path / "out", search=False)
    assert not (tmp_path / "out/api/topics/xss.json").exists()
    assert (tmp_path / "out/api/topics/dpo.json").exists()


def test_a_kind_needs_a_template_or_a_text() -> None:
    with pytest.raises(ValueError, match="template or a text"):
        PageKind("broken", _api_pages)
    with pytest.raises(ValueError, match="registered twice"):
        pages.register(pages.kind("topic"))


def test_two_kinds_writing_one_path_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages.kinds()
    twin = PageKind("twin", lambda data: [Page(Output.at("new.html"))], text=lambda r, p: "x")
    monkeypatch.setitem(pages.REGISTRY, twin.name, twin)
    kb = write_kb(tmp_path / "kb", SITE_KB)
    with pytest.raises(FomoError, match=r"new\.html"):
        build_site(kb, tmp_path / "out", search=False)


def test_the_navigation_comes_from_the_kinds(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", SITE_KB)
    builder = SiteBuilder(kb, tmp_path / "out", search=False)
    builder.build()
    assert builder.renderer is not None
    labels = [label for label, _ in builder.renderer.nav]
    assert labels[:2] == ["Map", "Topics"] and "What's new" in labels
    assert dict(builder.renderer.nav)["Timeline"] == "timeline.html"


def test_a_knowledge_base_may_override_templates(tmp_path: Path) -> None:
    custom = '{% extends "base.html" %}{% block main %}<p>Our own 404</p>{% endblock %}'
    kb = write_kb(tmp_path / "kb", {**SITE_KB, "templates/404.html": custom})
    build_site(kb, tmp_path / "out", search=False)
    page = (tmp_path / "out/404.html").read_text()
    assert "<p>Our own 404</p>" in page and "assets/style.css" in page  # our base.html
    assert "Our own 404" not in (tmp_path / "out/new.html").read_text()


def test_a_kind_with_a_nav_label_is_in_every_page_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages.kinds()
    glossary = PageKind(
        "test-glossary",
        lambda data: [Page(Output.at("glossary.html"))],
        template="404.html",
        nav="Glossary",
    )
    monkeypatch.setitem(pages.REGISTRY, glossary.name, glossary)
    kb = write_kb(tmp_path / "kb", SITE_KB)
    build_site(kb, tmp_path / "out", search=False)
    for page in ("index.html", "topics/dpo.html", "articles/01-training/dpo-article.html"):
        header = (tmp_path / "out" / page).read_text().split("</nav>")[0]
        assert 'glossary.html">Glossary</a>' in header, page


def test_the_order_of_kinds_does_not_depend_on_which_module_was_imported_first() -> None:
    script = (
        "import sys\n"
        "if sys.argv[1] == 'early':\n"
        "    import fomo.site.pages.topic, fomo.site.pages.feeds\n"
        "from fomo.site.pages import kinds\n"
        "print(' '.join(k.name for k in kinds()))\n"
    )
    orders = {
        subprocess.run(
            [sys.executable, "-c", script, first], capture_output=True, text=True, check=True
        ).stdout
        for first in ("plain", "early")
    }
    assert len(orders) == 1, orders
