"""A browser test without its browser: skipped with the reason and the fix in the summary on a
developer's machine, a failure under CI=1 (so CI cannot pass by skipping)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.site.conftest import need_chromium

ROOT = Path(__file__).resolve().parents[2]


def test_chromium_is_there() -> None:
    """What every browser test asks first (run below without a browser on the PATH)."""
    assert Path(need_chromium()).exists()


def _run_without_chromium(ci: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = str(Path(sys.executable).parent)  # no /usr/bin: `chromium` is not found
    if ci:
        env["CI"] = "1"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/site/test_skips.py::test_chromium_is_there",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_skip_says_why_and_how_to_fix_it() -> None:
    done = _run_without_chromium(ci=False)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "SKIPPED" in done.stdout and "apt-get install -y chromium" in done.stdout


def test_under_ci_the_missing_browser_fails() -> None:
    done = _run_without_chromium(ci=True)
    assert done.returncode == 1
    assert "failing, not skipping, because CI is set" in done.stdout
