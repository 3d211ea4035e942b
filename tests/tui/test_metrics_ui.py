"""The numbers of a plan on screen (issue 9, TUI): roles and implied links on the map, formulas,
aims and goal conditions in the detail pane, a status word per indicator in the Metrics view.

Every assertion reads what the terminal shows (``screen_lines``/``shown_in``), at a fixed
date injected through ``make_app(today=...)``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable

from alignment.core.analysis import alignment_of
from alignment.core.model import Kind
from alignment.formats.plan_file import read_plan_file
from alignment.tui.app import AlignmentApp, make_app
from alignment.tui.modals.prompts import CheckInModal
from alignment.tui.widgets.node_detail import NodeDetail, describe_node
from alignment.tui.widgets.plan_tree import PlanTree

from .conftest import TODAY, UNIT_ECONOMICS, make_db, screen_lines, select, settle, shown_in

# A small plan where the numbers are not written down but meant: a North Star formula whose
# target comes from its inputs' targets, an indicator without a target that takes the aim of
# the strategy measuring it (-10% of 110 = 99), one going the wrong way; titles that look
# like markup.
NUMBERS = """\
format: 1
plan: Numbers
goals:
  - id: profit
    title: Be profitable
    condition: "${revenue} >= ${costs}"
    due: 2027-12-31
strategies:
  - id: cut-costs
    title: Cut costs [b]by[/b] 10%
    measure: costs
    change: -10%
    supports: [profit]
indicators:
  - id: margin
    title: Margin [/]
    role: north-star
    unit: kUSD
    formula: "${revenue} - ${costs}"
    direction: up
    supports: [profit]
  - id: revenue
    title: Revenue
    role: lagging
    unit: kUSD
    direction: up
    baseline: 100
    current: 90
    target: 120
  - id: costs
    title: Costs
    role: lagging
    unit: kUSD
    direction: down
    baseline: 110
    current: 105
