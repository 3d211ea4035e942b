"""Forecast budgets (issue 10): the forecast beside `check` at 100k nodes, and the TUI's what-if
toggle at 300 and 10k nodes.

    .venv/bin/python benchmarks/bench_forecast.py                  # 100k; 300 and 10k toggles
    .venv/bin/python benchmarks/bench_forecast.py --size 20000 --runs 3 --no-tui

Generated plans (benchmarks/generate.py) carry effects on some initiative links only; the plans
here add what the forecast walks through (``with_forecast_numbers``): sensitivities with a
confidence on a third of the links between indicators, a measure and an aim on every strategy,
a formula indicator and a condition per goal.

- forecast vs check: ``alignment forecast FILE --format json`` against ``alignment check FILE
  --format json`` on the same plan file, whole processes, median of ``--runs`` alternating runs.
  Budget: forecast <= 1.5x check. Also in process (the plan already read): ``forecast(plan)``
  against ``findings(plan)``, for information.
- what-if toggle: ``ForecastScreen.toggle`` in the running app (Pilot, 120x40) on a stored plan:
  the forecast recomputed for what the initiative reaches and the cells that changed updated,
  median / max over ``--toggles`` toggles of different initiatives. Budgets: under 50 ms at 300
  nodes, under 300 ms at 10k. The bare core step (``WhatIf.toggle``) is shown beside it, and
  Pilot's wait until the next frame is drawn (Textual's DataTable re-renders its visible rows
  after any cell update: most of that wait), beside the same wait with nothing to draw.

The machine may be shared: ratios are measured in one run, alternating, so load hits both.
Exit status 0 when every budget passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alignment.core.model import Kind, Link, Node  # noqa: E402
from alignment.core.plan import Plan  # noqa: E402
from benchmarks.generate import generate_plan  # noqa: E402

FORECAST_BUDGET = 1.5
TOGGLE_BUDGETS_MS = {300: 50.0, 10_000: 300.0}
ALIGNMENT = [sys.executable, "-m", "alignment"]


def with_forecast_numbers(plan: Plan, seed: int = 0) -> Plan:
    """The plan with sensitivities, measures with aims, formulas and goal conditions added."""
    rng = random.Random(seed)
    indicators = {n.id for n in plan.nodes(Kind.INDICATOR)}
    nodes: list[Node] = []
    links: list[Link] = []
    measured: dict[str, str] = {}  # strategy -> a top-level indicator under it
    for link in plan.links():
        if link.child in indicators and link.parent in indicators and rng.random() < 0.33:
            effect = round(rng.uniform(-0.8, 0.8), 2) or 0.1
            link = Link(link.child, link.parent, effect, rng.choice((0.3, 0.5, 0.8, None)))
        elif link.child in indicators and plan.node(link.parent).kind is Kind.STRATEGY:
            measured.setdefault(link.parent, link.child)
        links.append(link)
    top: dict[str, list[str]] = {}  # goal -> indicators measuring its strategies
    for node in plan.nodes():
        if node.kind is Kind.STRATEGY and node.id in measured:
            change = f"{rng.choice((-20, -10, 10, 15, 20))}%"
            node = node.evolve(measure=measured[node.id], change=change)
            for link in plan.parents(node.id):
                top.setdefault(link.parent, []).append(measured[node.id])
        nodes.append(node)
    extra: list[Node] = []
    for index, goal in enumerate(plan.nodes(Kind.GOAL)):
        inputs = top.get(goal.id, [])
        if len(inputs) < 2:
            continue
        a, b = inputs[0], inputs[1]
        formula_id = f"ratio-{index + 1}"
        extra.append(
            Node(id=formula_id, kind=Kind.INDICATOR, title=f"Ratio {index + 1}",
                 formula=f"${{{a}}} / ${{{b}}}", direction="up")
        )  # fmt: skip
        links.append(Link(formula_id, goal.id))
        position = nodes.index(goal)
        nodes[position] = goal.evolve(condition=f"${{{a}}} >= ${{{b}}}")
    return Plan.build(plan.name, plan.description, [*nodes, *extra], links)


def _run(args: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of a whole process: on a shared machine the CPU
    time is the fairer figure, the wall time is shown beside it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def forecast_vs_check(size: int, runs: int, work: Path) -> bool:
    from alignment.core.analysis import findings
    from alignment.core.forecast import forecast
    from alignment.formats.plan_file import write_plan

    plan = with_forecast_numbers(generate_plan(size))
    path = work / f"plan-{size}.yaml"
    path.write_text(write_plan(plan), encoding="utf-8")
    checks, forecasts = [], []
    for index in range(runs):  # alternating, and which goes first alternates too
        pair = [
            ("check", [*ALIGNMENT, "check", str(path), "--format", "json"]),
            ("forecast", [*ALIGNMENT, "forecast", str(path), "--format", "json"]),
        ]
        for name, args in pair if index % 2 == 0 else reversed(pair):
            (checks if name == "check" else forecasts).append(_run(args))
    check_wall = statistics.median(wall for wall, _cpu in checks)
    check_cpu = statistics.median(cpu for _wall, cpu in checks)
    forecast_wall = statistics.median(wall for wall, _cpu in forecasts)
    forecast_cpu = statistics.median(cpu for _wall, cpu in forecasts)
    ratio = forecast_cpu / check_cpu
    ok = ratio <= FORECAST_BUDGET
    print(f"{len(plan)} nodes, {sum(1 for _ in plan.links())} links (whole processes, median "
          f"of {runs}; CPU = user + system):")  # fmt: skip
    print(f"  check    CPU {check_cpu:6.2f} s   wall {check_wall:6.2f} s")
    print(f"  forecast CPU {forecast_cpu:6.2f} s   wall {forecast_wall:6.2f} s")
    print(f"  ratio (CPU) {ratio:.2f}x, wall {forecast_wall / check_wall:.2f}x "
          f"(budget {FORECAST_BUDGET}x) {'PASS' if ok else 'OVER'}")  # fmt: skip
    found = _best(lambda: findings(plan), 3)
    expected = _best(lambda: forecast(plan), 3)
    print(f"  in process: findings {found:.2f} s, forecast {expected:.2f} s "
          f"({expected / found:.2f}x)")  # fmt: skip
    return ok


def _best(step, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


async def _toggles(db: str, toggles: int) -> dict[str, list[float]]:
    from alignment.core.forecast import ForecastModel, WhatIf, scenario
    from alignment.tui.app import make_app
    from alignment.tui.screens.forecast import ForecastScreen

    app = make_app(db)
    times: dict[str, list[float]] = {"screen": [], "settle": [], "idle": [], "core": []}
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(600):
            await pilot.pause(0.05)
            if app.current_mode == "map" and app.session is not None:
                break
        await pilot.press("5")
        for _ in range(600):
            await pilot.pause(0.05)
            if isinstance(app.screen, ForecastScreen) and app.screen.what_if is not None:
                break
        screen = app.screen
        assert isinstance(screen, ForecastScreen) and screen.what_if is not None
        plan = app.plan
        moves = screen.what_if.model.moves
        moving = [i for i in plan.nodes(Kind.INITIATIVE) if moves.get(i.id)]
        chosen = moving[:: max(1, len(moving) // toggles)][:toggles]
        for node in chosen:
            start = time.perf_counter()
            screen.toggle(node.id)  # the recompute and the widgets' updates
            middle = time.perf_counter()
            await pilot.pause(0)  # Pilot's own wait until the app is idle (frame drawn)
            end = time.perf_counter()
            await pilot.pause(0)  # the same wait with nothing to draw, for comparison
            idle = time.perf_counter()
            times["screen"].append(1000 * (middle - start))
            times["settle"].append(1000 * (end - middle))
            times["idle"].append(1000 * (idle - end))
        what_if = WhatIf(ForecastModel(plan), scenario(plan))
        for node in chosen:
            start = time.perf_counter()
            what_if.toggle(node.id)
            times["core"].append(1000 * (time.perf_counter() - start))
    return times


def toggle_budgets(toggles: int, work: Path) -> bool:
    from alignment.store import Store

    ok = True
    for size, budget in TOGGLE_BUDGETS_MS.items():
        plan = with_forecast_numbers(generate_plan(size))
        db = str(work / f"toggle-{size}.db")
        store = Store.open(db)
        store.save_plan(plan)
        store.close()
        times = asyncio.run(_toggles(db, toggles))
        median, worst = statistics.median(times["screen"]), max(times["screen"])
        passed = median < budget
        ok = ok and passed
        print(f"what-if toggle at {len(plan)} nodes: {median:.1f} / {worst:.1f} ms (median / "
              f"max: recompute and widget updates), budget {budget:g} ms "
              f"{'PASS' if passed else 'OVER'}; core alone "
              f"{statistics.median(times['core']):.2f} ms; Pilot's wait for the frame after "
              f"it {statistics.median(times['settle']):.0f} ms, the same wait idle "
              f"{statistics.median(times['idle']):.0f} ms")  # fmt: skip
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--toggles", type=int, default=15)
    parser.add_argument("--no-tui", action="store_true", help="Skip the what-if toggles.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ok = forecast_vs_check(args.size, args.runs, work)
        if not args.no_tui:
            ok = toggle_budgets(args.toggles, work) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
