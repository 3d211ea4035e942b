"""Measure the TUI on a 10k-node plan with Pilot: time to the first screen, and edit round trips.

    .venv/bin/python benchmarks/bench_tui.py [--nodes 10000] [--runs 15]

First screen: wall time from starting a fresh Python process (``python -m alignment tui``'s
imports included) until the map shows the plan's tree. Edit round trip: from the key that
submits an edit until the edit is saved and the map, detail and status line show it.
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
from alignment.tui.app import make_app
from alignment.tui.widgets.plan_tree import PlanTree

async def main():
    app = make_app(sys.argv[1], None)
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            await pilot.pause(0.005)
            if app.current_mode == "map" and app.screen.query(PlanTree):
                tree = app.screen.query_one(PlanTree)
                if tree.root.children and app.screen.query_one("#detail-body").render():
                    await pilot.pause()
                    print(time.time())
                    return

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


async def round_trips(db: str, runs: int) -> dict[str, list[float]]:
    from alignment.tui.app import make_app
    from alignment.tui.widgets.plan_tree import PlanTree

    results: dict[str, list[dict[str, float]]] = {
        "add (form submit)": [],
        "status (D)": [],
        "undo (u)": [],
    }

    def marks(start: float) -> dict[str, float]:
        return {name: mark - start for name, mark in app.timings.items() if name != "submitted"}

    app = make_app(db, None)
    async with app.run_test(size=(120, 40)) as pilot:
        while app.current_mode != "map":
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        plan = app.plan
        indicators = [n.id for n in plan.nodes() if n.kind == "indicator"][:runs]
        for index, indicator in enumerate(indicators):
            app.reveal(indicator)
            await pilot.pause()
            await pilot.press("a")
            await pilot.pause()
            form = app.screen
            form.query_one("#f-title").value = f"Bench initiative {index}"
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("enter")
            assert app.view_screen().selected_node() == f"bench-initiative-{index}"
            results["add (form submit)"].append(marks(start))

            start = time.perf_counter()
            await pilot.press("D")
            assert app.plan.node(f"bench-initiative-{index}").status == "dropped"
            results["status (D)"].append(marks(start))

            start = time.perf_counter()
            await pilot.press("u")
            results["undo (u)"].append(marks(start))
        tree = app.screen.query_one(PlanTree)
        assert tree.root.children
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
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
        trips = asyncio.run(round_trips(db, args.runs))
        print("edit round trips, ms from the submitting key (median / max over runs):")
        print(
            "  saved = in the database; screen = map and detail repainted; findings = status line"
        )
        for name, runs in trips.items():
            cells = []
            for mark in ("saved", "screen", "findings"):
                ms = [run[mark] * 1000 for run in runs]
                cells.append(f"{mark} {statistics.median(ms):4.0f} / {max(ms):4.0f}")
            print(f"  {name:<18} " + "   ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
