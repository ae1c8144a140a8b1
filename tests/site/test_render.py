"""Rendering in worker processes: the same site as one process (tests/site/test_build.py), and
a worker that dies fails the build cleanly: exit 2, a message that says what happened, no
traceback, no half-written page."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from fomo.site.links import Output
from fomo.site.pages import Page
from fomo.site.render import job_spans, render_all, worker_count
from fomo.site.renderer import RenderedPage
from fomo.site.write import Writer
from tests.site.conftest import SITE_KB, write_kb

DYING_WORKER = """
import dataclasses, os, sys
from fomo.site import pages
topic = pages.kind("topic")
parent = os.getpid()
def context(renderer, page):
    if page.item.id == "dpo" and os.getpid() != parent:
        os._exit(9)  # as if the kernel killed it (out of memory)
    return topic.context(renderer, page)
pages.REGISTRY["topic"] = dataclasses.replace(topic, context=context)
from fomo.cli import main
sys.exit(main(["build", "--kb", sys.argv[1], "--out", sys.argv[2], "--no-search", "--workers", "2"]))
"""


def build_with(script: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run `script` (a build of the test kb with two workers) in a process of its own."""
    kb = write_kb(tmp_path / "kb", SITE_KB)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(kb), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done, out


def test_a_dead_worker_fails_the_build_cleanly(tmp_path: Path) -> None:
    done, out = build_with(DYING_WORKER, tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "error: a page-rendering worker process died" in done.stderr
    assert "--workers 1" in done.stderr  # the hint
    for page in out.rglob("*.html"):
        assert page.read_text().rstrip().endswith("</html>"), page


STOPPED_WORKER = DYING_WORKER.replace(
    "os._exit(9)  # as if the kernel killed it (out of memory)",
    "os.kill(os.getpid(), signal.SIGTERM)  # as the pool stops the others when one dies",
).replace("import dataclasses, os, sys", "import dataclasses, os, signal, sys")


def test_a_worker_stopped_mid_page_finishes_that_page_first(tmp_path: Path) -> None:
    """A new page is created in place (not renamed into place), so a worker that stopped at
    once would leave it empty: it writes the page, then exits."""
    done, out = build_with(STOPPED_WORKER, tmp_path)
    assert done.returncode == 2, done.stderr
    assert "error: a page-rendering worker process died" in done.stderr
    assert "Traceback" not in done.stderr
    page = out / "topics" / "dpo.html"
    assert page.read_text().rstrip().endswith("</html>")
    for page in out.rglob("*.html"):
        assert page.read_text().rstrip().endswith("</html>"), page


def test_worker_count() -> None:
    assert worker_count(10_000, 3) == 3 and worker_count(10, 0) == 1
    assert worker_count(10) == 1  # a small site is rendered in one process


def test_spans_cover_every_job_once_and_alternate_between_folders() -> None:
    paths = [f"topics/t{i}.html" for i in range(300)] + [
        f"api/topics/t{i}.json" for i in range(300)
    ]
    paths += ["index.html", "search.html"]
    jobs = [(None, Page(Output.at(path))) for path in paths]
    runs = job_spans(jobs, workers=2)  # type: ignore[arg-type]
    assert sorted(i for start, end in runs for i in range(start, end)) == list(range(len(jobs)))
    folders = [{paths[i].rpartition("/")[0] for i in range(*run)} for run in runs]
    assert all(len(folder) == 1 for folder in folders)  # a span never straddles two folders
    assert folders[0] != folders[1] and folders[1] != folders[2]  # consecutive spans alternate


class FlagRenderer:
    """Pages under `wait/` are rendered only once the page `flag.html` has been: a worker
    rendering them waits for that file (at most 20 s), so they finish only if this process
    renders `flag.html` while the workers run."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def prepare(self, templates: list[str]) -> None:
        pass

    def render(self, kind: object, page: Page) -> RenderedPage:
        path = page.output.path
        if path.startswith("wait/"):
            deadline = time.monotonic() + 20
            while not (self.root / "flag.html").exists():
                if time.monotonic() > deadline:
                    raise TimeoutError("flag.html was not rendered while the workers ran")
                time.sleep(0.01)
        return RenderedPage(page.output, f"{path} by {os.getpid()}", frozenset(), False)


def test_the_pages_rendered_here_are_rendered_while_the_workers_run(tmp_path: Path) -> None:
    kind = SimpleNamespace(template=None)
    many = [(kind, Page(Output.at(f"wait/p{i}.html"))) for i in range(6)]
    few = [(kind, Page(Output.at("flag.html"))), (kind, Page(Output.at("index.html")))]
    writer = Writer(tmp_path)
    done = render_all(FlagRenderer(tmp_path), writer, many, 2, few)  # type: ignore[arg-type]
    assert [item.path for item in done] == [page.output.path for _, page in many + few]
    here = f"by {os.getpid()}"
    assert (tmp_path / "flag.html").read_text().endswith(here)
    assert not any((tmp_path / "wait" / f"p{i}.html").read_text().endswith(here) for i in range(6))
    assert writer.digest("wait/p0.html") is not None  # the workers' files are recorded


class SlowRenderer(FlagRenderer):
    """Pages under `wait/` take 20 ms each; `broken.html` fails at once."""

    def render(self, kind: object, page: Page) -> RenderedPage:
        if page.output.path == "broken.html":
            raise OSError("disk full")
        time.sleep(0.02)
        return RenderedPage(page.output, page.output.path, frozenset(), False)


def test_a_page_failing_here_stops_the_workers_pages_not_yet_started(tmp_path: Path) -> None:
    """The error comes once the spans the workers have begun are done, not after all of them:
    of 400 pages in 16 spans, the workers write only those they had begun."""
    kind = SimpleNamespace(template=None)
    many = [(kind, Page(Output.at(f"wait/p{i}.html"))) for i in range(400)]
    few = [(kind, Page(Output.at("broken.html")))]
    with pytest.raises(OSError, match="disk full"):
        render_all(SlowRenderer(tmp_path), Writer(tmp_path), many, 2, few)  # type: ignore[arg-type]
    assert len(list((tmp_path / "wait").glob("*.html"))) < 200
