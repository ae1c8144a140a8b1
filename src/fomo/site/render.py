"""Rendering and writing many pages, in forked worker processes when that pays.

Rendering is Python (Markdown, Pygments, Jinja) on one core, so a big build forks workers that
inherit the renderer and the page list (nothing is pickled but a span of positions), render and
write their pages, and send back what incremental rebuilds need: each page's digest, the topics
its text links to, and whether it draws diagrams. The state a worker renders from is handed to
it by the pool's initializer; only worker processes ever hold it.

A worker stopped by a signal (the pool terminates the others when one dies; Ctrl-C reaches them
all) finishes the page it is writing first: a new file is created in place, not renamed into
place (`fomo.site.write`), so stopping mid-write would leave it empty or short.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from fomo.errors import FomoError
from fomo.site.pages import Page, PageKind
from fomo.site.renderer import Renderer
from fomo.site.write import Writer

PARALLEL_PAGES = 400  # pages to render before forked workers pay for themselves
MAX_WORKERS = 4


@dataclass(frozen=True, slots=True)
class Done:
    """What came of one page: the written file's digest and what the page depends on."""

    path: str
    digest: str | None
    written: bool
    links: frozenset[str]
    diagrams: bool


Job = tuple[PageKind, Page]


def render_one(renderer: Renderer, writer: Writer, job: Job) -> Done:
    rendered = renderer.render(*job)
    path = rendered.output.path
    written = writer.write(path, rendered.text)
    return Done(path, writer.digest(path), written, rendered.links, rendered.diagrams)


def worker_count(pages: int, chosen: int | None = None) -> int:
    """Forked workers only for big builds, where rendering is most of the time; never from a
    process with other threads (fork copies their locks) and never where fork is missing."""
    if chosen is not None:
        return max(1, chosen)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (
        pages < PARALLEL_PAGES
        or (cpus or 1) < 2
        or sys.platform == "win32"
        or threading.active_count() > 1
    ):
        return 1
    return min(MAX_WORKERS, cpus or 1)


class _Worker:
    """The state of one worker process, set once by the pool's initializer."""

    renderer: Renderer
    writer: Writer
    jobs: Sequence[Job]
    busy = False  # rendering or writing a page
    stopped: int | None = None  # the signal that came while busy


def _stop_after_page(signum: int, frame: object) -> None:
    if not _Worker.busy:
        os._exit(128 + signum)
    _Worker.stopped = signum


def _start_worker(renderer: Renderer, writer: Writer, jobs: Sequence[Job]) -> None:
    _Worker.renderer, _Worker.writer, _Worker.jobs = renderer, writer, jobs
    signal.signal(signal.SIGTERM, _stop_after_page)
    signal.signal(signal.SIGINT, _stop_after_page)


def _render_span(span: tuple[int, int]) -> list[Done]:
    done = []
    for job in _Worker.jobs[slice(*span)]:
        _Worker.busy = True
        try:
            done.append(render_one(_Worker.renderer, _Worker.writer, job))
        finally:
            _Worker.busy = False
        if _Worker.stopped is not None:
            os._exit(128 + _Worker.stopped)
    return done


def job_spans(jobs: Sequence[Job], workers: int) -> list[tuple[int, int]]:
    """Runs of consecutive jobs for the workers, taken in turn from each output folder.

    Workers that create files in one folder at the same time queue on its lock, and on ext4
    the one waiting spins on the CPU (a tenth of a cold 5,000-topic build went there); spans
    that alternate between folders keep them mostly apart."""
    step = max(20, len(jobs) // (workers * 8))
    by_folder: dict[str, list[tuple[int, int]]] = {}
    start = 0
    for end in range(1, len(jobs) + 1):
        folder = jobs[start][1].output.path.rpartition("/")[0]
        if (
            end == len(jobs)
            or end - start == step
            or jobs[end][1].output.path.rpartition("/")[0] != folder
        ):
            by_folder.setdefault(folder, []).append((start, end))
            start = end
    queues = list(by_folder.values())
    return [
        queue[i]
        for i in range(max(map(len, queues), default=0))
        for queue in queues
        if i < len(queue)
    ]


def render_all(
    renderer: Renderer,
    writer: Writer,
    jobs: Sequence[Job],
    workers: int,
    alongside: Sequence[Job] = (),
) -> list[Done]:
    """Render and write every job (in `workers` forked processes when above one), then the
    `alongside` jobs here, while the workers run (they would wait on this process otherwise);
    the writer learns the digests of the files the workers wrote. Results in that order."""
    if workers <= 1:
        return [render_one(renderer, writer, job) for job in [*jobs, *alongside]]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    renderer.prepare(sorted({kind.template for kind, _ in jobs if kind.template}))
    spans = job_spans(jobs, workers)
    done: list[Done] = []
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(renderer, writer, jobs),
        ) as pool:
            pending = pool.map(_render_span, spans)  # every worker is forked by now
            try:
                here = [render_one(renderer, writer, job) for job in alongside]
            except BaseException:  # report it now, not after the workers' every page
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            for results in pending:
                done.extend(results)
    except BrokenProcessPool:
        raise FomoError(
            "a page-rendering worker process died (killed, or out of memory) before the build "
            "finished; the pages already written are whole, the site is incomplete",
            hint="run `fomo build` again; if it dies again, build in one process with "
            "--workers 1 (uses less memory)",
        ) from None
    for item in done:
        if item.digest is not None:
            writer.record(item.path, item.digest)
    return done + here
