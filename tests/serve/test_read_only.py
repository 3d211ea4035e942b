"""The app's read-only switch and author, under Pilot (what `alignment serve` passes to `tui`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input

from alignment.core.plan import Plan
from alignment.formats.plan_file import read_plan_file
from alignment.store import Store
from alignment.tui.app import READ_ONLY_REFUSED, WRITE_ACTIONS, AlignmentApp, make_app
from alignment.tui.commands import ACTIONS
from alignment.tui.screens.base import PlanView
from alignment.tui.state import READ_ONLY_NOTICE

SAMPLE = Path(__file__).resolve().parents[2] / "sample_plans" / "unit-economics.yaml"
PLAN = "Break even on unit economics"


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "plans.db")
    with Store.open(path) as store:
        store.save_plan(read_plan_file(SAMPLE))
    return path


def journal(db: str) -> list[tuple[str, str]]:
    with Store.open(db, create=False) as store:
        return [(entry.author, entry.summary) for entry in store.session(PLAN).history(100)]


async def settle(app: AlignmentApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the app's workers (loading, saving) and the messages they post."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


@asynccontextmanager
async def running(db: str, **options: object) -> AsyncIterator[tuple[AlignmentApp, object, list]]:
    """The app under Pilot with the plan open, and the list of notices it gives."""
    app = make_app(db, PLAN, today=lambda: date(2026, 11, 16), **options)  # type: ignore[arg-type]
    notices: list[str] = []
    notify = app.notify

    def recording(message: str, **kwargs: object) -> None:
        notices.append(message)
        notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = recording  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.session is not None
        yield app, pilot, notices


# Every key refused in read-only mode: the writes, and opening another plan.
REFUSED_KEYS = [item.keys.split(",")[0] for item in ACTIONS if item.action in READ_ONLY_REFUSED]


# The actions that only read (or leave): allowed in read-only mode, except opening another plan.
READS = {"search", "view", "history", "switch_plan", "export_plan", "toggle_theme", "help", "quit"}


def test_every_action_is_a_read_or_a_write_the_switch_knows():
    """A new action must be classified: a write goes in WRITE_ACTIONS (tui/app.py), so that
    read-only refuses it; a read goes in READS above."""
    for item in ACTIONS:
        name = item.action.split("(")[0]
        assert (name in READS) != (name in WRITE_ACTIONS), f"classify {name!r}"
    extra = READ_ONLY_REFUSED - WRITE_ACTIONS
    assert extra == {"switch_plan"}
    assert len(REFUSED_KEYS) == len(READ_ONLY_REFUSED)  # each has a key


async def test_read_only_answers_every_write_key_with_the_notice_and_opens_nothing(db):
    """... and the key that would open another plan of the database: one plan is shared."""
    before = journal(db)
    async with running(db, read_only=True) as (app, pilot, notices):
        app.reveal("reduce-cac")  # a node every action applies to (not the goal: no status)
        await pilot.pause()
        for key in REFUSED_KEYS:
            notices.clear()
            await pilot.press(key)
            await pilot.pause()
            assert notices == [READ_ONLY_NOTICE], key
            assert isinstance(app.screen, PlanView), key  # no form, picker or prompt
    assert journal(db) == before


async def test_read_only_keys_stay_text_in_a_search_box(db):
    """a, e, l and c are priority keys (they open a form): typed into the search, they are text."""
    async with running(db, read_only=True) as (app, pilot, notices):
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"acel")
        await pilot.pause()
        assert notices == []
        assert app.screen.query_one(Input).value == "acel"


async def test_read_only_offers_no_write_in_the_footer_or_the_palette(db):
    async with running(db, read_only=True) as (app, _pilot, _notices):
        for action in READ_ONLY_REFUSED:
            assert app.check_action(action, ()) is False, action
        assert app.check_action("search", ()) is True
        assert app.check_action("export_plan", ()) is True  # reading may take a copy


async def test_read_only_refuses_a_write_that_reaches_the_pipeline(db):
    """The keys are the front door; the pipeline refuses too (a form's save, a welcome choice)."""
    before = journal(db)
    async with running(db, read_only=True) as (app, pilot, notices):
        app.apply_change(app.plan.checkin_change("cac", date(2026, 11, 16), 30.0))
        app.save_and_open(Plan("Another plan"))
        await settle(app, pilot)
        assert notices == [READ_ONLY_NOTICE, READ_ONLY_NOTICE]
        assert app.plan.node("cac").current != 30.0
    assert journal(db) == before
    with Store.open(db, create=False) as store:
        assert store.plan_names() == [PLAN]


async def test_edits_and_undo_are_journalled_under_the_given_author(db):
    async with running(db, author="Browser Ada") as (app, pilot, _notices):
        app.apply_change(app.plan.checkin_change("cac", date(2026, 11, 16), 30.0))
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        app.save_and_open(Plan("Ada's plan"))
        await settle(app, pilot)
    with Store.open(db, create=False) as store:
        [checkin, imported] = store.session(PLAN).history(100)
        [created] = store.session("Ada's plan").history(1)
    assert (checkin.author, checkin.state) == ("Browser Ada", "undone")  # her undo found it
    assert imported.author == "tester"  # the import before the app (ALIGNMENT_AUTHOR)
    assert created.author == "Browser Ada"
