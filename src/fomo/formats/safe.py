"""Reading untrusted files: bounded size and nesting, bounded zip members, XML without entity
expansion.

Mind-map files come from anywhere; a zip bomb, a "billion laughs" XML, a map nested thousands of
levels deep or `/dev/zero` must end in a clear `FomoError`, not in a crash or a machine out of
memory. Sizes are checked from the zip directory before a byte is inflated, and again while
reading (a directory can lie); files are read only when regular, and never past the limit.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

from fomo.errors import FomoError

MAX_MEMBER = 64 * 1024 * 1024  # one XML or JSON member of a map; real maps are a few MB at most
MAX_RATIO = 200  # deflate reaches ~10x on XML; hundreds more means a bomb
# Levels below the root. Every level becomes a folder on import, and a path of 100 folders is
# already near the file system's 4,096-byte limit; people read maps a dozen levels deep.
MAX_DEPTH = 100


def too_deep(file: str, line: int | None = None) -> FomoError:
    """The one error for a map nested past MAX_DEPTH, raised by every reader while it walks."""
    return FomoError(
        f"map is nested more than {MAX_DEPTH} levels deep, the limit",
        file=file,
        line=line,
        hint=f"flatten the map to at most {MAX_DEPTH} levels below its root in its tool "
        "(each level becomes a folder on import)",
        code="too-deep",
    )


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Devices, FIFOs and folders are
    refused before a byte is read (`/dev/zero` reports size 0 and never ends; a FIFO is opened
    without waiting for a writer), and the read stops at
    `limit + 1` in case the file grows after the check."""
    try:
        with open(path, "rb", opener=_open_nonblocking) as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise FomoError(
                    "not a regular file (a device, FIFO or folder), so it cannot be a mind map",
                    file=str(path),
                    hint="pass the path of a saved map file",
                    code="not-a-file",
                )
            if info.st_size > limit:
                raise _too_large(path, info.st_size, limit)
            data = stream.read(limit + 1)
    except OSError as error:
        raise FomoError(
            f"cannot read the file: {error.strerror}",
            file=str(path),
            hint="check the path and that you may read it",
            code="unreadable",
        ) from None
    if len(data) > limit:
        raise _too_large(path, len(data), limit)
    return data


def _open_nonblocking(name: str, flags: int) -> int:
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever, before fstat
    return os.open(name, flags | getattr(os, "O_NONBLOCK", 0))


def _too_large(path: Path, size: int, limit: int) -> FomoError:
    return FomoError(
        f"file is {size:,} bytes or more, past the limit of {limit:,} for a mind map",
        file=str(path),
        hint="real maps are a few megabytes; check it is the file you meant, or split the map",
        code="too-large",
    )


def open_zip(data: bytes, file: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FomoError(
            f"not a readable zip archive ({error})",
            file=file,
            hint="XMind files are zip archives; re-save the map from XMind",
            code="bad-zip",
        ) from None


def read_member(archive: zipfile.ZipFile, name: str, file: str) -> bytes | None:
    """The bytes of one member, or None when absent; refuses members that inflate too far."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    limit = min(MAX_MEMBER, max(info.compress_size, 1) * MAX_RATIO + 1024 * 1024)
    if info.file_size > limit:
        raise _bomb(name, info.file_size, file)
    try:
        with archive.open(info) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise FomoError(
            f"zip member {name} is damaged ({error})",
            file=file,
            hint="re-save the map from its tool",
            code="bad-zip",
        ) from None
    if len(data) > limit:
        raise _bomb(name, len(data), file)
    return data


def _bomb(name: str, size: int, file: str) -> FomoError:
    return FomoError(
        f"zip member {name} expands to {size} bytes, past the safe limit",
        file=file,
        hint="this is not a normal mind map (a zip bomb?); open it in its tool and re-save",
        code="zip-bomb",
    )


def parse_xml(data: bytes, file: str) -> Any:
    """An ElementTree root, refusing DTD entities (billion laughs) and external references."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data)
    except DefusedXmlException as error:
        raise FomoError(
            f"XML uses entities or a DTD, which FOMO refuses to expand ({type(error).__name__})",
            file=file,
            hint="mind-map tools never write entity declarations; re-save the file from its tool",
            code="xml-entities",
        ) from None
    except ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else None
        raise FomoError(
            f"not well-formed XML: {error}",
            file=file,
            line=line,
            hint="the file is damaged or not of this kind",
            code="bad-xml",
        ) from None


def decode_text(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FomoError(
            "file is not UTF-8 text",
            file=file,
            line=data[: error.start].count(b"\n") + 1,
            hint="re-save the file as UTF-8, or check it is the kind of file you meant",
            code="not-utf8",
        ) from None


# The characters XML 1.0 cannot hold: control characters but tab and newlines, U+FFFE, U+FFFF
# and lone surrogates. One regex scans in C; a loop over the characters in Python was
# two-thirds of the time of writing a 10,000-node OPML file.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold removed (control characters, lone
    surrogates): an exported file must always parse, whatever a topic contains."""
    return _XML_BAD.sub("", text)
