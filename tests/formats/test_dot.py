from __future__ import annotations

from fomo.formats import dot
from tests.formats.helpers import small_tree


def test_tree_edges_and_dashed_relations() -> None:
    text = dot.write(small_tree())
    assert text.startswith("digraph fomo {") and text.rstrip().endswith("}")
    assert '  "prefs" -> "dpo";' in text
    assert '"dpo" -> "rlhf" [style=dashed, constraint=false, label="builds on"];' in text
    assert 'label="Quotes \\"q\\" & <tags> \'s"' in text


def test_backslashes_cannot_break_out_of_a_label() -> None:
    assert dot.quote('a\\" b') == '"a\\\\\\" b"'
