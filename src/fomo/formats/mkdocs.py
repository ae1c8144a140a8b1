"""An MkDocs project (its `mkdocs.yml`) -> FOMO sessions, parts and articles, as one planned
edit for `kb.edit.apply`.

The mapping follows how a reading series is laid out in MkDocs: each section of `nav` (or each
top-level folder when there is no nav) becomes a session; the section's own README/index page
becomes the session's `overview.md` article and every other page a part whose article is that
page (Markdown or notebook). Pages outside any section go into one session named after the
site. Every local image or file a page names is copied into the knowledge base at its path in
the project, and links are rewritten to where pages and files now live, so the pages build
unchanged otherwise. Nothing is ever overwritten: sessions that exist (same title) are
skipped, files that exist with other bytes are kept. What has no FOMO meaning (plugins,
macros, unknown Markdown extensions, external nav entries) is reported as a warning.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from fomo.errors import FomoError
from fomo.formats.safe import decode_text, read_regular
from fomo.kb.articles import LINK_CONTEXT, local_links, resolve
from fomo.kb.edit import Change, FileWrite, render_front_matter
from fomo.kb.names import name_key
from fomo.kb.records import slugify
from fomo.model import KnowledgeBase

PAGE_SUFFIXES = (".md", ".ipynb")
INDEX_NAMES = ("README.md", "index.md")
MAX_CONFIG = 1024 * 1024  # a real mkdocs.yml is a few KB
# Plugins and extensions whose effect FOMO reproduces (or that change nothing in a page).
KNOWN_PLUGINS = {"search", "mkdocs-jupyter", "mknotebooks", "tags", "offline", "privacy"}
KNOWN_EXTENSIONS = {
    "toc", "admonition", "md_in_html", "tables", "fenced_code", "codehilite", "meta", "sane_lists",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.highlight", "pymdownx.inlinehilite",
    "pymdownx.emoji", "pymdownx.magiclink", "pymdownx.betterem", "pymdownx.tilde",
}  # fmt: skip
RESERVED = ("map/", "sessions/", "templates/", "site.yml", ".fomo")
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may hold `!!python/name:` and `!ENV` tags: read them as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_Loader.add_multi_constructor("!", _any_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


@dataclass
class Page:
    path: str  # relative to docs_dir
    title: str | None  # from nav


@dataclass
class Section:
    title: str
    pages: list[Page] = field(default_factory=list)


@dataclass
class Planned:
    """One line of the plan: what is written where, and from which page or file."""

    action: str  # "session", "article", "part", "file", "skip"
    path: str
    source: str
    title: str = ""


@dataclass
class MkDocsPlan:
    change: Change
    actions: list[Planned] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for action in self.actions:
            out[action.action] = out.get(action.action, 0) + 1
        return out


def is_mkdocs_config(path: str | Path) -> bool:
    return Path(path).name.lower() in ("mkdocs.yml", "mkdocs.yaml")


def read_config(path: Path) -> dict[str, Any]:
    """The parsed mkdocs.yml; a clear error (file, line, fix) when it is not readable YAML."""
    text = decode_text(read_regular(path, MAX_CONFIG), str(path))
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise FomoError(
            f"{path.name} is not valid YAML: {getattr(error, 'problem', error)}",
            file=str(path),
            line=mark.line + 1 if mark else None,
            hint="fix the YAML (MkDocs itself would refuse it too)",
            code="bad-mkdocs",
        ) from None
    if not isinstance(data, dict):
        raise FomoError(
            f"{path.name} is not an MkDocs configuration (no mapping of settings)",
            file=str(path),
            hint="pass the project's mkdocs.yml",
            code="bad-mkdocs",
        )
    return data


def _options(entries: Any, name: str) -> dict[str, Any]:
    """The options given to one plugin or extension (list-or-mapping forms), else {}."""
    items = entries.items() if isinstance(entries, dict) else []
    if isinstance(entries, list):
        items = [i for e in entries if isinstance(e, dict) for i in e.items()]
    for key, value in items:
        if str(key).removeprefix("markdown.extensions.") == name and isinstance(value, dict):
            return value
    return {}


def toc_depth(config: dict[str, Any]) -> int | None:
    """The deepest level `toc` lists (`3`, or the end of a range like `"2-4"`), within 2-6."""
    value = _options(config.get("markdown_extensions"), "toc").get("toc_depth")
    if isinstance(value, str) and "-" in value:
        value = value.rsplit("-", 1)[1]
    try:
        depth = int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None
    return None if depth is None else min(6, max(2, depth))


def _site_settings(root: Path, config: dict[str, Any], site_name: str, planner: _Planner) -> None:
    """site.yml from the MkDocs settings that have a FOMO counterpart (name, toc_depth): written
    when the knowledge base has none, else what differs is a warning (never overwritten)."""
    wanted: dict[str, Any] = {"name": site_name}
    depth = toc_depth(config)
    if depth is not None:
        wanted["toc_depth"] = depth
    path = root / "site.yml"
    if not path.exists():
        text = "".join(f"{key}: {json.dumps(value)}\n" for key, value in wanted.items())
        planner.writes.append(FileWrite("site.yml", None, "# From mkdocs.yml\n" + text))
        planner.actions.append(Planned("settings", "site.yml", "mkdocs.yml"))
        return
    try:
        have = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        have = {}
    for key, value in wanted.items():
        if not isinstance(have, dict) or have.get(key) != value:
            planner.warnings.append(
                f"site.yml exists and is kept: set {key}: {json.dumps(value)} there to match "
                "the MkDocs site"
            )


def _names(entries: Any) -> list[str]:
    """Plugin or extension names from MkDocs' list-or-mapping forms."""
    if isinstance(entries, dict):
        return [str(k) for k in entries]
    names = []
    for entry in entries or []:
        if isinstance(entry, dict):
            names += [str(k) for k in entry]
        elif entry is not None:
            names.append(str(entry))
    return names


