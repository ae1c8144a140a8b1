"""The files every site carries unchanged: our CSS and scripts, the bundled Mermaid when it is
installed, and the code highlighting styles."""

from __future__ import annotations

from pathlib import Path

from fomo.site.highlight import pygments_css
from fomo.site.write import put

ASSETS = Path(__file__).resolve().parent / "assets"
VENDOR = ASSETS / "vendor"


def mermaid_js() -> Path | None:
    """The bundled Mermaid, which `npm ci` copies into the package; None when it is missing
    (e.g. `pip install .` from a checkout without `npm ci`)."""
    path = VENDOR / "mermaid.min.js"
    return path if path.is_file() else None


def mermaid_warning(pages: set[str]) -> str:
    example = min(pages)
    more = f" and {len(pages) - 1} more" if len(pages) > 1 else ""
    return (
        f"Mermaid is not installed (no {VENDOR / 'mermaid.min.js'}), so the diagrams on "
        f"{example}{more} show as their source text; in a source checkout run `npm ci` (it "
        "copies Mermaid into the package), then build again"
    )


def copy_assets(root: Path) -> None:
    """Copy the assets into `root`/assets, each file replaced in one step."""
    target = root / "assets"
    target.mkdir(exist_ok=True)
    for source in ASSETS.iterdir():
        if source.is_file():
            put(target / source.name, source.read_bytes())
    mermaid = mermaid_js()
    if mermaid is not None:
        (target / "vendor").mkdir(exist_ok=True)
        put(target / "vendor" / "mermaid.min.js", mermaid.read_bytes())
    put(target / "pygments.css", pygments_css().encode("utf-8"))
