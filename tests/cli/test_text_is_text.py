"""Text is text: control characters already in a database never reach the terminal raw.

A database written by an older version may hold ESC, OSC 8 hyperlinks, OSC 0 window titles,
BEL, C1 controls or bidirectional overrides in titles, owners, units, descriptions, authors and
journal summaries. Every command and every export shows them as visible escapes. The bytes are
written with sqlite3 directly, as an older version (or another program) would have left them.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from click.testing import CliRunner

from alignment.cli import main

UE = "Break even on unit economics"
STREAMING = "Streaming subscriptions North Star"

# ESC colour, an OSC 8 hyperlink, an OSC 0 window title, BEL, a C1 CSI, NUL, a bidi override.
PAYLOAD = (
    "\x1b[31mRED\x1b]8;;http://evil.example\x1b\\LINK\x1b]8;;\x1b\\"
    "\x1b]0;TITLE\x07BELL\x07\x9b31mCSI\x00NUL\u202eRTL"
)
# Anything a terminal acts on (newline and tab aside: our own output has them).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def raw_controls(text: str) -> list[str]:
    return RAW.findall(text)


@pytest.fixture
def tainted_db(fresh_db, samples) -> str:
    runner = CliRunner()
    for sample in ("unit-economics", "streaming"):
        result = runner.invoke(main, ["import", str(samples[sample]), "--db", fresh_db])
        assert result.exit_code == 0, result.output
    with sqlite3.connect(fresh_db) as conn:
        ue = conn.execute("SELECT id FROM plan WHERE name = ?", (UE,)).fetchone()[0]
        conn.execute(
            "UPDATE node SET title = title || ?, owner = ?, description = ? WHERE plan_id = ?",
            (PAYLOAD, PAYLOAD, PAYLOAD, ue),
        )
        conn.execute(
            "UPDATE node SET unit = ? WHERE unit IS NOT NULL AND plan_id = ?", (PAYLOAD, ue)
        )
        conn.execute("UPDATE change SET author = ?, summary = summary || ?", (PAYLOAD, PAYLOAD))
        # The other plan's name: `plans` lists it without loading the plan.
        conn.execute("UPDATE plan SET name = name || ? WHERE id != ?", (PAYLOAD, ue))
    return fresh_db


COMMANDS = [
    # (arguments, exit status, the tainted text must show, escaped)
    (["plans"], 0),
    (["history", "--plan", UE], 0),
    (["check", "--plan", UE], 1),
    (["check", "--plan", UE, "--format", "json"], 1),
    (["export", "--plan", UE, "--format", "markdown", "--date", "2026-11-23"], 0),
    (["export", "--plan", UE, "--format", "mermaid"], 0),
    (["export", "--plan", UE, "--format", "dot"], 0),
    (["export", "--plan", UE, "--format", "json"], 0),
    (["export", "--plan", UE, "--format", "yaml"], 0),
]


@pytest.mark.parametrize(("args", "status"), COMMANDS, ids=[" ".join(c[0][:3]) for c in COMMANDS])
def test_stored_control_characters_are_shown_as_escapes(tainted_db, args, status):
    result = CliRunner().invoke(main, [*args, "--db", tainted_db])
    assert result.exit_code == status, result.output
    assert raw_controls(result.stdout) == []
    assert raw_controls(result.stderr) == []
    # The tainted text did reach the output (as escapes), so the test is not vacuous.
    assert "LINK" in result.stdout and "TITLE" in result.stdout


def test_a_checkin_on_a_tainted_node_says_so_in_one_clean_line(tainted_db):
    result = CliRunner().invoke(
        main, ["checkin", "cac", "39", "--at", "2026-12-01", "--plan", UE, "--db", tainted_db]
    )
    assert raw_controls(result.stdout + result.stderr) == []
    assert result.exit_code in (0, 2), result.output
    assert result.stderr.count("\n") <= 1


def test_export_to_a_file_is_clean_too(tainted_db, tmp_path):
    for fmt in ("markdown", "mermaid", "dot", "json", "yaml"):
        out = tmp_path / f"map.{fmt}"
        result = CliRunner().invoke(
            main, ["export", "--plan", UE, "--format", fmt, "-o", str(out), "--db", tainted_db]
        )
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert raw_controls(text) == [], fmt
        assert "LINK" in text


def test_an_error_message_echoing_a_control_character_is_clean(tmp_path):
    """A file name is echoed in errors; it is the user's own, but still never raw control."""
    name = tmp_path / "plan\x1b]0;pwned\x07.yaml"
    result = CliRunner().invoke(main, ["check", str(name)])
    assert result.exit_code == 2
    assert raw_controls(result.stderr) == []
    assert "pwned" in result.stderr and result.stderr.count("\n") == 1


