"""Fixtures shared by the whole suite. Keep this small: each area adds its own conftest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from alignment.core.model import Kind, Node
from alignment.core.plan import Plan

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_plans"
UNIT_ECONOMICS = SAMPLES / "unit-economics.yaml"
STREAMING = SAMPLES / "streaming-subscriptions.yaml"


@pytest.fixture(autouse=True)
def _no_ambient_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the user's real database: ``ALIGNMENT_DB`` points into tmp_path."""
    monkeypatch.setenv("ALIGNMENT_DB", str(tmp_path / "ambient.db"))
    monkeypatch.setenv("ALIGNMENT_AUTHOR", "tester")


@pytest.fixture
def fresh_db(tmp_path: Path) -> str:
    """The path of a database file that does not exist yet."""
    return str(tmp_path / "plans.db")


@pytest.fixture
def samples() -> dict[str, Path]:
    return {"unit-economics": UNIT_ECONOMICS, "streaming": STREAMING}


PlanFactory = Callable[..., Plan]


@pytest.fixture
def plan_factory() -> PlanFactory:
    """Build a small plan from one line per node: ``"KIND ID [-> PARENT ...]"``.

    Fields go in ``fields={"ID": {...}}``; titles default to the id. For example::

        plan_factory("goal g", "strategy s -> g", "initiative i -> s",
                     fields={"i": {"status": "dropped"}})
    """

    def build(*lines: str, name: str = "Test plan", fields: dict | None = None) -> Plan:
        fields = fields or {}
        plan = Plan(name)
        for line in lines:
            head, _, parents = line.partition("->")
            kind, node_id = head.split()
            extra = {"title": node_id, **fields.get(node_id, {})}
            plan.add(Node(id=node_id, kind=Kind(kind), **extra), supports=parents.split())
        return plan

    return build
