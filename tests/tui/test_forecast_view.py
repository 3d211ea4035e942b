"""The Forecast view (key 5): toggling initiatives recomputes the numbers on screen at once,
titles stay text, and nothing is written (a what-if)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, SelectionList, Static

from alignment.core.model import Kind, Link, Node
from alignment.core.plan import Plan
from alignment.store import Store
from alignment.tui.app import make_app
from alignment.tui.screens.forecast import ForecastScreen

from .conftest import fixed_today, reopen, running, settle


def cell(app, row: str, column: str) -> str:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#forecast-indicators", DataTable)
    return str(table.get_cell(row, column))


def answer(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#forecast-answer", Static).render())


async def open_forecast(app, pilot):  # type: ignore[no-untyped-def]
    await pilot.press("5")
    await settle(app, pilot)
    assert isinstance(app.screen, ForecastScreen)
    choices = app.screen.query_one("#forecast-work", SelectionList)
    assert choices.has_focus  # space toggles at once
    return choices


async def test_toggling_initiatives_moves_the_expected_values(db: str) -> None:
    async with running(db) as (app, pilot):
        choices = await open_forecast(app, pilot)
        # Committed work is checked, candidates are not; dropped and done work is not listed.
        assert set(choices.selected) == {
            "analytics-tool", "page-speed", "social-signup", "activation-journeys",
            "client-error-logs", "win-back-email", "daily-memes", "frontend-rewrite",
            "pci-upgrade",
        }  # fmt: skip
        assert "landing-chatbot" not in [choices.get_option_at_index(i).id
                                         for i in range(choices.option_count)]  # fmt: skip
        assert cell(app, "bounce-rate", "expected") == "44.9%"
        assert cell(app, "cac", "expected") == "39.08"
        assert "short by 5.96 USD" in answer(app)
        # Take page speed out (the second option): bounce and CAC go back to where they are.
        choices.highlighted = 1
        await pilot.press("space")
        await pilot.pause()
        assert "page-speed" not in choices.selected
        assert cell(app, "bounce-rate", "expected") == "—"
        assert cell(app, "cac", "expected") == "—"  # nothing else moves it
        assert "short by 6.68 USD" in answer(app)
        # Add the refer-a-friend candidate: referral rate moves by 1.2 x 0.3.
        index = next(i for i in range(choices.option_count)
                     if choices.get_option_at_index(i).id == "refer-a-friend")  # fmt: skip
        choices.highlighted = index
        await pilot.press("space")
        await pilot.pause()
        assert cell(app, "referral-rate", "expected") == "1.56%"
        assert cell(app, "referral-rate", "coverage") == "20%"
        # And page speed back in: the first numbers again.
        choices.highlighted = 1
        await pilot.press("space")
        await pilot.pause()
        assert cell(app, "cac", "expected") == "39.08"
    # A what-if writes nothing.
    assert reopen(db).node("refer-a-friend").status == "candidate"


async def test_goal_conditions_read_now_and_expected(db: str) -> None:
    async with running(db) as (app, pilot):
        await open_forecast(app, pilot)
        text = answer(app)
        assert "ltv >= cac is not met now and is not forecast to be met." in text
        assert "Reduce CAC by 20%: this work closes 10.8% of the gap on cac" in text


@pytest.fixture
def hostile_db(tmp_path: Path) -> str:
    plan = Plan.build(
        "Hostile",
        None,
        [
            Node(id="g", kind=Kind.GOAL, title="[red]Win[/red] [/]", condition="${m} >= 3"),
            Node(id="m", kind=Kind.INDICATOR, title="[b]Bold[/b] [@click=app.quit]x[/]",
                 direction="up", current=1, target=3),
            Node(id="w", kind=Kind.INITIATIVE, title="Fix [/] bug", status="planned"),
        ],
        [Link("w", "m", effect=2, confidence=1), Link("m", "g")],
    )  # fmt: skip
    store = Store.open(tmp_path / "db")
    store.save_plan(plan)
    store.close()
    return str(tmp_path / "db")


async def test_titles_are_text_not_markup(hostile_db: str) -> None:
    app = make_app(hostile_db, today=fixed_today)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        choices = await open_forecast(app, pilot)
        assert str(choices.get_option_at_index(0).prompt) == "Fix [/] bug (planned)"
        assert choices.get_option_at_index(0).id == "w"
        assert "Goal [red]Win[/red] [/]: m >= 3 is not met now but is forecast to be met." in (
            answer(app)
        )
        assert cell(app, "m", "expected") == "3"
        choices.highlighted = 0
        await pilot.press("space")
        await pilot.pause()
        assert cell(app, "m", "expected") == "—"
        assert app.is_running


async def test_initiatives_view_shows_the_share_of_the_gaps_per_unit_of_effort(db: str) -> None:
    async with running(db) as (app, pilot):
        await pilot.press("3")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        # client-error-logs: 90.3% of the errors gap for an effort of 3; done and dropped work
        # is not ranked.
        assert str(table.get_cell("client-error-logs", "value")) == "30.1%"
        assert str(table.get_cell("landing-chatbot", "value")) == ""
