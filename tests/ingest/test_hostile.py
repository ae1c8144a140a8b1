"""Hostile sources for `fomo ingest` (issue 16): many BibTeX macros stay linear, redirects never
leave http(s), a JSON Feed is read as a feed, and non-files and oversized inputs are refused
with exit code 2, the file named, a hint and no traceback."""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fomo.cli import main
from fomo.errors import FomoError
from fomo.ingest import bibtex
from fomo.ingest.bibtex import read_bibtex
from fomo.ingest.feeds import read_feed, read_json_feed
from fomo.ingest.fetch import fetch
from fomo.ingest.read import read, sniff
from fomo.ingest.text import read_text
from tests.conftest import local_server


def _macro_bib(count: int) -> str:
    macros = [f'@string{{m{i} = "Venue number {i}"}}' for i in range(count)]
    entries = [
        f"@article{{k{i},\n  title = {{Paper {i}}},\n  journal = m{i},\n  year = {{2024}}\n}}"
        for i in range(count)
    ]
    return "\n".join(macros + entries) + "\n"


@pytest.mark.slow
def test_2000_macros_and_2000_entries_read_in_one_pass() -> None:
    """Was quadratic (every macro re-parsed before every entry: minutes); now one parser reads
    each macro and each entry once. Bounded by construction, not by a timed assertion."""
    text = _macro_bib(2000)
    assert len(text) > 150_000
    batch = read_bibtex(text, "macros.bib")
    assert len(batch.items) == 2000 and not batch.problems
    assert batch.items[1999].title == "Paper 1999"


def test_macros_defined_anywhere_expand_and_chain() -> None:
    text = (
        '@misc{a, title = second # " end", year = {2021}}\n'
        '@string{first = "Macro Title"}\n'
        '@string{second = first # " Two"}\n'
        "@misc{b, title = undefined}\n"
    )
    batch = read_bibtex(text, "x.bib")
    assert [i.title for i in batch.items] == ["Macro Title Two end"]
    assert [p.where for p in batch.problems] == ["x.bib:4"]


