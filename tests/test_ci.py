"""CI cannot look green by accident: it runs the README's own test command, the README lists the
commands there are, and a missing PostgreSQL server fails the suite when CI requires one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from alignment.cli import main

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")


def readme_test_command() -> str:
    """The command the README gives for running the test suite (the line with pytest)."""
    commands = [
        line
        for block in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)
        for line in block.splitlines()
        if "pytest" in line
    ]
    assert len(commands) == 1, commands
    return commands[0]


def test_ci_runs_the_readmes_test_command_verbatim():
    command = readme_test_command()
    assert command in CI.splitlines(), f"{command!r} is not a line of .ci/run"


def test_ci_fails_instead_of_skipping_render_and_postgresql():
    for variable in ("ALIGNMENT_REQUIRE_RENDER=1", "ALIGNMENT_REQUIRE_PG=1"):
        assert f"export {variable}" in CI.splitlines(), variable


def test_the_readme_lists_the_commands_alignment_help_lists():
    help_text = CliRunner().invoke(main, ["--help"]).output
    listed = help_text.split("Commands:\n", 1)[1]
    in_help = {line.split()[0] for line in listed.splitlines() if line.startswith("  ")}
    rows = [line for line in README.splitlines() if line.startswith("| `alignment")]
    in_readme = {
        words[1]
        for row in rows
        for cell in re.findall(r"`(alignment[^`]*)`", re.split(r"(?<!\\)\|", row)[1])
        if len(words := cell.split()) > 1
    }
    assert in_readme == in_help


def test_the_readme_lists_every_check_rule_with_its_severity():
    from alignment.core.analysis import RULES

    section = README.split("## What the check finds", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| (error|warning|info) \|", section, flags=re.MULTILINE)
    assert rows == [(rule, severity.value) for rule, severity in RULES.items()]


def test_the_readme_counts_the_views_the_tui_has():
    from alignment.tui.commands import ACTIONS

    views = [action for action in ACTIONS if action.action.startswith("view(")]
    words = {4: "Four", 5: "Five", 6: "Six"}
    assert f"{words[len(views)]} views, switched with `1`-`{len(views)}`" in README


def test_a_required_postgresql_server_that_is_missing_fails_the_tests(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ALIGNMENT_TEST_PG_URL"}
    env["ALIGNMENT_REQUIRE_PG"] = "1"
    test = "tests/store/test_store.py::test_plans_may_reuse_node_ids"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
         test, "--basetemp", str(tmp_path / "t")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout
    assert "1 passed" in result.stdout, "the SQLite half still runs"
    assert "ALIGNMENT_REQUIRE_PG=1 but ALIGNMENT_TEST_PG_URL is not set" in result.stdout
    assert "skipped" not in result.stdout
