"""Which pages an edit can change, from what each page kind says it depends on.

A page is rendered again when it is new, when its kind has no `depends` (the site-wide pages),
or when a topic it depended on before the edit (its kind's `depends` on the old data, plus the
topics its Markdown linked to) or depends on after it changed. "Changed" is a topic whose
fields or place in the tree differ, plus the pseudo-topics "@sessions" and "@articles" when any
session or article differs (for a notebook article: its file) and "@outline" unless every
changed topic differs only in the text of its body. A change of the site's settings or branch
colours re-renders all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from fomo.model import Topic
from fomo.site.data import SiteData
from fomo.site.pages import ARTICLES, OUTLINE, SESSIONS, Page, PageKind


def changed(old: SiteData, new: SiteData) -> set[str] | None:
    """The changed topic ids and pseudo-topics; None when every page must be rendered."""
    if old.config != new.config or old.colour != new.colour:
        return None
    found = set()
    for tid in old.kb.topics.keys() | new.kb.topics.keys():
        before, after = old.kb.topics.get(tid), new.kb.topics.get(tid)
        moved = old.path_ids.get(tid) != new.path_ids.get(tid)
        if before != after or moved:
            found.add(tid)
            if moved or not _text_only(before, after):
                found.add(OUTLINE)
    if old.kb.sessions != new.kb.sessions:
        found.add(SESSIONS)
    if old.kb.articles != new.kb.articles or old.notebook_stamps != new.notebook_stamps:
        found.add(ARTICLES)
    return found


def _text_only(before: Topic | None, after: Topic | None) -> bool:
    """Whether two versions of a topic differ at most in the text of a body both have."""
    if before is None or after is None or bool(before.body.strip()) != bool(after.body.strip()):
        return False
    return replace(before, body="") == replace(after, body="")


def to_render(
    kinds: list[PageKind],
    old: SiteData,
    new: SiteData,
    before: Mapping[str, tuple[str, Page, frozenset[str]]],
    edit: set[str] | None,
) -> tuple[list[tuple[PageKind, Page]], set[str]]:
    """(the pages to render, the paths of pages that no longer exist), after the change
    `edit` (see `changed`).

    `before` holds, per path of the previous build, its kind's name, its page and the topics
    its Markdown linked to."""
    jobs: list[tuple[PageKind, Page]] = []
    present: set[str] = set()
    for kind in kinds:
        for page in kind.pages(new):
            path = page.output.path
            present.add(path)
            previous = before.get(path)
            if edit is None or kind.depends is None or previous is None or previous[0] != kind.name:
                jobs.append((kind, page))
                continue
            if not edit:
                continue
            if (
                not edit.isdisjoint(previous[2])
                or not edit.isdisjoint(kind.depends(old, previous[1]))
                or not edit.isdisjoint(kind.depends(new, page))
            ):
                jobs.append((kind, page))
    return jobs, set(before) - present
