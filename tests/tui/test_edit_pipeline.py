"""How an edit reaches the screen: first what the map and the detail show, then the findings.

The write worker brings alignment and the numbers with the saved change; the findings,
coverage and statuses follow as a job of the write lane; a view that lists findings gets
them with the change. A plan just opened shows its map before its findings ("checking…").
The forecast a goal shows is a lane job on big plans. The heap of a shown plan is frozen
out of the collector's full passes, and the frozen set does not grow with plans shown.
"""

from __future__ import annotations

import gc
from dataclasses import replace

import pytest

from alignment.core.model import Kind, Node
from alignment.tui import state
from alignment.tui.state import PlanApp
from alignment.tui.widgets.node_detail import NodeDetail, describe_node
from alignment.tui.widgets.status import PlanStatus

from .conftest import UNIT_ECONOMICS, running, select, settle, shown_in


def _kinds(messages: list[object]) -> list[str]:
    wanted = (PlanApp.ChangeSaved, PlanApp.Analysed)
    return [type(m).__name__ for m in messages if isinstance(m, wanted)]


async def test_an_edit_shows_first_and_its_findings_follow(db: str) -> None:
    messages: list[object] = []
    async with running(db, messages=messages) as (app, pilot):
        errors = sum(1 for f in app.analysis.findings if f.severity == "error")
        messages.clear()
        orphan = Node(id="hunch", kind=Kind.INITIATIVE, title="A hunch")
        app.apply_change(app.plan.add_change(orphan))
        await settle(app, pilot)
        # The change came with what the map needs; the findings came after, on their own.
        assert _kinds(messages) == ["ChangeSaved", "Analysed"]
        saved = next(m for m in messages if isinstance(m, PlanApp.ChangeSaved))
        assert saved.alignment is not None and saved.analysis is None
        assert "hunch" not in saved.alignment.aligned
        assert not app.findings_stale
        assert [f.rule for f in app.analysis.by_node["hunch"]] == ["orphan-initiative"]
        status = str(app.screen.query_one(PlanStatus).render())
        assert f"✖ {errors + 1} errors" in status


async def test_the_findings_view_gets_the_findings_with_the_change(db: str) -> None:
    messages: list[object] = []
    async with running(db, messages=messages) as (app, pilot):
        await pilot.press("2")
        await settle(app, pilot)
        messages.clear()
        orphan = Node(id="hunch", kind=Kind.INITIATIVE, title="A hunch")
        app.apply_change(app.plan.add_change(orphan))
        await settle(app, pilot)
        assert _kinds(messages) == ["ChangeSaved"]
        saved = next(m for m in messages if isinstance(m, PlanApp.ChangeSaved))
        assert saved.analysis is not None
        assert "orphan-initiative" in {f.rule for f in saved.analysis.by_node["hunch"]}
        assert "A hunch" in shown_in(app, app.screen)


async def test_a_plan_just_opened_says_its_findings_are_being_checked(db: str) -> None:
    async with running(db) as (app, pilot):
        assert app.analysis.checked and app.analysis.findings
        app.analysis = replace(app.analysis, checked=False)
        app.view_screen().show_status()
        await pilot.pause()
        status = str(app.screen.query_one(PlanStatus).render())
        assert "checking…" in status and "✖" not in status and "Aligned" in status


async def test_a_goal_waits_for_its_forecast_on_a_big_plan(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over FORECAST_AT_ONCE nodes the forecast is a lane job: the detail says it is being
    worked out, then shows where the goal is expected to be."""
    monkeypatch.setattr(state, "FORECAST_AT_ONCE", 0)
    messages: list[object] = []
    async with running(db, messages=messages) as (app, pilot):
        await select(app, pilot, "break-even")
        assert any(isinstance(m, PlanApp.Forecasted) for m in messages)
        detail = shown_in(app, app.screen.query_one(NodeDetail))
        assert "once the committed work lands" in detail
        assert "working it out" not in detail


def test_the_detail_says_when_the_forecast_is_on_its_way() -> None:
    from alignment.core.analysis import alignment_of
    from alignment.formats.plan_file import read_plan_file

    plan = read_plan_file(UNIT_ECONOMICS)
    text = describe_node(
        plan, alignment_of(plan), "break-even", [], 90, forecast_pending=True
    ).plain
    assert "Expected   working it out…" in text
    assert "once the committed work lands" not in text


async def test_the_heap_of_a_shown_plan_is_frozen_and_does_not_grow(db: str) -> None:
    try:
        async with running(db) as (app, pilot):
            first = gc.get_freeze_count()
            assert first > 0
            gc.disable()  # cyclic garbage made now stays until someone collects it
            try:
                for _ in range(20_000):
                    loop: list[object] = []
                    loop.append(loop)
                del loop
                for _ in range(3):  # the plan read again, as when another program changed it
                    app.session.reload()  # type: ignore[union-attr]
                    app.plan_reloaded()
                    await settle(app, pilot)
            finally:
                gc.enable()
            # Collected before freezing, not frozen with what is alive.
            assert gc.get_freeze_count() < first + 10_000
    finally:
        gc.unfreeze()


async def test_a_database_that_fails_a_read_gets_a_notice_not_a_crash(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Store reads (the plans to open, the names taken) run in the lane; when the database
    fails one, the user is told why and the app goes on (the welcome screen still offers
    the samples, new and import)."""
    from alignment.store import Store
    from alignment.store.errors import DatabaseError

    from .conftest import notifications

    async with running(db) as (app, pilot):

        def unreachable(store: Store) -> list[str]:
            raise DatabaseError("the database server is unreachable")

        monkeypatch.setattr(Store, "summaries", unreachable)
        monkeypatch.setattr(Store, "plan_names", unreachable)
        await pilot.press("o")
        await settle(app, pilot)
        assert "Cannot list plans: the database server is unreachable" in notifications(app)
        await pilot.press("n")
        await settle(app, pilot)
        assert "Cannot add a plan: the database server is unreachable" in notifications(app)
        assert app.current_mode == "map" and app.is_running
        app.close_plan()  # the welcome screen lists the plans: it still offers the rest
        await settle(app, pilot)
        assert "Sample" in shown_in(app, app.screen) and "Import" in shown_in(app, app.screen)


async def test_the_detail_catches_up_when_the_statuses_come(db: str) -> None:
    """An indicator selected before the findings of a plan just opened came: its status word
    appears when they come, though its own findings and numbers did not change."""
    async with running(db) as (app, pilot):
        await select(app, pilot, "ltv-to-cac")
        checked = app.analysis
        app.analysis = replace(checked, findings=[], by_node={}, statuses={}, checked=False)
        app.view_screen().show_detail()
        await pilot.pause()
        assert "nothing to judge yet" in shown_in(app, app.screen.query_one(NodeDetail))
        app.analysis = checked
        app.view_screen().findings_updated()
        await pilot.pause()
        assert "Status     on track" in shown_in(app, app.screen.query_one(NodeDetail))
