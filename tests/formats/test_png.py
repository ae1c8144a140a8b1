import struct

import pytest

from fomo.errors import FomoError
from fomo.formats import png
from fomo.formats.tree import Node


def test_png_is_the_svg_picture_rasterised() -> None:
    pytest.importorskip("cairosvg")
    tree = Node("Training <LLMs>", children=[Node("Fine-tuning"), Node("Pretraining & data")])
    data = png.write(tree)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 300 and height > 100


def test_missing_cairo_is_a_clear_error(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == "cairosvg":
            raise OSError("no library called cairo was found")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    with pytest.raises(FomoError, match="CairoSVG"):
        png.write(Node("Root"))
