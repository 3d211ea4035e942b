"""What works on every screen: the command palette, the help screen, the theme switch."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import DataTable, Static

from alignment.core.model import Status
from alignment.tui.commands import ACTIONS, shown_keys
from alignment.tui.screens.help import HelpScreen

from .conftest import reopen, running, select, settle, type_text


async def run_from_palette(app, pilot, query: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await settle(app, pilot)
    assert isinstance(app.screen, CommandPalette)
    await type_text(pilot, query)
    await pilot.pause(0.3)  # the palette searches its providers as you type
    await pilot.press("enter")
    await settle(app, pilot)


async def test_the_palette_switches_views(db: str) -> None:
    async with running(db) as (app, pilot):
        await run_from_palette(app, pilot, "initiatives")
        assert app.current_mode == "initiatives"
        await run_from_palette(app, pilot, "findings")
        assert app.current_mode == "findings"


async def test_the_palette_runs_an_edit_and_its_undo(db: str) -> None:
    async with running(db) as (app, pilot):
        await select(app, pilot, "page-speed")
        await run_from_palette(app, pilot, "mark an initiative as dropped")
        assert app.plan.node("page-speed").status is Status.DROPPED
        assert reopen(db).node("page-speed").status is Status.DROPPED
        await run_from_palette(app, pilot, "undo the last edit")
        assert app.plan.node("page-speed").status is Status.PLANNED
    assert reopen(db).node("page-speed").status is Status.PLANNED


async def test_the_palette_offers_no_plan_actions_without_a_plan(empty_db: str) -> None:
    async with running(empty_db) as (app, pilot):
        assert app.current_mode == "welcome"
        await run_from_palette(app, pilot, "delete the selection")
        assert app.current_mode == "welcome"  # nothing ran, nothing crashed


async def test_help_lists_every_key(db: str) -> None:
    async with running(db) as (app, pilot):
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).render())
        lines = text.splitlines()
        for item in ACTIONS:
            row = next((line for line in lines if f" {item.label} " in f"{line} "), None)
            assert row is not None, item.label
            assert row.strip().startswith(shown_keys(item)), row
            assert item.help in row
        assert "ctrl+p" in text
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.current_mode == "map" and not isinstance(app.screen, HelpScreen)


async def test_theme_toggle_restyles_the_flags(db: str) -> None:
    async with running(db) as (app, pilot):
        await pilot.press("3")
        await settle(app, pilot)

        def aligned_colour() -> str:
            table = app.screen.query_one(DataTable)
            cell = table.get_row_at(0)[[str(k.value) for k in table.columns].index("aligned")]
            return cell.style.color.name

        assert app.theme == "textual-dark"
        dark = aligned_colour()
        assert dark.lower() == app.theme_variables["text-success"].lower()
        await pilot.press("t")
        await settle(app, pilot)
        assert app.theme == "textual-light"
        light = aligned_colour()
        assert light.lower() == app.theme_variables["text-success"].lower() != dark.lower()
        await pilot.press("t")
        await settle(app, pilot)
        assert app.theme == "textual-dark" and aligned_colour() == dark
