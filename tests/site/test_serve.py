"""The preview server: only the built folder, whatever the request; survives garbage."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from fomo.site.serve import resolve_request


@pytest.fixture
def root(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "topics").mkdir(parents=True)
    (site / "index.html").write_text("home")
    (site / "topics/a.html").write_text("a")
    (tmp_path / "secret.txt").write_text("secret")
    (site / "link").symlink_to(tmp_path / "secret.txt")
    return site


@pytest.mark.parametrize(
    "raw",
    [
        "/../secret.txt",
        "/topics/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/link",
        "/topics/%00a.html",
        "/..\\secret.txt",
        "//../secret.txt",
        "/%ff%fe",
        "/nope.html",
    ],
)
def test_nothing_outside_the_site(root: Path, raw: str) -> None:
    assert resolve_request(root, raw) is None


def test_files_and_folders_resolve(root: Path) -> None:
    assert resolve_request(root, "/") == (root / "index.html").resolve()
    assert resolve_request(root, "/topics/a.html?x=1#y") == (root / "topics/a.html").resolve()
    assert resolve_request(root, "/topics/./a.html") == (root / "topics/a.html").resolve()


def raw_request(url: str, payload: bytes) -> bytes:
    host, port = url.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(payload)
        chunks = []
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except TimeoutError:
            pass
    return b"".join(chunks)


def test_server_survives_malformed_requests(site_url: str) -> None:
    for payload in [
        b"\x00\xff garbage\r\n\r\n",
        b"GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET " + b"A" * 70000 + b" HTTP/1.1\r\n\r\n",
        b"BREW /pot HTTP/1.1\r\nConnection: close\r\n\r\n",
        b"GET /topics/dpo.html HTTP/1.1\r\n",  # never finished
    ]:
        answer = raw_request(site_url, payload)
        assert b"root:" not in answer
    with urllib.request.urlopen(site_url + "topics/dpo.html") as response:
        assert response.status == 200 and b"Direct Preference" in response.read()


def test_missing_page_is_404_with_the_site_page(site_url: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(site_url + "no/such/page.html")
    assert caught.value.code == 404 and b"Page not found" in caught.value.read()
