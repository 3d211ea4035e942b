"""Snapshots of each screen at 80x24 and 120x40, on the sample plans in a temp database.

Update with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the report.
To look at one as a PNG, keep its spaces (librsvg drops a text run's leading spaces, which
glues words together that are apart on screen)::

    sed 's/<svg /<svg xml:space="preserve" /' FILE.svg | rsvg-convert -o /tmp/FILE.png
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from alignment.tui.app import make_app

from .conftest import STREAMING, UNIT_ECONOMICS, fixed_today, make_db, settle

SIZES = [(80, 24), (120, 40)]


async def _loaded(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot.app, pilot)
    # A blinking cursor is drawn or not depending on when the picture is taken (it failed one
    # run in several once other tests had run first): hold it steady.
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause(0.2)


def _app(db: str, plan: str | None = None):  # type: ignore[no-untyped-def]
    return make_app(db, plan, today=fixed_today)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_welcome(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(str(tmp_path / "db")), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_map(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """The map with a leading indicator selected (bounce rate): the North Star first under
    the goal, implied links marked (ƒ before a formula input, "measure" after a strategy's
    measure), roles in words, the tree opened down
    to the selection; its detail pane with role, numbers in their unit, status and links."""
    db = make_db(tmp_path / "db", UNIT_ECONOMICS)

    async def select_indicator(pilot) -> None:  # type: ignore[no-untyped-def]
        await _loaded(pilot)
        pilot.app.reveal("bounce-rate")
        await _loaded(pilot)

    assert snap_compare(_app(db), terminal_size=size, run_before=select_indicator)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_map_of_the_streaming_plan(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """The second sample as opened: its North Star (a formula) leads the goal with its inputs
    under it; as many levels open as fit the pane."""
    db = make_db(tmp_path / "db", STREAMING)
    assert snap_compare(_app(db), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("view", ["findings", "initiatives", "metrics"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_views(snap_compare, tmp_path: Path, size: tuple[int, int], view: str) -> None:
    """Each table view as opened on 2026-11-16. Metrics: worst status first (Twitter/X
    followers behind), the North Star starred with computed values (ƒ), Role and Status as
    words, the sort arrow in the Status header."""
    db = make_db(tmp_path / "db", UNIT_ECONOMICS)
    key = {"findings": "2", "initiatives": "3", "metrics": "4"}[view]

    async def open_view(pilot) -> None:  # type: ignore[no-untyped-def]
        await _loaded(pilot)
        await pilot.press(key)
        await _loaded(pilot)

    assert snap_compare(_app(db), terminal_size=size, run_before=open_view)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_edit_form(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """The edit form of an indicator: one row per field its kind declares, in declaration
    order, with the stored values; a bad target is highlighted and its reason shown."""
    db = make_db(tmp_path / "db", UNIT_ECONOMICS)

    async def edit_indicator(pilot) -> None:  # type: ignore[no-untyped-def]
        await _loaded(pilot)
        pilot.app.reveal("bounce-rate")
        await _loaded(pilot)
        await pilot.press("e")
        await _loaded(pilot)
        pilot.app.screen.query_one("#f-target").value = "forty"
        await _loaded(pilot)

    assert snap_compare(_app(db), terminal_size=size, run_before=edit_indicator)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_add_form(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """The add form under an indicator: an initiative by default, its declared fields with
    their help as placeholders, Supports naming the selected indicator, the keys (enter,
    ctrl+s, ctrl+n, ctrl+k) in the hint line."""
    db = make_db(tmp_path / "db", UNIT_ECONOMICS)

    async def add_under_indicator(pilot) -> None:  # type: ignore[no-untyped-def]
        await _loaded(pilot)
        pilot.app.reveal("referral-rate")
        await _loaded(pilot)
        await pilot.press("a")
        await _loaded(pilot)

    assert snap_compare(_app(db), terminal_size=size, run_before=add_under_indicator)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_add_indicator_form_infers_the_direction(
    snap_compare, tmp_path: Path, size: tuple[int, int]
) -> None:
    """The add form under a strategy: an indicator; baseline 52 and target 40 typed, no
    direction chosen: the note under the fields says down was read from them."""
    db = make_db(tmp_path / "db", UNIT_ECONOMICS)

    async def add_indicator(pilot) -> None:  # type: ignore[no-untyped-def]
        await _loaded(pilot)
        pilot.app.reveal("reduce-cac")
        await _loaded(pilot)
        await pilot.press("a", *"Bounce", "enter", "enter", "enter", "%")
        await pilot.press("enter", "enter", "enter", "5", "2", "enter", "4", "0")
        await _loaded(pilot)

    assert snap_compare(_app(db), terminal_size=size, run_before=add_indicator)


def test_light_theme(snap_compare, tmp_path: Path) -> None:
    """The flags and findings stay legible on the light theme (theme colours, not fixed ones)."""
    db = make_db(tmp_path / "db", UNIT_ECONOMICS)

    async def light_initiatives(pilot) -> None:  # type: ignore[no-untyped-def]
        await _loaded(pilot)
        await pilot.press("t", "3")
        await _loaded(pilot)

    assert snap_compare(_app(db), terminal_size=(120, 40), run_before=light_initiatives)
