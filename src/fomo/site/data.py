"""What every page needs about the tree (paths, colours, incoming relations, coverage,
articles per topic), computed once per build in one pass each, so that a page costs O(its own
content), never a walk of the whole site."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from fomo.model import Article, KnowledgeBase, Part, Session, Topic
from fomo.site.config import SiteConfig


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
    root: Path | None = None  # the knowledge base's folder (articles' images and notebooks)
    child_ids: dict[str | None, list[str]] = field(default_factory=dict)
    # (mtime, size) of each notebook article's file: its text is not in the index, so an edit
    # of the notebook alone shows only here
    notebook_stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    _near: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, kb: KnowledgeBase, config: SiteConfig, root: Path | None = None) -> SiteData:
        data = cls(kb, config, root=root)
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
            children = [child.id for child in kb.children(topic_id)]
            data.child_ids[topic_id] = children
            stack.extend((child, path) for child in reversed(children))
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
        if root is not None:
            for article in kb.articles:
                if article.path.endswith(".ipynb"):
                    try:
                        stat = (root / article.path).stat()
                    except OSError:
                        continue  # the page says it is missing
                    data.notebook_stamps[article.path] = (stat.st_mtime_ns, stat.st_size)
        return data

    def near(self, topic_id: str) -> frozenset[str]:
        """The topics whose title or place the page of `topic_id` shows: its path, its family,
        its children, its relations both ways and its other parents. Cached per build, since an
        incremental rebuild asks for every topic, and the next one asks again of this data."""
        found = self._near.get(topic_id)
        if found is None:
            topic = self.kb.topics[topic_id]
            ids = set(self.path_ids.get(topic_id, (topic_id,)))
            ids.update(self.child_ids.get(topic.parent, ()) if topic.parent else ())
            ids.update(self.child_ids.get(topic_id, ()))
            ids.update(target for _, target in topic.relations())
            ids.update(source for _, source in self.incoming.get(topic_id, ()))
            ids.update(topic.also_under)
            found = self._near[topic_id] = frozenset(ids)
        return found

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
