"""Text from a plan is text: titles, plan names, owners and units that look like markup show
literally in every picker, heading, notice and pane, and never act; control characters
typed or pasted into a field are dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widget import Widget
from textual.widgets import Input, OptionList, TextArea

from alignment.core.model import Kind, Node, Status
from alignment.core.plan import Plan
from alignment.store import Store
from alignment.tui.app import AlignmentApp
from alignment.tui.modals.pickers import ChoiceModal, LinkPickerModal

from .conftest import notifications, on_screen, reopen, running, screen_lines, select, settle

PLAN = "Plan [link=http://x]y[/link] [b]bold[/b]"
OTHER = "[@click=app.quit]other[/]"
QUIT = "[@click=app.quit]x[/]"


def hostile_plan() -> Plan:
    plan = Plan(PLAN)
    plan.add(Node(id="g", kind=Kind.GOAL, title="Fix [/] bug"))
    plan.add(Node(id="s", kind=Kind.STRATEGY, title=QUIT), supports=["g"])
    plan.add(
        Node(
            id="m",
            kind=Kind.INDICATOR,
            title="[link=http://x]y[/link]",
            unit="[b]u[/b]",
            baseline=1,
            target=5,
            direction="up",
            owner="[@click=app.quit]o[/]",
        ),
        supports=["s"],
    )
    plan.add(
        Node(
            id="i",
            kind=Kind.INITIATIVE,
            title="[b]bold[/b]",
            owner="[b]team[/b]",
            description="[link=http://x]d[/link] and [/]",
        ),
        supports=["m"],
    )
    plan.add(Node(id="j", kind=Kind.INITIATIVE, title="Fix [/] bug, unaligned"))
    plan.add(Node(id="k", kind=Kind.INITIATIVE, title="[@click=app.quit]k[/]"))
    return plan


@pytest.fixture
def hostile_db(tmp_path: Path) -> str:
    store = Store.open(tmp_path / "db", create=True)
    store.save_plan(hostile_plan())
    other = Plan(OTHER)
    other.add(Node(id="o", kind=Kind.GOAL, title="[/]"))
    store.save_plan(other)
    store.close()
    return str(tmp_path / "db")


def still_running(app: AlignmentApp) -> None:
    assert app.is_running and app.return_code is None


async def click_text(app: AlignmentApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click where the open list (of a picker) shows ``text``."""
    region = app.screen.query_one(OptionList).region
    lines = screen_lines(app)
    for y in range(region.y, region.bottom):
        line = lines[y][region.x : region.right]
        if text in line:
            await pilot.click(offset=(region.x + line.index(text) + 1, y))
            return
    raise AssertionError(f"{text!r} is not in the list: {lines}")


