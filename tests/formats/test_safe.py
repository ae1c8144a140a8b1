"""`fomo.formats.safe`: what XML cannot hold is removed, everything else kept."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fomo.formats.safe import xml_safe


def test_xml_safe_removes_exactly_what_xml_cannot_hold() -> None:
    bad = "".join(chr(c) for c in range(0x20) if c not in (9, 10, 13)) + "\ufffe\uffff"
    bad += "\ud800\udbff\udc00\udfff"  # lone surrogates, high and low
    kept = "tab\tnewline\nreturn\r, é, \ue000, \U0001f600, <&>"
    assert xml_safe(bad + kept + bad) == kept


def test_every_character_xml_safe_keeps_parses_in_an_attribute() -> None:
    text = xml_safe("".join(chr(c) for c in range(0x10000)))
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    element = ET.fromstring(f'<a v="{escaped}"/>'.encode("utf-8", "surrogatepass"))
    assert len(element.get("v") or "") == len(text)
