"""`check --format github|sarif`: findings on the line of their node in the plan file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli import main
from alignment.core.analysis import RULES, findings
from alignment.formats.annotations import (
    CheckedPlan,
    github_annotations,
    github_data,
    github_property,
    sarif_log,
)
from alignment.formats.plan_file import read_plan_file

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "sample_plans").glob("*.yaml"))
COMMAND = re.compile(r"^::(?P<level>\w+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def unescape(text: str) -> str:
    """What the GitHub runner reads back (toolkit's command.ts, in reverse)."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props = {}
    for part in (match["props"] or "").split(","):
        if part:
            key, _, value = part.partition("=")
            props[key] = unescape(value)
    return match["level"], props, unescape(match["message"])


def id_lines(path: Path) -> dict[str, int]:
    """Each node's line, found in the file text: the line of its `- id: X` entry."""
    lines = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if match := re.match(r"^\s*- id: ([a-z0-9-]+)\s*$", line):
            lines[match[1]] = number
    return lines


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_github_annotations_point_at_the_line_of_each_node(path):
    result = run("check", str(path), "--format", "github")
    assert result.exit_code == run("check", str(path)).exit_code  # same status as text
    expected = id_lines(path)
    plan_findings = findings(read_plan_file(path))
    annotations = [parse(line) for line in result.stdout.splitlines()]
    assert len(annotations) == len(plan_findings) > 0
    for (level, props, message), finding in zip(annotations, plan_findings, strict=True):
        assert props["file"] == str(path)
        assert int(props["line"]) == expected[finding.node], finding
        assert props["title"] == finding.rule
        assert level == {"error": "error", "warning": "warning", "info": "notice"}[finding.severity]
        assert message == f"{finding.title} ({finding.node}): {finding.message}"


def test_sarif_is_a_structurally_valid_log_with_node_lines(tmp_path):
    path = REPO / "sample_plans" / "unit-economics.yaml"
    result = run("check", str(path), "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "alignment"
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    for rule in rules:
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    expected = id_lines(path)
    assert run_["results"]
    for result_ in run_["results"]:
        assert set(result_) >= {"ruleId", "level", "message", "locations"}
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"]
        assert result_["level"] in {"error", "warning", "note"}
        assert result_["message"]["text"]
        (location,) = result_["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == path.as_uri()  # absolute path given
        node = location["logicalLocations"][0]["name"]
        assert physical["region"]["startLine"] == expected[node]


def test_sarif_uri_of_a_relative_path_stays_relative_and_is_percent_encoded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "my plans"
    folder.mkdir()
    (folder / "p.yaml").write_text("plan: P\ninitiatives:\n  - id: i\n    title: Lonely\n")
    log = json.loads(run("check", "my plans/p.yaml", "--format", "sarif").stdout)
    (result,) = log["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "my%20plans/p.yaml"},
        "region": {"startLine": 3},
    }


def test_escaping_of_percent_colon_and_comma_in_titles_and_file_names(tmp_path, monkeypatch):
    assert github_data("100%: a, b\r\nc") == "100%25: a, b%0D%0Ac"
    assert github_property("100%: a, b\r\nc") == "100%25%3A a%2C b%0D%0Ac"
    monkeypatch.chdir(tmp_path)
    name = "odd,name:1%.yaml"
    title = "Cut churn 100%: fast, cheap, now"
    (tmp_path / name).write_text(
        f'plan: P\ninitiatives:\n  - id: i\n    title: "{title}"\n', encoding="utf-8"
    )
    result = run("check", name, "--format", "github")
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error file=odd%2Cname%3A1%25.yaml,line=3,title=orphan-initiative::")
    level, props, message = parse(line)
    assert props == {"file": name, "line": "3", "title": "orphan-initiative"}
    assert message == f"{title} (i): supports nothing"


def test_a_stored_plan_is_reported_without_file_or_line(fresh_db):
    sample = REPO / "sample_plans" / "unit-economics.yaml"
    assert run("import", str(sample), "--db", fresh_db).exit_code == 0
    result = run("check", "--db", fresh_db, "--format", "github")
    assert result.exit_code == 1
    for line in result.stdout.splitlines():
        level, props, message = parse(line)
        assert set(props) == {"title"}
        assert message.startswith("Break even on unit economics: ")
    log = json.loads(run("check", "--db", fresh_db, "--format", "sarif").stdout)
    for result_ in log["runs"][0]["results"]:
        (location,) = result_["locations"]
        assert "physicalLocation" not in location
        assert location["logicalLocations"][0]["fullyQualifiedName"].startswith(
            "Break even on unit economics/"
        )


def test_a_file_given_from_here_is_named_from_the_workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "p.yaml").write_text("plan: P\ninitiatives:\n  - id: i\n    title: x\n")
    result = run("check", "./plans/p.yaml", "--format", "github")
    assert result.stdout.startswith("::error file=plans/p.yaml,line=3,title=orphan-initiative::")


def test_several_files_are_checked_together(tmp_path):
    result = run("check", *map(str, SAMPLES), "--format", "github")
    files = {parse(line)[1]["file"] for line in result.stdout.splitlines()}
    assert files == {str(path) for path in SAMPLES}
    assert result.exit_code == 1  # unit-economics has errors
    log = json.loads(run("check", *map(str, SAMPLES), "--format", "sarif").stdout)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert len(uris) == 2
    refused = run("check", *map(str, SAMPLES), "--format", "json")
    assert refused.exit_code == 2
    assert refused.stderr == "alignment: --format json reports on one plan: give one FILE\n"


def test_an_invalid_file_among_several_is_exit_2_and_named(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("plan: X\ngoals:\n  - id: Bad\n    title: x\n")
    result = run("check", str(SAMPLES[0]), str(bad), "--format", "github")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"alignment: {bad}:3: ")
    assert result.stdout == ""


def test_the_renderers_need_no_file():
    plan = read_plan_file(SAMPLES[0])
    checked = CheckedPlan(plan.name, None, tuple(findings(plan)))
    assert github_annotations([checked]).count("\n") == len(checked.findings)
    assert all(
        "physicalLocation" not in r["locations"][0]
        for r in sarif_log([checked])["runs"][0]["results"]
    )
