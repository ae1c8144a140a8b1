"""KnowledgeBase -> a static, self-contained site: pages, assets, map data, feed, sitemap and a
Pagefind search index.

Everything the pages need about the tree (paths, coverage, incoming relations, articles per
topic) is computed once per build in `SiteData`, so each page costs O(its own content), never a
walk of the whole site. `SiteBuilder.update` re-renders only the pages an edit can change and
skips writing files whose bytes did not change, which is what `fomo serve` relies on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from fomo.errors import FomoError
from fomo.kb.load import load
from fomo.model import REFERENCE_KINDS, Article, KnowledgeBase, Part, Session, Topic
from fomo.site.config import SiteConfig, load_config
from fomo.site.markdown import MarkdownRenderer, Rendered, pygments_css, web_url

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
ASSETS = HERE / "assets"
VENDOR = ASSETS / "vendor"
MARKER = ".fomo-site"
RELATION_LABELS = {
    "builds_on": ("Builds on", "Built on by"),
    "alternative_to": ("Alternative to", "Alternatives"),
    "related": ("Related", None),  # symmetric: links both ways are listed once
}
REFERENCE_LABELS = {
    "paper": "Papers",
    "blog": "Blog posts",
    "video": "Videos",
    "post": "Posts",
    "code": "Code",
    "docs": "Documentation",
    "course": "Courses",
}
NEW_LIMIT = 60
PARALLEL_PAGES = 400  # pages to render before forked workers pay for themselves
MAX_WORKERS = 4
PICTURE_CHILDREN = 10  # children drawn per topic in a session's outline picture


def mermaid_js() -> Path | None:
    """The bundled Mermaid, which `npm ci` copies into the package; None when it is missing
    (e.g. `pip install .` from a checkout without `npm ci`)."""
    path = VENDOR / "mermaid.min.js"
    return path if path.is_file() else None


def mermaid_warning(pages: set[str]) -> str:
    example = min(pages)
    more = f" and {len(pages) - 1} more" if len(pages) > 1 else ""
    return (
        f"Mermaid is not installed (no {VENDOR / 'mermaid.min.js'}), so the diagrams on "
        f"{example}{more} show as their source text; in a source checkout run `npm ci` (it "
        "copies Mermaid into the package), then build again"
    )


def pagefind_command() -> list[str]:
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


@functools.lru_cache(maxsize=65536)
def topic_href(topic_id: str) -> str:
    """Cached: every page links many topics, and `quote` is most of a link's cost."""
    return f"topics/{quote(topic_id)}.html"


def topic_file(topic_id: str) -> str:
    return f"topics/{topic_id}.html"


def session_href(session: Session) -> str:
    return f"sessions/{quote(session.folder)}.html"


def article_href(article: Article) -> str:
    folder, name = article.path.split("/")[1:3]
    return f"articles/{quote(folder)}/{quote(name[: -len('.md')])}.html"


