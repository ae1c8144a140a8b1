"""The one rule for links written in the knowledge base: absolute http(s) only.

`check` refuses anything else, importers and feed readers keep only such links, and the site
renders only such links; one function so that the rule cannot drift between them.
"""

from __future__ import annotations

import re

_WEB = re.compile(r"^https?://[^\s/?#\\]+[^\s\\]*$", re.IGNORECASE)


def is_web_url(url: object) -> bool:
    """An absolute http or https URL with a host and no spaces or control characters."""
    return (
        isinstance(url, str)
        and bool(_WEB.match(url.strip()))
        and not any(ord(ch) < 32 for ch in url)
    )
