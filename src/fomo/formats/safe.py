"""Reading untrusted files: bounded zip members and XML without entity expansion.

Mind-map files come from anywhere; a zip bomb or a "billion laughs" XML must end in a clear
`FomoError`, not in a machine out of memory. Sizes are checked from the zip directory before a
byte is inflated, and again while reading (a directory can lie).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from fomo.errors import FomoError

MAX_MEMBER = 64 * 1024 * 1024  # one XML or JSON member of a map; real maps are a few MB at most
MAX_RATIO = 200  # deflate reaches ~10x on XML; hundreds more means a bomb


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


_XML_BAD = {c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {0xFFFE, 0xFFFF}
_XML_TABLE = dict.fromkeys(_XML_BAD)


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold removed (control characters, lone
    surrogates): an exported file must always parse, whatever a topic contains."""
    cleaned = text.translate(_XML_TABLE)
    if any("\ud800" <= ch <= "\udfff" for ch in cleaned):
        cleaned = "".join(ch for ch in cleaned if not "\ud800" <= ch <= "\udfff")
    return cleaned
