"""Pagefind's errors say whose they are: a broken install gets the reinstall hint, a Pagefind
that ran and failed over our pages does not."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.site import pagefind


def fake_pagefind(tmp_path: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = tmp_path / "pagefind"
    binary.write_text("#!/bin/sh\n" + script)
    binary.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))


def test_a_panic_is_reported_as_a_crash_without_the_reinstall_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_pagefind(
        tmp_path,
        "echo \"thread 'main' panicked at src/lib.rs:1: byte index 40 is out of bounds\" >&2\n"
        "exit 101\n",
        monkeypatch,
    )
    with pytest.raises(FomoError) as caught:
        pagefind.index(tmp_path)
    message = str(caught.value)
    assert "Pagefind crashed" in message and "byte index 40" in message
    assert "reinstall" not in message and "--no-search" in message


def test_a_failure_names_the_exit_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_pagefind(tmp_path, "echo 'Error: no pages found' >&2\nexit 1\n", monkeypatch)
    with pytest.raises(FomoError, match=r"failed \(exit code 1\).*no pages found") as caught:
        pagefind.index(tmp_path)
    assert "reinstall" not in str(caught.value)


def test_a_missing_binary_gets_the_reinstall_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(FomoError, match="could not start Pagefind") as caught:
        pagefind.index(tmp_path)
    assert "pip install 'pagefind[bin]'" in caught.value.hint


def test_the_longest_accepted_language_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A language tag of the longest length site.yml accepts does not upset Pagefind."""
    from fomo.site.build import build_site
    from tests.conftest import STARTER
    from tests.site.conftest import write_kb

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    language = "en-abcdefgh-abcdefgh-abc"  # 24 characters, the most site.yml allows
    kb = write_kb(tmp_path / "kb", {**STARTER, "site.yml": f"language: {language}\n"})
    result = build_site(kb, tmp_path / "out", search=True)
    assert result.search and (tmp_path / "out/pagefind/pagefind.js").is_file()


def test_indexing_starts_once_the_folders_it_reads_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind starts once every page of the folders it reads is written (never a page the map
    no longer has), reads only those folders, and the build returns the whole site once it has
    finished."""
    from fomo.site.build import build_site
    from tests.site.conftest import SITE_KB, write_kb

    kb = write_kb(tmp_path / "kb", SITE_KB)
    out = tmp_path / "out"
    build_site(kb, out, search=False)
    (out / "topics/gone.html").write_text("<main data-pagefind-body>an old page</main>")
    for page in out.rglob("*.html"):
        if page.name != "gone.html":
            page.unlink()
    seen, finished = tmp_path / "seen.txt", tmp_path / "finished.txt"
    fake_pagefind(
        tmp_path,
        f'echo "$@" > {tmp_path / "arguments.txt"}\n'
        f'cd "$2" && find articles sessions topics -name "*.html" | sort > {seen}\n'
        f"sleep 1; touch {finished}\n",
        monkeypatch,
    )
    build_site(kb, out, search=True)
    assert finished.exists()  # the build waited for Pagefind
    files = set(seen.read_text().split())
    expected = {
        str(page.relative_to(out))
        for folder in ("articles", "sessions", "topics")
        for page in (out / folder).rglob("*.html")
    }
    assert files == expected and "topics/index.html" in files and "topics/dpo.html" in files
    assert (out / "timeline.html").is_file() and (out / "index.html").is_file()
    arguments = (tmp_path / "arguments.txt").read_text()
    assert "--glob {articles,sessions,topics}/**/*.html" in arguments
    assert "--root-selector [data-pagefind-body]" in arguments


def test_a_build_failing_before_the_searchable_pages_are_written_never_starts_indexing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fomo.site import build
    from fomo.site.build import build_site
    from tests.site.conftest import SITE_KB, write_kb

    real_render = build.SiteBuilder._render

    def render(self: build.SiteBuilder, renderer: object, jobs: list, **options: bool) -> object:
        if any(page.output.path == "topics/dpo.html" for _, page in jobs):
            raise OSError("disk full")
        return real_render(self, renderer, jobs, **options)  # type: ignore[arg-type]

    ran = tmp_path / "ran.txt"
    fake_pagefind(tmp_path, f"touch {ran}\n", monkeypatch)
    monkeypatch.setattr(build.SiteBuilder, "_render", render)
    with pytest.raises(OSError, match="disk full"):
        build_site(write_kb(tmp_path / "kb", SITE_KB), tmp_path / "out", search=True)
    assert not ran.exists()


def wait_for(marker: Path) -> bool:
    deadline = time.monotonic() + 10
    while not marker.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


PARSED = 'echo "[Parsing files]"; echo "[Reading languages]"'  # Pagefind's phase headings


def test_the_rest_of_the_site_is_written_once_pagefind_has_read_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not before Pagefind has parsed the pages (it reads them on both cores), and not after
    it has finished (it writes its index on about one)."""
    from fomo.site import build
    from fomo.site.build import build_site
    from tests.site.conftest import SITE_KB, write_kb

    read, rest, finished = (tmp_path / name for name in ("read", "rest", "finished"))
    fake_pagefind(
        tmp_path,
        f'echo "Running Pagefind"; echo "[Parsing files]"; sleep 0.5; touch {read}\n'
        f'echo "[Reading languages]"\n'
        f"i=0; while [ ! -e {rest} ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done\n"
        f"touch {finished}\n",
        monkeypatch,
    )
    copy_assets = build.copy_assets
    seen: list[tuple[bool, bool]] = []

    def copy_and_tell(out: Path) -> None:
        seen.append((read.exists(), finished.exists()))
        copy_assets(out)
        rest.touch()

    monkeypatch.setattr(build, "copy_assets", copy_and_tell)
    out = tmp_path / "out"
    build_site(write_kb(tmp_path / "kb", SITE_KB), out, search=True)
    assert seen == [(True, False)] and finished.exists()
    assert (out / "assets/style.css").is_file() and (out / "timeline.html").is_file()