def _nav_pages(items: Any, warnings: list[str]) -> list[Page]:
    """The pages of a nav list, nested sections flattened in order."""
    pages: list[Page] = []
    for item in items if isinstance(items, list) else [items]:
        title: str | None = None
        value = item
        if isinstance(item, dict) and len(item) == 1:
            title, value = next(iter(item.items()))
            title = str(title)
        if isinstance(value, list):
            pages += _nav_pages(value, warnings)
        elif isinstance(value, str) and value.endswith(PAGE_SUFFIXES) and "://" not in value:
            pages.append(Page(value.lstrip("./") if value.startswith("./") else value, title))
        elif value is not None:
            warnings.append(f"nav entry {title or value!r} ({value}) is not a page: not imported")
    return pages


def _from_nav(nav: list[Any], warnings: list[str]) -> tuple[list[Page], list[Section]]:
    loose: list[Page] = []
    sections: list[Section] = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            title, value = next(iter(item.items()))
            if isinstance(value, list):
                sections.append(Section(str(title), _nav_pages(value, warnings)))
                continue
        loose += _nav_pages([item], warnings)
    return loose, sections


def _from_tree(docs: Path) -> tuple[list[Page], list[Section]]:
    """No nav: top-level folders are sections (in name order); their pages in name order,
    each folder's README/index first."""

    def pages_in(folder: Path) -> list[Page]:
        files = sorted(
            (p for p in folder.rglob("*") if p.is_file() and p.suffix in PAGE_SUFFIXES),
            key=lambda p: (len(p.relative_to(folder).parts), p.name not in INDEX_NAMES, str(p)),
        )
        return [
            Page(p.relative_to(docs).as_posix(), None)
            for p in files
            if not any(part.startswith(".") for part in p.relative_to(docs).parts)
        ]

    loose = [
        Page(p.name, None)
        for p in sorted(docs.iterdir())
        if p.is_file() and p.suffix in PAGE_SUFFIXES and not p.name.startswith(".")
    ]
    loose.sort(key=lambda p: p.path not in INDEX_NAMES)
    sections = []
    for folder in sorted(p for p in docs.iterdir() if p.is_dir() and not p.name.startswith(".")):
        pages = pages_in(folder)
        if pages:
            sections.append(Section(folder.name.replace("_", " ").strip().capitalize(), pages))
    return loose, sections


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            try:
                meta = yaml.safe_load(text[4:end])
            except yaml.YAMLError:
                meta = None
            if isinstance(meta, dict):
                return meta, text[end + 4 :].lstrip("\n")
    return {}, text


