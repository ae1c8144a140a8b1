"""The accelerated lexers give exactly Pygments' tokens, while trying fewer rules."""

from __future__ import annotations

import random
import re

import pytest
from pygments.lexer import RegexLexer
from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.util import ClassNotFound

from fomo.site.lexing import _State, accelerate

SAMPLES = [
    'def f(x, *a, **k):\n    """Doc."""\n    return f"{x!r:>3}" + r\'\\d\' if x else 0x1F\n',
    "function f(x) { return x*2 // c\n}\n/* c */ var s = `t${x}`; let r = /a+b/gi;\n",
    '#include <stdio.h>\nint main(void){printf("%d\\n", 1); return 0;}\n',
    '{"a": [1, 2.5e3, true, null], "b": {"c": "d"}}\n',
    "key: value\nlist:\n  - a\n  - 'b'\n# comment\n",
    'echo $HOME && ls -la | grep "x" # hi\nfor i in 1 2; do echo "$i"; done\n',
    "SELECT * FROM t WHERE a = 'x' AND b > 3 -- c\n;",
    '<html><body class="x">&amp;<!-- c --><script>var a=1;</script></body></html>',
    "ÄÖÜ ſ K ǅ İ ı \u00a0\x1c\x85 ½ ٣ 𝟘 \u212a",  # case folding and Unicode classes
    "",
]
_CHARS = "abcXYZ019 \t\n()[]{}<>\"'`#/*-+=_.,;:!?@$%^&|\\~ÄſKİı\u00a0½٣"
_RNG = random.Random(7)
SAMPLES += ["".join(_RNG.choice(_CHARS) for _ in range(300)) for _ in range(3)]


def _regex_lexer_aliases() -> list[str]:
    aliases = []
    for _name, names, _files, _types in get_all_lexers():
        if not names:
            continue
        try:
            lexer = get_lexer_by_name(names[0])
        except ClassNotFound:
            continue
        if type(lexer).get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed:
            aliases.append(names[0])
    return aliases


def _tokens(lexer: object, text: str) -> list[tuple[object, str]] | str:
    try:
        return list(lexer.get_tokens(text))  # type: ignore[attr-defined]
    except Exception as error:  # a lexer that fails must fail the same way
        return repr(error)


def test_every_regex_lexer_gives_pygments_tokens() -> None:
    aliases = _regex_lexer_aliases()
    assert len(aliases) > 300  # Pygments ships hundreds: the comparison covers them all
    differ = []
    for alias in aliases:
        plain, fast = get_lexer_by_name(alias), accelerate(get_lexer_by_name(alias))
        differ += [
            (alias, sample[:20])
            for sample in SAMPLES
            if _tokens(plain, sample) != _tokens(fast, sample)
        ]
    assert differ == []


def test_only_rules_that_can_begin_with_the_character_are_tried() -> None:
    lexer = get_lexer_by_name("python")
    root = _State(lexer._tokens["root"])  # type: ignore[attr-defined]
    assert len(root.rules_for("d")) < len(root.rules) / 2
    assert len(root.rules_for("(")) < len(root.rules_for("d"))
    # a rule that can match nothing is tried at the end of the text
    assert all(rule in root.rules for rule in root.at_end)


def test_an_ignore_case_rule_is_tried_for_either_case() -> None:
    state = _State([(re.compile("select", re.IGNORECASE).match, None, None)])
    assert state.rules_for("S") and state.rules_for("s")
    assert not state.rules_for("x")


@pytest.mark.parametrize("alias", ["pycon", "console"])
def test_a_lexer_with_its_own_loop_is_left_as_it_is(alias: str) -> None:
    lexer = get_lexer_by_name(alias)
    accelerate(lexer)
    assert "get_tokens_unprocessed" not in vars(lexer)  # its own loop, not ours
