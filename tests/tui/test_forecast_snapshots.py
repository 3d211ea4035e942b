"""Snapshots of the Forecast view (key 5) at 80x24 and 120x40 on the unit-economics sample.

Update with ``pytest tests/tui/test_forecast_snapshots.py --snapshot-update`` and look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment.tui.app import make_app

from .conftest import UNIT_ECONOMICS, fixed_today, make_db, settle

SIZES = [(80, 24), (120, 40)]


class TestForecastView:
    @pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
    def test_committed_work(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        """Proves: the answer on top (the goal's condition now and expected, each strategy's
        share of the gap, expected against aim and short by), the committed initiatives
        checked and the candidates not, and each indicator's current, expected, target and
        coverage; the tab "5 Forecast" is lit."""
        db = make_db(tmp_path / "db", UNIT_ECONOMICS)

        async def open_view(pilot) -> None:  # type: ignore[no-untyped-def]
            await settle(pilot.app, pilot)
            await pilot.press("5")
            await settle(pilot.app, pilot)
            await pilot.pause(0.2)

        app = make_app(db, today=fixed_today)
        assert snap_compare(app, terminal_size=size, run_before=open_view)

    def test_after_toggling(self, snap_compare, tmp_path: Path) -> None:
        """Proves: space on a checked initiative (page speed) unchecks it and the numbers it
        moved (bounce rate, CAC, the LTV:CAC ratio) go back to "not modelled", the CAC
        strategy's sentence says it is now short by 6.68 USD."""
        db = make_db(tmp_path / "db", UNIT_ECONOMICS)

        async def toggle(pilot) -> None:  # type: ignore[no-untyped-def]
            await settle(pilot.app, pilot)
            await pilot.press("5")
            await settle(pilot.app, pilot)
            choices = pilot.app.screen.query_one("#forecast-work")
            choices.focus()
            choices.highlighted = 1
            await pilot.press("space")
            await pilot.pause(0.2)

        app = make_app(db, today=fixed_today)
        assert snap_compare(app, terminal_size=(120, 40), run_before=toggle)
