"""A picture of a branch, drawn like the hand-made branch images: the root a dark box, each
child of the root starting a branch in its own colour, curved connectors, long titles wrapped.

`layout="right"` puts every branch to the right of the root; `"both"` balances them left and
right by size. Sizes are in pixels at slide scale (22/17/14 px text). Text widths are estimated
(no font metrics without a browser), generously, so boxes never clip their titles.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from html import escape

from fomo.formats.safe import xml_safe
from fomo.formats.tree import Node, display_title

BINARY = False
SUFFIXES = (".svg",)
PALETTE = (
    "#e8590c",
    "#1c7ed6",
    "#2f9e44",
    "#ae3ec9",
    "#f08c00",
    "#0c8599",
    "#d6336c",
    "#5c940d",
    "#4263eb",
    "#c2255c",
)
ROOT_FILL = "#1f2937"
FONT = "Inter, 'Helvetica Neue', Helvetica, Arial, sans-serif"
H_GAP, V_GAP, MARGIN = 56, 14, 32


@dataclass
class _Box:
    node: Node
    depth: int
    lines: list[str]
    size: float
    colour: str
    w: float = 0.0
    h: float = 0.0
    x: float = 0.0  # the side facing the parent
    cy: float = 0.0
    side: int = 1  # +1 right of the root, -1 left
    kids: list[_Box] = field(default_factory=list)
    span: float = 0.0  # height of the whole subtree


def _style(depth: int) -> tuple[float, int]:
    """(font size, characters per line) by depth."""
    if depth == 0:
        return 22.0, 26
    if depth == 1:
        return 17.0, 28
    return 14.0, 34


def _measure(node: Node, depth: int, colour: str) -> _Box:
    size, chars = _style(depth)
    title = " ".join(xml_safe(display_title(node)).split()) or " "
    lines = textwrap.wrap(title, chars, break_long_words=True, break_on_hyphens=False) or [" "]
    box = _Box(node, depth, lines, size, colour)
    longest = max(len(line) for line in lines)
    pad_x, pad_y = (18, 12) if depth < 2 else (12, 7)
    box.w = longest * size * 0.58 + 2 * pad_x
    box.h = len(lines) * size * 1.3 + 2 * pad_y
    return box


def _build(root: Node, layout: str) -> _Box:
    top = _measure(root, 0, ROOT_FILL)
    for index, child in enumerate(root.children):
        colour = PALETTE[index % len(PALETTE)]
        branch = _measure(child, 1, colour)
        top.kids.append(branch)
        stack = [(branch, child)]
        while stack:
            box, node = stack.pop()
            for grandchild in node.children:
                sub = _measure(grandchild, box.depth + 1, colour)
                box.kids.append(sub)
                stack.append((sub, grandchild))
    for branch in top.kids:
        _span(branch)
    if layout == "both" and len(top.kids) > 1:
        total = sum(b.span for b in top.kids)
        running = 0.0
        for branch in top.kids:  # first half (by size) right, the rest left, like XMind
            branch.side = 1 if running < total / 2 else -1
            running += branch.span + V_GAP
    return top


def _span(box: _Box) -> float:
    stack, order = [box], []
    while stack:
        current = stack.pop()
        order.append(current)
        stack.extend(current.kids)
    for current in reversed(order):  # children before parents
        kids = sum(k.span for k in current.kids) + V_GAP * max(len(current.kids) - 1, 0)
        current.span = max(current.h, kids)
    return box.span


def _place(box: _Box, x: float, top: float, side: int) -> None:
    """Lay out a subtree: `x` the edge facing the parent, `top` the upper edge of its band.
    Iterative, like every walk here: a map's depth is bounded only by its file system."""
    stack, order = [(box, x, top)], []
    while stack:
        current, edge, band = stack.pop()
        current.side, current.x = side, edge
        order.append(current)
        if not current.kids:
            current.cy = band + current.span / 2
            continue
        kids = sum(k.span for k in current.kids) + V_GAP * (len(current.kids) - 1)
        y = band + (current.span - kids) / 2
        for kid in current.kids:
            stack.append((kid, edge + side * (current.w + H_GAP), y))
            y += kid.span + V_GAP
    for current in reversed(order):  # children before parents
        if current.kids:
            current.cy = (current.kids[0].cy + current.kids[-1].cy) / 2


