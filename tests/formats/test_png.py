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


def _wide(children: int) -> Node:
    return Node("Root", children=[Node(f"Child {i}") for i in range(children)])


def test_a_tall_picture_is_scaled_to_fit_cairo() -> None:
    pytest.importorskip("cairosvg")
    data = png.write(_wide(420))  # ~16,400 px tall: at SCALE 2 past cairo's 32,767 px limit
    width, height = struct.unpack(">II", data[16:24])
    assert height <= png.MAX_SIDE and width * height <= png.MAX_PIXELS
    assert height > png.MAX_SIDE * 0.9  # shrunk only as far as needed


def test_a_branch_too_wide_to_read_is_refused_with_a_hint() -> None:
    with pytest.raises(FomoError) as caught:
        png.write(_wide(3000))
    assert "too large for a PNG" in caught.value.message
    assert all(word in caught.value.hint for word in ("--root", "--depth", "svg"))


def test_fit_scale_keeps_small_pictures_at_full_scale() -> None:
    assert png.fit_scale(800, 600) == png.SCALE
    assert png.fit_scale(100, 40_000) == png.MAX_SIDE / 40_000
    assert png.fit_scale(12_000, 12_000) * 12_000 <= png.MAX_PIXELS**0.5
