"""Time to export a 10,000-node plan as the Markdown alignment map (budget: within 1 s).

    .venv/bin/python benchmarks/bench_export.py              # 10k nodes, best of 5
    .venv/bin/python benchmarks/bench_export.py --nodes 100000 --runs 3

The plan comes from ``benchmarks/generate.py`` (layered goals, strategies, KPI trees and
initiatives with a few flaws, built with ``Plan.build``); the time covers ``plan_to_markdown``
only, analysis included (findings, coverage, goals served), not building the plan. Mermaid
and DOT exports are timed beside it for reference. Exit status 1 when Markdown is over budget.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alignment.formats.dot import plan_to_dot  # noqa: E402
from alignment.formats.markdown import plan_to_markdown  # noqa: E402
from alignment.formats.mermaid import plan_to_mermaid  # noqa: E402
from benchmarks.generate import generate_plan  # noqa: E402

BUDGET_S = 1.0
AS_OF = date(2026, 11, 23)


def best_of(runs: int, export: Callable[[], str]) -> tuple[float, int]:
    """The fastest of ``runs`` calls (the least disturbed by the machine) and the output size."""
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(export())
        times.append(time.perf_counter() - start)
    return min(times), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    plan = generate_plan(args.nodes)
    print(f"plan: {len(plan)} nodes, {plan.graph.number_of_edges()} links "
          f"(built in {time.perf_counter() - start:.2f} s)")  # fmt: skip
    markdown, size = best_of(args.runs, lambda: plan_to_markdown(plan, AS_OF))
    verdict = "ok" if markdown <= BUDGET_S else "OVER BUDGET"
    print(f"markdown: {markdown:.3f} s, {size / 1e6:.1f} MB (budget {BUDGET_S:.1f} s: {verdict})")
    for name, export in (("mermaid", plan_to_mermaid), ("dot", plan_to_dot)):
        seconds, size = best_of(args.runs, lambda export=export: export(plan))
        print(f"{name}: {seconds:.3f} s, {size / 1e6:.1f} MB")
    return 0 if markdown <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
