"""Scaffold an article for a session part, following the contributor style guide in
CONTRIBUTING.md: introduction, one section per main topic of the part, conclusion, references.

The skeleton states what each section should do (as HTML comments a reader never sees) and
lists the map's own facts (essence, subtopics, references) so the writer starts from the map.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import weakref
from dataclasses import dataclass
from html import unescape as html_unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from fomo.errors import FomoError
from fomo.kb.records import slugify
from fomo.model import Article, KnowledgeBase, Part, Session

if TYPE_CHECKING:
    from fomo.kb.edit import Change


def article_name(part: Part) -> str:
    return f"{part.number:02d}-{slugify(part.title or f'part-{part.number}')}.md"


def skeleton(kb: KnowledgeBase, session: Session, part: Part, author: str) -> str:
    """The article file's text: front matter and a Markdown skeleton."""
    from fomo.kb.edit import render_front_matter  # kb.edit imports kb.load, which imports us

    topics = [t for t in part.topics if t in kb]
    fields = {
        "title": part.title or f"{session.title}, part {part.number}",
        "author": author,
        "topics": list(part.topics),
        "status": "draft",
    }
    lines = [
        f"<!-- Session {session.number} ({session.title}), part {part.number}. Style guide: "
        "CONTRIBUTING.md. Preview with `fomo serve`, validate with `fomo check`. -->",
        "",
        "## Introduction",
        "",
        "<!-- The problem these methods solve and why a reader should care, in a paragraph. "
        "Say where they sit in the map. -->",
        "",
    ]
    references: list[str] = []
    for topic_id in topics:
        topic = kb.topics[topic_id]
        path = " > ".join(t.title for t in kb.path(topic_id))
        lines += [f"## {topic.title}", "", f"<!-- In the map: {path}. Essence: {topic.essence} -->"]
        children = kb.children(topic_id)
        if children:
            lines += ["", "<!-- Cover, in the map's order: -->"]
            lines += [f"<!-- - {c.title} ([[{c.id}]]): {c.essence} -->" for c in children]
        lines += ["", f"[[{topic_id}]]", ""]
        for member in kb.subtree(topic_id):
            if member.paper:
                year = f" ({member.paper.year})" if member.paper.year else ""
                link = f"<{member.paper.url}>" if member.paper.url else ""
                references.append(f"- {member.paper.title}{year} {link}".rstrip())
            for reference in member.references:
                references.append(f"- [{reference.title}]({reference.url}) ({reference.kind})")
    lines += [
        "## Conclusion",
        "",
        "<!-- What to remember, how the methods compare, and what to read or watch next. -->",
        "",
        "## References",
        "",
        *(dict.fromkeys(references) or ["<!-- Papers, docs and posts you used, with links. -->"]),
        "",
    ]
    return render_front_matter(fields, "\n" + "\n".join(lines))


def plan_article(
    root: Path, session_number: int, part_number: int, author: str, kb: KnowledgeBase | None = None
) -> Change:
    """The article file plus the session edit that claims the part (status, author, article)."""
    from fomo.kb.edit import create_file, merge, update_part
    from fomo.kb.load import load

    kb = kb if kb is not None else load(root).kb
    session = next((s for s in kb.sessions if s.number == session_number), None)
    if session is None:
        raise FomoError(f"no session {session_number}", hint="see `fomo sessions`")
    part = next((p for p in session.parts if p.number == part_number), None)
    if part is None:
        numbers = ", ".join(str(p.number) for p in session.parts) or "none"
        raise FomoError(
            f"session {session_number} has no part {part_number}",
            file=session.source.file,
            hint=f"parts: {numbers}",
        )
    if part.status != "open":
        who = f" by {part.author}" if part.author else ""
        raise FomoError(
            f"part {part_number} of session {session_number} is already {part.status}{who}",
            file=session.source.file,
            hint="pick an open part (`fomo sessions " + str(session_number) + "`)",
            code="part-taken",
        )
    folder = session.source.file.rsplit("/", 1)[0]
    name = article_name(part)
    text = skeleton(kb, session, part, author)
    article = create_file(root, f"{folder}/{name}", text, f"article {folder}/{name}")
    claim = update_part(
        root,
        session_number,
        part_number,
        {"status": "claimed", "author": author, "article": name},
        kb=kb,
    )
    return merge(
        f"scaffold {folder}/{name} and claim part {part_number} of session {session_number}",
        [article, claim],
    )


