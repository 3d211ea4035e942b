"""`alignment diff OLD NEW`: plan files, REV:PATH from git, db:NAME; exit codes for CI.

The Markdown golden file is the pull-request comment for a change to the unit-economics sample
that drops two links. Regenerate it on purpose and review the diff::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/cli/test_diff.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_plans" / "unit-economics.yaml"
GOLDEN = REPO / "tests" / "formats" / "golden" / "diff-unit-economics.md"

# The edit under review: activation-rate no longer supports cac, page-speed no longer supports
# bounce-rate. activation-journeys and page-speed lose their goal.
DROP_ACTIVATION = ("    supports: [cac]\n\n  # A sub-indicator", "\n  # A sub-indicator")
DROP_PAGE_SPEED = (
    "    effort: 3\n    supports:\n      - {id: bounce-rate, effect: -6, confidence: 0.6}\n",
    "    effort: 3\n",
)


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def edit(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Reviewer",
        "GIT_AUTHOR_EMAIL": "reviewer@example.com",
        "GIT_COMMITTER_NAME": "Reviewer",
        "GIT_COMMITTER_EMAIL": "reviewer@example.com",
    }
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A git repository with two commits of plan.yaml (the sample, then the edit); cwd."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q")
    text = SAMPLE.read_text(encoding="utf-8")
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    git(folder, "add", "plan.yaml")
    git(folder, "commit", "-q", "-m", "the sample plan")
    (folder / "plan.yaml").write_text(
        edit(text, DROP_ACTIVATION, DROP_PAGE_SPEED), encoding="utf-8"
    )
    git(folder, "commit", "-q", "-a", "-m", "drop two links")
    monkeypatch.chdir(folder)
    return folder


def test_markdown_between_two_commits_shows_which_initiatives_lost_their_goal(repo):
    # Dated like the other golden files, so the time rules judge both versions the same way.
    result = run(
        "diff", "HEAD~1:plan.yaml", "HEAD:plan.yaml", "--format", "markdown", "--date", "2026-11-23"
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "**2 initiatives lost their goal; 2 indicators lost their goal; " in text
    lost = text.split("### Lost their path to a goal\n", 1)[1].split("\n\n###", 1)[0]
    initiatives = [row.split(" | ")[0] for row in lost.splitlines() if " | initiative | " in row]
    assert initiatives == [
        "| Rework entry pages to a Page Speed score above 90 (`page-speed`)",
        "| Analyse, streamline and shorten the journeys that lead to activation "
        "(`activation-journeys`)",
    ]
    actual = text.encode("utf-8")
    if os.environ.get("UPDATE_GOLDEN") == "1" and (
        not GOLDEN.exists() or GOLDEN.read_bytes() != actual
    ):
        GOLDEN.write_bytes(actual)
        pytest.skip(f"rewrote {GOLDEN.name}: review the diff before committing")
    assert actual == GOLDEN.read_bytes(), "regenerate with UPDATE_GOLDEN=1 and review the diff"


def test_a_working_tree_file_compares_with_a_revision(repo):
    (repo / "plan.yaml").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("diff", "HEAD:plan.yaml", "plan.yaml", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["alignment"]["gained"] == [
        "activation-rate",
        "time-to-activation",
        "page-speed",
        "activation-journeys",
    ]
    assert data["links"]["added"] == [["activation-rate", "cac"], ["page-speed", "bounce-rate"]]
    assert data["old"]["source"] == "HEAD:plan.yaml"


def test_fail_on_new_errors_exits_1_only_when_an_error_is_new(repo):
    args = ("diff", "HEAD~1:plan.yaml", "HEAD:plan.yaml")
    assert run(*args).exit_code == 0
    assert run(*args, "--fail-on-new-errors").exit_code == 1
    # The other way round the errors are resolved; the sample's own errors are not new.
    assert run("diff", "HEAD:plan.yaml", "HEAD~1:plan.yaml", "--fail-on-new-errors").exit_code == 0
    assert run("diff", "plan.yaml", "HEAD:plan.yaml", "--fail-on-new-errors").exit_code == 0


@pytest.mark.parametrize(
    ("old", "message"),
    [
        ("HEAD~9:plan.yaml", "alignment: HEAD~9:plan.yaml: invalid object name 'HEAD~9'."),
        ("HEAD:nope.yaml", "alignment: HEAD:nope.yaml: path 'nope.yaml' does not exist in 'HEAD'"),
        ("missing.yaml", "alignment: missing.yaml: no such file"),
        ("-p:plan.yaml", "alignment: -p:plan.yaml: a revision cannot start with '-'"),
    ],
)
def test_bad_sources_are_one_line_and_exit_2(repo, old, message):
    result = run("diff", "--", old, "plan.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""


def test_a_folder_in_a_revision_is_not_a_plan_file(repo):
    (repo / "plans").mkdir()
    (repo / "plans" / "a.yaml").write_text("plan: A\n", encoding="utf-8")
    git(repo, "add", "plans")
    git(repo, "commit", "-q", "-m", "a folder")
    result = run("diff", "HEAD:plans", "plan.yaml")
    assert result.exit_code == 2
    assert result.stderr == "alignment: HEAD:plans: is a folder in HEAD, not a plan file\n"


def test_an_invalid_plan_in_a_revision_names_revision_path_and_line(repo):
    (repo / "plan.yaml").write_text("plan: X\ngoals:\n  - id: Bad Id\n    title: x\n")
    git(repo, "commit", "-q", "-a", "-m", "broken")
    result = run("diff", "HEAD~1:plan.yaml", "HEAD:plan.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("alignment: HEAD:plan.yaml:3: ")


def test_outside_a_git_repository_rev_path_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run("diff", "HEAD:plan.yaml", str(SAMPLE))
    assert result.exit_code == 2
    assert result.stderr.startswith("alignment: HEAD:plan.yaml: not a git repository")
    assert len(result.stderr.splitlines()) == 1


def test_a_file_that_exists_wins_over_rev_path(repo):
    (repo / "HEAD:plan.yaml").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("diff", "HEAD:plan.yaml", "plan.yaml", "--format", "json")
    assert result.exit_code == 0
    # The file is the sample, HEAD's plan.yaml is the edit: read as git, there would be no change.
    assert json.loads(result.stdout)["alignment"]["lost"] != []


def test_a_stored_plan_compares_with_a_file(tmp_path, db_url):
    assert run("import", str(SAMPLE), "--db", db_url).exit_code == 0
    changed = tmp_path / "changed.yaml"
    changed.write_text(edit(SAMPLE.read_text(encoding="utf-8"), DROP_PAGE_SPEED), encoding="utf-8")
    result = run(
        "diff",
        "db:Break even on unit economics",
        str(changed),
        "--db",
        db_url,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["old"] == {
        "source": "db:Break even on unit economics",
        "plan": "Break even on unit economics",
    }
    assert data["links"]["removed"] == [["page-speed", "bounce-rate"]]
    assert data["alignment"]["lost"] == ["page-speed"]
    # db: alone is the only plan in the database; the same plan gives an empty diff.
    same = run("diff", "db:", str(SAMPLE), "--db", db_url)
    assert same.exit_code == 0
    assert "No change to the plan." in same.stdout.splitlines()[0]


def test_a_stored_plan_that_does_not_exist_is_exit_2(fresh_db):
    assert run("import", str(SAMPLE), "--db", fresh_db).exit_code == 0
    result = run("diff", "db:Nope", str(SAMPLE), "--db", fresh_db)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "Nope" in result.stderr
    missing = run("diff", "db:X", str(SAMPLE), "--db", fresh_db + ".missing")
    assert missing.exit_code == 2


def test_both_versions_are_judged_as_of_the_same_date(tmp_path):
    """A due date added in NEW is overdue as of a later date only: --date decides."""
    old = tmp_path / "old.yaml"
    old.write_text(
        "plan: P\ngoals:\n  - id: g\n    title: G\nindicators:\n  - id: k\n    title: K\n"
        "    direction: up\n    baseline: 1\n    target: 5\n    current: 2\n    supports: [g]\n",
        encoding="utf-8",
    )
    new = tmp_path / "new.yaml"
    new.write_text(old.read_text() + "    due: 2026-06-30\n", encoding="utf-8")
    before_due = run("diff", str(old), str(new), "--format", "json", "--date", "2026-01-05")
    after_due = run("diff", str(old), str(new), "--format", "json", "--date", "2026-07-01")
    rules = [
        {(f["rule"], f["node"]) for f in json.loads(r.stdout)["findings"]["new"]}
        for r in (before_due, after_due)
    ]
    assert ("overdue", "k") not in rules[0]
    assert ("overdue", "k") in rules[1]


DIFF_ONLY = """
import json, sys
from alignment.cli import main
codes = []
for args in (["diff", sys.argv[1], sys.argv[1], "--format", "markdown"],
             ["check", sys.argv[1], "--format", "sarif"], ["check", sys.argv[1], "--format", "github"]):
    try:
        main(args)
    except SystemExit as done:
        codes.append(done.code)
loaded = {top for top in ("textual", "sqlmodel", "sqlalchemy") if top in sys.modules}
print(json.dumps({"exit": codes, "loaded": sorted(loaded)}), file=sys.stderr)
"""


def test_diff_and_ci_formats_of_files_load_no_tui_and_no_database_layer():
    done = subprocess.run(
        [sys.executable, "-c", DIFF_ONLY, str(SAMPLE)], capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert json.loads(done.stderr.strip().splitlines()[-1]) == {"exit": [0, 1, 1], "loaded": []}