# -- the safety net: a bug is never "exit 1" (which a CI gate reads as error findings) ---------


def test_an_unexpected_exception_exits_70_in_one_line(monkeypatch, samples):
    import alignment.formats.plan_file as plan_file

    def broken(path, lines=None):  # stands for any bug in our code
        raise ZeroDivisionError("division by zero\x1b[2J")

    monkeypatch.setattr(plan_file, "read_plan_file", broken)
    result = CliRunner().invoke(main, ["check", str(samples["unit-economics"])])
    assert result.exit_code == 70
    assert result.stdout == ""
    assert result.stderr.startswith("alignment: internal error (ZeroDivisionError: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert raw_controls(result.stderr) == []


def test_an_interrupt_is_not_read_as_findings(monkeypatch, samples):
    import alignment.formats.plan_file as plan_file

    def interrupted(path, lines=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(plan_file, "read_plan_file", interrupted)
    result = CliRunner().invoke(main, ["check", str(samples["unit-economics"])])
    assert result.exit_code == 130
    assert result.stderr == "alignment: interrupted\n"


def test_a_closed_pipe_is_quiet(tmp_path, samples):
    """`alignment export | head -1`: no traceback, no "internal error" once the reader is gone."""
    import subprocess
    import sys

    db = str(tmp_path / "p.db")
    subprocess.run(
        [sys.executable, "-m", "alignment", "import", str(samples["unit-economics"]), "--db", db],
        check=True,
        capture_output=True,
    )
    shell = (
        f"{sys.executable} -m alignment export --format markdown --db {db}"
        " | head -c 10 >/dev/null; echo ${PIPESTATUS[0]}"
    )
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60)
    assert done.stderr == ""
    assert done.stdout.strip() in ("0", "141")


@pytest.mark.parametrize("fmt", ["markdown", "mermaid", "dot", "json", "yaml"])
def test_a_tainted_plan_name_and_description_are_clean_in_every_export(samples, fmt):
    """Loading refuses them today, but an export function must not rely on that."""
    from datetime import date

    from alignment.formats.export import render
    from alignment.formats.plan_file import read_plan_file

    plan = read_plan_file(samples["unit-economics"])
    plan.name = f"Plan {PAYLOAD}"
    plan.description = f"About {PAYLOAD}\nsecond line"
    text = render(plan, fmt, date(2026, 11, 23))
    assert raw_controls(text) == []
    if fmt != "mermaid":  # the flowchart does not name the plan
        assert "LINK" in text


def test_a_stored_plan_name_with_control_characters_still_opens_and_shows_clean(tainted_db):
    """An older version may have stored them: the plan loads (it is not locked away) and every
    command shows the name escaped."""
    with sqlite3.connect(tainted_db) as conn:
        conn.execute("UPDATE plan SET name = ?, description = ? WHERE name = ?",
                     (f"Tainted {PAYLOAD}", f"About {PAYLOAD}", UE))  # fmt: skip
    name = f"Tainted {PAYLOAD}"
    for args in (["check", "--plan", name], ["export", "--plan", name, "--format", "markdown"]):
        result = CliRunner().invoke(main, [*args, "--db", tainted_db])
        assert result.exit_code in (0, 1), result.output
        assert raw_controls(result.stdout) == [] and raw_controls(result.stderr) == []
        assert "Tainted" in result.stdout
