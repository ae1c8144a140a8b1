"""Months written as "YYYY-MM" (a topic's `released`): the one test of what counts as one."""

from __future__ import annotations

import re

_MONTH = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])")


def is_month(value: str) -> bool:
    """True for "2026-03"; False for "2026-13", "2026-3" or a full date."""
    return _MONTH.fullmatch(value) is not None
