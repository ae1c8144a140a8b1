"""The search index: Pagefind run over the built site as its binary, in the background while
the pages it does not index are still being rendered (`start`, then `finish`).

Errors say whose they are: a missing or broken Pagefind install gets the reinstall hint; a
Pagefind that ran and failed (or panicked) over our pages is reported as such, with the way to
build without search, since reinstalling would not help.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from fomo.errors import FomoError

REINSTALL = "reinstall with `pip install 'pagefind[bin]'`, or build with --no-search"
NOT_FOUND = (126, 127)  # the shell's "cannot execute" and "not found"
# Pagefind reads only what is inside the element our templates mark as a page's searchable
# body: the index is byte for byte the same as from whole pages (measured on 5,213 pages), and
# it skips parsing the header, navigation and side panels (a quarter of its CPU). A template a
# knowledge base overrides must keep `data-pagefind-body` on the part to search.
ROOT_SELECTOR = "[data-pagefind-body]"


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


@dataclass
class Indexing:
    """A Pagefind run in the background, started once the searchable pages are written."""

    root: Path
    process: subprocess.Popen[bytes]
    output: IO[bytes]  # its stdout and stderr: a file, so that it never waits on a full pipe
    started: float


def start(root: Path, folders: Iterable[str] = ()) -> Indexing:
    """Start indexing the site at `root`, reading only the HTML under `folders` when given
    (the folders of the searchable pages: the rest of the site may still be being written)."""
    arguments = [*command(), "--site", str(root), "--silent", "--root-selector", ROOT_SELECTOR]
    if folders:
        arguments += ["--glob", "{" + ",".join(sorted(folders)) + "}/**/*.html"]
    output = tempfile.TemporaryFile()  # noqa: SIM115 (kept open until `finish` closes it)
    try:
        process = subprocess.Popen(arguments, stdout=output, stderr=subprocess.STDOUT)
    except OSError as error:
        output.close()
        raise FomoError(
            f"search indexing could not start Pagefind: {error.strerror or error}", hint=REINSTALL
        ) from None
    return Indexing(root, process, output, time.perf_counter())


def finish(indexing: Indexing) -> float:
    """Wait for the run to end; the seconds it took from its start."""
    returncode = indexing.process.wait()
    seconds = time.perf_counter() - indexing.started
    with indexing.output:
        indexing.output.seek(0)
        output = indexing.output.read().decode("utf-8", "replace").strip()
    if returncode != 0:
        missing = returncode in NOT_FOUND or "No module named" in output
        if missing:
            raise FomoError(
                f"search indexing could not run Pagefind: {output[-300:]}", hint=REINSTALL
            )
        what = "crashed" if "panicked" in output else f"failed (exit code {returncode})"
        raise FomoError(
            f"search indexing: Pagefind {what} while indexing {indexing.root}: {output[-500:]}",
            hint="the pages were built; build with --no-search to skip search, and please "
            "report this with the message above",
        )
    return seconds


def cancel(indexing: Indexing) -> None:
    """Stop a run whose build failed: its index would describe pages that are not all there."""
    indexing.process.kill()
    indexing.process.wait()
    indexing.output.close()


def index(root: Path) -> float:
    """Index the site at `root` and wait for it; the seconds it took."""
    return finish(start(root))
