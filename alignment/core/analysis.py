"""What we conclude from a plan: findings, traces to goals, coverage and progress.

Functions take the plan first and return plain values.

>>> from alignment.core.model import Node, Kind
>>> plan = Plan("Demo")
>>> _ = plan.add(Node(id="grow", kind=Kind.GOAL, title="Grow"))
>>> _ = plan.add(Node(id="hunch", kind=Kind.INITIATIVE, title="A hunch"))
>>> [(f.rule, f.node) for f in findings(plan) if f.severity == "error"]
[('orphan-initiative', 'hunch')]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from alignment.core.model import Kind, Node, Status
from alignment.core.plan import Plan

__all__ = [
    "Alignment",
    "Coverage",
    "Finding",
    "RULES",
    "Severity",
    "alignment_of",
    "coverage",
    "findings",
    "progress",
    "traces",
]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

# Rule names and severities are a contract (issue 2); the order here is the report order.
RULES: dict[str, Severity] = {
    "orphan-initiative": Severity.ERROR,
    "unmeasured-initiative": Severity.WARNING,
    "orphan-indicator": Severity.WARNING,
    "strategy-without-indicator": Severity.WARNING,
    "goal-without-strategy": Severity.WARNING,
    "missing-target": Severity.WARNING,
    "unmoved-indicator": Severity.INFO,
}
_RULE_RANK = {rule: index for index, rule in enumerate(RULES)}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    node: str
    title: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "node": self.node,
            "title": self.title,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Alignment:
    """Which nodes reach a goal, and which initiatives do so through an indicator."""

    aligned: frozenset[str]  # nodes with a path to a goal (goals included)
    measured: frozenset[str]  # nodes with a path to a goal through an indicator
    moved: frozenset[str]  # nodes some live initiative supports, directly or not


def _reach(adjacency: Mapping[str, Mapping[str, object]], sources: Iterable[str]) -> set[str]:
    """Every node reachable from ``sources`` along ``adjacency`` (sources included)."""
    seen = set(sources)
    stack = list(seen)
    pop, push, add = stack.pop, stack.append, seen.add
    while stack:
        for nxt in adjacency[pop()]:
            if nxt not in seen:
                add(nxt)
                push(nxt)
    return seen


def alignment_of(plan: Plan) -> Alignment:
    """One multi-source search per question, over the graph as it is (no copies)."""
    pred, succ = _adjacency(plan)
    nodes = [attrs["node"] for attrs in plan.graph._node.values()]
    goals = [node.id for node in nodes if node.kind is Kind.GOAL]
    aligned = _reach(pred, goals)
    indicators = {node.id for node in nodes if node.kind is Kind.INDICATOR}
    measured = _reach(pred, indicators.intersection(aligned))
    live_initiatives = [node.id for node in nodes if node.kind is Kind.INITIATIVE and node.is_live]
    moved = _reach(succ, live_initiatives)
    moved.difference_update(live_initiatives)
    return Alignment(frozenset(aligned), frozenset(measured), frozenset(moved))


def _adjacency(plan: Plan) -> tuple[Mapping[str, Mapping[str, object]], ...]:
    """The graph's in- and out-adjacency as plain dicts (no view object per lookup)."""
    return plan.graph._pred, plan.graph._succ


def _names(ids: list[str]) -> str:
    return ", ".join(ids)


def _dead_end(plan: Plan, node_id: str, verb: str) -> str:
    parents = [link.parent for link in plan.parents(node_id)]
    if not parents:
        return f"{verb} nothing"
    if len(parents) == 1:
        return f"{verb} {parents[0]}, which reaches no goal"
    return f"{verb} {_names(parents)}, none of which reaches a goal"


