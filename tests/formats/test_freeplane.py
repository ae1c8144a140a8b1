from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from fomo.errors import FomoError
from fomo.formats import freeplane
from tests.formats.helpers import BILLION_LAUGHS, TRICKY, small_tree


def test_export_is_well_formed_with_required_attributes() -> None:
    text = freeplane.write(small_tree())
    top = ET.fromstring(text)
    assert top.tag == "map" and top.get("version")
    nodes = top.iter("node")
    for node in nodes:
        assert node.get("TEXT") and node.get("ID")
    dpo = next(n for n in top.iter("node") if n.get("ID") == "dpo")
    assert dpo.get("LINK") == "https://arxiv.org/abs/2305.18290"
    assert {(a.get("NAME"), a.get("VALUE")) for a in dpo.findall("attribute")} == {
        ("alias", "DPO"),
        ("year", "2023"),
    }
    assert dpo.find("arrowlink").get("DESTINATION") == "rlhf"
    note = "".join(dpo.find("richcontent[@TYPE='NOTE']").itertext())
    assert "Fine-tunes on preference pairs." in note
    assert any(n.get("TEXT") == TRICKY for n in top.iter("node"))


def test_reads_a_freeplane_file_as_freeplane_writes_it() -> None:
    data = b"""<map version="freeplane 1.9.13">
<node TEXT="Root" ID="ID_1723255651" CREATED="1">
<node TEXT="Child" ID="ID_99" LINK="https://example.org" POSITION="right">
<richcontent TYPE="NOTE" CONTENT-TYPE="xml/"><html><head/><body><p>First.</p><p>More</p>
</body></html></richcontent>
<arrowlink DESTINATION="ID_1723255651" ENDARROW="Default"/>
</node>
<node ID="ID_5"><richcontent TYPE="NODE"><html><body><p>Rich <b>title</b></p></body></html>
</richcontent></node>
</node></map>"""
    root = freeplane.read(data, "x.mm")
    assert root.title == "Root" and root.id == "1723255651"
    child, rich = root.children
    assert child.essence == "First." and child.note == "More"
    assert child.relations == [("related", "1723255651")]
    assert rich.title == "Rich title"


def test_entity_expansion_is_refused() -> None:
    with pytest.raises(FomoError) as caught:
        freeplane.read(BILLION_LAUGHS, "lol.mm")
    assert caught.value.code == "xml-entities" and caught.value.file == "lol.mm"


def test_wrong_kind_and_broken_xml() -> None:
    with pytest.raises(FomoError, match="not a Freeplane"):
        freeplane.read(b"<opml/>", "a.mm")
    with pytest.raises(FomoError, match="well-formed") as caught:
        freeplane.read(b"<map><node TEXT='x'>", "b.mm")
    assert caught.value.file == "b.mm"


def test_a_note_of_deeply_nested_paragraphs_reads_each_text_once() -> None:
    """Each nested paragraph's text was read again by every paragraph around it: quadratic text
    (12.5 million characters here), and quadratic time."""
    depth = 5_000
    note = "<p>x" * depth + "</p>" * depth
    data = (
        f'<map version="freeplane 1.9.13"><node TEXT="Root" ID="ID_1">'
        f'<richcontent TYPE="NOTE"><html><body><div>{note}</div><p>Next.</p>'
        f"</body></html></richcontent></node></map>"
    ).encode()
    root = freeplane.read(data, "deep.mm")
    assert root.essence.startswith("x" * 50) and len(root.essence + root.note) < 2 * depth + 50
    assert root.note.endswith("Next.")