def plain_file_name(name: str) -> bool:
    """A part's `article` names a file in its session's folder, as `fomo new-article` writes it:
    no folders, no `..`, nothing hidden. (Markdown articles are read only there anyway; a
    notebook's path is read and its outputs written from this name, so it must stay there.)"""
    return bool(name) and not any(c in name for c in "/\\\0") and not name.startswith(".")


def notebook_articles(sessions: list[Session]) -> list[Article]:
    """An article per part whose article is a Jupyter notebook (`.ipynb`; the index reads only
    Markdown): the part gives its front matter (title, author, topics, status); the site reads
    the cells, and the notebook's own title when it has one. A name that is not a plain file
    name gives no article (`fomo check` reports it)."""
    found = []
    for session in sessions:
        folder = session.source.file.rsplit("/", 1)[0]
        for part in session.parts:
            if part.article and part.article.endswith(".ipynb") and plain_file_name(part.article):
                found.append(
                    Article(
                        path=f"{folder}/{part.article}",
                        title=part.title or part.article,
                        body="",
                        author=part.author,
                        topics=list(part.topics),
                        status=part.status,
                        session=session.number,
                        part=part.number,
                    )
                )
    return found


# --------------------------------------------------------------------------------------------
# Local links: the images, files and pages an article points at, for `fomo check` and the site

