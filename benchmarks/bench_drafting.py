"""Drafting budget: the worked example of DOMAIN.md typed into the TUI, and imported from an outline.

    .venv/bin/python benchmarks/bench_drafting.py

The plan (1 goal, 2 strategies, 6 indicators with baselines and targets, 9 initiatives, 20
links: each node under its parent, and 3 initiatives that serve a second parent) is typed
with the quick-add line (``:``), in one session, under Pilot: the figures are the keystrokes
used, titles excluded (budget: at most 160), and each edit's round trip, from the enter that
submits a line until the edit is saved and on screen (budget: under 100 ms). Then the same
plan from benchmarks/unit-economics-draft.md with ``alignment import`` (one command, timed as
a fresh process). Both plans are checked to hold the same nodes and links.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUTLINE = ROOT / "benchmarks" / "unit-economics-draft.md"
PLAN = "Break even on unit economics"

# (prefix, title, rest, extra keys after the rest): each line is typed as prefix + title +
# rest, then the extra keys (→ accepts a completion), then enter. Titles are not counted.
LINES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("", "Break even on our unit economics (CAC <= LTV)", "", ()),
    ("+ ", "Reduce CAC by 20%", "", ()),
    ("+ ", "Bounce rate on entry pages", " % 52->40", ()),
    ("+ ", "Rework entry pages to a page-speed score above 90", "", ()),
    ("- ", "Registration rate", " % 3.1->4", ()),
    ("+ ", "Add social sign-up methods", "", ()),
    ("- ", "Activation rate", " % 38->50", ()),
    ("+ ", "Streamline the journeys that lead to activation", "", ()),
    ("- ", "Subscription rate", " % 4.2->5.5", ()),
    ("+ ", "Prompt activated users to subscribe", "", ()),
    ("- ", "Referral rate", " % 1.5->3", ()),
    ("+ ", "Refer-a-friend feature with incentives", "", ()),
    ("-- ", "Increase LTV by 20%", "", ()),
    ("+ ", "Sessions per week", " 2.1->3", ()),
    ("+ ", "Email inactive subscribers a reason to come back", "", ()),
    ("", "Reduce friction in the main journeys", " under act", ("right",)),
    ("- ini ", "Deploy an analytics tool", " under red", ("right",)),
    ("ini ", "Collect client-side error logs and act on them", " under red", ("right",)),
]


def key_names(text: str) -> list[str]:
    return [{" ": "space"}.get(ch, ch) for ch in text]


async def draft(db: str) -> tuple[int, int, list[float]]:
    """Type the plan; (keys counted, title keys, round trips in ms)."""
    from alignment.tui.app import make_app
    from alignment.tui.modals.drafting import QuickAddModal
    from benchmarks.screen_marks import ScreenMarks

    app = make_app(db, PLAN)
    marks = ScreenMarks(app)
    counted = titles = 0
    trips: list[float] = []
    idle: list[float] = []  # a key that changes nothing, for comparison
    saved: list[float] = []  # until the change is saved and the views caught up (no repaint)
    async with app.run_test(size=(120, 40), message_hook=marks.hook) as pilot:
        for _ in range(20):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press(":")
        counted += 1
        assert isinstance(app.screen, QuickAddModal)
        for prefix, title, rest, extra in LINES:
            await pilot.press(*key_names(prefix))
            await pilot.press(*key_names(title))
            await pilot.press(*key_names(rest), *extra)
            counted += len(prefix) + len(rest) + len(extra) + 1
            titles += len(title)
            await app.workers.wait_for_complete()  # the line's keys are in (completions too)
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("home", "end")  # no edit: what two keys cost on this machine
            idle.append((time.perf_counter() - start) * 1000 / 2)
            before = len(marks.shown)  # the edits the views have caught up with
            start = time.perf_counter()
            await pilot.press("enter")
            shown = await marks.edit_shown(before)  # the app's own timer repainted it
            saved.append((marks.shown[-1] - start) * 1000)
            trips.append((shown - start) * 1000)
            await pilot.pause()
            error = str(app.screen.query_one("#quick-error").render())
            assert not error, f"{title}: {error}"
        await pilot.press("escape")
        counted += 1
    print(
        f"  of which saved and views updated: median {statistics.median(saved):.1f} ms, "
        f"max {max(saved):.1f} ms"
    )
    print(
        f"  a key that edits nothing (home, end), for comparison: median "
        f"{statistics.median(idle):.1f} ms"
    )
    return counted, titles, trips


def same_plans(typed: object, imported: object) -> None:
    from alignment.core.plan import Plan

    assert isinstance(typed, Plan) and isinstance(imported, Plan)

    def shape(plan: Plan) -> set[tuple[object, ...]]:
        titles = {n.id: n.title for n in plan.nodes()}
        nodes = {
            (n.kind.value, n.title, n.unit, n.direction, n.baseline, n.target) for n in plan.nodes()
        }
        links = {(titles[link.child], titles[link.parent]) for link in plan.links()}
        return nodes | {("link", *pair) for pair in links}

    missing, extra = shape(imported) - shape(typed), shape(typed) - shape(imported)
    assert not missing and not extra, (missing, extra)


def main() -> None:
    from alignment.core.plan import Plan
    from alignment.store import Store

    with tempfile.TemporaryDirectory() as folder:
        typed_db = str(Path(folder) / "typed.db")
        store = Store.open(typed_db)
        store.save_plan(Plan(PLAN))
        store.close()
        counted, titles, trips = asyncio.run(draft(typed_db))

        imported_db = str(Path(folder) / "imported.db")
        command = [sys.executable, "-m", "alignment", "import", str(OUTLINE), "--db", imported_db]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        seconds = time.perf_counter() - start

        typed, imported = Store.open(typed_db), Store.open(imported_db)
        typed_plan, imported_plan = typed.load(PLAN), imported.load(PLAN)
        same_plans(typed_plan, imported_plan)
        counts = typed_plan.counts()
        links = len(list(typed_plan.links()))
        typed.close()
        imported.close()

    shape = ", ".join(f"{n} {k.value}" for k, n in counts.items())
    print(f"plan: {shape}, {links} links (typed and imported: the same)")
    print(f"keystrokes, titles excluded: {counted} (budget <= 160); title keys: {titles}")
    print(
        f"edit round trip (enter -> saved and shown), {len(trips)} edits: median "
        f"{statistics.median(trips):.1f} ms, max {max(trips):.1f} ms (budget < 100 ms)"
    )
    print(f"alignment import {OUTLINE.name}: {seconds:.2f} s (one command, a fresh process)")
    print(f"(load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
