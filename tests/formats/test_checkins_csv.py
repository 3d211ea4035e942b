"""Check-ins from CSV: text is text, every refusal names its line, and a refusal records nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli import main
from alignment.core.model import PlanError
from alignment.formats.checkins_csv import read_checkins_csv

HEADER = "indicator,date,value\n"
GOOD = "cac,2026-10-05,40\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "checkins.csv"
    path.write_text(text, encoding="utf-8")
    return path


BAD_ROWS = [
    # (case, second data row, what the reason says)
    ("esc-in-indicator", "cac\x1b[31m,2026-10-12,41\n", "the indicator must not contain control characters (found '\\x1b')"),
    ("osc8-in-indicator", "\x1b]8;;http://x\x1b\\cac,2026-10-12,41\n", "the indicator must not contain control characters"),
    ("bell-in-date", "cac,2026-10-12\x07,41\n", "the date must not contain control characters (found '\\x07')"),
    ("nul-in-value", "cac,2026-10-12,41\x00\n", "the value must not contain control characters (found '\\x00')"),
    ("c1-in-indicator", "cac\x9b31m,2026-10-12,41\n", "control characters (found '\\x9b')"),
    ("compact-date", "cac,20261012,41\n", "'20261012' is not an ISO date (YYYY-MM-DD)"),
    ("week-date", "cac,2026-W41-1,41\n", "is not an ISO date"),
    ("long-date", "cac," + "9" * 5000 + ",41\n", "… (5000 chars) is not an ISO date"),
    ("long-value", "cac,2026-10-12," + "1" * 5000 + "x\n", "… (5001 chars) is not a number"),
    ("long-indicator", "x" * 5000 + ",2026-10-12,41\n", "… (5000 chars) is not an indicator id"),
    ("cell-too-large-for-csv", 'cac,2026-10-12,"' + "1" * 200_000 + '"\n', "not valid CSV"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "row", "reason"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_is_refused_naming_its_line(tmp_path, case, row, reason):
    path = write(tmp_path, HEADER + GOOD + row)
    with pytest.raises(PlanError) as refused:
        read_checkins_csv(path)
    message = str(refused.value)
    assert message.startswith(f"{path}:3: "), message
    assert reason in message
    assert len(message) < 300 + len(str(path))
    assert not re.search("[\x00-\x1f\x7f-\x9f]", message), "the message is one printable line"


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "checkins.csv"
    path.write_bytes((HEADER + GOOD + "caf\xe9,2026-10-12,41\n").encode("latin-1"))
    with pytest.raises(PlanError, match=rf"^{re.escape(str(path))}:3: not UTF-8 text"):
        read_checkins_csv(path)


def test_a_byte_order_mark_is_not_part_of_the_header(tmp_path):
    path = tmp_path / "checkins.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + GOOD).encode())
    assert [row[0] for row in read_checkins_csv(path)] == ["cac"]


def test_import_checkins_refuses_control_characters_and_records_nothing(tmp_path, samples):
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    assert (
        runner.invoke(main, ["import", str(samples["unit-economics"]), "--db", db]).exit_code == 0
    )
    before = runner.invoke(main, ["history", "--db", db]).stdout
    path = write(tmp_path, HEADER + GOOD + "cac,2026-10-12,41\x1b]0;pwned\x07\n")
    result = runner.invoke(main, ["import-checkins", str(path), "--db", db])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"alignment: {path}:3: the value must not contain control")
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr
    assert runner.invoke(main, ["history", "--db", db]).stdout == before
