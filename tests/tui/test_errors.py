"""Database errors during an edit: a notification says why, and nothing is half applied,
neither on screen nor in the database."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import event
from textual.widgets import Static

from alignment.core.model import Status
from alignment.store import Store
from alignment.tui.app import AlignmentApp
from alignment.tui.widgets.plan_tree import PlanTree
from alignment.tui.widgets.status import PlanStatus

from .conftest import notifications, reopen, running, select, settle

PLAN = "Break even on unit economics"


def shown(app: AlignmentApp, node_id: str) -> str:
    """The map's row and detail pane for ``node_id``, as text."""
    screen = app.view_screen()
    tree = screen.query_one(PlanTree)
    rows = [str(n.label) for n in tree._tree_nodes.values() if n.data == node_id]
    detail = str(screen.query_one("#detail-body", Static).render())
    return "\n".join([*rows, detail])


async def drop_page_speed_is_refused(app: AlignmentApp, pilot, because: str) -> None:  # type: ignore[no-untyped-def]
    status_before = str(app.view_screen().query_one(PlanStatus).render())
    await pilot.press("D")
    await settle(app, pilot)
    assert any(because in text for text in notifications(app)), notifications(app)
    assert app.plan.node("page-speed").status is Status.PLANNED
    assert "dropped" not in shown(app, "page-speed")
    assert "planned" in shown(app, "page-speed")
    assert str(app.view_screen().query_one(PlanStatus).render()) == status_before


async def test_a_locked_database_refuses_the_edit_then_works_again(db: str) -> None:
    async with running(db, busy_timeout=0.1) as (app, pilot):
        await select(app, pilot, "page-speed")
        other = sqlite3.connect(db, timeout=0, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
        try:
            await drop_page_speed_is_refused(app, pilot, "busy")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert reopen(db).node("page-speed").status is Status.PLANNED
        await pilot.press("D")  # the lock is gone: the same edit goes through
        await settle(app, pilot)
        assert app.plan.node("page-speed").status is Status.DROPPED
    assert reopen(db).node("page-speed").status is Status.DROPPED


async def test_a_read_only_database_refuses_edits_and_undo(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "page-speed")
        await pilot.press("D")
        await settle(app, pilot)
        assert app.plan.node("page-speed").status is Status.DROPPED
        # The file turns read-only (as for a read-only mount; tests may run as root, whom
        # file modes do not stop, so SQLite is told directly).
        engine = app.store.engine
        event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA query_only=ON"))
        engine.dispose()
        await pilot.press("u")
        await settle(app, pilot)
        assert any("read-only" in text for text in notifications(app)), notifications(app)
        assert app.plan.node("page-speed").status is Status.DROPPED
        assert "dropped" in shown(app, "page-speed")
        await select(app, pilot, "bounce-rate")
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#checkin-value").value = "47"
        await pilot.press("enter")
        await settle(app, pilot)
        assert sum("read-only" in text for text in notifications(app)) == 2
        assert app.plan.node("bounce-rate").current == 48.5
        assert "47" not in shown(app, "bounce-rate")
    stored = reopen(db)
    assert stored.node("page-speed").status is Status.DROPPED
    assert stored.node("bounce-rate").current == 48.5


async def test_a_plan_deleted_by_another_program_closes_with_a_notice(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "page-speed")
        other = Store.open(db)
        other.delete_plan(PLAN)
        other.close()
        await pilot.press("D")
        await settle(app, pilot)
        assert any("no longer exists" in text for text in notifications(app)), notifications(app)
        assert app.session is None
        assert app.current_mode == "welcome"
        await pilot.press("a")  # plan actions are off without a plan: no crash, no form
        await settle(app, pilot)
        assert app.current_mode == "welcome"
    store = Store.open(db)
    assert store.plan_names() == []
    store.close()


async def test_a_deleted_database_file_is_noticed_before_anything_is_lost(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "page-speed")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        # SQLite would go on writing into the deleted file: the edit must be refused instead.
        await drop_page_speed_is_refused(app, pilot, "deleted or replaced")
        await pilot.press("u")
        await settle(app, pilot)
        assert sum("deleted or replaced" in text for text in notifications(app)) == 2
        assert app.plan.node("page-speed").status is Status.PLANNED
    assert not Path(db).exists()
