"""The site's settings, read from `site.yml` in the knowledge base, with defaults that let a
fresh knowledge base build without one. Bad values are refused with the file and line, since a
typo in a colour or URL would otherwise surface only as a broken page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fomo.errors import FomoError
from fomo.kb.location import inside
from fomo.kb.validate import Finding
from fomo.site.markdown import web_url

CONFIG_FILE = "site.yml"
# Every setting with its default and a comment; kept equal to SiteConfig() by a test.
EXAMPLE = "FOMO's own knowledge/site.yml, which lists every setting with its default"
# Readable on white and on near-black; one per top-level branch, cycled.
PALETTE = (
    "#2f7ed8",
    "#d9480f",
    "#2b8a3e",
    "#ae3ec9",
    "#c92a2a",
    "#0c8599",
    "#e67700",
    "#5f3dc4",
    "#a61e4d",
    "#5c940d",
    "#1864ab",
    "#862e9c",
)
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# A BCP 47 tag: a 2-3 letter language, then subtags of 1-8 letters or digits. At most 24
# characters (real tags such as sr-Latn-RS or zh-Hans-CN are far shorter): Pagefind 1.x panics
# on a tag of 32 or more, which it uses in its index's file names.
_LANGUAGE = re.compile(r"^(?=.{2,24}$)[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
KNOWN_KEYS = {
    "name",
    "description",
    "base_url",
    "repo_url",
    "edit_url",
    "branch_colours",
    "language",
    "toc_depth",
    "feeds",
}


@dataclass
class SiteConfig:
    name: str = "FOMO: the LLM mind map"
    description: str = "The LLM field as a living mind map: find where any method fits."
    base_url: str = ""  # e.g. https://example.org/fomo/ (absolute links in feed and sitemap)
    repo_url: str = ""  # the repository's home page
    edit_url: str = ""  # prefix joined with a file path relative to the knowledge base
    language: str = "en"
    branch_colours: dict[str, str] = field(default_factory=dict)
    toc_depth: int = 4  # the deepest heading level an article's contents list (MkDocs' toc_depth)
    feeds: list[str] = field(default_factory=list)  # the weekly triage reads these beside arXiv

    def colour_for(self, branch_id: str, position: int) -> str:
        return self.branch_colours.get(branch_id) or PALETTE[position % len(PALETTE)]

    def absolute(self, path: str) -> str:
        """An absolute URL for the feed and sitemap; relative to the site when no base_url."""
        return self.base_url + path if self.base_url else path


def short_repr(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^\s*{re.escape(key)}\s*:", line):
            return number
    return 1


def load_config(kb_root: Path) -> SiteConfig:
    """The site config of the knowledge base at `kb_root`; defaults when there is no file."""
    path = kb_root / CONFIG_FILE
    if not path.is_file():
        return SiteConfig()
    if not inside(kb_root, CONFIG_FILE):
        raise FomoError(
            f"{CONFIG_FILE} is a symbolic link to a file outside the knowledge base: not read",
            file=str(path),
            hint="copy the file into the knowledge base instead of linking to it",
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FomoError(
            f"{CONFIG_FILE} is not UTF-8 text (byte {error.start + 1} cannot be read as UTF-8)",
            file=str(path),
            line=raw[: error.start].count(b"\n") + 1,
            hint="save the file as UTF-8 in your editor (e.g. `iconv -f latin1 -t utf-8`)",
        ) from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise FomoError(
            f"{CONFIG_FILE} is not valid YAML: {getattr(error, 'problem', error)}",
            file=str(path),
            line=mark.line + 1 if mark else None,
            hint=f"check indentation and quoting; see {EXAMPLE}",
        ) from None
    if not isinstance(data, dict):
        raise FomoError(
            f"{CONFIG_FILE} must be a mapping of settings",
            file=str(path),
            line=1,
            hint=f"write e.g. `name: My map` on its own line; see {EXAMPLE}",
        )
    return parse_config(data, text, str(path))


def parse_config(data: dict[str, Any], text: str = "", file: str = CONFIG_FILE) -> SiteConfig:
    config = SiteConfig()

    def fail(key: str, message: str, hint: str) -> FomoError:
        return FomoError(message, file=file, line=_line_of(text, key), hint=hint)

    for key in data:
        if key not in KNOWN_KEYS:
            raise fail(
                str(key),
                f"unknown setting {key!r}",
                "known: " + ", ".join(sorted(KNOWN_KEYS)) + f"; see {EXAMPLE}",
            )
    for key in ("name", "description", "language"):
        if key in data:
            if not isinstance(data[key], str) or not data[key].strip():
                raise fail(key, f"{key} must be a non-empty text", f"e.g. {key}: ...")
            setattr(config, key, data[key].strip())
    if not _LANGUAGE.match(config.language):
        raise fail(
            "language",
            f"language {short_repr(config.language)} is not a language tag",
            "a BCP 47 tag such as en, de, pt-BR or zh-Hans (it goes into <html lang> and "
            "chooses the search index's word rules)",
        )
    for key in ("base_url", "repo_url", "edit_url"):
        value = data.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str) or web_url(value) is None:
            raise fail(key, f"{key} must be an http(s) URL", f"e.g. {key}: https://example.org/")
        if key == "base_url" and not value.endswith("/"):
            value += "/"
        setattr(config, key, value)
    colours = data.get("branch_colours") or {}
    if not isinstance(colours, dict):
        raise fail(
            "branch_colours",
            "branch_colours must map branch ids to colours",
            "e.g. training: '#2f7ed8'",
        )
    for branch, colour in colours.items():
        if not isinstance(colour, str) or not _COLOUR.match(colour):
            raise fail(
                str(branch),
                f"colour of branch {branch!r} must be a hex colour like '#2f7ed8'",
                "quote it: '#2f7ed8' (an unquoted # starts a YAML comment)",
            )
        config.branch_colours[str(branch)] = colour
    depth = data.get("toc_depth", config.toc_depth)
    if isinstance(depth, bool) or not isinstance(depth, int) or not 2 <= depth <= 6:
        raise fail(
            "toc_depth", "toc_depth must be a heading level from 2 to 6", "e.g. toc_depth: 3"
        )
    config.toc_depth = depth
    config.feeds = _feeds(data.get("feeds"), fail)
    if config.repo_url and not config.edit_url:
        config.edit_url = config.repo_url.rstrip("/") + "/edit/main/knowledge/"
    return config


def _feeds(value: Any, fail: Callable[[str, str, str], FomoError]) -> list[str]:
    """`feeds:` a list of http(s) URLs of RSS/Atom/JSON feeds (templates/weekly-triage.yml)."""
    if value is None:
        return []
    hint = "write a list of feed URLs, e.g. feeds: [https://example.org/blog/feed.xml]"
    if not isinstance(value, list):
        raise fail("feeds", "feeds must be a list of http(s) URLs", hint)
    for url in value:
        if not isinstance(url, str) or web_url(url) is None:
            shown = short_repr(url) if isinstance(url, str) else repr(url)
            raise fail("feeds", f"feed {shown} is not an http(s) URL", hint)
    return [url.strip() for url in value]


def config_findings(kb_root: Path) -> list[Finding]:
    """`fomo check`'s view of `site.yml`: its problem as a finding, so that check and build
    agree on what is wrong with it."""
    try:
        load_config(kb_root)
    except FomoError as error:
        return [Finding("site-config", CONFIG_FILE, error.line or 1, error.message, error.hint)]
    return []
