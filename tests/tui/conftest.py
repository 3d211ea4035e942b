"""Fixtures for the TUI tests: fixture plans in a temp database and a Pilot helper."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key, key_to_character
from textual.widget import Widget

from alignment.formats.plan_file import read_plan_file
from alignment.store import Store
from alignment.tui.app import AlignmentApp, make_app

REPO = Path(__file__).resolve().parents[2]
UNIT_ECONOMICS = REPO / "sample_plans" / "unit-economics.yaml"
STREAMING = REPO / "sample_plans" / "streaming-subscriptions.yaml"
TODAY = date(2026, 11, 16)  # fixed, so check-ins and snapshots do not depend on the day


def fixed_today() -> date:
    return TODAY


def make_db(path: Path, *plan_files: Path) -> str:
    store = Store.open(path)
    for plan_file in plan_files:
        store.save_plan(read_plan_file(plan_file))
    store.close()
    return str(path)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database holding the unit-economics sample plan only."""
    return make_db(tmp_path / "db", UNIT_ECONOMICS)


@pytest.fixture
def empty_db(tmp_path: Path) -> str:
    return str(tmp_path / "db")


def reopen(db: str, name: str = "Break even on unit economics"):  # type: ignore[no-untyped-def]
    """The plan as stored, read by a fresh Store (what a restart would see)."""
    store = Store.open(db)
    try:
        return store.load(name)
    finally:
        store.close()


async def settle(app: AlignmentApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for workers and pending messages (plan loading runs in a thread)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


@asynccontextmanager
async def running(
    db: str,
    size: tuple[int, int] = (120, 40),
    plan: str | None = None,
    busy_timeout: float = 2.0,
    toasts: bool = False,
    messages: list[object] | None = None,
) -> AsyncIterator:
    """The app on ``db`` under Pilot; ``toasts``: notifications are drawn on screen too;
    ``messages``: every message the app's widgets receive is appended to it."""
    app = make_app(db, plan, today=fixed_today, busy_timeout=busy_timeout)
    hook = None if messages is None else messages.append
    async with app.run_test(size=size, notifications=toasts, message_hook=hook) as pilot:
        await settle(app, pilot)
        yield app, pilot


async def select(app: AlignmentApp, pilot, node_id: str) -> None:  # type: ignore[no-untyped-def]
    """Put the map's cursor on ``node_id``."""
    app.reveal(node_id)
    await settle(app, pilot)
    assert app.view_screen().selected_node() == node_id


def notifications(app: AlignmentApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


CELL_WIDTH = 12.2  # pixels per terminal cell in the SVG Textual exports (Rich's export_svg)


def screen_lines(app: AlignmentApp) -> list[str]:
    """What the terminal shows, line by line, each character in its column (read from the
    screenshot Textual exports)."""
    svg = app.export_screenshot()
    found = re.findall(
        r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#terminal-\d+-line-(\d+)\)">([^<]*)</text>',
        svg,
    )
    lines: dict[int, list[str]] = {}
    for x, number, text in found:
        line = lines.setdefault(int(number), [])
        column = round(float(x) / CELL_WIDTH)
        line.extend(" " * (column - len(line)))
        line[column:] = html.unescape(text).replace("\xa0", " ")
    return ["".join(lines.get(n, [])) for n in range(max(lines, default=-1) + 1)]


def on_screen(app: AlignmentApp, text: str) -> bool:
    return any(text in line for line in screen_lines(app))


def shown_in(app: AlignmentApp, widget: Widget) -> str:
    """The text the terminal shows inside ``widget``'s region, its lines joined by newlines."""
    region = widget.region
    lines = screen_lines(app)
    return "\n".join(line[region.x : region.right] for line in lines[region.y : region.bottom])


async def burst(app: AlignmentApp, pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Every key queued at once, as a paste or a macro sends them (``pilot.press`` lets the app
    go idle after each key, which hides what a burst does); keys named as for ``pilot.press``."""
    for key in keys:
        if len(key) == 1:  # a character: its key name as Pilot makes it (":" is "colon")
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, key_to_character(key)))
    await settle(app, pilot)