async def test_markup_in_titles_shows_literally_in_panes_pickers_and_notices(
    hostile_db: str,
) -> None:
    async with running(hostile_db, plan=PLAN, toasts=True) as (app, pilot):
        assert on_screen(app, PLAN)  # the top bar
        for node_id, shown in [
            ("g", "Fix [/] bug"),
            ("s", QUIT),
            ("m", "[link=http://x]y[/link]"),
            ("m", "[b]u[/b]"),
            ("m", "[@click=app.quit]o[/]"),
            ("i", "[b]team[/b]"),
            ("i", "[link=http://x]d[/link] and [/]"),
        ]:
            await select(app, pilot, node_id)
            assert on_screen(app, shown), (node_id, shown, screen_lines(app))

        # Status picker: its heading quotes the title.
        await select(app, pilot, "i")
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, ChoiceModal)
        assert on_screen(app, "Status of '[b]bold[/b]'")
        await pilot.press("escape")

        # Link picker: heading and options; the chosen parent is named in a notice.
        await select(app, pilot, "j")
        await pilot.press("l")
        await settle(app, pilot)
        assert isinstance(app.screen, LinkPickerModal)
        assert on_screen(app, "Fix [/] bug, unaligned supports…")
        assert on_screen(app, QUIT) and on_screen(app, "[link=http://x]y[/link]")
        await click_text(app, pilot, QUIT)  # as markup, this click would quit the app
        await settle(app, pilot)
        still_running(app)
        assert on_screen(app, f"Fix [/] bug, unaligned → {QUIT}")  # the link's numbers
        await pilot.press("enter")  # none
        await settle(app, pilot)
        assert app.plan.link_between("j", "s") is not None
        notice = "'Fix [/] bug, unaligned' now supports '[@click=app.quit]x[/]'"
        assert any(notice in text for text in notifications(app)), notifications(app)
        assert on_screen(app, "'Fix [/] bug, unaligned' now supports")  # the toast
        assert on_screen(app, "'[@click=app.quit]x[/]'")

        # Unlink picker: the same title as a choice; clicking it unlinks, nothing else.
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ChoiceModal)
        assert on_screen(app, "Stop 'Fix [/] bug, unaligned' supporting…")
        await click_text(app, pilot, QUIT)
        await settle(app, pilot)
        still_running(app)
        assert app.plan.link_between("j", "s") is None

        # Drop: the notice quotes the title.
        await pilot.press("D")
        await settle(app, pilot)
        assert any("Dropped 'Fix [/] bug, unaligned'" in t for t in notifications(app))

        # Check-in: the heading and the unit.
        await select(app, pilot, "m")
        await pilot.press("c")
        await settle(app, pilot)
        assert on_screen(app, "Check-in · [link=http://x]y[/link]")
        assert on_screen(app, "a number, in [b]u[/b]")
        await pilot.press("escape")

        # Plan picker: both names, one of them a quit link as markup.
        await pilot.press("o")
        await settle(app, pilot)
        assert on_screen(app, PLAN) and on_screen(app, OTHER)
        await click_text(app, pilot, OTHER)
        await settle(app, pilot)
        still_running(app)
        assert app.session is not None and app.session.name == OTHER
        assert on_screen(app, OTHER)
        await pilot.press("o")
        await settle(app, pilot)
        await click_text(app, pilot, PLAN)
        await settle(app, pilot)
        assert app.session is not None and app.session.name == PLAN

        # The tables and findings, and their filters.
        await pilot.press("2")
        await settle(app, pilot)
        assert on_screen(app, "[@click=app.quit]k[/]")
        await pilot.press("3")
        await settle(app, pilot)
        assert on_screen(app, "[b]bold[/b]") and on_screen(app, "[b]team[/b]")
        await pilot.press("4")
        await settle(app, pilot)
        assert on_screen(app, "[link=http://x]y[/link]")
        still_running(app)
    stored = reopen(hostile_db, PLAN)
    assert stored.node("j").status is Status.DROPPED


async def paste(app: AlignmentApp, pilot, widget: Widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Paste ``text`` into ``widget`` as a terminal does (bracketed paste, to the focus)."""
    widget.focus()
    await pilot.pause()
    app.post_message(events.Paste(text))
    await pilot.pause()


async def test_control_characters_typed_or_pasted_into_fields_are_dropped(
    hostile_db: str,
) -> None:
    async with running(hostile_db, plan=PLAN) as (app, pilot):
        await select(app, pilot, "m")
        await pilot.press("a")
        await settle(app, pilot)
        title = app.screen.query_one("#f-title", Input)
        await paste(app, pilot, title, "Pay\x1b[31m down\x07 debt\x1b]8;;http://x\x1b\\\nsecond")
        description = app.screen.query_one("#f-description", TextArea)
        await paste(app, pilot, description, "one\x1b[1m\r\n\ttwo\x07")
        assert title.value == "Pay[31m down debt]8;;http://x\\"
        assert description.text == "one[1m\n\ttwo"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        new = app.view_screen().selected_node()
        assert new is not None and new != "m"
    stored = reopen(hostile_db, PLAN).node(new)
    assert stored.title == "Pay[31m down debt]8;;http://x\\"
    assert stored.description == "one[1m\n\ttwo"
