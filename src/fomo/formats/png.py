"""PNG: the SVG branch picture rasterised by CairoSVG, for slides and documents that take no SVG.

CairoSVG needs the system cairo library (Debian: libcairo2); when either is missing the export
says so instead of failing with an import error. Cairo refuses surfaces past 32,767 pixels a
side and a huge branch would need gigabytes, so the scale is capped before cairo is called, and
a branch too large to stay legible is refused with a hint to draw less of it.
"""

from __future__ import annotations

import re

from fomo.errors import FomoError
from fomo.formats import svg
from fomo.formats.tree import Node

BINARY = True
SCALE = 2.0  # twice the SVG's size: crisp on a projector
MAX_SIDE = 16_384  # pixels a side; cairo's hard limit is 32,767
MAX_PIXELS = 64_000_000  # about 256 MB of RGBA
MIN_SCALE = 0.5  # below half size the smallest titles (14 px) can no longer be read
_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)" height="([\d.]+)"')
_SMALLER = (
    "draw a smaller branch with --root ID or fewer levels with --depth N, "
    "or export svg, which has no size limit"
)


def fit_scale(width: float, height: float) -> float:
    """The largest scale up to SCALE that keeps the PNG within MAX_SIDE and MAX_PIXELS."""
    width, height = max(width, 1.0), max(height, 1.0)
    by_area = (MAX_PIXELS / (width * height)) ** 0.5
    return min(SCALE, MAX_SIDE / width, MAX_SIDE / height, by_area)


def _too_large(what: str) -> FomoError:
    return FomoError(f"the branch is too large for a PNG: {what}", hint=_SMALLER, code="too-large")


def write(root: Node, layout: str = "right") -> bytes:
    picture = svg.write(root, layout)
    size = _SIZE.search(picture)
    width, height = (float(size.group(1)), float(size.group(2))) if size else (1.0, 1.0)
    scale = fit_scale(width, height)
    if scale < MIN_SCALE:
        raise _too_large(
            f"the picture is {width:.0f} x {height:.0f} px, and a PNG of at most "
            f"{MAX_SIDE} px a side would shrink its text past legibility"
        )
    try:
        import cairosvg
        from cairocffi import CairoError
    except (ImportError, OSError) as error:
        raise FomoError(
            f"PNG export needs CairoSVG and the cairo library: {error}",
            hint="pip install cairosvg, and install libcairo2 (Debian) or cairo (Homebrew); "
            "or export svg",
        ) from None
    try:
        return cairosvg.svg2png(bytestring=picture.encode("utf-8"), scale=scale)
    except (CairoError, MemoryError) as error:
        raise _too_large(f"cairo could not draw it ({error})") from None
