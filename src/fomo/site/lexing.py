"""Pygments' regular-expression lexers, made about four times faster with the same tokens.

Why our own loop: at each position Pygments' `RegexLexer` tries the rules of the current state
in order until one matches, and a state such as Python's `root` has 56, so colouring a
three-line block runs some two thousand regular-expression matches. Most of those rules cannot
match at all because their pattern cannot begin with the character at that position. `accelerate`
gives a lexer a loop that tries, in the same order, only the rules whose pattern can begin with
that character (worked out from the parsed pattern, once per state and character). A rule whose
first character cannot be known (a back-reference, `.`, a negated literal) or that can match the
empty string is always tried, so the first rule that matches, and with it every token, is the one
Pygments would find. A test compares the two over every regular-expression lexer Pygments ships.

Lexers that replace Pygments' loop with their own (`ExtendedRegexLexer`, console lexers) are
returned unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from pygments.lexer import Lexer, RegexLexer
from pygments.token import Error, Whitespace, _TokenType

Rule = tuple[Callable[..., Any], Any, Any]  # Pygments' compiled rule: match, action, new state
# What a consuming element can begin with: ("literal", code point) or ("set", the parsed
# items of a character class), and whether it ignores case.
Start = tuple[str, Any, bool]
_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


class _AnyStart(Exception):
    """The pattern may begin with any character (or one we do not analyse)."""


def _starts(items: Sequence[tuple[Any, Any]], ignore_case: bool) -> tuple[list[Start], bool]:
    """What the parsed sequence `items` can begin with, and whether it can match nothing."""
    starts: list[Start] = []
    for op, arg in items:
        if op in _ZERO_WIDTH:
            continue  # anchors and lookarounds only narrow what matches: passing them is safe
        if op is sre.LITERAL:
            return [*starts, ("literal", arg, ignore_case)], False
        if op is sre.IN:
            return [*starts, ("set", tuple(arg), ignore_case)], False
        if op is sre.SUBPATTERN:
            _group, add, remove, inner = arg
            inner_case = (ignore_case or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            found, empty = _starts(inner, inner_case)
        elif op is sre.ATOMIC_GROUP:
            found, empty = _starts(arg, ignore_case)
        elif op is sre.BRANCH:
            found, empty = [], False
            for branch in arg[1]:
                branch_starts, branch_empty = _starts(branch, ignore_case)
                found += branch_starts
                empty = empty or branch_empty
        elif op in _REPEATS:
            least, most, inner = arg
            if most == 0:
                continue
            found, empty = _starts(inner, ignore_case)
            empty = empty or least == 0
        else:  # any character, a negated literal, a back-reference
            raise _AnyStart
        starts += found
        if not empty:
            return starts, False
    return starts, True


@lru_cache(maxsize=4096)
def _in_category(category: Any, char: str, ascii_only: bool) -> bool:
    escape = _CATEGORIES.get(category)
    return escape is None or re.match(escape, char, re.ASCII if ascii_only else 0) is not None


def _in_set(items: tuple[tuple[Any, Any], ...], char: str, ascii_only: bool) -> bool:
    negated, hit = False, False
    for op, arg in items:
        if op is sre.NEGATE:
            negated = True
        elif op is sre.LITERAL:
            hit = hit or ord(char) == arg
        elif op is sre.RANGE:
            hit = hit or arg[0] <= ord(char) <= arg[1]
        elif op is sre.CATEGORY:
            hit = hit or _in_category(arg, char, ascii_only)
        else:
            return True
    return hit != negated


def _non_ascii(start: Start) -> bool:
    kind, arg, _ = start
    if kind == "literal":
        return arg >= 128
    return any(
        (op is sre.LITERAL and value >= 128) or (op is sre.RANGE and value[1] >= 128)
        for op, value in arg
    )


def _may_begin(start: Start, char: str, ascii_only: bool) -> bool:
    kind, arg, ignore_case = start
    if ignore_case and (not char.isascii() or _non_ascii(start)):
        return True  # Unicode case folding (the Kelvin sign is a "k"): not worth deciding
    for variant in {char, char.lower(), char.upper()} if ignore_case else (char,):
        if ord(variant) == arg if kind == "literal" else _in_set(arg, variant, ascii_only):
            return True
    return False


class _State:
    """One lexer state's rules, and per next character the rules that could match there."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.starts: list[tuple[list[Start], bool] | None] = []  # None: always tried
        for match, _action, _new_state in rules:
            pattern = match.__self__
            parsed = sre_parse.parse(pattern.pattern, pattern.flags)
            flags = parsed.state.flags
            try:
                starts, empty = _starts(list(parsed), bool(flags & re.IGNORECASE))
            except _AnyStart:
                self.starts.append(None)
                continue
            self.starts.append(None if empty else (starts, bool(flags & re.ASCII)))
        self.at_end = [rule for rule, start in zip(rules, self.starts, strict=True) if not start]
        self._by_char: dict[str, list[Rule]] = {}

    def rules_for(self, char: str) -> list[Rule]:
        try:
            return self._by_char[char]
        except KeyError:
            chosen = [
                rule
                for rule, start in zip(self.rules, self.starts, strict=True)
                if start is None or any(_may_begin(s, char, start[1]) for s in start[0])
            ]
            self._by_char[char] = chosen
            return chosen


def accelerate(lexer: Lexer) -> Lexer:
    """`lexer`, lexing with `_State`'s narrowed rules when it uses Pygments' own loop."""
    if type(lexer).get_tokens_unprocessed is not RegexLexer.get_tokens_unprocessed:
        return lexer
    states = {name: _State(rules) for name, rules in lexer._tokens.items()}  # type: ignore[attr-defined]

    def get_tokens_unprocessed(
        text: str, stack: Sequence[str] = ("root",)
    ) -> Iterator[tuple[int, Any, str]]:
        # Pygments' `RegexLexer.get_tokens_unprocessed`, reading `rules_for` the next character.
        pos, end = 0, len(text)
        statestack = list(stack)
        state = states[statestack[-1]]
        while True:
            for match, action, new_state in (
                state.rules_for(text[pos]) if pos < end else state.at_end
            ):
                found = match(text, pos)
                if not found:
                    continue
                if action is not None:
                    if type(action) is _TokenType:
                        yield pos, action, found.group()
                    else:
                        yield from action(lexer, found)
                pos = found.end()
                if new_state is not None:
                    _transition(statestack, new_state)
                    state = states[statestack[-1]]
                break
            else:
                if pos >= end:
                    break
                if text[pos] == "\n":
                    statestack = ["root"]
                    state = states["root"]
                    yield pos, Whitespace, "\n"
                else:
                    yield pos, Error, text[pos]
                pos += 1

    lexer.get_tokens_unprocessed = get_tokens_unprocessed  # type: ignore[method-assign]
    return lexer


def _transition(statestack: list[str], new_state: Any) -> None:
    """Pygments' state change after a rule matched, on `statestack` in place."""
    if isinstance(new_state, tuple):
        for state in new_state:
            if state == "#pop":
                if len(statestack) > 1:
                    statestack.pop()
            elif state == "#push":
                statestack.append(statestack[-1])
            else:
                statestack.append(state)
    elif isinstance(new_state, int):
        if abs(new_state) >= len(statestack):
            del statestack[1:]
        else:
            del statestack[new_state:]
    elif new_state == "#push":
        statestack.append(statestack[-1])
    else:
        raise ValueError(f"unknown state change {new_state!r}")
