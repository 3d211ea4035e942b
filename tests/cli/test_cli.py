"""The command line: exit codes, messages and output shapes that scripts and CI rely on."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from alignment.cli import main
from alignment.formats.plan_file import plan_to_data, read_plan_file, write_plan
from alignment.store import Store

UE = "Break even on unit economics"
STREAMING = "Streaming subscriptions North Star"

CLEAN = """\
plan: Clean
goals:
  - id: g
    title: Grow
strategies:
  - id: s
    title: Sell more
    supports: [g]
indicators:
  - id: k
    title: Conversion
    direction: up
    target: 5
    supports: [s]
initiatives:
  - id: i
    title: Faster checkout
    supports: [k]
"""
# Only an info finding: an indicator no initiative moves.
INFO_ONLY = CLEAN.replace("    supports: [k]\n", "    supports: [k]\n    status: dropped\n")


def run(*args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def write(tmp_path: Path, text: str, name: str = "plan.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def db(db_url, samples) -> str:
    """A database holding the unit-economics sample only (on each backend)."""
    assert run("import", str(samples["unit-economics"]), "--db", db_url).exit_code == 0
    return db_url


@pytest.fixture
def db2(db, samples) -> str:
    """A database holding both samples."""
    assert run("import", str(samples["streaming"]), "--db", db).exit_code == 0
    return db


# -- check --------------------------------------------------------------------------------------


def test_check_a_file_with_errors_exits_1(samples):
    result = run("check", str(samples["unit-economics"]), "--date", "2026-11-02")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 9
    assert lines[0].split()[:3] == ["orphan-initiative", "daily-memes", "error"]
    assert "supports twitter-followers, which reaches no goal" in lines[0]
    assert lines[1].split()[:3] == ["orphan-initiative", "frontend-rewrite", "error"]
    assert lines[2].split()[:3] == ["unmeasured-initiative", "analytics-tool", "warning"]
    assert lines[3].split()[:3] == ["orphan-indicator", "twitter-followers", "warning"]
    assert lines[4].split()[:3] == ["goal-not-forecast", "break-even", "warning"]
    assert lines[7].split()[:3] == ["mandatory-work", "pci-upgrade", "info"]
    assert lines[8] == (
        f"{UE}: 2 errors, 5 warnings, 1 info; 81.8% of live initiatives aligned, 72.7% measured"
        "; mandatory work apart: 1 initiative, effort 2"
    )
    assert "\x1b[" not in result.stdout, "no colour codes when not on a terminal (CI logs)"


def test_check_with_warnings_only_exits_0_and_1_when_strict(samples):
    assert run("check", str(samples["streaming"])).exit_code == 0
    assert run("check", str(samples["streaming"]), "--strict").exit_code == 1


def test_check_of_a_clean_plan(tmp_path):
    result = run("check", write(tmp_path, CLEAN), "--strict")
    assert result.exit_code == 0
    assert result.stdout == (
        "Clean: 0 errors, 0 warnings, 0 info; 100% of live initiatives aligned, 100% measured\n"
    )


def test_infos_never_fail_a_check(tmp_path):
    result = run("check", write(tmp_path, INFO_ONLY), "--strict")
    assert result.exit_code == 0
    assert result.stdout.startswith("unmoved-indicator  k  info")


def test_check_of_a_stored_plan(db2):
    assert run("check", "--db", db2, "--plan", UE).exit_code == 1
    assert run("check", "--db", db2, "--plan", STREAMING).exit_code == 0
    assert run("check", "--db", db2, "--plan", STREAMING, "--strict").exit_code == 1


def test_check_of_the_only_stored_plan_needs_no_name(db):
    result = run("check", "--db", db)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1].startswith(f"{UE}: 2 errors")


def test_check_json_has_the_documented_shape_in_a_stable_order(samples):
    sample = str(samples["unit-economics"])
    result = run("check", sample, "--format", "json", "--date", "2026-11-02")
    assert result.exit_code == 1
    report = json.loads(result.stdout, object_pairs_hook=lambda pairs: pairs)
    assert [key for key, _ in report] == ["plan", "as_of", "findings", "summary"]
    data = json.loads(result.stdout)
    assert data["plan"] == UE
    assert data["as_of"] == "2026-11-02"
    for finding in json.loads(result.stdout, object_pairs_hook=lambda p: p)[2][1]:
        assert [key for key, _ in finding] == ["rule", "severity", "node", "title", "message"]
    assert data["findings"][0] == {
        "rule": "orphan-initiative",
        "severity": "error",
        "node": "daily-memes",
        "title": "Post a daily product meme on Twitter/X",
        "message": "supports twitter-followers, which reaches no goal",
    }
    assert [(f["rule"], f["node"]) for f in data["findings"]] == [
        ("orphan-initiative", "daily-memes"),
        ("orphan-initiative", "frontend-rewrite"),
        ("unmeasured-initiative", "analytics-tool"),
        ("orphan-indicator", "twitter-followers"),
        ("goal-not-forecast", "break-even"),
        ("strategy-short", "reduce-cac"),
        ("strategy-short", "increase-ltv"),
        ("mandatory-work", "pci-upgrade"),
    ]
    summary = json.loads(result.stdout, object_pairs_hook=lambda p: p)[3][1]
    assert summary == [
        ("goals", 1),
        ("strategies", 2),
        ("indicators", 13),
        ("initiatives", 13),
        ("errors", 2),
        ("warnings", 5),
        ("infos", 1),
        ("aligned_pct", 81.8),
        ("measured_pct", 72.7),
        ("mandatory", 1),
        ("mandatory_effort", 2),
    ]


def test_check_json_is_the_same_from_file_and_from_the_database(db, samples):
    from_file = run("check", str(samples["unit-economics"]), "--format", "json").stdout
    from_db = run("check", "--db", db, "--format", "json").stdout
    assert from_file == from_db


def test_check_json_of_a_clean_plan(tmp_path):
    data = json.loads(run("check", write(tmp_path, CLEAN), "--format", "json").stdout)
    assert data["findings"] == []
    assert data["summary"]["aligned_pct"] == 100.0


def test_coverage_without_live_initiatives_is_null_in_json_and_said_in_markdown(tmp_path):
    path = write(tmp_path, "plan: Empty\ngoals:\n  - id: g\n    title: G\n")
    data = json.loads(run("check", path, "--format", "json").stdout)
    assert (data["summary"]["aligned_pct"], data["summary"]["measured_pct"]) == (None, None)
    assert "no live initiatives yet" in run("check", path).stdout
    db = str(tmp_path / "e.db")
    run("import", path, "--db", db)
    markdown = run("export", "--db", db, "--format", "markdown").stdout
    assert "no live initiatives yet" in markdown and "100%" not in markdown


def test_check_takes_a_file_or_a_database_not_both(db, samples):
    result = run("check", str(samples["streaming"]), "--db", db)
    assert result.exit_code == 2
    assert result.stderr == "alignment: check takes either a FILE or --db/--plan, not both\n"


def test_check_of_an_invalid_file_exits_2_with_file_and_line(tmp_path):
    path = write(tmp_path, "plan: P\ngoals:\n  - id: g\n    title: G\n    supports: [g]\n")
    result = run("check", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"alignment: {path}:5: g cannot support itself\n"


def test_check_needs_no_database(tmp_path, samples, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_DB", str(tmp_path / "must-not-exist.db"))
    assert run("check", str(samples["streaming"])).exit_code == 0
    assert not (tmp_path / "must-not-exist.db").exists()


# -- import -------------------------------------------------------------------------------------


def test_import_reports_what_it_imported(db_url, samples):
    result = run("import", str(samples["unit-economics"]), "--db", db_url)
    assert result.exit_code == 0
    assert result.stdout == (
        f"imported '{UE}' from {samples['unit-economics']}: "
        "1 goal, 2 strategies, 13 indicators, 13 initiatives\n"
    )
    assert Store.open(db_url).plan_names() == [UE]


def test_import_several_files_at_once(db_url, samples):
    result = run("import", str(samples["unit-economics"]), str(samples["streaming"]),
                 "--db", db_url)  # fmt: skip
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2
    assert Store.open(db_url).plan_names() == [UE, STREAMING]


def test_import_of_an_existing_name_is_refused(db, samples):
    before = write_plan(Store.open(db).load(UE))
    result = run("import", str(samples["unit-economics"]), "--db", db)
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"alignment: a plan named '{UE}' already exists; use --replace to swap it\n"
    )
    assert write_plan(Store.open(db).load(UE)) == before


def test_import_replace_swaps_the_plan(db, tmp_path, samples):
    text = (
        samples["unit-economics"].read_text().replace("Twitter/X followers", "Mastodon followers")
    )
    result = run("import", write(tmp_path, text), "--db", db, "--replace")
    assert result.exit_code == 0
    store = Store.open(db)
    assert store.plan_names() == [UE]
    assert store.load(UE).node("twitter-followers").title == "Mastodon followers"


def test_import_of_two_files_with_one_plan_name_is_refused(db_url, tmp_path):
    one, two = write(tmp_path, CLEAN, "one.yaml"), write(tmp_path, CLEAN, "two.yaml")
    result = run("import", one, two, "--db", db_url)
    assert result.exit_code == 2
    assert "two of the files define the plan 'Clean'" in result.stderr
    assert Store.open(db_url).plan_names() == []


def test_import_of_an_existing_name_among_several_files_imports_none(db, samples, tmp_path):
    result = run("import", write(tmp_path, CLEAN), str(samples["unit-economics"]), "--db", db)
    assert result.exit_code == 2
    assert Store.open(db).plan_names() == [UE]


def test_import_needs_a_file():
    result = run("import")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


# -- export -------------------------------------------------------------------------------------


def test_export_yaml_is_the_plan_file(db, samples):
    result = run("export", "--db", db)
    assert result.exit_code == 0
    assert result.stdout == write_plan(read_plan_file(samples["unit-economics"]))


def test_export_json_is_the_plan_file_as_json(db, samples):
    result = run("export", "--db", db, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == plan_to_data(read_plan_file(samples["unit-economics"]))


@pytest.mark.parametrize("fmt", ["yaml", "json", "markdown"])
def test_export_to_a_file(db, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    args = ("export", "--db", db, "--format", fmt, "--date", "2026-11-23")
    result = run(*args, "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == run(*args).stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no temp files"


def test_export_to_an_unwritable_place_exits_2(db, tmp_path):
    result = run("export", "--db", db, "-o", str(tmp_path / "no" / "such" / "dir" / "x.yaml"))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


def test_export_with_several_plans_needs_a_name_and_lists_them(db2):
    result = run("export", "--db", db2)
    assert result.exit_code == 2
    assert result.stderr == (
        f"alignment: the database holds several plans; choose one with --plan: '{UE}', '{STREAMING}'\n"
    )
    assert run("export", "--db", db2, "--plan", STREAMING).exit_code == 0


def test_export_of_an_unknown_plan_lists_the_plans(db):
    result = run("export", "--db", db, "--plan", "Nope")
    assert result.exit_code == 2
    assert "no plan named 'Nope'" in result.stderr
    assert f"(plans: '{UE}')" in result.stderr


def test_export_of_a_missing_database_says_how_to_start_and_creates_nothing(fresh_db):
    result = run("export", "--db", fresh_db)
    assert result.exit_code == 2
    assert "no database at" in result.stderr
    assert "import a plan with `alignment import FILE`" in result.stderr
    assert not os.path.exists(fresh_db)


@pytest.mark.parametrize("command", [["check"], ["plans"], ["history"], ["checkin", "k", "1"]])
def test_read_only_commands_never_create_a_database(tmp_path, command):
    db = tmp_path / "typo" / "plans.db"
    run(*command, "--db", str(db))
    assert not (tmp_path / "typo").exists()


def test_export_of_an_empty_database_says_how_to_start(db_url):
    Store.open(db_url).close()  # created, but holding no plan
    result = run("export", "--db", db_url)
    assert result.exit_code == 2
    assert "import one with `alignment import FILE`" in result.stderr


def test_check_of_a_plan_without_initiatives_claims_no_coverage(tmp_path):
    plan = tmp_path / "p.yaml"
    plan.write_text("plan: Goals only\ngoals:\n  - {id: g, title: G}\n")
    result = run("check", str(plan))
    assert "no live initiatives yet" in result.stdout
    assert "100%" not in result.stdout


def test_export_refuses_an_unknown_format(db):
    result = run("export", "--db", db, "--format", "pdf")
    assert result.exit_code == 2
    assert "'pdf' is not one of" in result.stderr


# -- plans --------------------------------------------------------------------------------------


def test_plans_lists_names_and_counts(db2):
    result = run("plans", "--db", db2)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{UE}        1 goal, 2 strategies, 13 indicators, 13 initiatives",
        f"{STREAMING}  1 goal, 3 strategies, 18 indicators, 14 initiatives",
    ]


def test_plans_of_an_empty_database(db_url):
    result = run("plans", "--db", db_url)
    assert result.exit_code == 0
    assert "no plans in" in result.stdout


# -- checkin ------------------------------------------------------------------------------------


def test_checkin_records_a_value_on_a_date(db):
    result = run("checkin", "bounce-rate", "47.5", "--at", "2026-12-01", "--db", db)
    assert result.exit_code == 0
    assert result.stdout == "bounce-rate: 47.5% on 2026-12-01 (current 47.5%)\n"
    node = Store.open(db).load(UE).node("bounce-rate")
    assert (node.history[-1].at.isoformat(), node.history[-1].value, node.current) == (
        "2026-12-01",
        47.5,
        47.5,
    )


def test_checkin_defaults_to_today(db):
    from datetime import date

    assert run("checkin", "bounce-rate", "47", "--db", db).exit_code == 0
    assert Store.open(db).load(UE).node("bounce-rate").history[-1].at == date.today()


def test_an_earlier_checkin_does_not_change_current(db):
    result = run("checkin", "bounce-rate", "60", "--at", "2020-01-01", "--db", db)
    assert result.exit_code == 0
    assert result.stdout == "bounce-rate: 60% on 2020-01-01 (current 48.5%)\n"


def test_checkin_of_a_negative_value(db):
    result = run("checkin", "bounce-rate", "-3", "--at", "2026-12-01", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert Store.open(db).load(UE).node("bounce-rate").current == -3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["page-speed", "3"], "page-speed is an initiative; only indicators take check-ins"),
        (["break-even", "3"], "break-even is a goal; only indicators take check-ins"),
        (["nope", "3"], "no node 'nope'"),
        (["bounce-rate", "lots"], "'lots' is not a valid float"),
        (["bounce-rate", "3", "--at", "2026-13-01"], "does not match the format '%Y-%m-%d'"),
        (["bounce-rate", "nan"], "check-in value must be a finite number"),
    ],
)
def test_checkin_refusals(db, args, message):
    before = write_plan(Store.open(db).load(UE))
    result = run("checkin", *args, "--db", db)
    assert result.exit_code == 2
    assert message in result.stderr
    assert write_plan(Store.open(db).load(UE)) == before


def test_checkin_with_several_plans_needs_a_name(db2):
    assert run("checkin", "bounce-rate", "47", "--db", db2).exit_code == 2
    assert run("checkin", "bounce-rate", "47", "--db", db2, "--plan", UE).exit_code == 0


def test_a_second_checkin_on_a_date_says_what_it_replaces(db):
    assert run("checkin", "bounce-rate", "31.5", "--at", "2026-11-20", "--db", db).exit_code == 0
    result = run("checkin", "bounce-rate", "30", "--at", "2026-11-20", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "bounce-rate: 30% on 2026-11-20 (current 30%); replaces 31.5% recorded on 2026-11-20\n"
    )
    history = Store.open(db).load(UE).node("bounce-rate").history
    assert [c.value for c in history if c.at.isoformat() == "2026-11-20"] == [30]


def test_a_checkin_after_today_is_recorded_with_a_warning(db):
    from datetime import date, timedelta

    later = (date.today() + timedelta(days=3)).isoformat()
    result = run("checkin", "bounce-rate", "47", "--at", later, "--db", db)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"bounce-rate: 47% on {later}")
    assert result.stderr.startswith(f"alignment: warning: {later} is after today")
    assert len(result.stderr.splitlines()) == 1
    today = run("checkin", "bounce-rate", "46", "--db", db)
    assert today.exit_code == 0 and today.stderr == "", "today is not flagged"


# -- undo and redo -------------------------------------------------------------------------------


def test_undo_and_redo_take_back_and_put_back_your_own_checkin(db):
    run("checkin", "bounce-rate", "47", "--at", "2026-11-20", "--db", db, "--author", "ada")
    result = run("undo", "--db", db, "--author", "ada")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "undone: check-in bounce-rate: 47 on 2026-11-20\n"
    node = Store.open(db).load(UE).node("bounce-rate")
    assert all(c.at.isoformat() != "2026-11-20" for c in node.history)
    assert node.current == 48.5
    result = run("redo", "--db", db, "--author", "ada")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "redone: check-in bounce-rate: 47 on 2026-11-20\n"
    assert Store.open(db).load(UE).node("bounce-rate").current == 47


def test_undo_leaves_other_peoples_changes_alone(db):
    run("checkin", "bounce-rate", "47", "--at", "2026-11-20", "--db", db, "--author", "ada")
    run("checkin", "bounce-rate", "46", "--at", "2026-11-27", "--db", db, "--author", "bob")
    assert run("undo", "--db", db, "--author", "ada").exit_code == 0
    history = Store.open(db).load(UE).node("bounce-rate").history
    ours = {"2026-11-20", "2026-11-27"}
    assert [c.value for c in history if c.at.isoformat() in ours] == [46]
    nothing = run("undo", "--db", db, "--author", "ada")
    assert nothing.exit_code == 2
    assert nothing.stderr == f"alignment: nothing to undo for ada in {UE!r}\n"
    assert run("redo", "--db", db, "--author", "bob").exit_code == 2, "bob undid nothing"


def test_undo_refused_says_who_changed_it_since(db):
    run("checkin", "bounce-rate", "47", "--at", "2026-11-20", "--db", db, "--author", "ada")
    run("checkin", "bounce-rate", "45", "--at", "2026-11-20", "--db", db, "--author", "bob")
    result = run("undo", "--db", db, "--author", "ada")
    assert result.exit_code == 2
    assert re.fullmatch(
        r"alignment: cannot undo: bob since recorded check-in bounce-rate: 45 on 2026-11-20 "
        r"\(replaces 47\) at \d\d:\d\d\n",
        result.stderr,
    ), result.stderr
    assert Store.open(db).load(UE).node("bounce-rate").current == 45


def test_undo_takes_back_a_whole_import_of_checkins(db, tmp_path):
    before = write_plan(Store.open(db).load(UE))
    rows = "bounce-rate,2026-11-20,47\nbounce-rate,2026-11-27,46\n"
    path = write(tmp_path, CSV_HEADER + rows, "c.csv")
    assert run("import-checkins", path, "--db", db, "--author", "script").exit_code == 0
    result = run("undo", "--db", db, "--author", "script")
    assert result.exit_code == 0
    assert result.stdout == "undone: check-ins for 1 indicator\n"
    assert write_plan(Store.open(db).load(UE)) == before


def test_the_author_comes_from_the_environment_when_not_given(db, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_AUTHOR", "carol")
    run("checkin", "bounce-rate", "47", "--at", "2026-11-20", "--db", db)
    assert run("undo", "--db", db, "--author", "dave").exit_code == 2
    assert run("undo", "--db", db).exit_code == 0
    assert Store.open(db).session().history()[0].author == "carol"


@pytest.mark.parametrize("author", ["\x1b]0;pwned\x07", "a\nb", " "])
def test_an_author_that_cannot_be_one_is_refused_in_one_line(db, author):
    result = run("checkin", "bounce-rate", "47", "--db", db, "--author", author)
    if not author.strip():  # blank: falls back to ALIGNMENT_AUTHOR
        assert result.exit_code == 0
        return
    assert result.exit_code == 2
    assert result.stderr == (
        "alignment: the author (--author) must be one line without control characters\n"
    )


# -- import-checkins -----------------------------------------------------------------------------

CSV_HEADER = "indicator,date,value\n"


def test_import_checkins_records_every_row(db, tmp_path):
    path = write(
        tmp_path, CSV_HEADER + "bounce-rate,2026-12-01,47\nbounce-rate,2026-12-08,46\n", "c.csv"
    )
    result = run("import-checkins", path, "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "recorded 2 check-ins for 1 indicator\n"
    assert Store.open(db).load(UE).node("bounce-rate").current == 46


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("bounce-rate,2026-12-01,nan", "c.csv:3: 'nan' is not a number"),
        ("bounce-rate,2026-12-01,inf", "c.csv:3: 'inf' is not a number"),
        ("nope,2026-12-01,3", "c.csv:3: no node 'nope'"),
        ("page-speed,2026-12-01,3", "c.csv:3: page-speed is an initiative"),
    ],
)
def test_import_checkins_names_the_line_of_a_bad_row(db, tmp_path, row, message):
    before = write_plan(Store.open(db).load(UE))
    path = write(tmp_path, CSV_HEADER + "bounce-rate,2026-12-08,46\n" + row + "\n", "c.csv")
    result = run("import-checkins", path, "--db", db)
    assert result.exit_code == 2
    assert message in result.stderr
    assert write_plan(Store.open(db).load(UE)) == before


def test_import_checkins_of_a_header_only_file_records_nothing(db, tmp_path):
    path = write(tmp_path, CSV_HEADER, "c.csv")
    result = run("import-checkins", path, "--db", db)
    assert result.exit_code == 0
    assert "nothing recorded" in result.stdout
    assert len(Store.open(db).session().history()) == 1, "no empty change in the journal"


@pytest.mark.parametrize("limit", ["0", "-1", str(2**70)])
def test_history_refuses_a_limit_out_of_range(db, limit):
    result = run("history", "-n", limit, "--db", db)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


# -- every command ------------------------------------------------------------------------------


def test_every_command_has_help_text():
    assert main.help
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), f"{name} has no help text"
        result = run(name, "--help")
        assert result.exit_code == 0
        assert " ".join(command.help.split()[:6]) in " ".join(result.stdout.split())
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "fmt":  # --format shows choices
                assert param.help, f"{name} {param.opts[0]} has no help text"


def test_alignment_db_is_used_when_db_is_not_given(tmp_path, samples):
    env_db = tmp_path / "from-env.db"
    env = {"ALIGNMENT_DB": str(env_db)}
    assert run("import", str(samples["streaming"]), env=env).exit_code == 0
    assert env_db.exists()
    assert run("plans", env=env).stdout.startswith(STREAMING)
    assert run("check", env=env).exit_code == 0
    other = tmp_path / "flag.db"
    assert "no plans" in run("plans", "--db", str(other), env=env).stdout, "--db wins"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "no-such-file.yaml"],
        ["import", "no-such-file.yaml"],
        ["export", "--plan", "x"],
        ["export", "--db", "/dev/null/inside-a-file.db"],
        ["plans", "--db", "nosuchdriver://host/db"],
        ["checkin"],
        ["checkin", "k"],
        ["history", "--plan", "nope"],
        ["no-such-command"],
        ["check", "--format", "xml"],
    ],
)
def test_bad_input_never_shows_a_traceback(args):
    result = run(*args)
    assert result.exit_code == 2
    reason = result.stderr.strip().splitlines()[-1]
    assert reason.startswith(("alignment: ", "Error: ")), result.stderr


def test_a_database_from_a_newer_version_is_refused_in_one_line(tmp_path):
    import sqlite3

    db = tmp_path / "newer.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '99')")
    conn.close()
    result = run("plans", "--db", str(db))
    assert result.exit_code == 2
    assert "written by a newer alignment" in result.stderr
    assert result.stderr.count("\n") == 1


# -- real processes -------------------------------------------------------------------------------


def test_python_dash_m_alignment_check_in_a_real_process(samples):
    result = subprocess.run(
        [sys.executable, "-m", "alignment", "check", str(samples["unit-economics"])],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout.startswith("orphan-initiative")
    assert "\x1b[" not in result.stdout
    assert result.stderr == ""


def test_check_json_is_byte_identical_across_processes(samples):
    """Stable order: no dependence on hash seeds or dict order between runs (CI diffs it)."""
    command = [sys.executable, "-m", "alignment", "check", str(samples["unit-economics"]),
               "--format", "json"]  # fmt: skip
    first, second = (
        subprocess.run(command, capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    )  # fmt: skip
    assert first == second
    assert json.loads(first)["summary"]["errors"] == 2


def test_import_then_plans_in_real_processes(tmp_path, samples):
    env = {**os.environ, "ALIGNMENT_DB": str(tmp_path / "real.db")}
    imported = subprocess.run(
        [sys.executable, "-m", "alignment", "import", str(samples["streaming"])],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "alignment", "plans"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert listed.stdout.startswith(STREAMING)
    again = subprocess.run(
        [sys.executable, "-m", "alignment", "import", str(samples["streaming"])],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert again.returncode == 2
    assert again.stderr.startswith("alignment: a plan named")
    assert "Traceback" not in again.stderr


def test_the_cli_offers_exactly_the_export_formats_there_are():
    from alignment.cli import EXPORT_FORMATS as offered
    from alignment.formats.export import EXPORT_FORMATS

    assert offered == tuple(EXPORT_FORMATS)


def test_a_failed_export_leaves_no_file_behind(tmp_path, samples):
    runner = CliRunner()
    db = str(tmp_path / "x.db")
    assert runner.invoke(main, ["import", str(samples["streaming"]), "--db", db]).exit_code == 0
    result = runner.invoke(main, ["export", "--db", db, "-o", str(tmp_path / "no" / "map.yaml")])
    assert result.exit_code == 2
    assert "cannot write" in result.output
    assert not (tmp_path / "no").exists()
    assert not list(tmp_path.rglob("*.tmp"))


def test_checkin_at_an_older_date_on_an_indicator_with_history_but_no_current(tmp_path):
    """0.1.0 raised a TypeError here (comparing a date with None)."""
    path = write(
        tmp_path,
        "plan: P\ngoals:\n  - id: g\n    title: G\nindicators:\n  - id: k\n    title: K\n"
        "    history:\n      - {at: 2026-10-05, value: 51}\n    supports: [g]\n",
    )
    db = str(tmp_path / "k.db")
    assert run("import", path, "--db", db).exit_code == 0
    result = run("checkin", "k", "3", "--at", "2020-01-01", "--db", db)
    assert result.exit_code == 0, result.output
    history = Store.open(db).load("P").node("k").history
    assert [(c.at.isoformat(), c.value) for c in history] == [("2020-01-01", 3), ("2026-10-05", 51)]