PAGE_SUFFIXES = (".md", ".ipynb")
# Files a browser would run if the site served them from its own origin: never copied.
ACTIVE_SUFFIXES = (
    ".html", ".htm", ".xhtml", ".xht", ".xhtm", ".shtml", ".js", ".mjs",
    ".xml", ".xsl", ".xslt", ".svgz", ".rdf", ".mml", ".xul", ".atom",
)  # fmt: skip
_HTML_URL = re.compile(r"""\b(src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
# A URL where Markdown or HTML puts one: `](url`, `]: url`, `src=`/`href=`. Cheaper than a parse,
# and a superset of the real links (code too): for finding candidates, never for judging.
LINK_CONTEXT = re.compile(
    r"""(?P<lead>\]\(\s*<?|\]:\s*<?|\b(?:src|href)\s*=\s*["']?)(?P<url>[^\s)"'<>]+)"""
)


@dataclass(frozen=True)
class LocalLink:
    """A relative link or image source in an article, with the line it is written on."""

    url: str
    line: int
    image: bool


@dataclass(frozen=True)
class Target:
    """Where a relative URL of an article leads inside the knowledge base."""

    path: str  # relative to the knowledge base, decoded (`a%20b.png` -> `a b.png`)
    fragment: str  # the `#anchor`, without the `#`

    @property
    def page(self) -> bool:
        return self.path.endswith(PAGE_SUFFIXES)


def candidate_urls(text: str) -> list[str]:
    """Every URL in a link position of `text`, HTML entities decoded (see LINK_CONTEXT)."""
    return [html_unescape(m.group("url")) for m in LINK_CONTEXT.finditer(text)]


def is_local(url: str) -> bool:
    """A relative URL naming a file: no scheme, not `//host`, not only `#anchor` or `?query`."""
    url = url.strip()
    return bool(url) and not _SCHEME.match(url) and url[0] not in "#?/\\"


def resolve(article_path: str, url: str) -> Target | None:
    """The knowledge-base path `url` names, relative to the article; None when it is not a
    local file link or when it climbs out of the knowledge base."""
    if not is_local(url):
        return None
    address, _, fragment = url.strip().partition("#")
    address = address.split("?", 1)[0]
    if not address:
        return None
    folder = posixpath.dirname(article_path)
    path = posixpath.normpath(posixpath.join(folder, unquote(address)))
    if path == ".." or path.startswith("../") or path.startswith("/"):
        return None
    return Target(path, unquote(fragment))


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def line_of(lines: list[str], span: list[int] | None, url: str) -> int:
    """0-based line of `url` within the block `span`, or the block's first line."""
    if not span:
        return 0
    for number in range(span[0], min(span[1], len(lines))):
        if url in lines[number]:
            return number
    return span[0]


def local_links(body: str, first_line: int = 1) -> list[LocalLink]:
    """Every relative link and image source in Markdown and raw HTML (code is not a link)."""
    lines = body.splitlines()
    found: list[LocalLink] = []

    def add(url: str, span: list[int] | None, image: bool) -> None:
        if is_local(url):
            found.append(LocalLink(url, first_line + line_of(lines, span, url), image))

    def html(content: str, span: list[int] | None) -> None:
        for match in _HTML_URL.finditer(content):
            url = match.group(2) or match.group(3) or match.group(4) or ""
            add(html_unescape(url), span, match.group(1).lower() == "src")

    for token in _parser().parse(body):
        if token.type == "html_block":
            html(token.content, token.map)
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "link_open":
                    add(str(child.attrGet("href") or ""), token.map, False)
                elif child.type == "image":
                    add(str(child.attrGet("src") or ""), token.map, True)
                elif child.type == "html_inline":
                    html(child.content, token.map)
    return found


def page_paths(kb: KnowledgeBase) -> set[str]:
    """Knowledge-base paths that are built as pages: topics, sessions, articles, notebooks."""
    pages = {t.source.file for t in kb.topics.values() if t.source.file}
    pages |= {s.source.file for s in kb.sessions}
    pages |= {a.path for a in kb.articles}
    for session in kb.sessions:
        folder = session.source.file.rsplit("/", 1)[0]
        pages |= {f"{folder}/{p.article}" for p in session.parts if p.article}
    return pages


_pages_of: weakref.WeakKeyDictionary[KnowledgeBase, set[str]] = weakref.WeakKeyDictionary()


def link_problems(
    root: Path, kb: KnowledgeBase, path: str, body: str, first_line: int
) -> list[tuple[str, int, str, str]]:
    """(code, line, message, hint) for each local link of an article that leads nowhere."""
    return [
        (code, link.line, message, hint)
        for link, code, message, hint in _judge(root, kb, path, body, first_line)
    ]


def load_notebook(text: str) -> Any:
    """A notebook's JSON read by nbformat and checked against its schema (raises on either),
    without nbformat's warnings: a notebook whose cells lack ids (older Jupyter) is read as it
    is, and the warning would reach the terminal."""
    import warnings

    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        node = nbformat.reads(text, as_version=4)
        nbformat.validate(node)
    return node


def notebook_problems(root: Path, kb: KnowledgeBase, path: str) -> list[tuple[str, int, str, str]]:
    """The same for a notebook article: its markdown cells' links, each reported on the line of
    the notebook file that holds it; a file that is not notebook JSON is one finding."""
    raw = (root / path).read_text(encoding="utf-8", errors="replace")
    try:
        cells = json.loads(raw).get("cells", [])
        load_notebook(raw)  # what the site will insist on
    except Exception as error:  # JSON, nbformat's reader and its schema all raise their own
        message = getattr(error, "msg", None) or str(error).splitlines()[0][:200]
        return [
            (
                "bad-notebook",
                getattr(error, "lineno", 1),
                f"not a readable Jupyter notebook: {message}",
                "open and save it again in Jupyter, or fix the JSON",
            )
        ]
    lines = raw.splitlines()
    problems = []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        for link, code, message, hint in _judge(root, kb, path, text, 1):
            quoted = json.dumps(link.url)[1:-1]
            line = next((n for n, row in enumerate(lines, 1) if quoted in row), 1)
            problems.append((code, line, message, hint))
    return problems


def _judge(
    root: Path, kb: KnowledgeBase, path: str, body: str, first_line: int
) -> list[tuple[LocalLink, str, str, str]]:
    pages = _pages_of.get(kb)
    if pages is None:  # once per knowledge base, not once per article
        pages = _pages_of[kb] = page_paths(kb)
    problems = []
    for link in local_links(body, first_line):
        target = resolve(path, link.url)
        what = "image" if link.image else "link"
        if target is None:
            problems.append(
                (
                    link,
                    "link-outside",
                    f"{what} '{link.url}' leads out of the knowledge base",
                    "keep images and files inside the knowledge base and link them relatively",
                )
            )
        elif target.page:
            if target.path not in pages:
                problems.append(
                    (
                        link,
                        "missing-page",
                        f"{what} '{link.url}' names {target.path}, which is not a page",
                        "fix the path, or add the page (a topic, session or article)",
                    )
                )
        elif target.path.lower().endswith(ACTIVE_SUFFIXES):
            problems.append(
                (
                    link,
                    "unsafe-file",
                    f"{what} '{link.url}' names a file the site will not publish "
                    "(pages and scripts could run in the site's name)",
                    "link a published copy by its http(s) URL, or convert it (e.g. to PDF)",
                )
            )
        elif not (root / target.path).is_file():
            problems.append(
                (
                    link,
                    "missing-file",
                    f"{what} '{link.url}' names {target.path}, which does not exist",
                    "add the file next to the article or fix the path (names are case-sensitive)",
                )
            )
    return problems
