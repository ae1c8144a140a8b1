"""The golden build: the site of a small fixture knowledge base, hashed. Any change to what the
build writes changes the hash, so refactorings prove they changed nothing; a change you make on
purpose (a template, a page kind) updates the pinned hash, printed by

    .venv/bin/python -m tests.site.test_golden
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from tests.site.conftest import SITE_KB, write_kb

GOLDEN = "d15a0c09a0fe995c1ca1c3081bf289568faff222b50d5463822464a2886c4d9d"


def site_hash(work: Path) -> str:
    """Build the fixture knowledge base (no search, no Mermaid, a fixed base_url) into `work`
    and hash every page it writes: path and bytes (assets copied as they are are left out)."""
    from fomo.site import static
    from fomo.site.build import build_site

    no_vendor = work / "no-vendor"
    no_vendor.mkdir()
    vendor, static.VENDOR = static.VENDOR, no_vendor
    try:
        kb = write_kb(work / "kb", SITE_KB)
        build_site(kb, work / "out", search=False, base_url="https://example.org/fomo/")
    finally:
        static.VENDOR = vendor
    digest = hashlib.sha256()
    out = work / "out"
    copied = {p.name for p in static.ASSETS.iterdir() if p.is_file()} | {"pygments.css"}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and not (rel.startswith("assets/") and path.name in copied):
            digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def test_the_build_of_the_fixture_is_unchanged(tmp_path: Path) -> None:
    assert site_hash(tmp_path) == GOLDEN, (
        "the built site changed; if on purpose, pin the new hash printed by "
        "`.venv/bin/python -m tests.site.test_golden`"
    )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        os.environ["FOMO_CACHE_DIR"] = str(Path(folder) / "cache")
        sys.stdout.write(f'GOLDEN = "{site_hash(Path(folder))}"\n')
