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
    (site / ".fomo-site").write_text("built by fomo build")
    (site / "topics/.fomo-a.html.123.tmp").write_text("<html>half a pa")
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
        "/.fomo-site",
        "/topics/.fomo-a.html.123.tmp",
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


def test_many_concurrent_clients_are_all_served(root: Path) -> None:
    """200 clients at once, 5 requests each, a new connection per request: none may fail
    (the listen backlog used to be 5, and a burst waited for TCP retransmits or timed out)."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from fomo.site.serve import Generation, _Server, make_handler

    server = _Server(("127.0.0.1", 0), make_handler(root, Generation(), live=False))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/topics/a.html"
    barrier = threading.Barrier(200)

    def client(_: int) -> list[str]:
        failures = []
        barrier.wait(timeout=30)  # all 200 connect in the same instant
        for _ in range(5):
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    if response.status != 200 or response.read() != b"a":
                        failures.append(f"status {response.status}")
            except OSError as error:
                failures.append(repr(error))
        return failures

    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=200) as pool:
            failures = [f for result in pool.map(client, range(200)) for f in result]
    finally:
        server.shutdown()
        server.server_close()
    assert failures == []
    assert time.perf_counter() - started < 60  # bounded: a few seconds when healthy
