"""kill -9 at every write of add, move, new-article and import: the next command (here `check`)
rolls the edit back, so the knowledge base is whole, nothing is left behind and check is clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fomo.cli import main
from tests.conftest import STARTER
from tests.kb._killpoint import KILLED
from tests.kb.test_edit import tree_hash

RUNNER = Path(__file__).with_name("_killpoint.py")
ROOT = Path(__file__).parents[2]
COMMANDS = {
    "add-under-a-leaf": ["add", "kto", "--under", "dpo", "--title", "KTO", "--essence", "A loss."],
    "move-emptying-a-folder": ["move", "tokenization", "--under", "preferences"],
    "new-article": ["new-article", "--session", "1", "--part", "1", "--author", "Ann"],
    "import-under-a-leaf": ["import", "OUTLINE", "--under", "dpo"],
}


def _run(argv: list[str], kill_at: int) -> int:
    result = subprocess.run(
        [sys.executable, str(RUNNER), str(kill_at), *argv],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode


def _leftovers(kb: Path) -> list[str]:
    return [str(p.relative_to(kb)) for p in kb.rglob(".fomo-*")]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(COMMANDS))
def test_killed_at_every_write_the_next_command_leaves_a_whole_clean_kb(
    name: str, make_kb, tmp_path: Path, capsys
) -> None:
    outline = tmp_path / "in.md"
    outline.write_text("- Beta DPO\n  - Gamma DPO\n", encoding="utf-8")
    argv = [str(outline) if a == "OUTLINE" else a for a in COMMANDS[name]]
    done = make_kb(STARTER, name="done")
    assert _run([*argv, "--kb", str(done)], 0) == 0
    after = tree_hash(done)
    done_check = main(["check", "--kb", str(done)])  # import leaves TODO essences to write
    killed = 0
    for kill_at in range(1, 200):
        kb = make_kb(STARTER, name=f"kb{kill_at}")
        before = tree_hash(kb)
        code = _run([*argv, "--kb", str(kb)], kill_at)
        if code != KILLED:
            assert code == 0
            break
        killed += 1
        capsys.readouterr()
        checked = main(["check", "--kb", str(kb)])  # any command rolls the killed edit back
        assert tree_hash(kb) in (before, after), kill_at
        assert checked == (0 if tree_hash(kb) == before else done_check), kill_at
        assert _leftovers(kb) == [], kill_at
    else:
        pytest.fail("the command never finished")
    assert killed >= 5  # it was killed at each of its writes
