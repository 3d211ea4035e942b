"""Layout: every view fits 80x24, 120x40 and 200x60 without clipping or sideways scrolling."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from alignment.core.analysis import alignment_of, findings
from alignment.formats.plan_file import read_plan_file
from alignment.tui.widgets.node_detail import describe_node
from alignment.tui.widgets.plan_tree import PlanTree
from alignment.tui.widgets.status import PlanStatus, TopBar

from .conftest import UNIT_ECONOMICS, running, select, settle

SIZES = [(80, 24), (120, 40), (200, 60)]
size_ids = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


@pytest.mark.parametrize("width", [30, 33, 52, 90])
def test_node_detail_lines_fit_the_pane(width: int) -> None:
    plan = read_plan_file(UNIT_ECONOMICS)
    alignment = alignment_of(plan)
    found = findings(plan, alignment)
    for node in plan.nodes():
        mine = [f for f in found if f.node == node.id]
        lines = describe_node(plan, alignment, node.id, mine, width).split("\n")
        too_long = [line.plain for line in lines if line.cell_length > width]
        assert not too_long, f"{node.id} at {width}: {too_long}"


def test_metric_numbers_are_aligned_rows_with_their_unit() -> None:
    plan = read_plan_file(UNIT_ECONOMICS)
    text = describe_node(plan, alignment_of(plan), "bounce-rate", [], 33).plain
    rows = {line.split("  ")[0]: line for line in text.splitlines()}
    assert rows["Baseline"].endswith("52%")
    assert rows["Current"].endswith("48.5%")
    assert rows["Target"].endswith("40%  by 2027-03-31")
    assert rows["Direction"].endswith("↓ lower is better")
    labels = ("Baseline", "Current", "Target", "Direction", "Progress")
    assert (
        len({len(rows[label]) - len(rows[label][len(label) :].lstrip()) for label in labels}) == 1
    )


def test_references_keep_their_ids_apart_from_titles_on_a_wide_pane() -> None:
    plan = read_plan_file(UNIT_ECONOMICS)
    text = describe_node(plan, alignment_of(plan), "bounce-rate", [], 70).plain
    assert "  ▲ Customer acquisition cost (blended, trailing 90 days) · cac" in text
    assert "  ● Rework entry pages to a Page Speed score above 90 · page-speed" in text


@size_ids
async def test_map_fits(db: str, size: tuple[int, int]) -> None:
    async with running(db, size) as (app, pilot):
        await select(app, pilot, "analytics-tool")
        screen = app.screen
        tree = screen.query_one(PlanTree)
        assert tree.virtual_size.width <= tree.scrollable_content_region.width
        assert not tree.show_horizontal_scrollbar
        for line in range(len(tree._tree_lines)):
            label = tree.render_line(line).text.rstrip()
            assert len(label) <= tree.size.width
        status = str(screen.query_one(PlanStatus).render())
        assert status.startswith("Aligned 82%")
        assert status.rstrip().endswith("29 nodes")
        assert "✖ 2" in status and "⚠ 6" in status
        top = str(screen.query_one(TopBar).render())
        assert "4 Metrics" in top and "Break even" in top


@size_ids
@pytest.mark.parametrize("view", ["3", "4"], ids=["initiatives", "metrics"])
async def test_tables_fit_without_sideways_scrolling(
    db: str, size: tuple[int, int], view: str
) -> None:
    async with running(db, size) as (app, pilot):
        await pilot.press(view)
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert not table.show_horizontal_scrollbar
        assert table.virtual_size.width <= table.scrollable_content_region.width
        keys = [str(key.value) for key in table.columns]
        assert keys[0] == "title"
        assert next(iter(table.columns.values())).width >= 20  # titles stay readable
        if view == "3":
            assert {"status", "aligned", "owner", "supports"} <= set(keys)
            assert ("effort" in keys) == (size[0] >= 120)
        else:
            assert {"current", "target", "unit", "progress"} <= set(keys)
            assert ("baseline" in keys) == (size[0] >= 120)


async def test_tables_lay_out_again_when_the_terminal_grows(db: str) -> None:
    async with running(db, (80, 24)) as (app, pilot):
        await pilot.press("3")
        await settle(app, pilot)
        assert "effort" not in [str(k.value) for k in app.screen.query_one(DataTable).columns]
        await pilot.resize_terminal(160, 40)
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert "effort" in [str(k.value) for k in table.columns]
        assert table.row_count == 13
        assert table.virtual_size.width <= table.scrollable_content_region.width
