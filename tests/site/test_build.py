"""The built site: every page kind, escaping where user text lands, links that resolve,
and incremental rebuilds that touch only what an edit affects."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from fomo.cli import main
from fomo.errors import FomoError
from fomo.site.build import SiteBuilder, build_site
from tests.conftest import topic_file
from tests.site.conftest import ARTICLE, SITE_KB, XSS, write_kb


def test_every_page_kind_exists(built_site: Path) -> None:
    for rel in [
        "index.html",
        "topics/index.html",
        "topics/dpo.html",
        "sessions/index.html",
        "sessions/01-training.html",
        "articles/index.html",
        "articles/01-training/dpo-article.html",
        "timeline.html",
        "new.html",
        "contribute.html",
        "search.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "assets/mindmap.js",
        "assets/map-data.js",
        "assets/style.css",
        "pagefind/pagefind.js",
    ]:
        assert (built_site / rel).is_file(), rel


def test_topic_page_content(built_site: Path) -> None:
    html = (built_site / "topics/dpo.html").read_text()
    assert "Direct Preference Optimization" in html
    assert 'aria-label="Path in the map"' in html and 'href="../topics/preferences.html"' in html
    assert "Builds on" in html and 'href="../topics/rlhf.html"' in html
    assert "Alternatives" in html and "Documentation" in html
    assert 'href="../sessions/01-training.html"' in html
    assert 'href="../articles/01-training/dpo-article.html"' in html
    assert "Show in the mind map" in html and "index.html#topic=dpo" in html
    assert '<svg class="outline"' in html  # the neighbourhood picture
    rlhf = (built_site / "topics/rlhf.html").read_text()
    assert "Built on by" in rlhf and 'href="../topics/dpo.html"' in rlhf
    # alternatives read the same from both ends: listed under one heading, never "Alternative to"
    ppo = (built_site / "topics/ppo.html").read_text()
    assert "Alternatives" in ppo and 'href="../topics/dpo.html"' in ppo
    assert "Alternative to" not in html + ppo


def test_session_page_shows_parts_and_outline(built_site: Path) -> None:
    html = (built_site / "sessions/01-training.html").read_text()
    assert "status-published" in html and "status-open" in html and "Ada" in html
    assert 'href="https://example.org/video"' in html and "2026-11-21" in html
    assert 'href="../articles/01-training/dpo-article.html"' in html
    figures = _pictures(html)
    assert len(figures) == 2  # one branch picture per part
    first = figures[0]
    assert first.get("role") == "img"
    assert first.get("aria-label") == "Topic outline of part 1: Preferences"
    assert "viewBox" in first.attrib  # scales down to the page width
    titles = {t.text for t in first.iter(f"{SVG_NS}title")}
    # the part's topic and every topic under it
    for title in [
        "Fine-tuning to human preferences",
        "Reinforcement Learning from Human Feedback",
        "Direct Preference Optimization",
        "Proximal Policy Optimization",
    ]:
        assert any(title in (t or "") for t in titles), title
    assert any("Tokenization" in (t.text or "") for t in figures[1].iter(f"{SVG_NS}title"))


SVG_NS = "{http://www.w3.org/2000/svg}"


def _pictures(html: str) -> list[ET.Element]:
    """The inline branch pictures of a page, parsed as XML (so they are well-formed)."""
    found = re.findall(
        r'<svg xmlns="http://www.w3.org/2000/svg" class="branch-picture".*?</svg>', html, re.S
    )
    return [ET.fromstring(svg) for svg in found]


def test_session_picture_escapes_user_text(tmp_path: Path) -> None:
    session = (
        "---\ntitle: Hostile\nparts:\n"
        '  - {number: 1, title: "Part <b>&", topics: [xss, tokenization], status: open}\n'
        "---\n"
    )
    kb = write_kb(tmp_path / "kb", {**SITE_KB, "sessions/02-hostile/index.md": session})
    build_site(kb, tmp_path / "out", search=False)
    html = (tmp_path / "out/sessions/02-hostile.html").read_text()
    assert XSS not in html and "<b>&" not in html
    (figure,) = _pictures(html)
    assert figure.get("aria-label") == "Topic outline of part 1: Part <b>&"
    titles = [t.text for t in figure.iter(f"{SVG_NS}title")]
    assert XSS in titles and "Tokenization" in " ".join(t or "" for t in titles)


def test_article_page_renders_mkdocs_syntax(built_site: Path) -> None:
    html = (built_site / "articles/01-training/dpo-article.html").read_text()
    assert 'class="admonition tip"' in html and "<details" in html
    assert '<pre class="mermaid">' in html and 'class="toc"' in html
    assert 'href="../../topics/dpo.html"' in html
    assert 'href="javascript' not in html


def test_board_timeline_new_feed(built_site: Path) -> None:
    board = (built_site / "contribute.html").read_text()
    assert "Tokens" in board and "Topics with no article" in board
    assert "2023" in (built_site / "timeline.html").read_text()
    assert "Preferences without a reward model" in (built_site / "new.html").read_text()
    feed = (built_site / "feed.xml").read_text()
    import feedparser

    parsed = feedparser.parse(feed)
    assert not parsed.bozo and len(parsed.entries) >= 2


def test_without_base_url_a_warning_and_no_relative_sitemap_urls(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", SITE_KB)
    result = build_site(kb, tmp_path / "out", search=False)
    assert any("base_url" in w and "--base-url" in w for w in result.warnings)
    sitemap = ET.parse(tmp_path / "out/sitemap.xml").getroot()
    assert list(sitemap) == []  # a sitemap holds absolute URLs only: none rather than ""


def test_with_base_url_feed_and_sitemap_urls_are_absolute(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", SITE_KB)
    base = "https://example.org/fomo"
    result = build_site(kb, tmp_path / "out", search=False, base_url=base)
    assert not any("base_url" in w for w in result.warnings)
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    sitemap = ET.parse(tmp_path / "out/sitemap.xml").getroot()
    locs = [loc.text or "" for loc in sitemap.iter(f"{namespace}loc")]
    assert locs[0] == base + "/"
    assert all(loc.startswith(base + "/") for loc in locs)
    assert base + "/topics/dpo.html" in locs
    assert base + "/articles/01-training/dpo-article.html" in locs
    assert base + "/search.html" not in locs and base + "/404.html" not in locs
    import feedparser

    feed = feedparser.parse((tmp_path / "out/feed.xml").read_text())
    assert feed.entries and all(e.link.startswith(base + "/") for e in feed.entries)


def test_hostile_title_is_escaped_everywhere(built_site: Path) -> None:
    for path in built_site.rglob("*"):
        if path.suffix in (".html", ".xml", ".js") and "pagefind" not in path.parts:
            text = path.read_text()
            assert XSS not in text, path
            assert not re.search(r"(href|src)=\"\s*javascript", text, re.I), path
    page = (built_site / "topics/xss.html").read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "(link not shown" in page
    data = (built_site / "assets/map-data.js").read_text()
    assert "<" not in data and "</script" not in data
    payload = json.loads(data[len("window.FOMO_MAP=") : -2])
    assert XSS in payload["t"]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def broken_links(root: Path) -> list[str]:
    """Every link and anchor of the built HTML under `root` that does not resolve: the URL as a
    browser decodes it must name a file that exists (and an id on it, for a fragment)."""
    pages = [p for p in root.rglob("*.html") if "pagefind" not in p.parts]
    parsed: dict[Path, Links] = {}
    for page in pages:
        links = Links()
        links.feed(page.read_text())
        parsed[page] = links
    broken = []
    for page, links in parsed.items():
        if page.name == "404.html":
            continue  # its links are root-relative on purpose (served for any path)
        for link in links.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme, f"{page}: unexpected scheme in {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(root)} -> {link}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and not parts.fragment.startswith("topic=")
            ):
                ids = parsed[target].ids if target in parsed else set()
                if parts.fragment not in ids:
                    broken.append(f"{page.relative_to(root)} -> {link} (no anchor)")
    return broken


def test_every_internal_link_resolves(built_site: Path) -> None:
    assert not broken_links(built_site)


def test_non_ascii_names_with_spaces_link_to_the_files_written(tmp_path: Path) -> None:
    article = ARTICLE.replace("topics: [dpo, rlhf]", "topics: [dpo, cafe]") + "\nSee [[cafe]].\n"
    session = SITE_KB["sessions/01-training/index.md"].replace(
        "article: dpo-article.md", 'article: "café notes.md"'
    )
    files = {
        **SITE_KB,
        "map/basics/cafe.md": topic_file('"Café à la carte, naïve “tokens”"', "Ünïcödé essence."),
        "sessions/01-training/index.md": session,
        "sessions/01-training/café notes.md": article,
    }
    files.pop("sessions/01-training/dpo-article.md")
    kb = write_kb(tmp_path / "kb", files)
    out = tmp_path / "out"
    build_site(kb, out, search=True, base_url="https://example.org/")
    page = out / "articles/01-training/café notes.html"
    assert page.is_file()
    assert (
        'href="../articles/01-training/caf%C3%A9%20notes.html"'
        in (out / "topics/dpo.html").read_text()
    )
    assert "Café à la carte, naïve “tokens”" in (out / "topics/cafe.html").read_text()
    assert (
        "https://example.org/articles/01-training/caf%C3%A9%20notes.html"
        in (out / "sitemap.xml").read_text()
    )
    assert not broken_links(out)


def test_map_data_is_compact(built_site: Path) -> None:
    size = len(gzip.compress((built_site / "assets/map-data.js").read_bytes()))
    assert size < 2000


def test_incremental_update_touches_only_affected_pages(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", SITE_KB)
    builder = SiteBuilder(kb, tmp_path / "out", search=False)
    builder.build()
    (kb / "map/training/preferences/ppo.md").write_text(
        topic_file("Proximal Policy Optimization v2", "Edited.", aliases="[PPO]"), encoding="utf-8"
    )
    _, touched = builder.update()
    topics = {t for t in touched if t.startswith("topics/")}
    assert "topics/ppo.html" in topics and "topics/dpo.html" in topics  # dpo links to ppo
    assert "topics/tokenization.html" not in topics and "topics/basics.html" not in topics
    assert "Proximal Policy Optimization v2" in (tmp_path / "out/topics/dpo.html").read_text()
    assert "assets/map-data.js" in touched
    # the session whose part covers `preferences` draws its children: redrawn
    assert "sessions/01-training.html" in touched
    assert (
        "Proximal Policy Optimization v2"
        in (tmp_path / "out/sessions/01-training.html").read_text()
    )
    _, again = builder.update()
    assert again == set()  # nothing changed: nothing written
    (kb / "map/basics/index.md").write_text(
        topic_file("Building Blocks v2", "The parts of a model.", order="1"), encoding="utf-8"
    )
    _, touched = builder.update()
    assert "topics/basics.html" in touched and "sessions/01-training.html" not in touched


def test_removed_topic_page_is_deleted(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", SITE_KB)
    out = tmp_path / "out"
    build_site(kb, out, search=False)
    (kb / "map/basics/xss.md").unlink()
    build_site(kb, out, search=False)
    assert not (out / "topics/xss.html").exists() and (out / "topics/dpo.html").exists()


def test_refuses_foreign_or_overlapping_output(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", SITE_KB)
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me")
    with pytest.raises(FomoError, match="not a site FOMO built"):
        build_site(kb, foreign, search=False)
    assert (foreign / "precious.txt").exists()
    with pytest.raises(FomoError, match="overlaps"):
        build_site(kb, kb / "site", search=False)


def test_map_data_keeps_depth_first_order(built_site: Path) -> None:
    text = (built_site / "assets/map-data.js").read_text()
    payload = json.loads(text[len("window.FOMO_MAP=") : -2])
    assert payload["p"][0] == -1
    assert all(p < i for i, p in enumerate(payload["p"]) if i)
    assert re.fullmatch(r"#[0-9a-f]{6}", payload["c"][0])


def test_related_links_both_ways_are_listed_once(tmp_path: Path) -> None:
    files = dict(SITE_KB)
    files["map/training/preferences/ppo.md"] = topic_file(
        "Proximal Policy Optimization", "The RL algorithm classic RLHF uses.", related="[rlhf]"
    )
    files["map/training/preferences/rlhf.md"] = topic_file(
        "Reinforcement Learning from Human Feedback", "Reward model then RL.", related="[ppo]"
    )
    kb = write_kb(tmp_path / "kb", files)
    build_site(kb, tmp_path / "out", search=False)
    page = (tmp_path / "out/topics/rlhf.html").read_text()
    assert page.count("<dt>Related</dt>") == 1
    related = page.split("<dt>Related</dt>")[1].split("</dd>")[0]
    assert related.count("ppo.html") == 1


def test_parallel_build_writes_the_same_site(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb", SITE_KB)
    one = SiteBuilder(kb, tmp_path / "one", search=False, workers=1)
    two = SiteBuilder(kb, tmp_path / "two", search=False, workers=2)
    assert one.build().workers == 1 and two.build().workers == 2

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert files(tmp_path / "one") == files(tmp_path / "two")
    # what incremental updates need came back from the workers: the same pages are redrawn
    _, nothing = two.update()
    assert nothing == set()
    (kb / "map/training/preferences/dpo.md").write_text(
        topic_file("DPO renamed", "Edited.", aliases="[DPO]"), encoding="utf-8"
    )
    _, touched_one = one.update()
    _, touched_two = two.update()
    assert touched_two == touched_one
    assert "articles/01-training/dpo-article.html" in touched_two
    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_a_topic_page_linking_a_missing_topic_is_redrawn_when_it_appears(tmp_path: Path) -> None:
    files = dict(SITE_KB)
    files["map/basics/tokenization.md"] = (
        topic_file("Tokenization", "Splitting text into tokens.", aliases="[tokenizer]")
        + "Compare [[bpe]].\n"
    )
    kb = write_kb(tmp_path / "kb", files)
    builder = SiteBuilder(kb, tmp_path / "out", search=False)
    builder.build()
    assert 'topic-link missing">bpe<' in (tmp_path / "out/topics/tokenization.html").read_text()
    (kb / "map/basics/bpe.md").write_text(topic_file("Byte-Pair Encoding", "Merges pairs."))
    _, touched = builder.update()
    assert "topics/tokenization.html" in touched
    page = (tmp_path / "out/topics/tokenization.html").read_text()
    assert 'href="../topics/bpe.html">Byte-Pair Encoding<' in page


def test_a_page_that_links_a_topic_only_in_its_text_is_redrawn(tmp_path: Path) -> None:
    body = "---\ntitle: Link only\nauthor: Ada\ntopics: [rlhf]\n---\nSee [[ppo]].\n"
    kb = write_kb(tmp_path / "kb", {**SITE_KB, "sessions/01-training/links.md": body})
    builder = SiteBuilder(kb, tmp_path / "out", search=False)
    builder.build()
    (kb / "map/training/preferences/ppo.md").write_text(
        topic_file("PPO, renamed", "Edited.", aliases="[PPO]"), encoding="utf-8"
    )
    _, touched = builder.update()
    assert "articles/01-training/links.html" in touched
    assert "PPO, renamed" in (tmp_path / "out/articles/01-training/links.html").read_text()


def _section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_board_agrees_with_fomo_coverage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Part 1 (topics: [preferences]) has an article that names only dpo and rlhf: `fomo
    # coverage` counts the part's whole subtree (preferences, ppo too) as covered.
    kb = write_kb(tmp_path / "kb", SITE_KB)
    build_site(kb, tmp_path / "out", search=False)
    assert main(["coverage", "--kb", str(kb), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    board = (tmp_path / "out/contribute.html").read_text()

    without = re.findall(r'href="topics/([^"]+)\.html"', _section(board, "h-without"))
    assert without == report["uncovered"]
    assert "ppo" not in without and "preferences" not in without
    rows = {
        branch: [int(n) for n in numbers]
        for branch, *numbers in re.findall(
            r'<tr data-branch="([^"]*)">.*?<td>(\d+)</td><td>(\d+) .*?<td>(\d+) .*?<td>(\d+) ',
            _section(board, "h-coverage"),
        )
    }
    expected = {
        b["id"]: [b["topics"], b["with_article"], b["with_body"], b["with_references"]]
        for b in [*report["branches"], report["total"]]
    }
    assert rows == expected
    opened = re.findall(r'href="sessions/([^"]+)\.html">[^<]*, part (\d+):', board)
    assert (
        opened
        == [(p["file"].split("/")[1], str(p["part"])) for p in report["open_parts"]]
        == [("01-training", "2")]
    )


def _fake_vendor(folder: Path, with_mermaid: bool) -> Path:
    folder.mkdir()
    if with_mermaid:
        (folder / "mermaid.min.js").write_text("window.mermaid = {};")
    return folder


def test_without_mermaid_the_script_is_left_out_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = ARTICLE.replace("Preferences without a reward model", "A second diagram")
    kb = write_kb(tmp_path / "kb", {**SITE_KB, "sessions/01-training/second.md": second})
    monkeypatch.setattr("fomo.site.static.VENDOR", _fake_vendor(tmp_path / "none", False))
    result = build_site(kb, tmp_path / "out", search=False, base_url="https://example.org/")
    assert len(result.warnings) == 1  # one warning for the build, not one per page
    (warning,) = result.warnings
    assert "Mermaid" in warning and "npm ci" in warning and "and 1 more" in warning
    html = (tmp_path / "out/articles/01-training/dpo-article.html").read_text()
    assert "mermaid.min.js" not in html and "diagrams.js" not in html
    assert '<pre class="mermaid">graph LR' in html and "A[RLHF] --&gt; B[DPO]" in html
    assert not (tmp_path / "out/assets/vendor").exists()
    # forked workers report the same
    parallel = build_site(
        kb, tmp_path / "two", search=False, base_url="https://example.org/", workers=2
    )
    assert parallel.warnings == result.warnings


def test_with_mermaid_the_script_is_linked_without_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = write_kb(tmp_path / "kb", SITE_KB)
    monkeypatch.setattr("fomo.site.static.VENDOR", _fake_vendor(tmp_path / "vendor", True))
    result = build_site(kb, tmp_path / "out", search=False, base_url="https://example.org/")
    assert result.warnings == []
    html = (tmp_path / "out/articles/01-training/dpo-article.html").read_text()
    assert 'src="../../assets/vendor/mermaid.min.js"' in html
    assert (tmp_path / "out/assets/vendor/mermaid.min.js").is_file()
    # a page without diagrams never loads it
    assert "mermaid.min.js" not in (tmp_path / "out/topics/dpo.html").read_text()


def test_editing_a_notebook_article_re_renders_its_page(tmp_path: Path) -> None:
    """A notebook's text is not in the index: `fomo serve` still shows its edit."""
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    from fomo.site.serve import relevant

    session = SITE_KB["sessions/01-training/index.md"].replace(
        "status: open}", "status: published, author: Lin, article: tokens.ipynb}"
    )
    kb = write_kb(tmp_path / "kb", {**SITE_KB, "sessions/01-training/index.md": session})
    notebook = kb / "sessions/01-training/tokens.ipynb"

    def write_notebook(text: str) -> None:
        book = new_notebook()
        book.cells = [new_markdown_cell(text)]
        nbformat.write(book, str(notebook))

    write_notebook("Byte pairs, first draft.")
    builder = SiteBuilder(kb, tmp_path / "out", search=False)
    builder.build()
    page = tmp_path / "out/articles/01-training/tokens.html"
    assert "first draft" in page.read_text(encoding="utf-8")
    write_notebook("Byte pairs, second draft.")
    _, touched = builder.update()
    assert "articles/01-training/tokens.html" in touched
    assert "second draft" in page.read_text(encoding="utf-8")
    out = tmp_path / "out"
    assert relevant(str(notebook), out) and relevant(str(kb / "sessions/01-training/Fig.PNG"), out)
    assert not relevant(str(out / "articles/01-training/tokens.html"), out)