def _first_h1(text: str) -> str | None:
    for line in _FENCE.sub("", text).splitlines():
        if line.startswith("# "):
            return line[2:].strip().strip("#").strip() or None
    return None


def _notebook_sources(raw: str) -> list[str]:
    try:
        cells = json.loads(raw).get("cells", [])
    except (ValueError, AttributeError):
        return []
    out = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            out.append("".join(source) if isinstance(source, list) else str(source))
    return out


def _inside(docs: Path, rel: str) -> bool:
    """`rel` stays inside docs_dir once `..` and links are followed (nothing else is read)."""
    try:
        return (docs / rel).resolve().is_relative_to(docs.resolve())
    except OSError:
        return False


@dataclass
class _Article:
    page: Page
    target: str  # kb path
    title: str
    text: str  # the page's file text (Markdown body or notebook JSON)
    meta: dict[str, Any]


class _Planner:
    def __init__(self, config_path: Path, root: Path, kb: KnowledgeBase) -> None:
        self.config_path = config_path
        self.root = root
        self.kb = kb
        self.warnings: list[str] = []
        self.actions: list[Planned] = []
        self.writes: list[FileWrite] = []
        self.files: dict[str, str] = {}  # project file -> kb path

    def read_page(self, docs: Path, page: Page) -> str | None:
        if not _inside(docs, page.path):
            self.warnings.append(f"{page.path}: outside docs_dir: skipped")
            return None
        try:
            return (docs / page.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            self.warnings.append(f"{page.path}: listed in the nav but not readable: skipped")
            return None

    def file_target(self, docs: Path, project_path: str) -> str | None:
        """Where a project file goes in the knowledge base (planned once); None if missing."""
        if project_path in self.files:
            return self.files[project_path]
        source = docs / project_path
        if not source.is_file() or not _inside(docs, project_path):
            return None
        target = project_path
        hidden = any(part.startswith(".") for part in target.split("/"))  # .github/, .git/
        if target.startswith(RESERVED) or target in RESERVED or hidden:
            target = f"files/{target}"
        data = source.read_bytes()
        existing = self.root / target
        if existing.exists():
            if not (existing.is_file() and existing.read_bytes() == data):
                self.warnings.append(
                    f"{target} already exists with other content: kept, not replaced "
                    f"(the imported pages link to it)"
                )
            self.actions.append(Planned("skip", target, project_path, "file already there"))
        else:
            self.writes.append(FileWrite(target, None, data))
            self.actions.append(Planned("file", target, project_path))
        self.files[project_path] = target
        return target


def _rewrite(text: str, fix: Any) -> str:
    """Apply `fix(url) -> new url or None` to every link target outside fenced code."""

    def one(match: re.Match[str]) -> str:
        new = fix(match.group("url"))
        return match.group(0) if new is None else match.group("lead") + new

    out, last = [], 0
    for code in _FENCE.finditer(text):
        out.append(LINK_CONTEXT.sub(one, text[last : code.start()]))
        out.append(code.group(0))
        last = code.end()
    out.append(LINK_CONTEXT.sub(one, text[last:]))
    return "".join(out)


def plan_mkdocs(config_path: str | Path, root: Path, kb: KnowledgeBase) -> MkDocsPlan:
    """The sessions, articles and files an MkDocs project becomes; nothing is written."""
    config_path = Path(config_path)
    config = read_config(config_path)
    docs = (config_path.parent / str(config.get("docs_dir") or "docs")).resolve()
    if not docs.is_dir():
        raise FomoError(
            f"docs_dir {config.get('docs_dir') or 'docs'!r} is not a folder "
            f"next to {config_path.name}",
            file=str(config_path),
            hint="set docs_dir in mkdocs.yml to the folder holding the pages",
            code="bad-mkdocs",
        )
    planner = _Planner(config_path, root, kb)
    warnings = planner.warnings
    for name in _names(config.get("plugins")):
        if name not in KNOWN_PLUGINS:
            what = "macros are kept as written text" if name == "macros" else "its effect is lost"
            warnings.append(f"plugin {name!r} has no FOMO counterpart: {what}")
    for name in _names(config.get("markdown_extensions")):
        bare = name.removeprefix("markdown.extensions.")
        if bare not in KNOWN_EXTENSIONS:
            warnings.append(
                f"Markdown extension {bare!r} is not supported: its syntax shows as written"
            )
    nav = config.get("nav")
    loose, sections = (
        _from_nav(nav, warnings) if isinstance(nav, list) and nav else _from_tree(docs)
    )
    site_name = str(config.get("site_name") or config_path.parent.name)
    if loose:
        sections.insert(0, Section(site_name, [Page(p.path, p.title) for p in loose]))
    # Where every page goes, decided before any text is rewritten (pages link each other).
    existing = {name_key(s.title) for s in kb.sessions}
    number = max((s.number for s in kb.sessions), default=0)
    articles: list[_Article] = []
    sessions: list[tuple[str, Section, list[dict[str, Any]], str | None]] = []
    placed: dict[str, str] = {}
    for section in sections:
        if name_key(section.title) in existing:
            warnings.append(f"session {section.title!r} already exists: not imported again")
            planner.actions.append(Planned("skip", "", section.title, "session exists"))
            continue
        number += 1
        folder = f"sessions/{number:02d}-{slugify(section.title)}"
        index_page = _index_page(section) if section.title != site_name or not loose else None
        parts: list[dict[str, Any]] = []
        overview = None
        for page in section.pages:
            text = planner.read_page(docs, page)
            if text is None or page.path in placed:
                continue
            meta, body = ({}, text) if page.path.endswith(".ipynb") else _split_front_matter(text)
            h1 = (
                _first_h1("\n\n".join(_notebook_sources(text)))
                if page.path.endswith(".ipynb")
                else _first_h1(body)
            )
            title = str(meta.get("title") or page.title or h1 or Path(page.path).stem)
            suffix = Path(page.path).suffix
            if page is index_page or (section.title == site_name and loose):
                name = "overview.md" if page is index_page else f"{slugify(title)}{suffix}"
                if page is index_page:
                    overview = name
            else:
                name = f"{len(parts) + 1:02d}-{slugify(title)}{suffix}"
                parts.append(
                    {
                        "number": len(parts) + 1,
                        "title": title,
                        "topics": [],
                        "status": "published",
                        "article": name,
                    }
                )
            target = f"{folder}/{name}"
            placed[page.path] = target
            articles.append(_Article(page, target, title, body if suffix == ".md" else text, meta))
        summary = None
        if overview is not None:
            summary = _summary(next(a for a in articles if a.target == f"{folder}/{overview}"))
        sessions.append((folder, section, parts, summary))
    for folder, section, parts, summary in sessions:
        fields: dict[str, Any] = {"title": section.title, "summary": summary}
        if parts:
            fields["parts"] = parts
        planner.writes.append(FileWrite(f"{folder}/index.md", None, render_front_matter(fields)))
        planner.actions.append(Planned("session", f"{folder}/index.md", "", section.title))
    for article in articles:
        _plan_article(planner, docs, article, placed)
    _site_settings(root, config, site_name, planner)
    parts = sum(len(parts) for _, _, parts, _ in sessions)
    if parts:
        warnings.append(
            f"the {parts} imported parts name no topics yet: add the map's topic ids to each "
            "part's `topics` so that topic pages and the contribution board link them"
        )
    for name in config.get("extra_css") or []:
        warnings.append(f"extra_css {name!r} is not applied (FOMO pages use the site's own style)")
    if not articles:
        warnings.append("no pages to import (empty nav and no Markdown or notebook files)")
    change = Change(f"import MkDocs project {config_path}", planner.writes)
    return MkDocsPlan(change, planner.actions, warnings)


def _index_page(section: Section) -> Page | None:
    """The section's own page: a README/index whose folder holds every other page."""
    for page in section.pages:
        if posixpath.basename(page.path) in INDEX_NAMES:
            folder = posixpath.dirname(page.path)
            others = [p for p in section.pages if p is not page]
            if all(posixpath.dirname(p.path).startswith(folder) for p in others):
                return page
    return None


def _summary(article: _Article) -> str | None:
    """The overview's first paragraph of plain prose, for the session's summary."""
    for block in re.split(r"\n\s*\n", _FENCE.sub("", article.text)):
        text = " ".join(block.split())
        if text and text[0].isalnum():
            return text[:400]
    return None


def _plan_article(planner: _Planner, docs: Path, article: _Article, placed: dict[str, str]) -> None:
    page_path = article.page.path
    new_folder = posixpath.dirname(article.target)
    notebook = page_path.endswith(".ipynb")
    sources = _notebook_sources(article.text) if notebook else [article.text]
    for source in sources:
        for line in _MACRO.finditer(_FENCE.sub("", source)):
            planner.warnings.append(
                f"{page_path}: macro {line.group(0)[:60]!r} is kept as written text"
            )
            break
        for link in local_links(source):
            target = resolve(page_path, link.url)
            if target is None:
                planner.warnings.append(
                    f"{page_path}:{link.line}: '{link.url}' leads out of the project: left as is"
                )
            elif target.page and not link.image:
                if target.path not in placed:
                    planner.warnings.append(
                        f"{page_path}:{link.line}: links to {target.path}, which is not imported"
                    )
            elif planner.file_target(docs, target.path) is None:
                planner.warnings.append(
                    f"{page_path}:{link.line}: '{link.url}' names a file that does not exist"
                )

    def fix(url: str) -> str | None:
        target = resolve(page_path, url)
        if target is None:
            return None
        if target.page and url.split("#", 1)[0].endswith(PAGE_SUFFIXES):
            kb_path = placed.get(target.path)
        else:
            kb_path = planner.files.get(target.path)
        if kb_path is None:
            return None
        relative = posixpath.relpath(kb_path, new_folder)
        return quote(relative) + (f"#{target.fragment}" if target.fragment else "")

    if notebook:
        text = _rewrite_notebook(article.text, fix)
    else:
        fields: dict[str, Any] = {"title": article.title}
        author = article.meta.get("author") or article.meta.get("authors")
        if isinstance(author, list):
            author = ", ".join(str(a) for a in author)
        fields["author"] = str(author) if author else None
        fields["status"] = "published"
        text = render_front_matter(fields, "\n" + _rewrite(article.text, fix))
    planner.writes.append(FileWrite(article.target, None, text))
    planner.actions.append(Planned("article", article.target, page_path, article.title))


def _rewrite_notebook(raw: str, fix: Any) -> str:
    try:
        notebook = json.loads(raw)
    except ValueError:
        return raw
    for cell in notebook.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            cell["source"] = _rewrite(text, fix).splitlines(keepends=True)
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
