"""Measure the TUI at scale with Pilot: first screen of a 10k-node plan, and an edit round trip.

    .venv/bin/python benchmarks/bench_tui.py [--nodes 10000]

Uses benchmarks/generate.py when it exists, else the small layered generator below.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alignment.core.model import Direction, Kind, Link, Node  # noqa: E402
from alignment.core.plan import Plan  # noqa: E402


def layered_plan(total: int, seed: int = 7) -> Plan:
    """Goals, strategies, indicators (some sub-indicators) and initiatives, ~1/2/15/82 %."""
    rng = random.Random(seed)
    goals = max(1, total // 1000)
    strategies = max(1, total // 50)
    indicators = max(1, total * 15 // 100)
    initiatives = total - goals - strategies - indicators
    nodes: list[Node] = []
    links: list[Link] = []
    for i in range(goals):
        nodes.append(Node(f"goal-{i}", Kind.GOAL, f"Goal number {i}", owner="Exec"))
    for i in range(strategies):
        nodes.append(Node(f"strategy-{i}", Kind.STRATEGY, f"Strategy {i}", owner="Product"))
        links.append(Link(f"strategy-{i}", f"goal-{rng.randrange(goals)}"))
    for i in range(indicators):
        nodes.append(
            Node(
                f"indicator-{i}",
                Kind.INDICATOR,
                f"Indicator {i}",
                owner=rng.choice(["Marketing", "Product", "Growth"]),
                unit="%",
                direction=Direction.UP,
                baseline=10,
                target=20,
                current=rng.randrange(10, 21),
            )
        )
        if i > 10 and rng.random() < 0.2:
            links.append(Link(f"indicator-{i}", f"indicator-{rng.randrange(i // 2)}"))
        elif rng.random() < 0.97:
            links.append(Link(f"indicator-{i}", f"strategy-{rng.randrange(strategies)}"))
    for i in range(initiatives):
        nodes.append(
            Node(f"initiative-{i}", Kind.INITIATIVE, f"Initiative {i}", owner="Engineering", effort=2)
        )
        for parent in {rng.randrange(indicators) for _ in range(rng.choice([0, 1, 1, 1, 2]))}:
            links.append(Link(f"initiative-{i}", f"indicator-{parent}"))
    return Plan.build(f"Layered {total}", None, nodes, links)


def generate(total: int) -> Plan:
    try:
        from benchmarks.generate import layered_plan as other  # type: ignore[import-not-found]
    except ImportError:
        return layered_plan(total)
    return other(total)  # pragma: no cover
