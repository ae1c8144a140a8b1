"""http(s) sources: fetched from a local server, with a timeout and a size limit."""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from fomo.errors import FomoError
from fomo.ingest.fetch import fetch, is_url
from fomo.ingest.read import read
from tests.conftest import local_server

FIXTURES = Path(__file__).parent / "fixtures"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    handler = partial(_Quiet, directory=str(FIXTURES))
    with local_server(handler) as url:
        yield url


def test_is_url() -> None:
    assert is_url("https://arxiv.org/rss/cs.CL")
    assert not is_url("feed.xml")
    assert not is_url("file:///etc/passwd")


def test_fetch_and_read_a_feed(server: str) -> None:
    assert fetch(f"{server}/arxiv.xml").startswith(b"<?xml")
    assert read(f"{server}/arxiv.xml").kind == "arxiv"


def test_missing_page_is_a_clear_error(server: str) -> None:
    with pytest.raises(FomoError, match="HTTP 404"):
        fetch(f"{server}/nope.xml")


def test_size_limit(server: str) -> None:
    with pytest.raises(FomoError, match="limit"):
        fetch(f"{server}/arxiv.xml", limit=100)


def test_unreachable_host() -> None:
    with pytest.raises(FomoError, match="could not fetch"):
        fetch("http://127.0.0.1:9/feed.xml", timeout=2)


def test_only_http_schemes() -> None:
    with pytest.raises(FomoError, match="not an http"):
        fetch("ftp://example.org/feed.xml")
