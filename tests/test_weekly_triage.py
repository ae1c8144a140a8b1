"""The weekly triage workflow (templates/weekly-triage.yml), run locally: its own shell steps,
in order, on a fixture knowledge base, with fixture feeds in place of the network URLs and a
stand-in `gh` that records what it would do on GitHub."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import STARTER

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "weekly-triage.yml"
TEAM_FEED = "https://example.org/team/feed.xml"

ARXIV = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>ArXiv Query: cat:cs.CL</title>
  <entry>
    <id>http://arxiv.org/abs/2611.00001v1</id>
    <published>2026-11-25T10:00:00Z</published>
    <title>Direct Preference Optimization</title>
    <summary>Fine-tunes directly on preference pairs without a reward model.</summary>
    <link href="http://arxiv.org/abs/2611.00001v1" rel="alternate" type="text/html"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2611.00002v1</id>
    <published>2026-11-26T10:00:00Z</published>
    <title>Binary-Signal Alignment: Aligning Language Models with Thumbs-Up Feedback</title>
    <summary>We align a language model to human preferences using only a binary signal
      per output (desirable or undesirable) instead of preference pairs.</summary>
    <link href="http://arxiv.org/abs/2611.00002v1" rel="alternate" type="text/html"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2611.00003v1</id>
    <published>2026-11-27T10:00:00Z</published>
    <title>Soil moisture dynamics in alpine meadows</title>
    <summary>We measure soil moisture across three seasons in alpine grassland plots.</summary>
    <link href="http://arxiv.org/abs/2611.00003v1" rel="alternate" type="text/html"/>
  </entry>
</feed>
"""

TEAM = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Team reading list</title>
  <item><title>Byte-pair encoding tokenization for language models, revisited</title>
    <link>https://example.org/team/bpe</link>
    <description>How splitting text into tokens with byte-pair encoding shapes a language
      model's vocabulary.</description></item>
</channel></rss>
"""


def steps() -> tuple[dict[str, str], list[dict[str, str]]]:
    workflow = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    return workflow["env"], workflow["jobs"]["triage"]["steps"]


def step(name_start: str) -> dict[str, str]:
    return next(s for s in steps()[1] if s.get("name", "").startswith(name_start))


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A checkout with knowledge/ (site.yml listing a team feed), and the environment the
    steps run in: the workflow's env, this venv's `fomo` and `python`, and a fake `gh`."""
    work = tmp_path / "repo"
    for rel, text in STARTER.items():
        path = work / "knowledge" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (work / "knowledge/site.yml").write_text(f"feeds:\n  - {TEAM_FEED}\n", encoding="utf-8")
    (tmp_path / "arxiv.xml").write_text(ARXIV, encoding="utf-8")
    (tmp_path / "team.xml").write_text(TEAM, encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(
        '#!/bin/sh\nprintf "%s\\n" "$*" >> "$GH_LOG"\n'
        'if [ "$1 $2" = "issue list" ]; then printf "%s" "$FAKE_ISSUE"; fi\n',
        encoding="utf-8",
    )
    gh.chmod(0o755)
    env_vars, _ = steps()
    env = {
        **os.environ,
        **{k: str(v) for k, v in env_vars.items()},
        "PAUSE": "0",
        "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}"
        + os.environ["PATH"],
        "GH_LOG": str(tmp_path / "gh.log"),
        "FOMO_CACHE_DIR": str(tmp_path / "cache"),
        "RUN_URL": "https://github.com/o/r/actions/runs/1",
        "NO_COLOR": "1",
    }
    return work, env


def run_step(name_start: str, work: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", step(name_start)["run"]],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_workflow_runs_weekly_and_installs_fomo_from_its_repository() -> None:
    workflow = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # PyYAML reads the key `on` as True
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    assert workflow["permissions"]["issues"] == "write"
    env, job = steps()
    assert env["FOMO_PACKAGE"] == "."
    runs = [s.get("run", "") for s in job]
    install = next(i for i, r in enumerate(runs) if "pip install" in r)
    assert '"$FOMO_PACKAGE"' in runs[install]
    assert install < next(i for i, r in enumerate(runs) if "fomo ingest" in r)
    assert "fomo ingest" in step("Triage")["run"] and "--format md" in step("Triage")["run"]


def test_the_steps_post_the_three_sections_with_the_expected_items(workspace) -> None:
    work, env = workspace
    run_step("List the week's sources", work, env)
    listed = (work / "sources.txt").read_text(encoding="utf-8").splitlines()
    assert len(listed) == 3 and listed[2] == TEAM_FEED
    assert "cat%3Acs.CL" in listed[0] and "cat%3Acs.LG" in listed[1]
    assert all(u.startswith("https://export.arxiv.org/api/query?") for u in listed[:2])
    # the fixture feeds stand in for the network: arXiv's two queries, then the team feed
    fixtures = [work.parent / "arxiv.xml", work.parent / "empty.txt", work.parent / "team.xml"]
    (work / "sources.txt").write_text("".join(f"{p}\n" for p in fixtures), encoding="utf-8")
    run_step("Triage each source", work, env)  # the empty source fails: reported, not fatal
    run_step("Write the issue body", work, env)
    body = (work / "body.md").read_text(encoding="utf-8")
    arxiv, failed, team = body.split("\n## ")[1:]
    new = arxiv[arxiv.index("### New") : arxiv.index("### Already known")]
    known = arxiv[arxiv.index("### Already known") : arxiv.index("### Unrelated")]
    unrelated = arxiv[arxiv.index("### Unrelated") :]
    assert "Binary-Signal Alignment" in new and "`preferences`" in new
    assert "Direct Preference Optimization" in known and "`dpo`" in known
    assert "Soil moisture" in unrelated and "Soil" not in new + known
    assert failed.startswith(f"{fixtures[1]}\n\nCould not be read this week")
    assert "### New (1)" in team and "Byte-pair encoding tokenization" in team
    assert "fomo ingest SOURCE --apply" in body and "https://github.com/o/r/actions/runs/1" in body

    run_step("Open or update the triage issue", work, {**env, "FAKE_ISSUE": ""})
    calls = Path(env["GH_LOG"]).read_text(encoding="utf-8").splitlines()
    assert calls[0].startswith("issue list --label fomo-triage --state open")
    assert (
        calls[-1]
        == "issue create --title FOMO weekly triage --label fomo-triage --body-file body.md"
    )
    Path(env["GH_LOG"]).unlink()
    run_step("Open or update the triage issue", work, {**env, "FAKE_ISSUE": "42"})
    calls = Path(env["GH_LOG"]).read_text(encoding="utf-8").splitlines()
    assert calls[-1] == "issue edit 42 --title FOMO weekly triage --body-file body.md"
    assert not any(c.startswith("issue create") for c in calls)
