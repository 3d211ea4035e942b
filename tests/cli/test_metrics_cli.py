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
    # The answer first, in sentences: 2.5 USD of the 6.88 USD to the aim is 36.3%.
    assert lines[1] == (
        "Reduce CAC by 20%: committed work closes 36.3% of the gap on cac: expected 37.5 USD "
        "against an aim of 33.12 USD (short by 4.38 USD)."
    )
    assert lines[2] == ("Goal Break even: ltv >= cac is not met now and is not forecast to be met.")
    assert lines[3] == ""
    assert lines[4].split() == ["indicator", "current", "expected", "target", "coverage"]
    by_id = {line.split()[0]: line for line in lines[5:9]}
    assert by_id["bounce"].split() == ["bounce", "52%", "47%", "40%", "41.7%"]
    assert by_id["cac"].split()[:5] == ["cac", "40", "USD", "37.5", "USD"]
    assert "not modelled" in by_id["ltv"]


def test_forecast_with_candidates_meets_the_goal(plan_file):
    out = run("forecast", plan_file, "--with-candidates").stdout
    assert (
        "Goal Break even: ltv >= cac is not met now but is forecast to be met." in out.splitlines()
    )


def test_forecast_names_its_scenario_as_one_subject(plan_file):
    out = run("forecast", plan_file, "--with-candidates", "--without", "pages").stdout
    assert out.splitlines()[0].startswith(
        "Unit economics: forecast of committed work with candidates (adjusted): "
    )
    assert "candidates closes" not in out and ", adjusted" not in out


def test_forecast_markdown_is_the_answer_then_the_table(plan_file, tmp_path):
    out = run("forecast", plan_file, "--format", "markdown").stdout
    assert out.startswith("# Forecast: Unit economics\n\nForecast of committed work: 1 initiative.")
    assert "- Goal Break even: ltv &gt;= cac is not met now" in out
    assert "| cac | 40 USD | 37.5 USD | 33.12 USD | 36.3% |" in out


def test_forecast_calibrated_needs_finished_work_with_actual_effects(plan_file):
    result = run("forecast", plan_file, "--calibrated")
    assert result.exit_code == 2
    assert "no done initiative records an actual effect" in result.stderr


def test_forecast_calibration_learns_from_finished_work(tmp_path):
    path = tmp_path / "plan.yaml"
    text = PLAN.replace(
        "  - id: memes\n",
        "  - id: old\n    title: Old work\n    status: done\n    owner: Web\n    supports:\n"
        "      - {id: bounce, effect: -4, confidence: 1, actual: -2}\n  - id: memes\n",
    )
    path.write_text(text, encoding="utf-8")
    plain = run("forecast", str(path))
    assert "Finished work delivered 50% of what it promised (1 measured effect)." in plain.stdout
    data = json.loads(run("forecast", str(path), "--format", "json").stdout)
    assert data["calibration"] == {
        "ratio": 0.5,
        "links": 1,
        "by_owner": [{"owner": "Web", "ratio": 0.5, "links": 1}],
    }
    calibrated = json.loads(run("forecast", str(path), "--calibrated", "--format", "json").stdout)
    bounce = next(i for i in calibrated["indicators"] if i["id"] == "bounce")
    assert bounce["expected"] == 49.5  # 52 - 10 x 0.5 x 0.5
    assert "committed work (calibrated)" in run("forecast", str(path), "--calibrated").stdout


def test_rank_text_and_json(plan_file):
    result = run("rank", plan_file)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1].split()[:4] == ["rank", "initiative", "status", "effort"]
    # Neither has an effort: ranked apart by share. Memes close LTV's whole gap (+4 of 4) and a
    # third of the ratio's; pages 5/12 of bounce, 2.5/6.88 of CAC and a fifth of the ratio's.
    assert [line.split()[:2] for line in lines[2:4]] == [["-", "memes"], ["-", "pages"]]
    data = json.loads(run("rank", plan_file, "--format", "json").stdout)
    assert list(data) == ["plan", "initiatives"]
    pages = data["initiatives"][1]
    assert pages["id"] == "pages" and pages["effort"] is None and pages["per_effort"] is None
    # bounce: -5 of -12; cac: -2.5 of -6.88 (aim lent as the target); ratio 0.9 -> ...
    shares = {c["indicator"]: c["share"] for c in pages["closes"]}
    assert shares["bounce"] == pytest.approx(5 / 12, abs=1e-9)
    assert shares["cac"] == pytest.approx(2.5 / 6.88, abs=1e-9)


def test_rank_refuses_a_file_and_a_database_at_once(plan_file, tmp_path):
    result = run("rank", plan_file, "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 2
    assert "rank takes either a FILE or --db/--plan, not both" in result.stderr


def test_forecast_json_has_the_contract_shape(plan_file):
    result = run("forecast", plan_file, "--with-candidates", "--format", "json")
    data = json.loads(result.stdout)
    assert list(data) == ["plan", "scenario", "indicators", "strategies", "goals", "calibration"]
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
