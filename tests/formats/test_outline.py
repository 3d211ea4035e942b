"""Drafting from an outline: the worked example, and each invalid outline with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli import main
from alignment.core.model import Direction, Kind
from alignment.formats.outline import parse_outline, read_outline
from alignment.formats.plan_file import PlanFileError
from alignment.store import Store

REPO = Path(__file__).resolve().parents[2]
DRAFT = REPO / "benchmarks" / "unit-economics-draft.md"


def test_the_worked_example_drafts_the_plan() -> None:
    plan = read_outline(DRAFT)
    assert plan.name == "Break even on unit economics"
    assert plan.description is not None and plan.description.startswith("The worked example")
    counts = plan.counts()
    assert [counts[k] for k in Kind] == [1, 2, 6, 9]
    bounce = plan.node("bounce-rate-on-entry-pages")
    assert (bounce.unit, bounce.direction, bounce.baseline, bounce.target) == (
        "%",
        Direction.DOWN,
        52,
        40,
    )
    assert plan.supported("bounce-rate-on-entry-pages") == ["reduce-cac-by-20"]
    # Nesting first, then the ids named by `under` (defined later in the file).
    assert plan.supported("deploy-an-analytics-tool") == ["reduce-cac-by-20", "increase-ltv-by-20"]
    assert plan.supported("reduce-friction-in-the-main-journeys") == [
        "sessions-per-week",
        "activation-rate",
    ]


def test_ids_from_equal_titles_do_not_collide() -> None:
    plan = parse_outline("# P\n- goal: Grow\n- goal: Grow\n", "x.md")
    assert [n.id for n in plan.nodes()] == ["grow", "grow-2"]


INVALID = [
    ("- goal: Grow\n", 1, "start with the plan's name"),
    ("Some words\n# P\n", 1, "start with the plan's name"),
    ("# P\n", None, "no bullets"),
    ("", None, "empty"),
    ("# P\n- goal: Grow\n# Q\n", 3, "only one '# Plan name' line"),
    ("# P\n- goal: Grow\nloose text\n", 3, "expected a bullet"),
    ("# P\n- goal: Grow\n\t- s: Sell\n", 3, "indent with spaces"),
    ("# P\n- goal: Grow\n    - s: Sell\n  - s: Buy\n", 4, "does not line up"),
    ("# P\n  - goal: Grow\n- goal: Other\n", 3, "does not line up"),
    ("# P\n- goal: Grow\n  - i: Sell\n", 3, "could be indicator or initiative"),
    ("# P\n- goal: Grow\n  - Sell more\n", 3, "start with a kind"),
    ("# P\n- goal: Grow\n  - ind: Churn % 5 -> 1,500\n", 3, "ambiguous"),
    ("# P\n- goal: Grow\n  - s: Sell by 2027-01-01\n", 3, "due is only for"),
    ("# P\n- goal: Grow\n  - s: Sell under nowhere\n", 3, "no node 'nowhere'"),
    ("# P\n- initiative: Ship\n  - goal: Grow\n", 3, "cannot support"),
    ("# P\n- goal: A\n  - s: B under c\n- s: C under b\n", 4, "cycle"),
    ("# " + "x" * 300 + "\n- goal: A\n", 1, "name"),
]


@pytest.mark.parametrize(("text", "line", "reason"), INVALID)
def test_invalid_outlines_name_their_line(text: str, line: int | None, reason: str) -> None:
    with pytest.raises(PlanFileError, match=reason) as refused:
        parse_outline(text, "draft.md")
    assert refused.value.line == line
    where = "draft.md" if line is None else f"draft.md:{line}"
    assert str(refused.value).startswith(f"{where}: ")


def test_import_reads_an_outline_and_writes_nothing_when_it_is_bad(tmp_path: Path) -> None:
    db = str(tmp_path / "db")
    runner = CliRunner()
    bad = tmp_path / "bad.md"
    bad.write_text("# P\n- goal: Grow\n  - s: Sell under nowhere\n")
    result = runner.invoke(main, ["import", str(bad), "--db", db])
    assert result.exit_code == 2
    assert f"{bad}:3: under: no node 'nowhere' in this outline" in result.output
    assert not (tmp_path / "db").exists()
    result = runner.invoke(main, ["import", str(DRAFT), "--db", db])
    assert result.exit_code == 0, result.output
    assert "1 goal, 2 strategies, 6 indicators, 9 initiatives" in result.output
    store = Store.open(db)
    try:
        assert len(store.load("Break even on unit economics")) == 18
    finally:
        store.close()