def findings(plan: Plan, alignment: Alignment | None = None) -> list[Finding]:
    """All findings, ordered by severity, then rule, then plan order."""
    alignment = alignment or alignment_of(plan)
    result: list[Finding] = []

    def add(rule: str, node: Node, message: str) -> None:
        result.append(Finding(rule, RULES[rule], node.id, node.title, message))

    # Strategies and goals with an indicator (resp. a strategy) below them, directly or not.
    _pred, succ = _adjacency(plan)
    below_indicator = _reach(succ, [n.id for n in plan.nodes(Kind.INDICATOR)])
    below_strategy = _reach(succ, [n.id for n in plan.nodes(Kind.STRATEGY)])
    goal_order = {n.id: index for index, n in enumerate(plan.nodes(Kind.GOAL))}
    for node in plan.nodes():
        node_id = node.id
        if node.kind is Kind.INITIATIVE and node.is_live:
            if node_id not in alignment.aligned:
                add("orphan-initiative", node, _dead_end(plan, node_id, "supports"))
            elif node_id not in alignment.measured:
                goals = _reached_goals(succ, node_id, goal_order)
                parents = [link.parent for link in plan.parents(node_id)]
                route = (
                    f"supports {_names(goals)} directly"
                    if parents == goals
                    else f"supports {_names(parents)}, reaching {_names(goals)}"
                )
                add(
                    "unmeasured-initiative",
                    node,
                    f"{route} through no indicator: how will we know it worked?",
                )
        elif node.kind is Kind.INDICATOR:
            if node_id not in alignment.aligned:
                add(
                    "orphan-indicator",
                    node,
                    "vanity metric: " + _dead_end(plan, node_id, "supports"),
                )
            if node.target is None:
                add("missing-target", node, "no target: say what to aim for")
            if node_id not in alignment.moved:
                add("unmoved-indicator", node, "no live initiative moves it")
        elif node.kind is Kind.STRATEGY:
            if node_id not in below_indicator:
                add("strategy-without-indicator", node, "no indicator tells whether it is working")
        elif node.kind is Kind.GOAL and node_id not in below_strategy:
            add("goal-without-strategy", node, "no strategy serves it")
    order = {node.id: index for index, node in enumerate(plan.nodes())}
    result.sort(key=lambda f: (f.severity.rank, _RULE_RANK[f.rule], order[f.node]))
    return result


def _reached_goals(
    succ: Mapping[str, Mapping[str, object]], node_id: str, goal_order: dict[str, int]
) -> list[str]:
    """The goals ``node_id`` reaches, in plan order (``goal_order``: goal id -> its rank)."""
    reached = [n for n in _reach(succ, [node_id]) if n in goal_order]
    return sorted(reached, key=goal_order.__getitem__)


def traces(plan: Plan, node_id: str, limit: int = 50) -> list[list[str]]:
    """Every path from ``node_id`` up to a goal (at most ``limit``), shortest first.

    A goal's trace is itself. An empty list means the node reaches no goal.
    """
    node = plan.node(node_id)
    graph = plan.graph
    aligned = _reach(graph.pred, [n.id for n in plan.nodes(Kind.GOAL)])
    if node_id not in aligned:
        return []
    paths: list[list[str]] = []
    queue: deque[list[str]] = deque([[node_id]])  # breadth first: shortest paths come first
    while queue and len(paths) < limit:
        path = queue.popleft()
        last = path[-1]
        if plan.node(last).kind is Kind.GOAL and (last != node_id or node.kind is Kind.GOAL):
            paths.append(path)
        queue.extend([*path, parent] for parent in graph.succ[last] if parent in aligned)
    return paths


@dataclass(frozen=True, slots=True)
class Coverage:
    live_initiatives: int
    aligned: int
    measured: int

    @property
    def aligned_pct(self) -> float:
        return _pct(self.aligned, self.live_initiatives)

    @property
    def measured_pct(self) -> float:
        return _pct(self.measured, self.live_initiatives)


def _pct(part: int, whole: int) -> float:
    # With no live initiative, nothing is unaligned: report full coverage rather than divide by 0.
    return 100.0 if whole == 0 else round(100.0 * part / whole, 1)


def coverage(plan: Plan, alignment: Alignment | None = None) -> Coverage:
    alignment = alignment or alignment_of(plan)
    live = [n.id for n in plan.nodes(Kind.INITIATIVE) if n.status is not Status.DROPPED]
    return Coverage(
        live_initiatives=len(live),
        aligned=sum(1 for n in live if n in alignment.aligned),
        measured=sum(1 for n in live if n in alignment.measured),
    )


def progress(node: Node) -> float | None:
    """How far ``current`` has come from ``baseline`` toward ``target`` (0.0 to 1.0, clamped).

    >>> from alignment.core.model import Direction
    >>> progress(Node(id="b", kind=Kind.INDICATOR, title="Bounce", direction=Direction.DOWN,
    ...               baseline=52, target=40, current=49))
    0.25
    """
    if node.baseline is None or node.target is None or node.current is None:
        return None
    span = node.target - node.baseline
    if span == 0:
        return 1.0 if node.current == node.target else 0.0
    return min(1.0, max(0.0, (node.current - node.baseline) / span))