"""


WIDE = (200, 50)  # the detail pane holds a long line unwrapped


@asynccontextmanager
async def app_at(
    db: str, day: date = TODAY, size: tuple[int, int] = (120, 40), read_only: bool = False
) -> AsyncIterator[tuple[AlignmentApp, object]]:
    """The app on ``db`` as if today were ``day`` (the time rules judge at that date)."""
    app = make_app(db, None, today=lambda: day, busy_timeout=2.0, read_only=read_only)
    async with app.run_test(size=size, notifications=False) as pilot:
        await settle(app, pilot)
        yield app, pilot


@pytest.fixture
def numbers_db(tmp_path: Path) -> str:
    plan_file = tmp_path / "numbers.yaml"
    plan_file.write_text(NUMBERS, encoding="utf-8")
    return make_db(tmp_path / "db", plan_file)


def tree_text(app: AlignmentApp) -> list[str]:
    return shown_in(app, app.screen.query_one(PlanTree)).splitlines()


def detail_text(app: AlignmentApp) -> str:
    return shown_in(app, app.screen.query_one(NodeDetail))


def row_of(lines: list[str], text: str) -> int:
    return next(index for index, line in enumerate(lines) if text in line)


async def open_metrics(app: AlignmentApp, pilot) -> list[str]:  # type: ignore[no-untyped-def]
    await pilot.press("4")
    await settle(app, pilot)
    return screen_lines(app)


# -- the map --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_the_north_star_leads_its_goal_with_its_formula_inputs_under_it(
    db: str, size: tuple[int, int]
) -> None:
    """At any width the badge and the ƒ of each input show; the notes after a title (role,
    measure) show where the pane has room for them (at 80 columns titles come first)."""
    async with app_at(db, size=size) as (app, _pilot):
        lines = tree_text(app)
        goal = row_of(lines, "Break even on our unit economics")
        # First under the goal (before the strategies), with its badge in words.
        assert "LTV to CAC ratio" in lines[goal + 1]
        assert "★ north star" in lines[goal + 1]
        # Its inputs under it: nobody listed them, the formula ${ltv} / ${cac} implies them.
        strategy = row_of(lines, "Reduce CAC by 20%")
        branch = lines[goal + 2 : strategy]
        cac = row_of(branch, "Customer acquisition cos")
        ltv = row_of(branch, "Customer lifetime value")
        assert "ƒ ▲ Customer acquisition cos" in branch[cac]
        assert "ƒ ▲ Customer lifetime value" in branch[ltv]
        # A strategy shows the indicator it measures itself by.
        assert "Customer acquisition cos" in lines[strategy + 1]
        if size[0] >= 120:
            assert "lagging" in branch[cac] and "lagging" in branch[ltv]
            assert "measure · lagging" in lines[strategy + 1]
            assert "leading" in lines[row_of(lines, "Bounce rate on entry pages")]


async def test_an_implied_link_alone_puts_an_indicator_on_the_map(numbers_db: str) -> None:
    """Costs and Revenue support nothing in their ``supports``: the formula and the measure
    are their only links, and they are enough to be aligned (not under Unaligned)."""
    async with app_at(numbers_db) as (app, _pilot):
        lines = tree_text(app)
        assert not any("Unaligned (" in line and "(0)" not in line for line in lines)
        margin = row_of(lines, "Margin [/]")
        assert "★ north star" in lines[margin]
        under = lines[margin + 1 : margin + 3]
        assert any("ƒ ▲ Costs" in line for line in under)
        assert any("ƒ ▲ Revenue" in line for line in under)
        strategy = row_of(lines, "Cut costs [b]by[/b] 10%")
        assert "Costs" in lines[strategy + 1] and "measure" in lines[strategy + 1]


async def test_editing_a_formula_moves_its_inputs_on_the_map(numbers_db: str) -> None:
    async with app_at(numbers_db) as (app, pilot):
        margin = app.plan.node("margin")
        app.apply_change(app.plan.update_change(margin.evolve(formula="${revenue} - 5")))
        await settle(app, pilot)
        lines = tree_text(app)
        row = row_of(lines, "Margin [/]")
        assert "ƒ ▲ Revenue" in lines[row + 1]
        assert "Costs" not in lines[row + 2]  # no longer an input: only under the strategy
        assert sum("Costs" in line for line in lines) == 1


async def test_a_new_north_star_moves_to_the_top_of_its_siblings(numbers_db: str) -> None:
    async with app_at(numbers_db) as (app, pilot):
        lines = tree_text(app)
        row = row_of(lines, "Margin [/]")
        assert "Revenue" in lines[row + 1] and "Costs" in lines[row + 2]  # plan order
        costs = app.plan.node("costs")
        app.apply_change(app.plan.update_change(costs.evolve(role="north-star")))
        await settle(app, pilot)
        lines = tree_text(app)
        row = row_of(lines, "Margin [/]")
        assert "ƒ ▲ Costs" in lines[row + 1] and "★ north star" in lines[row + 1]
        assert "ƒ ▲ Revenue" in lines[row + 2]


# -- the detail pane ------------------------------------------------------------------------


async def test_the_goal_says_its_condition_is_not_met_now_nor_once_the_work_lands(
    db: str,
) -> None:
    async with app_at(db) as (app, pilot):
        await select(app, pilot, "break-even")
        text = detail_text(app)
        assert "Condition  ltv >= cac" in text
        assert "Now        ✗ not met (cac 39.8 USD, ltv 29.1 USD)" in text
        assert "Expected   ✗ not met once the committed work lands" in text
        assert "Due        2027-06-30" in text


async def test_the_north_star_shows_its_formula_inputs_and_computed_values(db: str) -> None:
    async with app_at(db) as (app, pilot):
        await select(app, pilot, "ltv-to-cac")
        text = detail_text(app)
        assert "Role       ★ north star" in text
        assert "Formula    ${ltv} / ${cac}" in text
        assert "cac = 39.8 USD" in text and "ltv = 29.1 USD" in text
        assert "Current    0.731x  computed" in text
        assert "Status     on track" in text


async def test_a_strategy_shows_its_aim_from_its_change_and_the_progress_toward_it(
    db: str,
) -> None:
    async with app_at(db) as (app, pilot):
        await select(app, pilot, "reduce-cac")
        text = detail_text(app)
        assert "Aim        -20% of 41.4 = 33.12 USD" in text
        assert "Current    39.8 USD" in text
        assert "Progress" in text and "19%" in text


async def test_a_lent_target_says_which_strategy_lent_it(numbers_db: str) -> None:
    async with app_at(numbers_db, size=WIDE) as (app, pilot):
        await select(app, pilot, "costs")
        text = detail_text(app)
        assert "Target     99 kUSD" in text
        assert "Set by     the aim of ◆ Cut costs [b]by[/b] 10%: -10% of 110" in text
        await select(app, pilot, "margin")
        text = detail_text(app)
        assert "Set by     the formula over its inputs' targets" in text
        assert "Status     wrong way" in text


async def test_a_mandatory_initiative_says_why(db: str) -> None:
    async with app_at(db, size=WIDE) as (app, pilot):
        await select(app, pilot, "pci-upgrade")
        text = detail_text(app)
        assert "Mandatory  PCI DSS 4.0 compliance, required by March 2027" in text
        assert "mandatory: done anyway" in text


# -- the Metrics view -----------------------------------------------------------------------


async def test_metrics_view_says_behind_at_a_date_the_calendar_overtook(db: str) -> None:
    """On 2026-12-20, CAC has come 19% of its way in 31% of its time: behind. A month
    earlier it was on track. The word is there, not only a colour."""
    async with app_at(db, date(2026, 12, 20)) as (app, pilot):
        lines = await open_metrics(app, pilot)
        assert "Status ▲" in lines[row_of(lines, "Indicator")]
        assert "behind" in lines[row_of(lines, "Customer acquisition cost")]
    async with app_at(db, date(2026, 11, 16)) as (app, pilot):
        lines = await open_metrics(app, pilot)
        assert "on track" in lines[row_of(lines, "Customer acquisition cost")]
        assert "behind" in lines[row_of(lines, "Twitter/X followers")]


async def test_metrics_view_shows_roles_computed_values_and_lent_targets(
    numbers_db: str,
) -> None:
    async with app_at(numbers_db) as (app, pilot):
        lines = await open_metrics(app, pilot)
        header = lines[row_of(lines, "Indicator")]
        for label in ("Role", "Status ▲", "Baseline", "Current", "Target", "Progress"):
            assert label in header
        margin = lines[row_of(lines, "Margin [/]")]
        assert "★ north star" in margin and "wrong way" in margin
        assert "ƒ -15" in margin and "ƒ 21" in margin  # computed current, implied target
        costs = lines[row_of(lines, "Costs")]
        assert "◆ 99" in costs and "on track" in costs
        # Worst first: the two going the wrong way above the one on track.
        assert row_of(lines, "Costs") > row_of(lines, "Revenue")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_header_keeps_its_sort_arrow(db: str, size: tuple[int, int]) -> None:
    async with app_at(db, size=size) as (app, pilot):
        await open_metrics(app, pilot)
        for _ in range(len(app.screen.column_layout)):
            await pilot.press("S")
            await settle(app, pilot)
            header = screen_lines(app)[row_of(screen_lines(app), "Indicator")]
            assert "▲" in header, header


async def test_check_in_key_is_offered_on_a_selected_indicator_and_records_there(
    db: str,
) -> None:
    async with app_at(db) as (app, pilot):
        lines = await open_metrics(app, pilot)
        assert "c Check-in" in lines[-1]
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("bounce-rate"))
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckInModal)
        assert app.screen.node.id == "bounce-rate"
        app.screen.query_one("#checkin-value").value = "47"
        await pilot.press("enter")
        await settle(app, pilot)
        row = screen_lines(app)[row_of(screen_lines(app), "Bounce rate on entry pages")]
        assert " 47 " in row


async def test_a_checked_in_input_moves_the_formula_indicator_in_the_table(db: str) -> None:
    async with app_at(db) as (app, pilot):
        await open_metrics(app, pilot)
        assert "ƒ 0.731" in screen_lines(app)[row_of(screen_lines(app), "LTV to CAC ratio")]
        app.apply_change(app.plan.checkin_change("cac", TODAY, 29.1))
        await settle(app, pilot)
        row = screen_lines(app)[row_of(screen_lines(app), "LTV to CAC ratio")]
        assert "ƒ 1 " in row  # 29.1 / 29.1


async def test_read_only_offers_no_check_in(db: str) -> None:
    async with app_at(db, read_only=True) as (app, pilot):
        lines = await open_metrics(app, pilot)
        assert "Check-in" not in lines[-1]


# -- without a terminal ---------------------------------------------------------------------


def test_detail_text_of_every_node_names_no_markup_and_fits(tmp_path: Path) -> None:
    """Titles shown in the aim lines and references stay text: ``[b]`` is printed, and
    nothing runs past the pane."""
    plan_file = tmp_path / "numbers.yaml"
    plan_file.write_text(NUMBERS, encoding="utf-8")
    for path in (plan_file, UNIT_ECONOMICS):
        plan = read_plan_file(path)
        alignment = alignment_of(plan)
        for node in plan.nodes():
            for width in (30, 44, 70):
                lines = describe_node(plan, alignment, node.id, [], width).split("\n")
                assert all(line.cell_length <= width for line in lines), (node.id, width)
    plan = read_plan_file(plan_file)
    text = describe_node(plan, alignment_of(plan), "costs", [], 90).plain
    assert "◆ Cut costs [b]by[/b] 10%" in text
    assert plan.node("costs").kind is Kind.INDICATOR