def _layout(top: _Box) -> None:
    top.x, top.cy = -top.w / 2, 0.0
    for side in (1, -1):
        group = [b for b in top.kids if b.side == side]
        height = sum(b.span for b in group) + V_GAP * max(len(group) - 1, 0)
        y = -height / 2
        for branch in group:
            _place(branch, side * (top.w / 2 + H_GAP * 1.3), y, side)
            y += branch.span + V_GAP


def _boxes(top: _Box) -> list[_Box]:
    found, stack = [], [top]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(reversed(current.kids))
    return found


def _left(box: _Box) -> float:
    """The box's left edge (x is the edge facing the parent)."""
    return box.x if box.side == 1 or box.depth == 0 else box.x - box.w


def _connector(parent: _Box, child: _Box) -> str:
    if parent.depth == 0:
        x1 = parent.x + parent.w / 2 + child.side * parent.w / 2
    else:
        x1 = _left(parent) + (parent.w if child.side == 1 else 0)
    x2, y1, y2 = child.x, parent.cy, child.cy
    bend = (x2 - x1) * 0.55
    width = 3.2 if parent.depth == 0 else 2.0
    return (
        f'<path d="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} '
        f'{x2:.1f},{y2:.1f}" fill="none" stroke="{child.colour}" stroke-width="{width}" '
        'stroke-linecap="round"/>'
    )


def _shape(box: _Box) -> str:
    x, y = _left(box), box.cy - box.h / 2
    if box.depth == 0:
        fill, stroke, ink, weight, radius = ROOT_FILL, ROOT_FILL, "#ffffff", 700, 10
    elif box.depth == 1:
        fill, stroke, ink, weight, radius = box.colour, box.colour, "#ffffff", 600, 8
    else:
        fill, stroke, ink, weight, radius = "#ffffff", box.colour, "#1f2937", 400, 6
    title = escape(" ".join(xml_safe(display_title(box.node)).split()))
    line_h = box.size * 1.3
    first = box.cy - line_h * (len(box.lines) - 1) / 2
    spans = "".join(
        f'<tspan x="{x + box.w / 2:.1f}" y="{first + i * line_h:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(box.lines)
    )
    return (
        f"<g><title>{title}</title>"
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" '
        f'rx="{radius}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
        f'<text text-anchor="middle" dominant-baseline="central" font-size="{box.size:g}" '
        f'font-weight="{weight}" fill="{ink}">{spans}</text></g>'
    )


def write(root: Node, layout: str = "right") -> str:
    """A standalone SVG file of the branch under `root`."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + picture(root, layout)


def picture(
    root: Node, layout: str = "right", *, label: str | None = None, css_class: str = ""
) -> str:
    """The `<svg>` element alone, for inlining into HTML: `label` is its accessible name
    (default: the root's title), escaped here like every other text."""
    top = _build(root, layout)
    _layout(top)
    boxes = _boxes(top)
    x0 = min(_left(b) for b in boxes) - MARGIN
    x1 = max(_left(b) + b.w for b in boxes) + MARGIN
    y0 = min(b.cy - b.h / 2 for b in boxes) - MARGIN
    y1 = max(b.cy + b.h / 2 for b in boxes) + MARGIN
    width, height = x1 - x0, y1 - y0
    paths = [_connector(parent, kid) for parent in boxes for kid in parent.kids]
    shapes = [_shape(b) for b in boxes]
    title = escape(" ".join(xml_safe(root.title if label is None else label).split()))
    klass = f' class="{escape(css_class)}"' if css_class else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{klass} viewBox="{x0:.1f} {y0:.1f} '
        f'{width:.1f} {height:.1f}" width="{width:.0f}" height="{height:.0f}" '
        f'font-family="{FONT}" role="img" aria-label="{title}">\n'
        f"<title>{title}</title>\n"
        f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{width:.1f}" height="{height:.1f}" '
        'fill="#ffffff"/>\n' + "\n".join(paths) + "\n" + "\n".join(shapes) + "\n</svg>\n"
    )
