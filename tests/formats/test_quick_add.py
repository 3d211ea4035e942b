"""The quick-add line: what each clause means, and every refusal with its reason."""

from __future__ import annotations

from datetime import date

import pytest

from alignment.core.model import Direction, Kind, PlanError, Status
from alignment.formats.quick_add import complete, parse_line


def test_the_issue_example_reads_every_clause() -> None:
    line = parse_line("indicator Bounce rate % down 52 -> 40 by 2027-03-31 under reduce-cac")
    assert (line.kind, line.title, line.parents) == (Kind.INDICATOR, "Bounce rate", ("reduce-cac",))
    assert line.fields == {
        "unit": "%",
        "direction": Direction.DOWN,
        "baseline": 52,
        "target": 40,
        "due": date(2027, 3, 31),
    }
    assert line.inferred is None
    node = line.node("bounce-rate")
    assert (node.baseline, node.target, node.direction) == (52, 40, Direction.DOWN)


@pytest.mark.parametrize(
    ("text", "direction", "said"),
    [
        ("ind Registration rate % 3,1 -> 4", Direction.UP, "up (4 is above 3.1)"),
        ("i: CAC USD 41.4→33", None, None),  # "i" is ambiguous: refused below
        ("ind: CAC USD 41.4→33", Direction.DOWN, "down (33 is below 41.4)"),
    ],
)
def test_a_direction_left_out_is_read_from_the_numbers(
    text: str, direction: Direction | None, said: str | None
) -> None:
    if direction is None:
        with pytest.raises(PlanError, match="could be indicator or initiative"):
            parse_line(text)
        return
    line = parse_line(text)
    assert (line.fields["direction"], line.inferred) == (direction, said)


def test_other_kinds_and_clauses() -> None:
    goal = parse_line("goal: Break even by 2027-06-30")
    assert (goal.kind, goal.title, goal.fields) == (
        Kind.GOAL,
        "Break even",
        {"due": date(2027, 6, 30)},
    )
    strategy = parse_line("s Reduce CAC by 20% under break-even")
    assert (strategy.title, strategy.parents) == ("Reduce CAC by 20%", ("break-even",))
    work = parse_line("ini Refer a friend @Growth effort 3 status planned under a,b, c")
    assert work.fields == {"owner": "Growth", "effort": 3, "status": Status.PLANNED}
    assert work.parents == ("a", "b", "c")
    quoted = parse_line('indicator "Sessions per week" visits up 2 -> 3')
    assert (quoted.title, quoted.fields["unit"]) == ("Sessions per week", "visits")
    no_unit = parse_line("indicator Net revenue retention up 100 -> 110")
    assert no_unit.title == "Net revenue retention" and "unit" not in no_unit.fields


@pytest.mark.parametrize(
    ("text", "reason", "field"),
    [
        ("", "empty line", "kind"),
        ("Reduce CAC", "start with a kind", "kind"),
        ("in Churn", "could be indicator or initiative", "kind"),
        ("goal", "a title is missing", "title"),
        ('ind "Churn down', "closing quote is missing", "title"),
        ("ind Churn % 5 -> 1,500", "ambiguous", "target"),
        ("ind Churn % five -> 3", "baseline must be a number before '->', not 'five'", "baseline"),
        ("ind Time 46 -> 24 hours", "write the unit before the numbers", "title"),
        ("ind Churn % 5 -> 5", "baseline and target are equal", "direction"),
        ("ind Churn % by 2027-13-01", "due must be a date", "due"),
        ("ind Churn up down", "direction is given twice", "direction"),
        ("goal Grow under", "under: name the id", "supports"),
        ("ind Churn % 5 -> 3 under", "under: name the id", "supports"),
    ],
)
def test_bad_lines_are_refused_with_the_reason(text: str, reason: str, field: str) -> None:
    with pytest.raises(PlanError, match=reason) as refused:
        parse_line(text)
    assert refused.value.field == field


def test_a_clause_for_another_kind_is_refused_when_the_node_is_made() -> None:
    line = parse_line("strategy Grow by 2027-01-01")
    with pytest.raises(PlanError, match="due is only for goals and indicators") as refused:
        line.node("grow")
    assert refused.value.field == "due"


def test_completion_of_kind_words_and_ids() -> None:
    ids = ["reduce-cac", "registration-rate", "break-even"]
    assert complete("ini", ids) == "initiative"
    assert complete("i", ids) is None  # two kinds start with i
    assert complete("ind Churn under br", ids) == "ind Churn under break-even"
    assert (
        complete("ind Churn under break-even,red", ids) == "ind Churn under break-even,reduce-cac"
    )
    assert complete("ind Churn under re", ids) == "ind Churn under reduce-cac"  # first in order
    assert complete("ind Churn ", ids) is None
    assert complete("ind Churn br", ids) is None  # not after under
