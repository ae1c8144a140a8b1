"""The search index: Pagefind run over the built site as its binary, once every page is written.

Errors say whose they are: a missing or broken Pagefind install gets the reinstall hint; a
Pagefind that ran and failed (or panicked) over our pages is reported as such, with the way to
build without search, since reinstalling would not help.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from fomo.errors import FomoError

REINSTALL = "reinstall with `pip install 'pagefind[bin]'`, or build with --no-search"
NOT_FOUND = (126, 127)  # the shell's "cannot execute" and "not found"
# Pagefind reads only what is inside the element our templates mark as a page's searchable
# body: the index is byte for byte the same as from whole pages (measured on 5,213 pages), and
# it skips parsing the header, navigation and side panels (a quarter of its CPU). A template a
# knowledge base overrides must keep `data-pagefind-body` on the part to search.
ROOT_SELECTOR = "[data-pagefind-body]"
PARSING = b"[Parsing files]"  # the heading of Pagefind's phase that reads the pages


def command() -> list[str]:
    """The Pagefind binary that the `pagefind[bin]` package ships, run directly (importing
    `pagefind` to ask costs more than the lookup: it loads asyncio), else `python -m pagefind`.
    PAGEFIND_BINARY_PATH wins, as it does for Pagefind's own wrapper."""
    chosen = os.environ.get("PAGEFIND_BINARY_PATH")
    if chosen:
        return [chosen]
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for name in ("pagefind_extended", "pagefind", "pagefind_extended.exe", "pagefind.exe"):
                binary = Path(folder) / name
                if binary.is_file() and os.access(binary, os.X_OK):
                    return [str(binary)]
    return [sys.executable, "-m", "pagefind"]


class Indexing:
    """A Pagefind run in progress: the build writes the rest of the site meanwhile, once
    Pagefind has read the pages (`pages_read`).

    Why wait for that: Pagefind reads and parses the pages on both cores, then builds and
    writes its index on about one, so work done beside it costs it least after the reading
    (0.7 s of a 5,000-topic build's 6.5 s of indexing when done from the start). Pagefind says
    when it moves on in the phase headings it prints (`[Parsing files]`, then `[Reading
    languages]`); they are a log, not an interface, so should a version print none, the rest of
    the site is written once Pagefind has finished: later, never wrong."""

    def __init__(self, root: Path, folders: Iterable[str] = ()) -> None:
        arguments = [*command(), "--site", str(root), "--root-selector", ROOT_SELECTOR]
        if folders:
            arguments += ["--glob", "{" + ",".join(sorted(folders)) + "}/**/*.html"]
        self.root = root
        self.started = time.perf_counter()
        self.output: list[bytes] = []
        try:
            self.process = subprocess.Popen(
                arguments, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
        except OSError as error:
            raise FomoError(
                f"search indexing could not start Pagefind: {error.strerror or error}",
                hint=REINSTALL,
            ) from None

    def pages_read(self) -> None:
        """Wait until Pagefind has parsed every page, or has ended. Interrupted, it stops
        Pagefind."""
        assert self.process.stdout is not None
        parsing = False
        try:
            for line in self.process.stdout:
                self.output.append(line)
                heading = line.strip()
                if heading == PARSING:
                    parsing = True
                elif parsing and heading.startswith(b"[") and heading.endswith(b"]"):
                    return
        except BaseException:
            self.stop()
            raise

    def wait(self) -> float:
        """Wait for Pagefind to finish; the seconds since it started. Interrupted, it stops
        Pagefind."""
        try:
            rest = self.process.communicate()[0]
        except BaseException:
            self.stop()
            raise
        output = b"".join([*self.output, rest]).decode("utf-8", "replace").strip()
        seconds = time.perf_counter() - self.started
        code = self.process.returncode
        if code == 0:
            return seconds
        if code in NOT_FOUND or "No module named" in output:
            raise FomoError(
                f"search indexing could not run Pagefind: {output[-300:]}", hint=REINSTALL
            )
        what = "crashed" if "panicked" in output else f"failed (exit code {code})"
        raise FomoError(
            f"search indexing: Pagefind {what} while indexing {self.root}: {output[-500:]}",
            hint="the pages were built; build with --no-search to skip search, and please "
            "report this with the message above",
        )

    def stop(self) -> None:
        """End the run early (the build failed beside it); its half-written index is left.
        Pagefind stays in our process group, so a signal to the group (Ctrl-C, `timeout`)
        reaches it as well. Not waiting on its output: a grandchild (`python -m pagefind`'s
        binary) may hold it open."""
        if self.process.poll() is None:
            self.process.kill()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process.wait()


def index(root: Path, folders: Iterable[str] = ()) -> float:
    """Index the site at `root`, reading only the HTML under `folders` when given (the folders
    of the searchable pages); the seconds it took."""
    return Indexing(root, folders).wait()
