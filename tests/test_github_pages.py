"""The GitHub Pages template installs FOMO from the repository it runs in (FOMO is not on
PyPI, so a copied template that asked the package index failed at its install step)."""

from __future__ import annotations

from pathlib import Path

import yaml

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "github-pages.yml"


def test_fomo_comes_from_the_checked_out_repository() -> None:
    workflow = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    assert workflow["env"]["FOMO_PACKAGE"] == "."
    steps = workflow["jobs"]["check"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    runs = [step.get("run", "") for step in steps]
    checkout = next(i for i, u in enumerate(uses) if u.startswith("actions/checkout"))
    install = next(i for i, r in enumerate(runs) if "pip install" in r)
    assert checkout < install and '"$FOMO_PACKAGE"' in runs[install]
    assert any("fomo build" in r and "--base-url" in r for r in runs)
    assert "llm-fomo" not in TEMPLATE.read_text(encoding="utf-8")
