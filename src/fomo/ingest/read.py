"""SOURCE -> Batch: fetch or read it, decode it, sniff its kind and hand it to that reader."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fomo.errors import FomoError
from fomo.ingest.bibtex import looks_like_bibtex, read_bibtex
from fomo.ingest.feeds import looks_like_json_feed, read_feed
from fomo.ingest.fetch import SIZE_LIMIT, fetch, is_url
from fomo.ingest.items import Batch
from fomo.ingest.text import read_text

KINDS = ("auto", "feed", "bibtex", "text")
# NUL and the other C0 control bytes, and DEL; tab, line feed, carriage return and form feed
# are ordinary in text files.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def load_source(
    source: str, *, timeout: float = 20.0, limit: int | None = None
) -> tuple[bytes, list[str]]:
    """The raw bytes of a file, '-' (standard input) or an http(s) URL, and notices about them.

    Files and URLs over the size limit are refused (they can be cut down by hand); standard
    input cannot be re-read, so it is cut at the last whole line within the limit, with a note."""
    limit = SIZE_LIMIT if limit is None else limit
    if is_url(source):
        return fetch(source, timeout=timeout, limit=limit), []
    if source == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) <= limit:
            return data, []
        end = data.rfind(b"\n", 0, limit) + 1
        data = data[: end or limit]
        return data, [
            f"standard input is over the size limit of {limit:,} bytes; only the first "
            f"{len(data):,} bytes were read"
        ]
    path = Path(source)
    if not path.is_file():
        raise FomoError(
            f"{source!r} is not a file or an http(s) URL",
            hint="pass a feed, BibTeX or text file, '-' for standard input, or a URL",
        )
    too_large = FomoError(
        f"{source} is over the size limit of {limit:,} bytes",
        file=source,
        hint="split it, or keep only the entries you want to triage",
    )
    try:
        if path.stat().st_size > limit:
            raise too_large
        with path.open("rb") as stream:
            data = stream.read(limit + 1)  # the file may have grown since the check
    except OSError as error:
        raise FomoError(
            f"cannot read {source}: {error.strerror}",
            file=source,
            hint="check the path and that you may read it",
        ) from None
    if len(data) > limit:
        raise too_large
    return data, []


def refuse_binary(data: bytes, name: str, notices: list[str] | None = None) -> bytes:
    """Binary or random bytes are no feed, BibTeX or list: decoding them anyway (cp1252 takes
    any byte) would triage garbage as dozens of "new" items. Text never holds NUL or the other
    control bytes (tab, line ends and form feed aside).

    One exception: a feed from the web (XML) with a stray control byte but no NUL is still
    read, without those bytes and with a notice, since its owner cannot be asked to fix it."""
    found = _CONTROL.search(data)
    if found is None:
        return data
    if notices is not None and b"\x00" not in data and _looks_like_xml(data):
        cleaned = _CONTROL.sub(b"", data)
        notices.append(f"{name}: dropped {len(data) - len(cleaned)} control byte(s)")
        return cleaned
    line = data.count(b"\n", 0, found.start()) + 1
    raise FomoError(
        f"not a feed, BibTeX or list: it holds the control byte 0x{found.group()[0]:02x}, "
        "which text never does (binary data?)",
        file=name,
        line=line,
        hint="pass an RSS/Atom feed, a BibTeX file or a plain text list of titles or URLs",
    )


def utf16_to_utf8(data: bytes) -> bytes:
    """A UTF-16 text (as Windows editors save "Unicode") with its byte order mark, as UTF-8;
    other data unchanged."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return data
    return data


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _looks_like_xml(data: bytes) -> bool:
    return data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def sniff(data: bytes) -> str:
    if _looks_like_xml(data) or looks_like_json_feed(data):
        return "feed"
    if looks_like_bibtex(decode(data[:200_000])):
        return "bibtex"
    return "text"


def read(source: str, *, kind: str = "auto", timeout: float = 20.0) -> Batch:
    """Every item of SOURCE; entries that cannot be read are listed in `problems`."""
    if kind not in KINDS:
        raise FomoError(f"unknown source kind {kind!r}", hint="one of " + ", ".join(KINDS))
    data, notices = load_source(source, timeout=timeout)
    name = "<stdin>" if source == "-" else source
    data = utf16_to_utf8(data)
    if not data.strip():
        raise FomoError(f"{name} is empty", hint="pass a feed, BibTeX file or list of titles")
    data = refuse_binary(data, name, notices)
    chosen = sniff(data) if kind == "auto" else kind
    if chosen == "feed":
        batch = read_feed(data, name)
    elif chosen == "bibtex":
        batch = read_bibtex(decode(data), name)
    else:
        batch = read_text(decode(data), name)
    batch.notices[:0] = notices
    return batch
