"""KnowledgeBase -> a static, self-contained site: the orchestration of a build.

What pages exist and how each is rendered is declared by the page kinds in `fomo.site.pages`
(read its docstring to add one); this module loads the knowledge base, checks the output
folder, renders every kind's pages (in worker processes for big builds, `render`), writes them
atomically (`write`), removes what an earlier build left that is gone, copies the assets
(`static`), then runs Pagefind (`pagefind`) over the searchable pages. `SiteBuilder.update`
re-renders only the pages an edit can change (`incremental`), which is what `fomo serve` relies
on.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from fomo.errors import FomoError
from fomo.kb.load import TopicCache, load, load_once
from fomo.site import incremental, pagefind
from fomo.site.config import load_config
from fomo.site.data import SiteData
from fomo.site.pages import Page, PageKind, kinds
from fomo.site.render import Done, render_all, worker_count
from fomo.site.renderer import Renderer
from fomo.site.static import copy_assets, mermaid_js, mermaid_warning
from fomo.site.write import Writer, existing

MARKER = ".fomo-site"
SHARED = ("assets", "pagefind")  # folders that hold more than pages: never pruned as stale
NO_BASE_URL = (
    "site.yml sets no base_url, so the feed's links are relative (feed readers cannot follow "
    "them) and sitemap.xml lists no pages; set base_url in site.yml or pass --base-url URL"
)


@dataclass
class BuildResult:
    out: Path
    pages: int
    written: int
    seconds: float
    search: bool
    search_seconds: float = 0.0
    workers: int = 1  # processes that rendered the pages
    load_seconds: float = 0.0  # reading the knowledge base (the index, cold or warm)
    warnings: list[str] = field(default_factory=list)  # the site works, but something is off


class SiteBuilder:
    """Builds a site from one knowledge base into one folder; keeps what it needs to update it."""

    def __init__(
        self,
        kb: str | os.PathLike[str] | None,
        out: str | os.PathLike[str],
        *,
        search: bool = True,
        base_url: str | None = None,
        workers: int | None = None,
        once: bool = False,
    ) -> None:
        self.kb_arg = kb
        self.once = once  # builds once and leaves (`fomo build`): no index kept up to date
        self.workers = workers  # None: decide from the page count and the CPUs
        self.out = Path(out).resolve()
        self.search = search
        self.base_url = base_url
        self.data: SiteData | None = None
        self.kb_root: Path | None = None
        self.writer = Writer(self.out)
        self.renderer: Renderer | None = None
        self.topics = TopicCache()  # an update decodes only the topic files that changed
        # per written page: its kind, the page, the topics its Markdown linked to
        self._pages: dict[str, tuple[str, Page, frozenset[str]]] = {}

    def _load(self) -> SiteData:
        if self.once:
            kb, root = load_once(self.kb_arg)
        else:
            loaded = load(self.kb_arg, cache=self.topics)
            loaded.index.close()  # everything is in `loaded.kb`; no connection survives a fork
            kb, root = loaded.kb, loaded.root
        self.kb_root = root
        config = load_config(root)
        if self.base_url is not None:
            config.base_url = self.base_url.rstrip("/") + "/" if self.base_url else ""
        if kb.root is None:
            raise FomoError(
                "the map is empty",
                file=str(root / "map"),
                hint="add map/index.md with a title and an essence",
            )
        self._check_out(root)
        return SiteData.of(kb, config, root)

    def _check_out(self, kb_root: Path) -> None:
        out, kb_root = self.out, kb_root.resolve()
        if out == kb_root or kb_root.is_relative_to(out) or out.is_relative_to(kb_root):
            raise FomoError(
                f"the output folder {str(out)!r} overlaps the knowledge base {str(kb_root)!r}",
                hint="build into a separate folder, e.g. --out site",
            )
        if out.exists() and (
            not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())
        ):
            raise FomoError(
                f"{str(out)!r} exists and is not a site FOMO built; refusing to replace it",
                hint="choose an empty or new folder with --out, or delete that folder first",
            )

    def _renderer(self, data: SiteData, changed: set[str] | None = None) -> Renderer:
        nav = [
            (Markup(kind.nav), page.output.url)  # a label our code wrote: HTML as it stands
            for kind in kinds()
            if kind.nav
            for page in list(kind.pages(data))[:1]
        ]
        if self.renderer is None:
            self.renderer = Renderer(
                data,
                self.kb_root,
                nav=nav,
                has_mermaid_js=mermaid_js() is not None,
            )
        else:
            self.renderer.use(data, changed)
            self.renderer.nav = nav
        return self.renderer

    def _render(
        self, renderer: Renderer, jobs: list[tuple[PageKind, Page]]
    ) -> tuple[list[Done], int]:
        """Render and write `jobs`: the kinds of a page per topic, session or article in
        worker processes (when there are enough), the others here meanwhile. The results come
        in the order of `jobs`, with the number of processes that rendered them."""
        many = [job for job in jobs if job[0].parallel]
        workers = worker_count(len(many), self.workers)
        few = [job for job in jobs if not job[0].parallel]
        by_path = {
            item.path: item for item in render_all(renderer, self.writer, many, workers, few)
        }
        return [by_path[page.output.path] for _, page in jobs], workers

    def _remember(self, jobs: list[tuple[PageKind, Page]], done: list[Done]) -> None:
        for (kind, page), item in zip(jobs, done, strict=True):
            self._pages[item.path] = (kind.name, page, item.links)

    def build(self) -> BuildResult:
        """Render everything into `out`, after deleting what an earlier build left that is
        gone, and index the searchable pages with Pagefind.

        Pagefind starts once the folders it reads are written, and the rest of the site (the
        API, the site-wide pages, the assets) is written here, in this one process, while it
        runs, once it has read the pages: it then builds and writes its index on about one of
        the two cores (`pagefind.Indexing`). Forked workers at the lowest CPU priority were no
        faster side by side, and a busy machine could starve them (benchmarks/RESULTS.md,
        "Thirteenth session").

        Everything is loaded and checked before the first byte is written, so bad input leaves
        the previous site untouched. Writing in place (rather than into a fresh folder swapped
        in) avoids deleting and recreating thousands of files, which dominates on slow disks;
        each existing file is replaced in one step, so a killed build leaves no half-written
        page of the previous site (`write`)."""
        started = time.perf_counter()
        data = self._load()
        loaded = time.perf_counter() - started
        self.data = data
        self.renderer = None
        renderer = self._renderer(data)
        self.writer.forget()
        self._pages.clear()
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / MARKER).write_text("built by fomo build\n", encoding="utf-8")
        before = set(existing(self.out, ["pagefind"]))  # Pagefind's own: none of our files
        jobs = [(kind, page) for kind in kinds() for page in kind.pages(data)]
        paths = [page.output.path for _, page in jobs]
        if len(set(paths)) != len(paths):
            twice = sorted({p for p in paths if paths.count(p) > 1})
            raise FomoError(f"two pages would be written at {', '.join(twice[:5])}")
        folders = {p.split("/")[0] for p in paths if "/" in p} - set(SHARED)
        for stale in before - set(paths):
            if stale.split("/")[0] in folders:
                self.writer.remove(stale)
        done, workers, search_seconds = self._render_and_index(renderer, jobs)
        self._remember(jobs, done)
        written = sum(item.written for item in done)
        diagrams = {item.path for item in done if item.diagrams}
        return BuildResult(
            self.out,
            len(done),
            written,
            time.perf_counter() - started,
            self.search,
            search_seconds,
            workers,
            loaded,
            [mermaid_warning(diagrams)] if diagrams and not renderer.has_mermaid_js else [],
        )

    def _render_and_index(
        self, renderer: Renderer, jobs: list[tuple[PageKind, Page]]
    ) -> tuple[list[Done], int, float]:
        """Render `jobs` and copy the assets, with Pagefind over the searchable folders
        running beside the pages outside them (see `build`); the results in the order of
        `jobs`, the number of processes that rendered them, the seconds Pagefind ran."""
        if not self.search:
            done, workers = self._render(renderer, jobs)
            copy_assets(self.out)
            return done, workers, 0.0
        folders = _folders({page.output.path for kind, page in jobs if kind.searchable})
        read = [job for job in jobs if not folders or _top(job[1].output.path) in folders]
        rest = [job for job in jobs if folders and _top(job[1].output.path) not in folders]
        done, workers = self._render(renderer, read)

        def write_rest() -> list[Done]:
            written = render_all(renderer, self.writer, rest, 1)
            copy_assets(self.out)
            return written

        try:
            indexing = pagefind.Indexing(self.out, folders)
        except FomoError:  # the site is still written whole, then the error reported
            write_rest()
            raise
        try:
            indexing.pages_read()
            done_rest = write_rest()
        except BaseException:
            indexing.stop()
            raise
        seconds = indexing.wait()
        by_path = {item.path: item for item in [*done, *done_rest]}
        return [by_path[page.output.path] for _, page in jobs], workers, seconds

    def update(self) -> tuple[BuildResult, set[str]]:
        """Reload the knowledge base and re-render only the pages the change can affect.

        Returns the result and the set of written page paths. Search is re-indexed by the
        caller (it is a whole-site pass), see `reindex_search`."""
        if self.data is None:
            result = self.build()
            return result, self.writer.paths()
        started = time.perf_counter()
        old = self.data
        new = self._load()
        self.data = new
        edit = incremental.changed(old, new)
        jobs, gone = incremental.to_render(kinds(), old, new, self._pages, edit)
        for path in gone:
            self.writer.remove(path)
            del self._pages[path]
        done = render_all(self._renderer(new, edit), self.writer, jobs, 1)
        self._remember(jobs, done)
        touched = {item.path for item in done if item.written}
        result = BuildResult(
            self.out, len(jobs), len(touched), time.perf_counter() - started, self.search
        )
        return result, touched

    def reindex_search(self) -> float:
        return pagefind.index(self.out) if self.search else 0.0


def _top(path: str) -> str:
    return path.partition("/")[0]


def _folders(paths: set[str]) -> set[str]:
    """The top-level folders of `paths`, or none (index everything) when a path has none."""
    if any("/" not in path for path in paths):
        return set()
    return {_top(path) for path in paths}


def build_site(
    kb: str | os.PathLike[str] | None,
    out: str | os.PathLike[str],
    *,
    search: bool = True,
    base_url: str | None = None,
    workers: int | None = None,
) -> BuildResult:
    """Build the site of `kb` into `out` (the library entry point of `fomo build`), warning
    when the site has no base_url (a published site needs one; a preview does not)."""
    builder = SiteBuilder(kb, out, search=search, base_url=base_url, workers=workers, once=True)
    result = builder.build()
    assert builder.data is not None
    if not builder.data.config.base_url:
        result.warnings.append(NO_BASE_URL)
    return result
