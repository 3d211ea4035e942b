"""The TUI and other writers: it sees their edits while open, an edit that collides with one is
given back to the user as typed, and a database locked by another program never freezes it."""

from __future__ import annotations

import sqlite3
import time

from click.testing import CliRunner
from textual.widgets import Input

from alignment.cli import main
from alignment.core.model import Status
from alignment.store import Store
from alignment.tui.modals.form import NodeFormModal

from .conftest import notifications, on_screen, reopen, running, select, settle

PLAN = "Break even on unit economics"


async def test_a_checkin_from_the_cli_shows_within_two_seconds_keeping_the_selection(
    db: str,
) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "bounce-rate")
        await pilot.press("3")  # another view first: the map is not the only one that follows
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        assert app.view_screen().selected_node() == "bounce-rate"
        assert not on_screen(app, "41.25")
        result = CliRunner().invoke(
            main, ["checkin", "bounce-rate", "41.25", "--at", "2026-11-16", "--db", db]
        )
        assert result.exit_code == 0, result.output
        start = time.monotonic()
        while not on_screen(app, "41.25") and time.monotonic() - start < 5:
            await pilot.pause(0.1)
        seen = time.monotonic() - start
        assert on_screen(app, "41.25"), "the check-in never showed"
        assert seen < 2.5, f"the check-in showed after {seen:.1f} s"
        assert app.plan.node("bounce-rate").current == 41.25
        assert app.view_screen().selected_node() == "bounce-rate"  # still where the user was


async def test_an_edit_of_a_field_someone_else_changed_meanwhile_comes_back_as_typed(
    db: str,
) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "page-speed")
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, NodeFormModal)
        app.screen.query_one("#f-title", Input).value = "Mine: page speed above 95"
        await pilot.pause()
        # Meanwhile another process changes the same title, and the owner (which the user
        # did not touch).
        other = Store.open(db).session(PLAN)
        node = other.plan.node("page-speed")
        other.apply(other.plan.update_change(node.evolve(title="Theirs", owner="Platform")))
        await pilot.pause(1.5)  # the TUI notices (or not yet: the save finds out either way)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, NodeFormModal), "the user's edit was thrown away"
        assert app.screen.query_one("#f-title", Input).value == "Mine: page speed above 95"
        assert app.screen.query_one("#f-owner", Input).value == "Platform"
        assert any("title" in text for text in notifications(app)), notifications(app)
        assert reopen(db).node("page-speed").title == "Theirs"
        await pilot.press("ctrl+s")  # the user has seen theirs and keeps their own title
        await settle(app, pilot)
        assert not isinstance(app.screen, NodeFormModal)
    stored = reopen(db).node("page-speed")
    assert (stored.title, stored.owner) == ("Mine: page speed above 95", "Platform")


async def test_a_locked_database_does_not_freeze_the_screen(db: str) -> None:
    async with running(db, busy_timeout=3) as (app, pilot):
        await select(app, pilot, "page-speed")
        other = sqlite3.connect(db, timeout=0, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
        try:
            await pilot.press("D")
            await pilot.pause(0.2)
            assert app.lane_busy  # the edit waits for the lock, in a worker
            await pilot.press("2")  # ... and the screen answers meanwhile
            await pilot.pause(0.2)
            assert app.current_mode == "findings"
            assert app.lane_busy
        finally:
            other.execute("ROLLBACK")
            other.close()
        await settle(app, pilot)
        assert app.plan.node("page-speed").status is Status.DROPPED
    assert reopen(db).node("page-speed").status is Status.DROPPED