def test_bibtex_over_the_size_cap_is_refused(
    starter_kb: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bibtex, "MAX_SIZE", 10_000)
    source = tmp_path / "big.bib"
    source.write_text(_macro_bib(200), encoding="utf-8")
    code = main(["ingest", "--kb", str(starter_kb), str(source)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"error: {source}" in err and "past the limit of 10,000" in err and "hint:" in err


@pytest.mark.parametrize("source", ["/dev/zero", "/tmp"])
def test_non_regular_sources_are_refused(
    starter_kb: Path, source: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if not Path(source).exists():
        pytest.skip(f"needs {source}")
    code = main(["ingest", "--kb", str(starter_kb), source])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert source in err and "hint:" in err


def test_a_source_file_over_the_size_limit_is_refused(
    starter_kb: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import fomo.ingest.read

    monkeypatch.setattr(fomo.ingest.read, "SIZE_LIMIT", 1000)
    source = tmp_path / "titles.txt"
    source.write_text("Direct Preference Optimization\n" * 100, encoding="utf-8")
    code = main(["ingest", "--kb", str(starter_kb), str(source)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"error: {source}" in err and "size limit of 1,000" in err and "hint:" in err


# ---- redirects ----------------------------------------------------------------------------


REDIRECTS = {
    "/ftp": "ftp://127.0.0.1/feed.xml",
    "/file": "file:///etc/passwd",
    "/javascript": "javascript:alert(1)",
    "/web": "/feed.xml",
}


class _Redirects(http.server.BaseHTTPRequestHandler):
    """REDIRECTS answer 302 to their target; any other path is the JSON Feed below."""

    def do_GET(self) -> None:
        target = REDIRECTS.get(self.path)
        if target:
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = JSON_FEED.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/feed+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with local_server(_Redirects) as url:
        yield url


@pytest.mark.parametrize("path", ["/ftp", "/file", "/javascript"])
def test_a_redirect_off_the_web_is_refused(server: str, path: str) -> None:
    with pytest.raises(FomoError, match="not an http\\(s\\) URL"):
        fetch(server + path, timeout=5)


def test_a_redirect_to_ftp_fails_cleanly_through_the_cli(
    starter_kb: Path, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ingest", "--kb", str(starter_kb), f"{server}/ftp", "--timeout", "5"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "ftp://127.0.0.1/feed.xml" in err and "hint:" in err


def test_a_redirect_within_http_is_followed(server: str) -> None:
    assert fetch(f"{server}/web", timeout=5).startswith(b"{")


# ---- JSON Feed ----------------------------------------------------------------------------

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "A test feed",
        "home_page_url": "https://example.org/",
        "items": [
            {
                "id": "1",
                "url": "https://example.org/kto",
                "title": "KTO: <b>binary</b> feedback",
                "summary": "Aligns a model from thumbs-up and thumbs-down signals.",
                "date_published": "2024-02-03T10:00:00Z",
                "authors": [{"name": "A. Author"}],
            },
            {
                "id": "2",
                "external_url": "https://example.org/orpo",
                "title": "ORPO",
                "content_html": "<p>Odds-ratio preference optimisation.</p>",
            },
            {"id": "3", "content_text": "an untitled microblog post"},
            {
                "id": "4",
                "title": "Hostile link",
                "url": "javascript:alert(1)",
                "author": {"name": "Old Style"},
            },
            "not an object",
        ],
    }
)


def test_a_json_feed_is_read_as_a_feed(tmp_path: Path) -> None:
    source = tmp_path / "feed.json"
    source.write_text(JSON_FEED, encoding="utf-8")
    assert sniff(source.read_bytes()) == "feed"
    batch = read(str(source))
    assert batch.kind == "feed"
    first, second, hostile = batch.items
    assert (first.title, first.url, first.year, first.authors) == (
        "KTO: binary feedback",
        "https://example.org/kto",
        2024,
        ["A. Author"],
    )
    assert first.summary.startswith("Aligns a model")
    assert (second.url, second.summary) == (
        "https://example.org/orpo",
        "Odds-ratio preference optimisation.",
    )
    assert hostile.url is None and hostile.authors == ["Old Style"]
    assert [p.where for p in batch.problems] == ["item 3", "item 5"]


def test_a_json_feed_from_a_url_is_read_as_a_feed(server: str) -> None:
    batch = read(f"{server}/feed.json", timeout=5)
    assert batch.kind == "feed" and len(batch.items) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"version": "https://jsonfeed.org/version/1", "items": []}', "no feed entries"),
        ('{"version": "https://jsonfeed.org/version/1", "items": {"a": 1}}', "no feed entries"),
        ('{"version": "https://jsonfeed.org/version/1", "items": [', "not valid JSON"),
    ],
)
def test_a_broken_json_feed_is_a_clear_error(
    starter_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    source = tmp_path / "feed.json"
    source.write_text(text, encoding="utf-8")
    code = main(["ingest", "--kb", str(starter_kb), str(source)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"error: {source}" in err and message in err and "hint:" in err


# ---- fuzz: random bytes and random structures, a batch or a FomoError ----------------------

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
_KEYS = st.sampled_from(
    [
        "version",
        "items",
        "title",
        "url",
        "external_url",
        "summary",
        "content_text",
        "content_html",
        "date_published",
        "authors",
        "author",
        "name",
        "id",
    ]
)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.just("https://jsonfeed.org/version/1.1")
    | st.just("https://example.org/x"),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=6),
    max_leaves=30,
)


def _batch_or_error(reader, *args) -> None:  # type: ignore[no-untyped-def]
    try:
        batch = reader(*args)
    except FomoError:
        return
    for item in batch.items:
        assert item.title and isinstance(item.title, str)
        assert item.url is None or item.url.lower().startswith(("http://", "https://"))


@FUZZ
@given(data=st.binary(max_size=600))
def test_fuzz_feed_bytes(data: bytes) -> None:
    _batch_or_error(read_feed, data, "fuzz.xml")
    _batch_or_error(read_json_feed, data, "fuzz.json")


@FUZZ
@given(document=_JSON)
def test_fuzz_json_feed_structures(document) -> None:  # type: ignore[no-untyped-def]
    _batch_or_error(read_json_feed, json.dumps(document).encode(), "fuzz.json")
    wrapped = {"version": "https://jsonfeed.org/version/1", "items": [document]}
    _batch_or_error(read_json_feed, json.dumps(wrapped).encode(), "fuzz.json")


_BIB_PART = st.sampled_from(
    [
        "@article{",
        "@string{",
        "@misc(",
        "@comment{",
        "@preamble{",
        "title = ",
        "{",
        "}",
        ",",
        '"',
        " # ",
        "\\'e",
        "year = {2024}",
        "\n",
        "k1",
        "m1",
        "url = {https://x.org}",
        "=",
        "@",
    ]
)


@FUZZ
@given(parts=st.lists(st.one_of(_BIB_PART, st.text(max_size=8)), max_size=40))
def test_fuzz_bibtex_text(parts: list[str]) -> None:
    _batch_or_error(read_bibtex, "".join(parts), "fuzz.bib")


@FUZZ
@given(text=st.text(max_size=400))
def test_fuzz_text_lists(text: str) -> None:
    _batch_or_error(read_text, text, "fuzz.txt")


@FUZZ
@given(
    data=st.binary(max_size=400),
    head=st.sampled_from([b"", b"<?xml ", b"<rss>", b"{", b"@article{"]),
)
def test_fuzz_whole_read_pipeline(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, head: bytes
) -> None:
    source = tmp_path_factory.mktemp("fuzz") / "source"
    source.write_bytes(head + data)
    _batch_or_error(read, str(source))
