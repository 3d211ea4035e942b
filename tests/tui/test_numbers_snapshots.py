"""Snapshots of the numbers of a plan (issue 9) on the map and in the Metrics view, at 80x24 and
120x40 on the unit-economics sample, at fixed dates.

Update with ``pytest tests/tui/test_numbers_snapshots.py --snapshot-update`` and look at the
report before committing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from alignment.tui.app import make_app

from .conftest import UNIT_ECONOMICS, fixed_today, make_db, settle

SIZES = [(80, 24), (120, 40)]
BEHIND_DAY = date(2026, 12, 20)  # the calendar has overtaken CAC, LTV and their North Star


async def _loaded(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot.app, pilot)
    await pilot.pause(0.2)


class TestNumbersOnTheMap:
    @pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
    def test_north_star(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """Proves: the North Star (LTV to CAC ratio) is the first child of the goal, badged
        "★ north star", with its formula inputs CAC and LTV under it, each led by "ƒ" (at 80
        columns too); at 120 the strategies show the indicator they measure noted "measure",
        and every indicator its role in words. Selected, its detail pane shows the role, the formula ${ltv} / ${cac} with the
        inputs' values, its computed baseline and current (0.731x), its own target and where
        it comes from, and the status word "on track"."""
        db = make_db(tmp_path / "db", UNIT_ECONOMICS)

        async def select(pilot) -> None:  # type: ignore[no-untyped-def]
            await _loaded(pilot)
            pilot.app.reveal("ltv-to-cac")
            await _loaded(pilot)

        app = make_app(db, today=fixed_today)
        assert snap_compare(app, terminal_size=size, run_before=select)

    def test_goal_condition(self, snap_compare, tmp_path: Path) -> None:
        """Proves: the goal's detail says its condition as people read it (ltv >= cac), "✗ not
        met" now with the values it was judged on, "✗ not met" once the committed work lands
        with the expected values, and its due date."""
        db = make_db(tmp_path / "db", UNIT_ECONOMICS)

        async def select(pilot) -> None:  # type: ignore[no-untyped-def]
            await _loaded(pilot)
            pilot.app.reveal("break-even")
            await _loaded(pilot)

        app = make_app(db, today=fixed_today)
        assert snap_compare(app, terminal_size=(120, 40), run_before=select)


class TestMetricsView:
    @pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
    def test_behind_schedule(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """Proves: on 2026-12-20 the Status column says "behind" (in the warning colour, the
        word always there) for the metrics the calendar overtook, worst first, and "on track"
        for the others; the North Star's title carries ★ and its values are computed (ƒ); at
        120 columns the Role column names every role; every header has room for the sort
        arrow (Status ▲); the footer offers c Check-in on the selected row."""
        db = make_db(tmp_path / "db", UNIT_ECONOMICS)

        async def open_view(pilot) -> None:  # type: ignore[no-untyped-def]
            await _loaded(pilot)
            await pilot.press("4")
            await _loaded(pilot)

        app = make_app(db, today=lambda: BEHIND_DAY)
        assert snap_compare(app, terminal_size=size, run_before=open_view)
