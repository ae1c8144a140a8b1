"""PNG: the SVG branch picture rasterised by CairoSVG, for slides and documents that take no SVG.

CairoSVG needs the system cairo library (Debian: libcairo2); when either is missing the export
says so instead of failing with an import error.
"""

from __future__ import annotations

from fomo.errors import FomoError
from fomo.formats import svg
from fomo.formats.tree import Node

BINARY = True
SCALE = 2.0  # twice the SVG's size: crisp on a projector


def write(root: Node, layout: str = "right") -> bytes:
    picture = svg.write(root, layout)
    try:
        import cairosvg
    except (ImportError, OSError) as error:
        raise FomoError(
            f"PNG export needs CairoSVG and the cairo library: {error}",
            hint="pip install cairosvg, and install libcairo2 (Debian) or cairo (Homebrew); "
            "or export svg",
        ) from None
    return cairosvg.svg2png(bytestring=picture.encode("utf-8"), scale=SCALE)
