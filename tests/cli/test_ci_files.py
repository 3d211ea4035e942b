"""The files CI and pre-commit users copy: the hook definition and the README's workflow."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from click.testing import CliRunner

from alignment.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_the_pre_commit_hook_checks_plan_files_and_no_other_yaml():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "alignment-check"
    assert hook["entry"] == "alignment check"
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    for path in ("plans/company.yaml", "docs/plans/q3.yml", "strategy/fy27.plan.yaml"):
        assert files.search(path), path
    for path in (".github/workflows/ci.yaml", ".pre-commit-config.yaml", "plans.txt", "k8s.yaml"):
        assert not files.search(path), path


def test_the_hook_entry_takes_the_file_names_pre_commit_passes(samples):
    # pre-commit runs `entry` with the staged file names appended.
    args = shlex.split(yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]["entry"])
    assert args[0] == "alignment"
    result = CliRunner().invoke(main, [*args[1:], *map(str, samples.values())])
    assert result.exit_code == 1  # the unit-economics sample has error findings
    assert "Break even on unit economics: " in result.stdout
    assert "Streaming subscriptions North Star: " in result.stdout


def test_the_readme_workflow_is_valid_yaml_using_the_documented_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    (workflow,) = [yaml.safe_load(b) for b in blocks if b.startswith("name: alignment")]
    steps = workflow["jobs"]["check"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "alignment check plans/*.yaml --format github" in runs
    assert "--format markdown --fail-on-new-errors" in runs
    # Event data reaches the script through the environment, never spliced into it.
    assert "${{" not in runs
