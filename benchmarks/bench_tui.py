"""Measure the TUI on a 10k-node plan with Pilot: time to the first screen, and edit round trips.

    .venv/bin/python benchmarks/bench_tui.py [--nodes 10000] [--runs 15]

First screen: wall time from starting a fresh Python process (``python -m alignment tui``'s
imports included) until the first frame with the map, its tree and its detail is on the
terminal (the findings follow it, computed in the write lane; not counted). Edit round trip: from the key that
submits an edit (ctrl+s or enter in a form or picker, or the edit's own key) until the edit is
saved and the app's own refresh timer has repainted the map and the detail with it (the
"screen" mark, the budget); "findings": until the status line and the findings, computed in
the write lane after that repaint, are repainted too. Figures are medians / maxima over the
runs (shown as "median / max"), and the first run of each kind separately (cold caches).
"""

from __future__ import annotations

import argparse
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

CHILD = """
import sys, time
from textual.screen import Screen
from alignment.tui.app import make_app
from alignment.tui.widgets.plan_tree import PlanTree

shown = []
refresh = Screen._compositor_refresh

def compositor_refresh(screen):
    # The first frame on the terminal with the map on top, its tree and its detail filled.
    refresh(screen)
    if shown or screen is not screen.app.screen or screen.app.current_mode != "map":
        return
    trees = screen.query(PlanTree)
    if trees and trees.first().root.children and screen.query_one("#detail-body").render():
        shown.append(time.time())

Screen._compositor_refresh = compositor_refresh

async def main():
    app = make_app(sys.argv[1], None)
    async with app.run_test(size=(120, 40)) as pilot:
        while not shown:
            await asyncio.sleep(0.002)
        print(shown[0])

import asyncio
asyncio.run(main())
"""


def first_screen(db: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.time()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, db], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
        times.append(float(out.strip().splitlines()[-1]) - start)
    return times


EDITS = ("add (form)", "link (picker)", "check-in (form)", "status (D)", "undo (u)")


async def round_trips(db: str, runs: int) -> tuple[dict[str, list[dict[str, float]]], list[float]]:
    """Each edit ``runs`` times on a 10k plan, the way a user makes it (keys and forms).

    Returns the marks of every run (ms from the submitting key) and the times to open the
    add form (from the key until the form is on screen).
    """
    from textual import events

    from alignment.tui.app import make_app
    from alignment.tui.modals.drafting import LinkNumbersModal
    from alignment.tui.modals.form import NodeFormModal
    from alignment.tui.modals.pickers import LinkPickerModal
    from alignment.tui.modals.prompts import CheckInModal
    from benchmarks.screen_marks import ScreenMarks

    results: dict[str, list[dict[str, float]]] = {name: [] for name in EDITS}
    opened: list[float] = []
    app = make_app(db, None)
    marks = ScreenMarks(app)

    async def submit(pilot, key: str, name: str) -> None:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        shown, analysed = len(marks.shown), len(marks.analysed)
        await pilot.press(key)
        screen = await marks.edit_shown(shown)
        findings = await marks.findings_shown(analysed)
        at = {"saved": marks.saved[-1], "screen": screen, "findings": findings}
        results[name].append({mark: (moment - start) * 1000 for mark, moment in at.items()})
        await pilot.pause(0.05)

    async with app.run_test(size=(120, 40), message_hook=marks.hook) as pilot:
        while app.current_mode != "map":
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        plan = app.plan
        indicators = [n.id for n in plan.nodes() if n.kind == "indicator"]
        for index in range(runs):
            indicator, other = indicators[index], indicators[-1 - index]
            app.reveal(indicator)
            await pilot.pause()
            start = time.perf_counter()
            app.post_message(events.Key("a", "a"))  # as a terminal sends it (no Pilot waits)
            opened.append((await marks.first_frame_of(NodeFormModal, start) - start) * 1000)
            await pilot.pause()
            app.screen.query_one("#f-title").value = f"Bench initiative {index}"
            await pilot.pause()
            await submit(pilot, "ctrl+s", "add (form)")
            new = f"bench-initiative-{index}"
            assert app.view_screen().selected_node() == new

            await pilot.press("l")
            assert isinstance(app.screen, LinkPickerModal)
            app.screen.query_one("#picker-query").value = other
            await pilot.pause()
            await pilot.press("enter")  # the parent; then the link's numbers, left empty
            while not isinstance(app.screen, LinkNumbersModal):
                await pilot.pause(0.005)
            await submit(pilot, "enter", "link (picker)")
            assert app.plan.link_between(new, other) is not None

            await submit(pilot, "D", "status (D)")
            assert app.plan.node(new).status == "dropped"
            await submit(pilot, "u", "undo (u)")
            assert app.plan.node(new).status != "dropped"

            app.reveal(indicator)
            await pilot.pause()
            await pilot.press("c")
            assert isinstance(app.screen, CheckInModal)
            app.screen.query_one("#checkin-value").value = str(40 + index)
            app.screen.query_one("#checkin-at").value = f"2031-01-{index + 1:02d}"
            await pilot.pause()
            await submit(pilot, "enter", "check-in (form)")
            assert app.plan.node(indicator).current == 40 + index
    return results, opened


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from alignment.store import Store
    from benchmarks.generate import generate_plan

    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "bench.db")
        store = Store.open(db)
        plan = generate_plan(args.nodes)
        store.save_plan(plan)
        store.close()
        print(f"plan: {len(plan)} nodes, {sum(1 for _ in plan.links())} links")
        shown = first_screen(db, 5)
        print(
            f"first screen (fresh process to map shown): median {statistics.median(shown):.2f} s, "
            f"max {max(shown):.2f} s  (budget 1.5 s)"
        )
        trips, opened = asyncio.run(round_trips(db, args.runs))
        print(
            f"edit round trips over {args.runs} runs, ms from the submitting key (budget 100 ms):"
        )
        print("  saved = in the database; screen = map, detail and cursor repainted;")
        print("  findings = status line and findings caught up; first = the first run of the kind")
        for name, marks in trips.items():
            cells = []
            for mark in ("saved", "screen", "findings"):
                ms = [run[mark] for run in marks]
                cells.append(f"{mark} {statistics.median(ms):4.0f} / {max(ms):4.0f}")
            verdict = "ok" if statistics.median(run["screen"] for run in marks) <= 100 else "OVER"
            first = marks[0]["screen"]
            print(f"  {name:<16} " + "   ".join(cells) + f"   first {first:4.0f}  {verdict}")
        print(
            f"open the add form (key to its first frame): median {statistics.median(opened):.0f} ms, "
            f"max {max(opened):.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
