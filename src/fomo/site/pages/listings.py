"""The site-wide pages, one each: the map (home), the topic outline, the sessions and articles
indexes, the timeline, what's new, the contribution board, search and 404. They show the whole
map, so they are re-rendered on every rebuild (`depends` None); unchanged bytes are not
rewritten."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import Markup, escape

from fomo.model import Article, Topic
from fomo.query.freshness import newest_first, within_year
from fomo.site.data import SiteData
from fomo.site.links import Output, topic_href
from fomo.site.pages import Page, PageKind, register, site_wide
from fomo.site.pictures import NO_COLOUR
from fomo.site.renderer import Renderer

NEW_LIMIT = 60


def articles_newest_first(data: SiteData) -> list[Article]:
    return sorted(
        data.kb.articles,
        key=lambda a: (a.published or dt.date.min, a.title.lower()),
        reverse=True,
    )


def recent(data: SiteData) -> tuple[list[Topic], list[Article]]:
    """The topics newest in the map (by `added`: the Atom feed's entries) and the newest
    articles (the feed and what's new): newest day first, and within a day in map order (the
    sort is stable), so a day's topics read as the map does."""
    dated = [t for t in data.order if t.added]
    dated.sort(key=lambda t: t.added, reverse=True)
    articles = [a for a in articles_newest_first(data) if a.published][:NEW_LIMIT]
    return dated[:NEW_LIMIT], articles


def outline_html(data: SiteData) -> Markup:
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


def timeline(data: SiteData) -> list[dict[str, Any]]:
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
                "colour": data.colour.get(branch_id, NO_COLOUR),
                "years": [(year, within_year(years[year])) for year in sorted(years)],
            }
        )
    return result


def board(data: SiteData) -> dict[str, Any]:
    """The contribution board shows `fomo coverage`'s data (one function computes both, so
    the board and the command cannot disagree): shares per branch, open parts, and the
    topics no article covers, grouped by branch."""
    from fomo.query.coverage import coverage

    report = coverage(data.kb)
    by_file = {session.source.file: session for session in data.kb.sessions}
    open_parts = [(by_file[item.file], item) for item in report.open_parts if item.file in by_file]
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


def _new(data: SiteData) -> dict[str, Any]:
    """What's new is the reader's clock: topics by when the thing appeared (`released`, else
    `year`; `fomo.query.freshness.newest_first`), not when it was added to the map."""
    _, articles = recent(data)
    return {"topics": newest_first(data.order)[:NEW_LIMIT], "articles": articles, "data": data}


def single(
    name: str,
    path: str,
    template: str,
    context: Callable[[SiteData], dict[str, Any]] | None = None,
    *,
    nav: str | None = None,
    sitemap: bool = True,
) -> PageKind:
    """Register a kind with one page at `path`, rendered from `template` with
    `context(data)`."""

    def pages(data: SiteData) -> Iterator[Page]:
        yield Page(Output.at(path))

    def full_context(renderer: Renderer, page: Page) -> dict[str, Any]:
        return context(renderer.data) if context else {}

    return register(
        PageKind(
            name,
            pages,
            template=template,
            context=full_context,
            depends=site_wide,
            sitemap=sitemap,
            nav=nav,
        )
    )


def example_searches(data: SiteData, count: int = 4) -> list[str]:
    """What the home page offers to search for: the topics other topics refer to most (the
    ones a newcomer meets first), one per branch, each by the short name readers type (an
    alias of up to six characters, else its title when that is short)."""
    ranked = sorted(
        (topic for topic in data.order if len(data.path_ids.get(topic.id, ())) > 2),
        key=lambda topic: (-len(data.incoming.get(topic.id, ())), topic.title.casefold()),
    )
    examples: list[str] = []
    branches: set[str] = set()
    for topic in ranked:
        branch = data.path_ids[topic.id][1]
        short = [alias for alias in topic.aliases if len(alias) <= 6]
        name = min(short, key=len) if short else topic.title
        if branch in branches or len(name) > 24 or not data.incoming.get(topic.id):
            continue
        branches.add(branch)
        examples.append(name)
        if len(examples) == count:
            break
    return examples


single(
    "home",
    "index.html",
    "home.html",
    lambda d: {"root_topic": d.kb.root, "examples": example_searches(d)},
    nav="Map",
)
single(
    "topics",
    "topics/index.html",
    "topics.html",
    lambda d: {"outline": outline_html(d)},
    nav="Topics",
)
single(
    "sessions",
    "sessions/index.html",
    "sessions.html",
    lambda d: {"sessions": d.kb.sessions, "data": d},
    nav="Sessions",
)
single(
    "articles",
    "articles/index.html",
    "articles.html",
    lambda d: {"articles": articles_newest_first(d), "data": d},
    nav="Articles",
)
single(
    "timeline",
    "timeline.html",
    "timeline.html",
    lambda d: {"branches": timeline(d)},
    nav="Timeline",
)
single("new", "new.html", "new.html", _new, nav="What's new")
single("contribute", "contribute.html", "contribute.html", board, nav="Contribute")
single("search", "search.html", "search.html", sitemap=False)
single("404", "404.html", "404.html", sitemap=False)
