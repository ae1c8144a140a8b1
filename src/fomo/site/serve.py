"""`fomo serve`: build, serve the built folder on 127.0.0.1, watch the knowledge base and
reload the browser after re-rendering only what changed.

The server maps a request path onto the built folder and nothing else: the path is decoded,
normalised and resolved, and anything that lands outside the folder (.., symlinks, encoded
slashes, NUL bytes) or names a hidden file (the temporary files of a build) is a 404. HTML
responses get a tiny script injected that listens on a server-sent events stream; the files on
disk stay exactly what `fomo build` writes.
"""

from __future__ import annotations

import contextlib
import http.server
import mimetypes
import os
import posixpath
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from fomo.site.build import SiteBuilder

EVENTS_PATH = "/__fomo/events"
RELOAD_PATH = "/__fomo/reload.js"
RELOAD_JS = b"""(function(){
  if (!window.EventSource) return;
  var source = new EventSource("/__fomo/events"), first = null;
  source.addEventListener("build", function (e) {
    if (first === null) { first = e.data; return; }
    if (e.data !== first) { source.close(); location.reload(); }
  });
})();
"""
INJECT = b'<script src="/__fomo/reload.js"></script>'
# the map, sessions and settings; notebook articles; the files articles show or link to
WATCHED_SUFFIXES = frozenset(
    ".md .yml .yaml .ipynb .png .jpg .jpeg .gif .svg .webp .pdf .csv".split()
)


class Generation:
    """A build counter that SSE clients wait on."""

    def __init__(self) -> None:
        self.value = 1
        self.cond = threading.Condition()
        self.closed = False

    def bump(self) -> None:
        with self.cond:
            self.value += 1
            self.cond.notify_all()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def wait_past(self, seen: int, timeout: float) -> int:
        with self.cond:
            self.cond.wait_for(lambda: self.value != seen or self.closed, timeout=timeout)
            return self.value


def resolve_request(root: Path, raw_path: str) -> Path | None:
    """The file under `root` a request path names, or None when it is outside or absent."""
    try:
        path = unquote(urlsplit(raw_path).path, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return None
    if "\x00" in path or "\\" in path:
        return None
    normal = posixpath.normpath("/" + path.lstrip("/"))
    parts = [p for p in normal.split("/") if p and p not in (".", "..")]
    if any(part.startswith(".") for part in parts):
        return None  # the build's marker and the temporary files of a build in progress
    candidate = root.joinpath(*parts) if parts else root
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    root_real = root.resolve()
    if real != root_real and root_real not in real.parents:
        return None
    if real.is_dir():
        real = real / "index.html"
        if not real.is_file():
            return None
    return real if real.is_file() else None


def make_handler(
    root: Path, generation: Generation, live: bool
) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "fomo-serve"
        sys_version = ""
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the CLI prints what matters

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def do_GET(self) -> None:
            self._serve(head=False)

        def _send(self, status: int, body: bytes, ctype: str, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _serve(self, head: bool) -> None:
            try:
                path = urlsplit(self.path).path
                if live and path == RELOAD_PATH:
                    self._send(200, RELOAD_JS, "text/javascript; charset=utf-8", head)
                    return
                if live and path == EVENTS_PATH and not head:
                    self._events()
                    return
                target = resolve_request(root, self.path)
                if target is None:
                    missing = root / "404.html"
                    body = missing.read_bytes() if missing.is_file() else b"Not found"
                    self._send(404, self._inject(body), "text/html; charset=utf-8", head)
                    return
                body = target.read_bytes()
                ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                if target.suffix == ".wasm":
                    ctype = "application/wasm"
                if ctype.startswith("text/") or ctype in (
                    "application/javascript",
                    "application/json",
                ):
                    ctype += "; charset=utf-8"
                if target.suffix == ".html":
                    body = self._inject(body)
                self._send(200, body, ctype, head)
            except (ConnectionError, TimeoutError):
                self.close_connection = True
            except OSError:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self._send(500, b"Server error", "text/plain", head)

        def _inject(self, body: bytes) -> bytes:
            if not live:
                return body
            at = body.rfind(b"</body>")
            return body[:at] + INJECT + body[at:] if at >= 0 else body + INJECT

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            seen = generation.value
            self.wfile.write(f"event: build\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while not generation.closed:
                current = generation.wait_past(seen, timeout=15)
                if generation.closed:
                    break
                message = f"event: build\ndata: {current}\n\n" if current != seen else ": ping\n\n"
                seen = current
                self.wfile.write(message.encode())
                self.wfile.flush()

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    """A thread per connection; a listen backlog for a page's worth of parallel requests from
    many tabs (the default of 5 made a burst of clients wait for TCP retransmits)."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up or sends garbage must not print tracebacks


def relevant(change_path: str, out: Path) -> bool:
    path = Path(change_path)
    if out == path or out in path.parents:
        return False
    return path.suffix.lower() in WATCHED_SUFFIXES and not path.name.startswith((".", "~"))


class Preview:
    """The build + server + watcher of `fomo serve`, startable and stoppable from tests."""

    def __init__(
        self,
        kb: str | os.PathLike[str] | None,
        out: str | os.PathLike[str],
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        search: bool = True,
        report: Callable[[str], None] | None = None,
    ) -> None:
        self.builder = SiteBuilder(kb, out, search=search)
        self.report = report or (lambda message: None)
        self.generation = Generation()
        self.host, self.port = host, port
        self.stop_event = threading.Event()
        self.server: _Server | None = None
        self._threads: list[threading.Thread] = []
        self._search_lock = threading.Lock()
        self._search_wanted = threading.Event()

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> None:
        result = self.builder.build()
        self.report(f"built {result.pages} files in {result.seconds:.1f}s")
        for warning in result.warnings:
            self.report(f"warning: {warning}")
        handler = make_handler(self.builder.out, self.generation, live=True)
        self.server = _Server((self.host, self.port), handler)
        for target in (self.server.serve_forever, self._watch, self._search_loop):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self.stop_event.set()
        self._search_wanted.set()
        self.generation.close()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def rebuild(self) -> None:
        """Re-render what changed, tell browsers to reload, re-index search in the background."""
        started = time.perf_counter()
        try:
            result, touched = self.builder.update()
        except Exception as error:
            self.report(f"rebuild failed: {error}")
            return
        self.report(
            f"rebuilt {result.written} changed files in {time.perf_counter() - started:.2f}s"
        )
        if touched:
            self.generation.bump()
            self._search_wanted.set()

    def _watch(self) -> None:
        import watchfiles

        kb_root = self.builder.kb_root
        assert kb_root is not None
        out = self.builder.out
        for changes in watchfiles.watch(
            kb_root,
            stop_event=self.stop_event,
            watch_filter=lambda _change, path: relevant(path, out),
            debounce=200,
            step=50,
            yield_on_timeout=False,
        ):
            if changes:
                self.rebuild()

    def _search_loop(self) -> None:
        while not self.stop_event.is_set():
            self._search_wanted.wait()
            if self.stop_event.is_set():
                return
            self._search_wanted.clear()
            try:
                self.builder.reindex_search()
            except Exception as error:
                self.report(f"search re-index failed: {error}")