def script_json(value: Any) -> str:
    """JSON safe inside <script> and .js files: no `</script`, `<!--`, or line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class SiteData:
    """Per-build lookups: each a single pass over the knowledge base."""

    kb: KnowledgeBase
    config: SiteConfig
    order: list[Topic] = field(default_factory=list)
    path_ids: dict[str, list[str]] = field(default_factory=dict)
    colour: dict[str, str] = field(default_factory=dict)
    incoming: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    coverage: dict[str, list[tuple[Session, Part]]] = field(default_factory=dict)
    articles_of: dict[str, list[Article]] = field(default_factory=dict)
    article_by_path: dict[str, Article] = field(default_factory=dict)

    @classmethod
    def of(cls, kb: KnowledgeBase, config: SiteConfig) -> SiteData:
        data = cls(kb, config)
        stack: list[tuple[str, list[str]]] = [(r.id, []) for r in reversed(kb.roots)]
        branch_position: dict[str, int] = {}
        while stack:
            topic_id, above = stack.pop()
            path = [*above, topic_id]
            data.path_ids[topic_id] = path
            data.order.append(kb.topics[topic_id])
            if len(path) >= 2:
                branch = path[1]
                if branch not in branch_position:
                    branch_position[branch] = len(branch_position)
                data.colour[topic_id] = config.colour_for(branch, branch_position[branch])
            for child in reversed(kb.children(topic_id)):
                stack.append((child.id, path))
        incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for topic in data.order:
            for kind, target in topic.relations():
                incoming[target].append((kind, topic.id))
        data.incoming = dict(incoming)
        coverage: dict[str, list[tuple[Session, Part]]] = defaultdict(list)
        for session in kb.sessions:
            for part in session.parts:
                for topic_id in sorted(kb.part_topics(part)):
                    coverage[topic_id].append((session, part))
        data.coverage = dict(coverage)
        articles_of: dict[str, list[Article]] = defaultdict(list)
        for article in kb.articles:
            data.article_by_path[article.path] = article
            for topic_id in dict.fromkeys(article.topics):
                articles_of[topic_id].append(article)
        data.articles_of = dict(articles_of)
        return data

    def title(self, topic_id: str) -> str | None:
        topic = self.kb.topics.get(topic_id)
        return topic.title if topic else None

    def branch(self, topic_id: str) -> str | None:
        path = self.path_ids.get(topic_id, [])
        return path[1] if len(path) > 1 else None

    def part_article(self, session: Session, part: Part) -> Article | None:
        if not part.article:
            return None
        return self.article_by_path.get(f"sessions/{session.folder}/{part.article}")


def outline_svg(
    rows: list[tuple[int, str, str | None, str, bool]], label: str, prefix: str
) -> Markup:
    """An indented tree picture: rows of (depth, title, href or None, colour, highlighted).

    Every text is escaped here; hrefs are our own relative URLs."""
    row_h, indent, pad = 30, 26, 10
    width = max((pad + d * indent + 14 + 7.2 * len(t) + 20 for d, t, *_ in rows), default=200)
    height = pad * 2 + row_h * len(rows)
    parts = [
        f'<svg class="outline" xmlns="http://www.w3.org/2000/svg" role="group" '
        f'aria-label="{escape(label)}" viewBox="0 0 {int(width)} {height}" '
        f'width="{int(width)}" height="{height}">'
    ]
    last_at_depth: dict[int, int] = {}
    for position, (depth, title, href, colour, strong) in enumerate(rows):
        y = pad + position * row_h + row_h // 2
        x = pad + depth * indent
        parent_row = last_at_depth.get(depth - 1)
        if depth > 0 and parent_row is not None:
            py = pad + parent_row * row_h + row_h // 2 + 8
            px = pad + (depth - 1) * indent + 6
            parts.append(
                f'<path d="M{px} {py}V{y}H{x}" fill="none" stroke="{escape(colour)}" '
                f'stroke-width="1.5"/>'
            )
        last_at_depth[depth] = position
        for deeper in [d for d in last_at_depth if d > depth]:
            del last_at_depth[deeper]
        weight = ' font-weight="700"' if strong else ""
        dot = f'<circle cx="{x + 6}" cy="{y}" r="5" fill="{escape(colour)}"/>'
        text = f'<text x="{x + 16}" y="{y + 5}"{weight}>{escape(title)}</text>'
        if href:
            parts.append(f'<a href="{escape(prefix + href)}">{dot}{text}</a>')
        else:
            parts.append(dot + text)
    parts.append("</svg>")
    return Markup("".join(parts))


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
        live_reload: bool = False,
        workers: int | None = None,
    ) -> None:
        self.kb_arg = kb
        self.workers = workers  # None: decide from the page count and the CPUs
        self.out = Path(out).resolve()
        self.search = search
        self.base_url = base_url
        self.live_reload = live_reload
        self.env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.env.filters["web_url"] = web_url
        self.env.filters["short"] = short
        self.env.globals["topic_href"] = topic_href
        self.env.globals["session_href"] = session_href
        self.env.globals["article_href"] = article_href
        self.markdown = MarkdownRenderer()
        self._templates: dict[str, Any] = {}
        self._md_cache: dict[tuple[str, str], Rendered] = {}
        self._digests: dict[str, str] = {}
        self._links_to: dict[str, set[str]] = defaultdict(set)  # topic id -> page paths
        self.data: SiteData | None = None
        self.kb_root: Path | None = None
        self.has_mermaid_js = False  # decided once per build, read by every page
        self._no_diagrams: set[str] = set()  # article pages with diagrams Mermaid cannot draw

    # ---------------------------------------------------------------- loading
    def _load(self) -> SiteData:
        loaded = load(self.kb_arg)
        loaded.index.close()  # everything is in `loaded.kb`; no connection survives a fork
        self.kb_root = loaded.root
        config = load_config(loaded.root)
        if self.base_url is not None:
            config.base_url = self.base_url.rstrip("/") + "/" if self.base_url else ""
        if loaded.kb.root is None:
            raise FomoError(
                "the map is empty",
                file=str(loaded.root / "map"),
                hint="add map/index.md with a title and an essence",
            )
        self._check_out(loaded.root)
        return SiteData.of(loaded.kb, config)

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

    # ---------------------------------------------------------------- full build
    def build(self) -> BuildResult:
        """Render everything into `out`, then delete what an earlier build left that is gone.

        Everything is loaded and checked before the first byte is written, so bad input leaves
        the previous site untouched. Writing in place (rather than into a fresh folder swapped
        in) avoids deleting and recreating thousands of files, which dominates on slow disks."""
        started = time.perf_counter()
        data = self._load()
        loaded = time.perf_counter() - started
        self.data = data
        self._md_cache.clear()
        self._links_to.clear()
        self._digests.clear()
        self._no_diagrams.clear()
        self.has_mermaid_js = mermaid_js() is not None
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / MARKER).write_text("built by fomo build\n", encoding="utf-8")
        before = {
            str(p.relative_to(self.out)).replace(os.sep, "/")
            for folder in ("topics", "sessions", "articles")
            if (self.out / folder).is_dir()
            for p in (self.out / folder).rglob("*.html")
        }
        written = self._write_all(self.out, self._site_pages(data))
        items = self._page_items(data)
        workers = self._worker_count(len(items))
        if workers > 1:
            written += self._render_parallel(items, workers)
        else:
            written += self._write_all(self.out, (self._item_page(data, i) for i in items))
        for stale in before - self._digests.keys():
            (self.out / stale).unlink(missing_ok=True)
        self._copy_assets(self.out)
        search_seconds = self._index_search(self.out) if self.search else 0.0
        return BuildResult(
            self.out,
            len(self._digests),
            written,
            time.perf_counter() - started,
            self.search,
            search_seconds,
            workers,
            loaded,
            [mermaid_warning(self._no_diagrams)] if self._no_diagrams else [],
        )

    def _worker_count(self, pages: int) -> int:
        """Forked workers only for big builds, where rendering (Python, one core each) is most
        of the time; never from a process with other threads (fork copies their locks)."""
        if self.workers is not None:
            return max(1, self.workers)
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        if (
            pages < PARALLEL_PAGES
            or (cpus or 1) < 2
            or sys.platform == "win32"
            or threading.active_count() > 1
        ):
            return 1
        return min(MAX_WORKERS, cpus or 1)

    def _render_parallel(self, items: list[tuple[str, int]], workers: int) -> int:
        """Render and write `items` in forked processes (each inherits this builder); merge
        back the digests and topic links that incremental updates rely on."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        for name in ("topic.html", "session.html", "article.html"):  # compile once, not per worker
            if name not in self._templates:
                self._templates[name] = self.env.get_template(name)
        global _FORKED
        _FORKED = (self, items)
        step = max(20, len(items) // (workers * 8))
        spans = [(i, min(i + step, len(items))) for i in range(0, len(items), step)]
        written = 0
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                for count, digests, links, no_diagrams in pool.map(_render_span, spans):
                    written += count
                    self._digests.update(digests)
                    self._no_diagrams |= no_diagrams
                    for tid, pages in links.items():
                        self._links_to[tid].update(pages)
        finally:
            _FORKED = None
        return written

    def _write_all(self, root: Path, pages: Iterable[tuple[str, str]]) -> int:
        made: set[str] = set()
        written = 0
        for rel, text in pages:
            data = text.encode("utf-8")
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            if self._digests.get(rel) == digest and (root / rel).exists():
                continue
            folder = rel.rpartition("/")[0]
            if folder not in made:
                (root / folder).mkdir(parents=True, exist_ok=True)
                made.add(folder)
            with open(root / rel, "wb") as handle:
                handle.write(data)
            self._digests[rel] = digest
            written += 1
        return written

    def _copy_assets(self, root: Path) -> None:
        target = root / "assets"
        target.mkdir(exist_ok=True)
        for source in ASSETS.iterdir():
            if source.is_file():
                shutil.copyfile(source, target / source.name)
        mermaid = mermaid_js()
        if mermaid is not None:
            (target / "vendor").mkdir(exist_ok=True)
            shutil.copyfile(mermaid, target / "vendor" / "mermaid.min.js")
        (target / "pygments.css").write_text(pygments_css(), encoding="utf-8")

    def _index_search(self, root: Path) -> float:
        started = time.perf_counter()
        done = subprocess.run(
            [*pagefind_command(), "--site", str(root), "--silent"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise FomoError(
                "search indexing (Pagefind) failed: " + (done.stderr or done.stdout).strip()[-500:],
                hint="reinstall with `pip install 'pagefind[bin]'`, or build with --no-search",
            )
        return time.perf_counter() - started

    # ---------------------------------------------------------------- incremental
    def update(self) -> tuple[BuildResult, set[str]]:
        """Reload the knowledge base and re-render only the pages the change can affect.

        Returns the result and the set of written page paths. Search is re-indexed by the
        caller (it is a whole-site pass), see `reindex_search`."""
        if self.data is None:
            result = self.build()
            return result, set(self._digests)
        started = time.perf_counter()
        old = self.data
        new = self._load()
        self.data = new
        changed = {
            tid
            for tid in old.kb.topics.keys() | new.kb.topics.keys()
            if old.kb.topics.get(tid) != new.kb.topics.get(tid)
            or old.path_ids.get(tid) != new.path_ids.get(tid)
        }
        sessions_changed = old.kb.sessions != new.kb.sessions
        articles_changed = old.kb.articles != new.kb.articles
        removed = old.kb.topics.keys() - new.kb.topics.keys()
        affected: set[str] = set()
        for tid in changed:
            for data in (old, new):
                topic = data.kb.topics.get(tid)
                if topic is None:
                    continue
                affected.add(tid)
                if topic.parent and topic.parent in data.kb.topics:
                    affected.add(topic.parent)
                    affected.update(c.id for c in data.kb.children(topic.parent))
                affected.update(c.id for c in data.kb.children(tid))
                affected.update(target for _, target in topic.relations())
                affected.update(source for _, source in data.incoming.get(tid, []))
            affected.update(p for p in self._links_to.get(tid, ()) if p in new.kb.topics)
        extra_pages: set[str] = {p for tid in changed for p in self._links_to.get(tid, ())}
        if sessions_changed or articles_changed:
            affected.update(
                tid
                for data in (old, new)
                for tid in list(data.coverage) + list(data.articles_of)
                if tid in new.kb.topics
            )
        affected &= new.kb.topics.keys()
        pages = list(self._site_pages(new))
        pages += [self._topic_page(new, new.kb.topics[tid]) for tid in sorted(affected)]
        if sessions_changed or articles_changed or changed:
            # a session page names its parts' topics and draws their children
            parents = {
                t.parent for d in (old, new) for tid in changed if (t := d.kb.topics.get(tid))
            }
            pages += [
                self._session_page(new, s)
                for s in new.kb.sessions
                if sessions_changed
                or articles_changed
                or any(t in changed or t in parents for part in s.parts for t in part.topics)
            ]
            pages += [
                self._article_page(new, a)
                for a in new.kb.articles
                if articles_changed
                or sessions_changed
                or article_href(a) in extra_pages
                or set(a.topics) & changed
            ]
        for tid in removed:
            self._remove(topic_file(tid))
        if sessions_changed or articles_changed:
            live = {session_href(s) for s in new.kb.sessions} | {
                article_href(a) for a in new.kb.articles
            }
            for rel in [r for r in self._digests if r.startswith(("sessions/", "articles/"))]:
                if rel not in live and not rel.endswith("/index.html"):
                    self._remove(rel)
        before = set(self._digests.items())
        written = self._write_all(self.out, pages)
        touched = {rel for rel, digest in self._digests.items() if (rel, digest) not in before}
        result = BuildResult(
            self.out, len(pages), written, time.perf_counter() - started, self.search
        )
        return result, touched

    def _remove(self, rel: str) -> None:
        self._digests.pop(rel, None)
        with contextlib.suppress(FileNotFoundError):
            (self.out / rel).unlink()

    def reindex_search(self) -> float:
        return self._index_search(self.out) if self.search else 0.0

    # ---------------------------------------------------------------- pages
    @staticmethod
    def _page_items(data: SiteData) -> list[tuple[str, int]]:
        """One (kind, position) per topic, session and article page: cheap to hand to workers."""
        return (
            [("topic", i) for i in range(len(data.order))]
            + [("session", i) for i in range(len(data.kb.sessions))]
            + [("article", i) for i in range(len(data.kb.articles))]
        )

    def _item_page(self, data: SiteData, item: tuple[str, int]) -> tuple[str, str]:
        kind, position = item
        if kind == "topic":
            return self._topic_page(data, data.order[position])
        if kind == "session":
            return self._session_page(data, data.kb.sessions[position])
        return self._article_page(data, data.kb.articles[position])

    def _render(self, template: str, rel: str, **context: Any) -> tuple[str, str]:
        depth = rel.count("/")
        data = self.data
        assert data is not None
        page = {
            "rel": rel,
            "root": (data.config.base_url or "/") if rel == "404.html" else "../" * depth,
            "config": data.config,
            "live_reload": self.live_reload,
            "has_mermaid_js": self.has_mermaid_js,
        }
        compiled = self._templates.get(template)
        if compiled is None:
            compiled = self._templates[template] = self.env.get_template(template)
        return rel, compiled.render(page=page, **context)

    def _markdown(self, text: str, prefix: str, page: str) -> Rendered:
        key = (text, prefix)
        rendered = self._md_cache.get(key)
        if rendered is None:
            data = self.data
            assert data is not None
            rendered = self.markdown.render(text, prefix=prefix, resolve=data.title)
            if len(self._md_cache) < 20000:
                self._md_cache[key] = rendered
        for tid in rendered.topic_links:
            self._links_to[tid].add(page)
        return rendered

    def _site_pages(self, data: SiteData) -> Iterator[tuple[str, str]]:
        yield "assets/map-data.js", self.map_data_js(data)
        yield self._render("home.html", "index.html", root_topic=data.kb.root)
        yield self._render("topics.html", "topics/index.html", outline=self._outline_html(data))
        yield self._render(
            "sessions.html", "sessions/index.html", sessions=data.kb.sessions, data=data
        )
        yield self._render(
            "articles.html", "articles/index.html", articles=self._articles(data), data=data
        )
        yield self._render("timeline.html", "timeline.html", branches=self._timeline(data))
        topics_new, articles_new = self._recent(data)
        yield self._render(
            "new.html", "new.html", topics=topics_new, articles=articles_new, data=data
        )
        yield self._render("contribute.html", "contribute.html", **self._board(data))
        yield self._render("search.html", "search.html")
        yield self._render("404.html", "404.html")
        yield "feed.xml", self._feed(data, topics_new, articles_new)
        yield "sitemap.xml", self._sitemap(data)

    def _topic_page(self, data: SiteData, topic: Topic) -> tuple[str, str]:
        rel = topic_file(topic.id)
        kb = data.kb
        path = [kb.topics[i] for i in data.path_ids.get(topic.id, [topic.id])]
        body = Markup(self._markdown(topic.body, "../", rel).html) if topic.body.strip() else ""
        relations: list[tuple[str, list[tuple[str, Topic | None]]]] = []
        for kind, (out_label, in_label) in RELATION_LABELS.items():
            targets = list(getattr(topic, kind))
            sources = [s for k, s in data.incoming.get(topic.id, []) if k == kind]
            if in_label is None:
                targets += [s for s in sources if s not in targets]
                sources = []
            if targets:
                relations.append((out_label, [(t, kb.topics.get(t)) for t in targets]))
            if sources:
                relations.append((in_label, [(s, kb.topics.get(s)) for s in sources]))
        references: dict[str, list[Any]] = {}
        for ref in topic.references:
            kind = ref.kind if ref.kind in REFERENCE_KINDS else "docs"
            references.setdefault(REFERENCE_LABELS[kind], []).append(ref)
        children = kb.children(topic.id)
        siblings = kb.siblings(topic.id) if topic.parent else []
        edit = (
            data.config.edit_url + quote(topic.source.file)
            if data.config.edit_url and topic.source.file
            else ""
        )
        return self._render(
            "topic.html",
            rel,
            topic=topic,
            path=path,
            body=body,
            children=children,
            siblings=siblings,
            relations=relations,
            references=references,
            also_under=[(t, kb.topics.get(t)) for t in topic.also_under],
            coverage=data.coverage.get(topic.id, []),
            articles=data.articles_of.get(topic.id, []),
            neighbourhood=self._neighbourhood(data, topic, siblings, children),
            colour=data.colour.get(topic.id, "#888888"),
            edit_url=edit,
        )

    def _neighbourhood(
        self, data: SiteData, topic: Topic, siblings: list[Topic], children: list[Topic]
    ) -> Markup:
        rows: list[tuple[int, str, str | None, str, bool]] = []
        colour = data.colour.get(topic.id, "#888888")
        parent = data.kb.parent(topic.id)
        depth = 0
        if parent is not None:
            rows.append((0, short(parent.title, 48), topic_href(parent.id), colour, False))
            depth = 1
            family = [*siblings, topic]
            family.sort(key=lambda t: data.kb._sort_key(t.id))
            at = family.index(topic)
            window = family[max(0, at - 3) : at + 4]
        else:
            window = [topic]
        for member in window:
            here = member.id == topic.id
            rows.append(
                (
                    depth,
                    short(member.title, 48),
                    None if here else topic_href(member.id),
                    data.colour.get(member.id, colour),
                    here,
                )
            )
            if here:
                for child in children[:8]:
                    rows.append(
                        (
                            depth + 1,
                            short(child.title, 48),
                            topic_href(child.id),
                            data.colour.get(child.id, colour),
                            False,
                        )
                    )
                if len(children) > 8:
                    rows.append((depth + 1, f"… {len(children) - 8} more", None, colour, False))
        if parent is not None and len(window) < len(siblings) + 1:
            rows.append(
                (1, f"… {len(siblings) + 1 - len(window)} more in this family", None, colour, False)
            )
        return outline_svg(rows, f"Neighbourhood of {topic.title}", "../")

    def _session_page(self, data: SiteData, session: Session) -> tuple[str, str]:
        rel = f"sessions/{session.folder}.html"
        parts = []
        for part in session.parts:
            parts.append(
                {
                    "part": part,
                    "topics": [(t, data.kb.topics.get(t)) for t in part.topics],
                    "article": data.part_article(session, part),
                    "video": web_url(part.video),
                }
            )
        return self._render(
            "session.html",
            rel,
            session=session,
            parts=parts,
            pictures=self._session_pictures(data, session),
        )

    def _session_pictures(self, data: SiteData, session: Session) -> list[dict[str, Any]]:
        """A branch picture per part, drawn by the `svg` export format (the picture a speaker
        puts on a slide): the part as the dark root, its topics as coloured branches, each with
        its children (at most PICTURE_CHILDREN, then "… N more")."""
        from fomo.formats import svg
        from fomo.formats.tree import Node

        pictures = []
        for part in session.parts:
            if not part.topics:
                continue
            heading = f"Part {part.number}: {part.title}"
            root = Node(heading)
            for tid in part.topics:
                topic = data.kb.topics.get(tid)
                if topic is None:
                    root.children.append(Node(f"{tid} (not in the map)"))
                    continue
                branch = Node(topic.title, id=topic.id, aliases=list(topic.aliases))
                children = data.kb.children(topic.id)
                for child in children[:PICTURE_CHILDREN]:
                    branch.children.append(Node(child.title, id=child.id))
                if len(children) > PICTURE_CHILDREN:
                    branch.children.append(Node(f"… {len(children) - PICTURE_CHILDREN} more"))
                root.children.append(branch)
            drawing = svg.picture(
                root,
                "right",
                label=f"Topic outline of part {part.number}: {part.title}",
                css_class="branch-picture",
            )
            pictures.append({"part": part, "svg": Markup(drawing)})
        return pictures

    def _article_page(self, data: SiteData, article: Article) -> tuple[str, str]:
        rel = article_href(article)
        folder = article.path.split("/")[1]
        session = next((s for s in data.kb.sessions if s.folder == folder), None)
        rendered = self._markdown(article.body, "../../", rel)
        if rendered.mermaid and not self.has_mermaid_js:
            self._no_diagrams.add(rel)
        edit = data.config.edit_url + quote(article.path) if data.config.edit_url else ""
        return self._render(
            "article.html",
            rel,
            article=article,
            rendered=rendered,
            session=session,
            topics=[(t, data.kb.topics.get(t)) for t in article.topics],
            edit_url=edit,
        )

    # ---------------------------------------------------------------- site-wide content
    def map_data_js(self, data: SiteData) -> str:
        """The map in a compact columnar form, loaded by <script> so it works from file://."""
        index = {t.id: i for i, t in enumerate(data.order)}
        branches: list[str] = []
        colours: list[str] = []
        for child in data.kb.children(data.order[0].id):
            branches.append(child.id)
            colours.append(data.colour.get(child.id, "#888888"))
        payload = {
            "v": 1,
            "id": [t.id for t in data.order],
            "t": [t.title for t in data.order],
            "p": [index.get(t.parent, -1) if t.parent else -1 for t in data.order],
            "e": [t.essence for t in data.order],
            "a": ["|".join(t.aliases) for t in data.order],
            "c": colours,
        }
        return "window.FOMO_MAP=" + script_json(payload) + ";\n"

    def _outline_html(self, data: SiteData) -> Markup:
        """The whole map as nested lists, built in one pass (a template recursion is slower)."""
        out: list[str] = []
        previous = -1
        for topic in data.order:
            depth = len(data.path_ids[topic.id]) - 1
            if depth > previous:
                out.append("<ul>" * (depth - previous))
            else:
                out.append("</li>" + "</ul></li>" * (previous - depth))
            out.append(
                f'<li><a href="../{escape(topic_href(topic.id))}">{escape(topic.title)}</a>'
                f' <span class="essence">{escape(topic.essence)}</span>'
            )
            previous = depth
        out.append("</li>" + "</ul></li>" * previous + "</ul>")
        return Markup("".join(out))

    def _articles(self, data: SiteData) -> list[Article]:
        return sorted(
            data.kb.articles,
            key=lambda a: (a.published or dt.date.min, a.title.lower()),
            reverse=True,
        )

    def _timeline(self, data: SiteData) -> list[dict[str, Any]]:
        by_branch: dict[str, dict[int, list[Topic]]] = defaultdict(lambda: defaultdict(list))
        for topic in data.order:
            if topic.year is None:
                continue
            branch = data.branch(topic.id) or topic.id
            by_branch[branch][topic.year].append(topic)
        result = []
        root = data.order[0]
        for branch_id in [c.id for c in data.kb.children(root.id)] + [root.id]:
            years = by_branch.get(branch_id)
            if not years:
                continue
            result.append(
                {
                    "topic": data.kb.topics[branch_id],
                    "colour": data.colour.get(branch_id, "#888888"),
                    "years": sorted(years.items()),
                }
            )
        return result

    def _recent(self, data: SiteData) -> tuple[list[Topic], list[Article]]:
        dated = [t for t in data.order if t.added]
        dated.sort(key=lambda t: (t.added, t.title.lower()), reverse=True)
        articles = [a for a in self._articles(data) if a.published][:NEW_LIMIT]
        return dated[:NEW_LIMIT], articles

    def _board(self, data: SiteData) -> dict[str, Any]:
        """The contribution board shows `fomo coverage`'s data (one function computes both, so
        the board and the command cannot disagree): shares per branch, open parts, and the
        topics no article covers, grouped by branch."""
        from fomo.query.coverage import coverage

        report = coverage(data.kb)
        by_file = {session.source.file: session for session in data.kb.sessions}
        open_parts = [
            (by_file[item.file], item) for item in report.open_parts if item.file in by_file
        ]
        grouped: dict[str, list[Topic]] = defaultdict(list)
        for topic_id in report.uncovered:
            grouped[data.branch(topic_id) or topic_id].append(data.kb.topics[topic_id])
        # `uncovered` is in map order, so the groups come out in branch order
        without = [(data.kb.topics[branch], topics) for branch, topics in grouped.items()]
        return {
            "branches": report.branches,
            "total": report.total,
            "open_parts": open_parts,
            "without": without,
            "data": data,
        }

    def _feed(self, data: SiteData, topics: list[Topic], articles: list[Article]) -> str:
        entries = []
        for topic in topics:
            entries.append(
                {
                    "title": topic.title,
                    "url": data.config.absolute(topic_href(topic.id)),
                    "date": topic.added,
                    "summary": topic.essence,
                }
            )
        for article in articles:
            entries.append(
                {
                    "title": article.title,
                    "url": data.config.absolute(article_href(article)),
                    "date": article.published,
                    "summary": f"Article by {article.author}" if article.author else "Article",
                }
            )
        entries.sort(key=lambda e: e["date"] or dt.date.min, reverse=True)
        updated = entries[0]["date"] if entries else dt.date(2000, 1, 1)
        return self.env.get_template("feed.xml").render(
            config=data.config,
            entries=entries,
            updated=updated,
            feed_id=data.config.absolute("feed.xml")
            if data.config.base_url
            else "urn:fomo:" + hashlib.sha1(data.config.name.encode()).hexdigest(),
        )

    def _sitemap(self, data: SiteData) -> str:
        urls = [
            "",
            "topics/index.html",
            "sessions/index.html",
            "articles/index.html",
            "timeline.html",
            "new.html",
            "contribute.html",
        ]
        urls += [topic_href(t.id) for t in data.order]
        urls += [session_href(s) for s in data.kb.sessions]
        urls += [article_href(a) for a in data.kb.articles]
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        lines += [f"<url><loc>{escape(data.config.absolute(u))}</loc></url>" for u in urls]
        lines.append("</urlset>")
        return "\n".join(lines) + "\n"


_FORKED: tuple[SiteBuilder, list[tuple[str, int]]] | None = None


def _render_span(
    span: tuple[int, int],
) -> tuple[int, dict[str, str], dict[str, set[str]], set[str]]:
    """In a forked worker: render and write pages `span` of the inherited builder's items."""
    assert _FORKED is not None
    builder, items = _FORKED
    data = builder.data
    assert data is not None
    builder._links_to.clear()
    builder._no_diagrams.clear()
    pages = [builder._item_page(data, item) for item in items[span[0] : span[1]]]
    written = builder._write_all(builder.out, pages)
    digests = {rel: builder._digests[rel] for rel, _ in pages}
    links = {tid: set(p) for tid, p in builder._links_to.items()}
    return written, digests, links, set(builder._no_diagrams)


def build_site(
    kb: str | os.PathLike[str] | None,
    out: str | os.PathLike[str],
    *,
    search: bool = True,
    base_url: str | None = None,
) -> BuildResult:
    """Build the site of `kb` into `out` (the library entry point of `fomo build`)."""
    return SiteBuilder(kb, out, search=search, base_url=base_url).build()
