"""Safe edits of the knowledge base: plan a `Change`, show it as a diff, apply it atomically.

The package follows the life of an edit, one module a step:
- `plan`: the edits (`add_topic`, `move_topic`, `add_alias`, ...) validate against a fresh tree
  and return a `Change`; a refused edit raises `FomoError` and touches nothing.
- `render`: front matter written back byte for byte except the changed keys, and new files.
- `lock`: the advisory lock that serialises edits on one knowledge base.
- `apply`: preflight, renames (`git mv` in a work tree), atomic writes, undo on any failure;
  `journal` lets the next command roll back an edit whose process was killed (`recover`);
  `files` holds the atomic write and the rename, `faults` the one message for OS errors.

Typical use (the ingest writer and the importer use `create_topic` + `apply` the same way)::

    with locked(root):
        change = add_topic(root, "preferences", "simpo", title="SimPO", essence="...")
        apply(change)
"""

from __future__ import annotations

from fomo.kb.edit.apply import apply, recover
from fomo.kb.edit.change import Change, FileWrite, merge
from fomo.kb.edit.files import atomic_write, in_git_work_tree
from fomo.kb.edit.lock import LOCK_TIMEOUT, locked
from fomo.kb.edit.plan import (
    add_alias,
    add_topic,
    create_file,
    create_topic,
    edit_topic,
    folder_of,
    move_topic,
    review_topic,
    update_part,
)
from fomo.kb.edit.render import (
    TOPIC_ORDER,
    flow_list,
    flow_map,
    insert_key,
    render_front_matter,
    rewrite_front_matter,
    text_value,
)

__all__ = [
    "LOCK_TIMEOUT",
    "TOPIC_ORDER",
    "Change",
    "FileWrite",
    "add_alias",
    "add_topic",
    "apply",
    "atomic_write",
    "create_file",
    "create_topic",
    "edit_topic",
    "flow_list",
    "flow_map",
    "folder_of",
    "in_git_work_tree",
    "insert_key",
    "locked",
    "merge",
    "move_topic",
    "recover",
    "render_front_matter",
    "review_topic",
    "rewrite_front_matter",
    "text_value",
    "update_part",
]
