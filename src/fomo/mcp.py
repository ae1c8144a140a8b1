"""The assistant tool: a Model Context Protocol server (the official `mcp` SDK, stdio) that
exposes `where`, `search`, `tree`, `place` and `annotate` as tools, each answering with the same
JSON as the command's `--json`, and every topic as a resource (`fomo://topics/{id}`).

It starts fast: the SDK is imported when the server starts, and each tool imports only what its
own call needs (the map is read through the compiled index on every call, so edits show at once;
the full knowledge base that `place` and `annotate` need is loaded on their first call and kept
while the index fingerprint stays the same).
"""

from __future__ import annotations

import json
from contextlib import closing
from typing import Any

from fomo import __version__
from fomo.errors import FomoError

INSTRUCTIONS = (
    "FOMO keeps the LLM field as a hierarchical mind map. Use `where` to place a term (name, "
    "alias, acronym or misspelling) in the map with its essence and family, `annotate` to find "
    "every map term in a text, `search` for full-text search, `tree` for a branch, and `place` "
    "to rank where a new concept would belong."
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


class Tools:
    """The tools' logic, free of the SDK (tested directly and through the stdio server)."""

    def __init__(self, kb: str | None) -> None:
        self.kb = kb
        self._loaded: tuple[Any, Any, Any] | None = None  # (fingerprint, kb, term index)

    def _index(self) -> Any:
        from fomo.kb.load import open_readable

        return open_readable(self.kb)

    def _knowledge(self) -> tuple[Any, Any]:
        """The full knowledge base and its term index, rebuilt when the map changed (the
        compiled index's fingerprint of the files)."""
        from fomo.kb.load import build
        from fomo.query.annotate import build_index

        index = self._index()
        try:
            row = index.db.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
            stamp = row[0] if row else None
            if self._loaded is None or stamp is None or self._loaded[0] != stamp:
                kb = build(index)
                self._loaded = (stamp, kb, build_index(kb))
        finally:
            index.close()
        return self._loaded[1], self._loaded[2]

    def where(self, term: str) -> str:
        from fomo.errors import UnknownTopicError
        from fomo.query.where import answer

        try:
            with closing(self._index()) as index:
                return _json(answer(index, term).as_dict())
        except UnknownTopicError as error:
            suggestions = [{"id": i, "title": t} for i, t in error.suggestions]
            return _json({"error": error.message, "suggestions": suggestions})

    def search(self, query: str, limit: int = 10) -> str:
        from fomo.query.search import search

        if limit < 1:
            raise FomoError("limit must be at least 1")
        with closing(self._index()) as index:
            return _json([hit.__dict__ for hit in search(index, query, limit)])

    def tree(self, topic: str = "", depth: int | None = None) -> str:
        from fomo.cli.tree import nested
        from fomo.kb.load import build_outline
        from fomo.query.where import resolve

        if depth is not None and depth < 0:
            raise FomoError("depth must be 0 or more")
        with closing(self._index()) as index:
            kb = build_outline(index, set())
            if topic:
                start = resolve(index, topic).topic_id
            elif kb.root is not None:
                start = kb.root.id
            else:
                raise FomoError("the map is empty")
            return _json(nested(kb, start, depth))

    def place(self, text: str, top: int = 3) -> str:
        from fomo.query.place import model_for, split_text

        title, body = split_text(text)
        if not title:
            raise FomoError("nothing to place: the text is empty")
        kb, _ = self._knowledge()
        return _json(model_for(kb).place(title, body, top=max(1, top)).as_dict())

    def annotate(self, text: str) -> str:
        from fomo.query.annotate import annotate

        if not text.strip():
            raise FomoError("the text is empty")
        kb, index = self._knowledge()
        return _json(annotate(kb, text, index).as_list())

    def topic(self, topic_id: str) -> str:
        return self.where(topic_id)

    def topics(self) -> str:
        from fomo.kb.load import build_outline

        with closing(self._index()) as index:
            kb = build_outline(index, set())
        return _json(
            [{"id": t.id, "title": t.title, "uri": f"fomo://topics/{t.id}"} for t in kb.walk()]
        )


def serve(kb: str | None) -> None:
    """Run the server on standard input and output until the client closes it."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    tools = Tools(kb)
    server = MCPServer("fomo", instructions=INSTRUCTIONS, version=__version__)

    def guarded(call: Any, *args: Any) -> str:
        try:
            return call(*args)
        except FomoError as error:
            raise ToolError(str(error)) from error

    @server.tool(structured_output=False)
    def where(term: str) -> str:
        """Resolve a name, alias, acronym or misspelling to its topic: path from the root,
        essence, siblings, relations, references (the JSON of `fomo where --json`)."""
        return guarded(tools.where, term)

    @server.tool(structured_output=False)
    def search(query: str, limit: int = 10) -> str:
        """Ranked full-text search over topics and references (`fomo search --json`)."""
        return guarded(tools.search, query, limit)

    @server.tool(structured_output=False)
    def tree(topic: str = "", depth: int | None = None) -> str:
        """The map, or the branch under `topic` (an id or name), as nested {id, title,
        children}, `depth` levels deep (`fomo tree --json`)."""
        return guarded(tools.tree, topic, depth)

    @server.tool(structured_output=False)
    def place(text: str, top: int = 3) -> str:
        """Rank where a new concept (a title, optionally a blank line and an abstract) belongs
        in the map, with the evidence (`fomo place --json`)."""
        return guarded(tools.place, text, top)

    @server.tool(structured_output=False)
    def annotate(text: str) -> str:
        """Every term of the map in a text: text, start, end, id, title, path and essence per
        mention (`fomo annotate --json`)."""
        return guarded(tools.annotate, text)

    @server.resource("fomo://topics", name="topics", mime_type="application/json")
    def topics() -> str:
        """Every topic of the map: id, title and resource URI."""
        return tools.topics()

    @server.resource("fomo://topics/{topic_id}", name="topic", mime_type="application/json")
    def topic(topic_id: str) -> str:
        """One topic: its path, essence, family, relations and references."""
        return tools.topic(topic_id)

    server.run("stdio")