def test_a_pagefind_that_prints_no_phases_gets_the_rest_written_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's headings are a log, not an interface: without them the site is still whole,
    its rest written once Pagefind has ended."""
    from fomo.site import build
    from fomo.site.build import build_site
    from tests.site.conftest import SITE_KB, write_kb

    finished = tmp_path / "finished"
    fake_pagefind(tmp_path, f"sleep 0.3; touch {finished}\n", monkeypatch)
    copy_assets = build.copy_assets
    seen: list[bool] = []
    monkeypatch.setattr(
        build, "copy_assets", lambda out: (seen.append(finished.exists()), copy_assets(out))
    )
    out = tmp_path / "out"
    result = build_site(write_kb(tmp_path / "kb", SITE_KB), out, search=True)
    assert seen == [True] and result.search
    assert (out / "assets/style.css").is_file() and (out / "api").is_dir()


def test_a_build_failing_beside_pagefind_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rest of the site fails while Pagefind runs: the error comes at once and Pagefind is
    stopped, not left running or waited for; also when Pagefind has finished already."""
    from fomo.site import build
    from fomo.site.build import build_site
    from tests.site.conftest import SITE_KB, write_kb

    started, finished = tmp_path / "started.txt", tmp_path / "finished.txt"

    def copy_assets(out: Path) -> None:
        assert wait_for(started)
        raise OSError("disk full")

    monkeypatch.setattr(build, "copy_assets", copy_assets)
    for pause in ("sleep 30", "true"):
        started.unlink(missing_ok=True)
        fake_pagefind(
            tmp_path, f"touch {started}; {PARSED}; {pause}; touch {finished}\n", monkeypatch
        )
        began = time.monotonic()
        with pytest.raises(OSError, match="disk full"):
            build_site(
                write_kb(tmp_path / f"kb-{pause[:5]}", SITE_KB), tmp_path / "out", search=True
            )
        assert time.monotonic() - began < 20
        if pause == "sleep 30":
            time.sleep(0.2)
            assert not finished.exists()


def test_a_pagefind_that_cannot_start_still_leaves_the_site_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fomo.site.build import build_site
    from tests.site.conftest import SITE_KB, write_kb

    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    out = tmp_path / "out"
    with pytest.raises(FomoError, match="could not start Pagefind"):
        build_site(write_kb(tmp_path / "kb", SITE_KB), out, search=True)
    assert (out / "index.html").is_file() and (out / "topics/dpo.html").is_file()
    assert (out / "assets/style.css").is_file() and (out / "api").is_dir()


