"""Expected values once the work of a scenario lands (PLAN_FORMAT.md, "Forecast").

- The scenario: live initiatives that are planned or active ("committed"); candidates on request;
  single initiatives added or removed. Done work is already in ``current``; dropped work never counts.
- An indicator starts from current (else baseline) and adds effect x confidence (0.5 when missing)
  for each initiative of the scenario that supports it with an ``effect``.
- Between indicators, a link with an effect adds effect x confidence x the child's expected change.
  A formula indicator is its formula over its inputs' expected values, plus its own direct effects.
- Strategies: the measure's expected value against the aim. Goals: the condition on expected values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from alignment.core.expressions import Expr, evaluate, holds, references
from alignment.core.model import Kind, PlanError, Status
from alignment.core.values import (
    Metrics,
    condition_of,
    formula_of,
    is_better,
    metric_values,
)

if TYPE_CHECKING:
    from alignment.core.plan import Plan

__all__ = [
    "COMMITTED",
    "DEFAULT_CONFIDENCE",
    "Forecast",
    "GoalForecast",
    "IndicatorForecast",
    "StrategyForecast",
    "forecast",
    "scenario",
]

COMMITTED = frozenset({Status.PLANNED, Status.ACTIVE})
DEFAULT_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class IndicatorForecast:
    id: str
    current: float | None  # where it starts: current, else baseline
    expected: float | None
    target: float | None
    modelled: bool  # some effect of the scenario reaches it

    @property
    def coverage_pct(self) -> float | None:
        """Expected change / (target - current), as a percentage."""
        if self.current is None or self.expected is None or self.target is None:
            return None
        gap = self.target - self.current
        if gap == 0:
            return None
        return round(100 * (self.expected - self.current) / gap, 1)


@dataclass(frozen=True, slots=True)
class StrategyForecast:
    id: str
    measure: str
    aim: float | None
    expected: float | None
    short_by: float | None  # 0 when the aim is met; unknown when either side is


@dataclass(frozen=True, slots=True)
class GoalForecast:
    id: str
    met_now: bool | None
    met_expected: bool | None


@dataclass(frozen=True, slots=True)
class Forecast:
    scenario: tuple[str, ...]  # initiative ids, plan order
    indicators: tuple[IndicatorForecast, ...]
    strategies: tuple[StrategyForecast, ...]
    goals: tuple[GoalForecast, ...]

    def as_dict(self, plan_name: str) -> dict[str, object]:
        """The ``alignment forecast --format json`` shape (numbers unknown are None; computed
        numbers to 12 significant digits, so 41.4 x 0.8 reads 33.12)."""
        return {
            "plan": plan_name,
            "scenario": list(self.scenario),
            "indicators": [
                {
                    "id": i.id,
                    "current": _clean(i.current),
                    "expected": _clean(i.expected),
                    "target": _clean(i.target),
                    "coverage_pct": _clean(i.coverage_pct),
                }
                for i in self.indicators
            ],
            "strategies": [
                {
                    "id": s.id,
                    "aim": _clean(s.aim),
                    "expected": _clean(s.expected),
                    "short_by": _clean(s.short_by),
                }
                for s in self.strategies
            ],
            "goals": [
                {"id": g.id, "met_now": g.met_now, "met_expected": g.met_expected}
                for g in self.goals
            ],
        }


def _clean(value: float | None) -> float | int | None:
    """A computed number without float noise: 12 significant digits, integral as int."""
    if value is None:
        return None
    rounded = float(f"{value:.12g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


def scenario(
    plan: Plan,
    with_candidates: bool = False,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> tuple[str, ...]:
    """The initiatives whose work the forecast counts, in plan order."""
    chosen: set[str] = set()
    for node in plan.nodes(Kind.INITIATIVE):
        if node.status in COMMITTED or (with_candidates and node.status is Status.CANDIDATE):
            chosen.add(node.id)
    for node_id in add:
        node = plan.node(node_id)
        if node.kind is not Kind.INITIATIVE:
            raise PlanError(f"--with {node_id}: {node_id} is {node.kind.article} {node.kind}")
        if node.status is Status.DROPPED:
            raise PlanError(f"--with {node_id}: {node_id} is dropped; dropped work never counts")
        if node.status is Status.DONE:
            raise PlanError(f"--with {node_id}: {node_id} is done; its effect is in current")
        chosen.add(node_id)
    for node_id in remove:
        node = plan.node(node_id)
        if node.kind is not Kind.INITIATIVE:
            raise PlanError(f"--without {node_id}: {node_id} is {node.kind.article} {node.kind}")
        chosen.discard(node_id)
    return tuple(n.id for n in plan.nodes(Kind.INITIATIVE) if n.id in chosen)


def _weight(effect: float, confidence: float | None) -> float:
    return effect * (DEFAULT_CONFIDENCE if confidence is None else confidence)


def _indicator_order(plan: Plan, formulas: dict[str, set[str]]) -> list[str]:
    """Indicators with every indicator below them first (listed links and formula inputs)."""
    indicators = [n.id for n in plan.nodes(Kind.INDICATOR)]
    is_indicator = set(indicators)
    below: dict[str, list[str]] = {node_id: [] for node_id in indicators}
    pred = plan.down
    for node_id in indicators:
        below[node_id].extend(c for c in pred[node_id] if c in is_indicator)
        below[node_id].extend(r for r in formulas.get(node_id, ()) if r in is_indicator)
    order: list[str] = []
    done: set[str] = set()
    for start in indicators:
        if start in done:
            continue
        stack = [(start, iter(below[start]))]
        done.add(start)
        while stack:
            node_id, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                order.append(node_id)
            elif child not in done:
                done.add(child)
                stack.append((child, iter(below[child])))
    return order


def forecast(
    plan: Plan,
    work: Iterable[str] | None = None,
    metrics: Metrics | None = None,
    as_of: date | None = None,
) -> Forecast:
    """Expected values once ``work`` (default: the committed initiatives) lands."""
    metrics = metrics or metric_values(plan, as_of)
    chosen = tuple(scenario(plan) if work is None else work)
    direct: dict[str, float] = {}
    for initiative in chosen:
        for link in plan.parents(initiative):
            if link.effect and plan.node(link.parent).kind is Kind.INDICATOR:
                direct[link.parent] = direct.get(link.parent, 0.0) + _weight(
                    link.effect, link.confidence
                )
    formulas: dict[str, set[str]] = {}
    parsed: dict[str, Expr] = {}
    for node in plan.nodes(Kind.INDICATOR):
        expr = formula_of(node)
        if expr is not None:
            parsed[node.id] = expr
            formulas[node.id] = references(expr)
    start: dict[str, float | None] = {}
    expected: dict[str, float | None] = {}
    modelled: dict[str, bool] = {}
    for node_id in _indicator_order(plan, formulas):
        metric = metrics[node_id]
        begin = metric.current if metric.current is not None else metric.baseline
        start[node_id] = begin
        moved = node_id in direct
        value: float | None
        if node_id in parsed:
            value = evaluate(parsed[node_id], expected)
            moved = moved or any(modelled.get(r, False) for r in formulas[node_id])
        else:
            value = begin
        if value is not None:
            value += direct.get(node_id, 0.0)
            for link in plan.children(node_id):
                child = link.child
                if link.effect is None or child not in start or child in formulas.get(node_id, ()):
                    continue
                child_start, child_expected = start[child], expected[child]
                if child_start is None or child_expected is None:
                    continue
                if child_expected != child_start:
                    moved = True
                    value += _weight(link.effect, link.confidence) * (child_expected - child_start)
        expected[node_id] = value
        modelled[node_id] = moved
    indicators = tuple(
        IndicatorForecast(n.id, start[n.id], expected[n.id], metrics[n.id].target, modelled[n.id])
        for n in plan.nodes(Kind.INDICATOR)
    )
    strategies = []
    for aim in metrics.aims.values():
        value = expected.get(aim.measure)
        short_by: float | None = None
        if aim.value is not None and value is not None:
            direction = metrics[aim.measure].direction
            short_by = abs(aim.value - value) if is_better(aim.value, value, direction) else 0.0
        strategies.append(StrategyForecast(aim.strategy, aim.measure, aim.value, value, short_by))
    now = metrics.values("current")
    goals = []
    for goal in plan.nodes(Kind.GOAL):
        condition = condition_of(goal)
        if condition is None:
            continue
        goals.append(GoalForecast(goal.id, holds(condition, now), holds(condition, expected)))
    return Forecast(chosen, indicators, tuple(strategies), tuple(goals))
