from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from fomo.errors import FomoError
from fomo.formats import opml
from tests.formats.helpers import BILLION_LAUGHS, TRICKY, small_tree


def test_export_is_opml_2_with_text_on_every_outline() -> None:
    top = ET.fromstring(opml.write(small_tree()).encode())
    assert top.tag == "opml" and top.get("version") == "2.0"
    assert top.find("head/title").text
    outlines = list(top.iter("outline"))
    assert len(outlines) == 5 and all(o.get("text") for o in outlines)
    dpo = next(o for o in outlines if o.get("text").startswith("Direct"))
    assert dpo.get("text") == "Direct Preference Optimization (DPO)"
    assert dpo.get("url") == "https://arxiv.org/abs/2305.18290"
    assert dpo.get("_note").startswith("Fine-tunes on preference pairs.")
    assert any(o.get("text") == TRICKY for o in outlines)


def test_reads_several_top_outlines_under_the_document_title() -> None:
    data = b"""<?xml version="1.0"?><opml version="2.0"><head><title>Reading</title></head>
<body><outline text="One"/><outline text="Two" _note="A note."><outline text="Three"/>
</outline></body></opml>"""
    root = opml.read(data, "r.opml")
    assert root.title == "Reading"
    assert [c.title for c in root.children] == ["One", "Two"]
    assert root.children[1].essence == "A note."
    assert root.children[1].children[0].title == "Three"


def test_bad_opml_is_refused() -> None:
    with pytest.raises(FomoError, match="not an OPML"):
        opml.read(b"<opml><body/></opml>", "e.opml")
    with pytest.raises(FomoError):
        opml.read(BILLION_LAUGHS.replace(b"map", b"opml"), "lol.opml")


def test_links_follow_the_one_web_url_rule() -> None:
    data = (
        b'<opml version="2.0"><body><outline text="Root" url="HTTPS://Example.org/a">'
        b'<outline text="Bad" url="https:// no host"/><outline text="Js" url="javascript:x"/>'
        b"</outline></body></opml>"
    )
    root = opml.read(data, "m.opml")
    assert [link.url for link in root.links] == ["HTTPS://Example.org/a"]
    assert [c.links for c in root.children] == [[], []]