def test_a_build_with_search_colours_code_as_one_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fomo.site.build import build_site
    from tests.conftest import STARTER, topic_file
    from tests.site.conftest import write_kb

    body = "Usage:\n\n```python\ndef loss(x):\n    return -x\n```\n"
    kb = write_kb(
        tmp_path / "kb", {**STARTER, "map/training/coded.md": topic_file("Coded", "E.") + body}
    )
    fake_pagefind(tmp_path, "exit 0\n", monkeypatch)
    build_site(kb, tmp_path / "out", search=True)
    final = (tmp_path / "out/topics/coded.html").read_text(encoding="utf-8")
    assert '<span class="k">def</span>' in final
    build_site(kb, tmp_path / "plain", search=False)
    assert (tmp_path / "plain/topics/coded.html").read_text(encoding="utf-8") == final


def indexed(site: Path, url: str) -> dict:
    """What Pagefind indexed for the page at `url`: its fragment file's record (the text in
    `content`, the sections a result links to in `anchors`)."""
    import gzip
    import json

    for fragment in (site / "pagefind/fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{") :])
        if record["url"] == url:
            return record
    raise AssertionError(f"no fragment for {url}")


def indexed_text(site: Path, url: str) -> str:
    return indexed(site, url)["content"]


def test_a_topic_page_reads_to_pagefind_as_spaced_words(tmp_path: Path) -> None:
    """Pagefind joins adjacent elements without a space, so a topic's facts, tags and weighted
    aliases must carry their own spacing: no "2023Tags", no "PaperGraph", no "data , pairs",
    and the review date stays out of the index."""
    from fomo.site.build import build_site
    from tests.conftest import STARTER, topic_file
    from tests.site.conftest import write_kb

    files = {
        **STARTER,
        "map/training/graphs.md": topic_file(
            "Graph Tuning",
            "Tunes a model on graphs.",
            aliases="[graph data, graph pairs]",
            year="2023",
            paper="{title: Graphs All the Way, year: 2023}",
            tags="[alpha, beta]",
        ),
    }
    kb = write_kb(tmp_path / "kb", files)
    build_site(kb, tmp_path / "out", search=True)
    text = " ".join(indexed_text(tmp_path / "out", "/topics/graphs.html").split())
    assert "Also known as: graph data, graph pairs" in text
    assert "Year 2023 Paper Graphs All the Way (2023) Tags alpha beta" in text
    assert "Reviewed" not in text


def test_the_installed_pagefind_prints_the_phase_headings_the_build_waits_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should an upgrade of Pagefind drop them, builds would stay right but lose the overlap:
    this says so."""
    from fomo.site.build import build_site
    from tests.site.conftest import SITE_KB, write_kb

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    out = tmp_path / "out"
    build_site(write_kb(tmp_path / "kb", SITE_KB), out, search=False)
    indexing = pagefind.Indexing(out, ["topics"])
    indexing.pages_read()
    headings = [line.strip() for line in indexing.output if line.startswith(b"[")]
    assert headings[-2:] == [pagefind.PARSING, b"[Reading languages]"]
    indexing.wait()
    assert (out / "pagefind/pagefind.js").is_file()


def test_sections_reach_the_index_without_their_permalink_sign(tmp_path: Path) -> None:
    """A heading's "#" permalink stays out of the index: the search page shows each section
    as a sub-result titled by its heading, which read "Overview #". Articles with raw HTML
    (cleaned by nh3) keep the mark too."""
    from fomo.site.build import build_site
    from tests.conftest import STARTER
    from tests.site.conftest import write_kb

    files = {
        **STARTER,
        "map/training/graphs.md": STARTER["map/training/preferences/dpo.md"].replace(
            "Direct Preference Optimization", "Graph Tuning"
        )
        + "## Overview\n\nGraphs all the way.\n",
        "sessions/01-graphs/index.md": (
            "---\ntitle: Graphs\nsummary: S.\nparts:\n  - {number: 1, title: P, topics: "
            "[graphs], status: published, author: A, article: a.md}\n---\n"
        ),
        "sessions/01-graphs/a.md": (
            '---\ntitle: On graphs\n---\n<p align="center">Raw <b>HTML</b></p>\n\n'
            "## How it works\n\nEdges.\n"
        ),
    }
    kb = write_kb(tmp_path / "kb", files)
    build_site(kb, tmp_path / "out", search=True)
    topic = indexed(tmp_path / "out", "/topics/graphs.html")
    article = indexed(tmp_path / "out", "/articles/01-graphs/a.html")
    sections = [a["text"] for a in [*topic["anchors"], *article["anchors"]]]
    assert {"Overview", "How it works"} <= set(sections)
    assert not [text for text in sections if "#" in text]
    assert "#" not in topic["content"] and "#" not in article["content"]
