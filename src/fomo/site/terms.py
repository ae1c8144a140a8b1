"""The compact term index: every name of the map with the rules `fomo annotate` matches it by,
and each topic's title, path and essence. One builder serves the browser extension (which
carries it as `terms.js`) and the site's static JSON API (`api/terms.json`), so a page marked in
the browser and a text annotated in the terminal find the same terms.

Schema (`schemas/terms.schema.json`): `version`; `site` (the base URL of the topic pages, or "");
`topics` (id -> [title, path of titles from the root joined by " › ", essence]); `keys`,
`proper`, `exact` (name key or written form -> ids, first the best); `prefixes` (joined keys that
begin a longer name); `weak` (acronyms that need a stronger mention nearby, see
`query.annotate.find`); and the word
normalisation data (`spelling`, `keep_s`) the JavaScript port of `kb.names.name_key` needs.
"""

from __future__ import annotations

from typing import Any

from fomo.kb import names as kb_names
from fomo.model import KnowledgeBase
from fomo.query.annotate import (
    ORDINARY_ZIPF,
    SHORT,
    SUPPORT,
    build_index,
    is_weak,
)
from fomo.site.links import script_json

VERSION = 1
PATH_SEPARATOR = " › "


def term_index(kb: KnowledgeBase, site: str = "") -> dict[str, Any]:
    """The index as plain data (JSON-ready)."""
    index = build_index(kb)
    used: set[str] = set()
    for table in (index.keys, index.proper, index.exact):
        for ids in table.values():
            used.update(ids)
    topics = {}
    for topic in kb.walk():
        if topic.id in used:
            path = PATH_SEPARATOR.join(t.title for t in kb.path(topic.id))
            topics[topic.id] = [topic.title, path, topic.essence]
    return {
        "version": VERSION,
        "site": site,
        "rules": {"ordinary_zipf": ORDINARY_ZIPF, "short": SHORT, "support": SUPPORT},
        "topics": topics,
        "keys": index.keys,
        "proper": index.proper,
        "exact": index.exact,
        "prefixes": sorted(index.prefixes),
        "weak": sorted(name for name in index.exact if is_weak(name)),
        "spelling": kb_names.SPELLING,
        "keep_s": sorted(kb_names.KEEP_S),
    }


def term_index_json(kb: KnowledgeBase, site: str = "") -> str:
    """Compact JSON, safe to embed in a script (no `</script>`, no U+2028/2029 surprises)."""
    return script_json(term_index(kb, site))
