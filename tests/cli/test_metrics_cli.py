"""`check --date` and `forecast` as a CTO uses them on a plan file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli import main

PLAN = """\
plan: Unit economics
goals:
  - id: break-even
    title: Break even
    condition: "${ltv} >= ${cac}"
    due: 2027-06-30
strategies:
  - id: reduce-cac
    title: Reduce CAC by 20%
    measure: cac
    change: -20%
    supports: [break-even]
indicators:
  - id: ltv-to-cac
    title: LTV to CAC
    role: north-star
    formula: "${ltv} / ${cac}"
    direction: up
    target: 1.2
    supports: [break-even]
  - id: cac
    title: CAC
    role: lagging
    unit: USD
    direction: down
    baseline: 41.4
    due: 2027-06-30
    cadence: monthly
    history:
      - {at: 2026-09-07, value: 41.4}
      - {at: 2026-11-02, value: 40}
  - id: ltv
    title: LTV
    unit: USD
    direction: up
    baseline: 36
    target: 40
    history:
      - {at: 2026-09-07, value: 36}
  - id: bounce
    title: Bounce rate
    role: leading
    unit: "%"
    direction: down
    baseline: 52
    target: 40
    supports: [{id: cac, effect: 0.5, confidence: 1}]
initiatives:
  - id: pages
    title: Page speed
    status: planned
    supports:
      - {id: bounce, effect: -10, confidence: 0.5}
  - id: memes
    title: Memes
    status: candidate
    supports:
      - {id: ltv, effect: 4, confidence: 1}
"""


@pytest.fixture
def plan_file(tmp_path: Path) -> str:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return str(path)


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def rules(output: str) -> set[tuple[str, str]]:
    return {tuple(line.split()[:2]) for line in output.splitlines()[:-1]}


def test_check_date_moves_the_clock(plan_file):
    before = run("check", plan_file, "--date", "2026-11-20")
    assert before.exit_code == 0
    assert ("stale-metric", "cac") not in rules(before.stdout)
    # A monthly metric last measured on 2026-11-02 is stale after 45 days.
    later = run("check", plan_file, "--date", "2026-12-18")
    assert ("stale-metric", "cac") in rules(later.stdout)
    assert "monthly cadence, but the last value is from 2026-11-02 (46 days" in later.stdout
    # Past the due date the goal and CAC are overdue.
    late = run("check", plan_file, "--date", "2027-07-01")
    assert {("overdue", "break-even"), ("overdue", "cac")} <= rules(late.stdout)
    assert "was due 2027-06-30: cac is 40 USD, the target 33.12 USD" in late.stdout


def test_check_judges_time_as_of_today_by_default(plan_file):
    today = run("check", plan_file, "--format", "json")
    from datetime import date

    assert json.loads(today.stdout)["as_of"] == date.today().isoformat()


def test_check_refuses_a_bad_date(plan_file):
    result = run("check", plan_file, "--date", "2026-13-01")
    assert result.exit_code == 2


def test_check_text_speaks_plainly(plan_file):
    out = run("check", plan_file, "--date", "2026-11-20").stdout
    assert "committed work is forecast to bring cac to 37.5 USD, short of the aim 33.12 USD" in out
    assert "once the committed work lands, ltv >= cac is not expected to hold" in out


def test_forecast_text(plan_file):
    result = run("forecast", plan_file)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Unit economics: forecast of committed work: 1 initiative (pages)"
    assert lines[1].split() == ["indicator", "current", "expected", "target", "coverage"]
    by_id = {line.split()[0]: line for line in lines[2:6]}
    assert by_id["bounce"].split() == ["bounce", "52%", "47%", "40%", "41.7%"]
    assert by_id["cac"].split()[:5] == ["cac", "40", "USD", "37.5", "USD"]
    assert "not modelled" in by_id["ltv"]
    assert (
        "strategy reduce-cac: cac expected 37.5 USD against the aim 33.12 USD: short by 4.38 USD"
        in lines
    )
    assert "goal break-even (${ltv} >= ${cac}): not met now, not met once the work lands" in lines


def test_forecast_json_has_the_contract_shape(plan_file):
    result = run("forecast", plan_file, "--with-candidates", "--format", "json")
    data = json.loads(result.stdout)
    assert list(data) == ["plan", "scenario", "indicators", "strategies", "goals"]
    assert data["scenario"] == ["pages", "memes"]
    ltv = next(i for i in data["indicators"] if i["id"] == "ltv")
    assert ltv == {"id": "ltv", "current": 36, "expected": 40, "target": 40, "coverage_pct": 100}
    assert data["strategies"] == [
        {"id": "reduce-cac", "aim": 33.12, "expected": 37.5, "short_by": 4.38}
    ]
    assert data["goals"] == [{"id": "break-even", "met_now": False, "met_expected": True}]


def test_forecast_with_and_without(plan_file):
    data = json.loads(run("forecast", plan_file, "--with", "memes", "--without", "pages",
                          "--format", "json").stdout)  # fmt: skip
    assert data["scenario"] == ["memes"]
    assert data["strategies"][0]["expected"] == 40  # nothing moves CAC


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--with", "nope"], "no node 'nope'"),
        (["--with", "cac"], "--with cac: cac is an indicator"),
        (["--without", "break-even"], "--without break-even: break-even is a goal"),
    ],
)
def test_forecast_refuses_what_is_not_an_initiative(plan_file, args, message):
    result = run("forecast", plan_file, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_check_counts_mandatory_work_apart(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        "plan: P\ngoals:\n  - {id: g, title: G}\ninitiatives:\n"
        "  - {id: soc2, title: SOC 2 fixes, mandatory: SOC 2 audit in March, effort: 3}\n"
        "  - {id: feature, title: Feature, supports: [g]}\n",
        encoding="utf-8",
    )
    result = run("check", str(path), "--date", "2026-12-01")
    assert result.exit_code == 0  # mandatory work is never an orphan error
    assert ("mandatory-work", "soc2") in rules(result.stdout)
    assert result.stdout.splitlines()[-1].endswith(
        "100% of live initiatives aligned, 0% measured; mandatory work apart: 1 initiative, "
        "effort 3"
    )
    summary = json.loads(run("check", str(path), "--format", "json").stdout)["summary"]
    assert (summary["mandatory"], summary["mandatory_effort"]) == (1, 3)
