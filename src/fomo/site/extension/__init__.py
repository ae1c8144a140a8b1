"""The browser extension (Manifest V3, Chromium and Firefox): its sources live beside this
module; `write_extension` copies them with a manifest and the map's term index (`terms.js`), so a
team's own map travels in its own extension, and zips the folder for the stores.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fomo import __version__
from fomo.errors import FomoError
from fomo.model import KnowledgeBase
from fomo.site.terms import term_index_json

HERE = Path(__file__).resolve().parent
SOURCES = ("content.js", "card.css", "popup.html", "popup.js")
MARKER = "fomo_terms"  # a key in the manifest: this folder is ours to overwrite
GECKO_ID = "fomo-terms@fomo.invalid"


@dataclass
class Written:
    folder: Path
    archive: Path
    files: list[str]
    index_bytes: int


def manifest(name: str, description: str) -> dict[str, object]:
    numbers = re.findall(r"\d+", __version__)[:4] or ["0"]
    return {
        "manifest_version": 3,
        "name": name[:75],
        "short_name": "FOMO terms",
        "version": ".".join(str(int(n)) for n in numbers),
        "description": description[:132],
        "permissions": ["storage", "activeTab"],
        "action": {"default_title": "FOMO terms", "default_popup": "popup.html"},
        "content_scripts": [
            {
                "matches": ["http://*/*", "https://*/*"],
                "js": ["terms.js", "content.js"],
                "css": ["card.css"],
                "run_at": "document_idle",
            }
        ],
        "browser_specific_settings": {"gecko": {"id": GECKO_ID, "strict_min_version": "121.0"}},
        MARKER: True,
    }


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise FomoError(f"{out} is a file", hint="give --out a folder (new or one FOMO wrote)")
    if out.is_dir() and any(out.iterdir()):
        try:
            ours = json.loads((out / "manifest.json").read_text(encoding="utf-8")).get(MARKER)
        except (OSError, ValueError, AttributeError):
            ours = False
        if not ours:
            raise FomoError(
                f"{out} is not empty and holds no extension FOMO wrote; refusing to overwrite it",
                hint="choose a new or empty folder with --out",
            )


def write_extension(
    kb: KnowledgeBase, out: Path, *, name: str, description: str, site: str
) -> Written:
    """Write the unpacked extension into `out` and `out` + '.zip' beside it."""
    _check_out(out)
    out.mkdir(parents=True, exist_ok=True)
    index = term_index_json(kb, site)
    files = {
        "manifest.json": json.dumps(manifest(name, description), indent=2, ensure_ascii=False),
        "terms.js": f"globalThis.FOMO_TERMS = {index};\n",
    }
    for source in SOURCES:
        files[source] = (HERE / source).read_text(encoding="utf-8")
    for file_name, text in files.items():
        (out / file_name).write_text(text, encoding="utf-8")
    archive = out.with_name(out.name + ".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for file_name in sorted(files):
            bundle.write(out / file_name, file_name)
    return Written(out, archive, sorted(files), len(index.encode("utf-8")))
