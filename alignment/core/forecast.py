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

from collections import ChainMap
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from alignment.core.expressions import Condition, Expr, evaluate, holds, references
from alignment.core.model import Kind, PlanError, Status
from alignment.core.values import (
    Metrics,
    condition_of,
    formula_of,
    is_better,
    metric_values,
)
from alignment.core.walk import post_order

if TYPE_CHECKING:
    from alignment.core.plan import Plan

__all__ = [
    "COMMITTED",
    "DEFAULT_CONFIDENCE",
    "Calibration",
    "calibration",
    "clean_number",
    "Forecast",
    "ForecastModel",
    "GoalForecast",
    "IndicatorForecast",
    "StrategyForecast",
    "WhatIf",
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
        return round(100 * (self.expected - self.current) / gap, 1) + 0.0  # never -0.0


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
    # indicator id -> its position in ``indicators`` (not part of the value)
    index: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def index_of(self, node_id: str) -> int | None:
        """Where an indicator's forecast is in ``indicators``; None when it is not there."""
        if self.index:
            return self.index.get(node_id)
        return next((i for i, item in enumerate(self.indicators) if item.id == node_id), None)

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


clean_number = _clean


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
    return post_order(indicators, below.__getitem__)


class ForecastModel:
    """What the forecast needs that does not depend on the scenario, computed once.

    ``evaluate(work)`` is then one pass over the indicators, ``change_alone(id)`` and the
    ``WhatIf`` toggles only revisit the indicators above the initiatives that changed.
    ``scale`` multiplies every initiative's direct effect (``--calibrated``).
    """

    def __init__(
        self,
        plan: Plan,
        metrics: Metrics | None = None,
        as_of: date | None = None,
        scale: float = 1.0,
    ) -> None:
        metrics = metrics or metric_values(plan, as_of)
        self.metrics = metrics
        indicators = plan.nodes(Kind.INDICATOR)
        self.indicator_ids = tuple(n.id for n in indicators)
        self.index = {node_id: i for i, node_id in enumerate(self.indicator_ids)}  # in results
        is_indicator = set(self.indicator_ids)
        self.parsed: dict[str, Expr] = {}
        self.inputs: dict[str, set[str]] = {}
        for node in indicators:
            expr = formula_of(node)
            if expr is not None:
                self.parsed[node.id] = expr
                self.inputs[node.id] = references(expr)
        self.order = _indicator_order(plan, self.inputs)
        self.position = {node_id: index for index, node_id in enumerate(self.order)}
        self.start: dict[str, float | None] = {}
        for node_id in self.indicator_ids:
            metric = metrics[node_id]
            self.start[node_id] = metric.current if metric.current is not None else metric.baseline
        self.targets = {node_id: metrics[node_id].target for node_id in self.indicator_ids}
        # Direct effects of initiatives, in initiative plan order (sums come out the same bytes
        # whichever way the scenario was reached).
        self.initiative_ids = tuple(n.id for n in plan.nodes(Kind.INITIATIVE))
        self.incoming: dict[str, list[tuple[str, float]]] = {}
        self.moves: dict[str, list[str]] = {}
        for initiative in self.initiative_ids:
            for link in plan.parents(initiative):
                if link.effect and link.parent in is_indicator:
                    weight = _weight(link.effect, link.confidence) * scale
                    self.incoming.setdefault(link.parent, []).append((initiative, weight))
                    self.moves.setdefault(initiative, []).append(link.parent)
        # Sensitivities between indicators (formula inputs are computed, not added), and the
        # indicators each one feeds (through a sensitivity or a formula).
        self.tree: dict[str, list[tuple[str, float]]] = {}
        self.feeds: dict[str, list[str]] = {}
        for node_id in self.indicator_ids:
            inputs = self.inputs.get(node_id, set())
            for link in plan.children(node_id):
                child = link.child
                if child in is_indicator and link.effect is not None and child not in inputs:
                    weight = _weight(link.effect, link.confidence)
                    self.tree.setdefault(node_id, []).append((child, weight))
                    self.feeds.setdefault(child, []).append(node_id)
            for name in inputs:
                if name in is_indicator:
                    self.feeds.setdefault(name, []).append(node_id)
        self.aims = tuple(metrics.aims.values())
        self.directions = {node_id: metrics[node_id].direction for node_id in self.indicator_ids}
        self.conditions: list[tuple[str, Condition]] = []
        for goal in plan.nodes(Kind.GOAL):
            condition = condition_of(goal)
            if condition is not None:
                self.conditions.append((goal.id, condition))
        now = metrics.values("current")
        self.met_now = {goal_id: holds(condition, now) for goal_id, condition in self.conditions}

    # -- one indicator ----------------------------------------------------------------------

    def _direct(self, node_id: str, work: AbstractSet[str]) -> tuple[float, bool]:
        total, moved = 0.0, False
        for initiative, weight in self.incoming.get(node_id, ()):
            if initiative in work:
                total += weight
                moved = True
        return total, moved

    def _value(
        self,
        node_id: str,
        direct: float,
        moved: bool,
        expected: Mapping[str, float | None],
        modelled: Mapping[str, bool],
    ) -> tuple[float | None, bool]:
        value: float | None
        if node_id in self.parsed:
            value = evaluate(self.parsed[node_id], expected)
            moved = moved or any(modelled.get(r, False) for r in self.inputs[node_id])
        else:
            value = self.start[node_id]
        if value is not None:
            value += direct
            for child, weight in self.tree.get(node_id, ()):
                child_start, child_expected = self.start[child], expected.get(child)
                if child_start is None or child_expected is None:
                    continue
                if child_expected != child_start:
                    moved = True
                    value += weight * (child_expected - child_start)
        return value, moved

    def above(self, initiatives: Iterable[str]) -> list[str]:
        """The indicators the initiatives' effects reach, below ones first."""
        seen: set[str] = set()
        stack = [i for initiative in initiatives for i in self.moves.get(initiative, ())]
        while stack:
            node_id = stack.pop()
            if node_id not in seen:
                seen.add(node_id)
                stack.extend(self.feeds.get(node_id, ()))
        return sorted(seen, key=self.position.__getitem__)

    # -- whole scenarios ----------------------------------------------------------------------

    def values(self, work: AbstractSet[str]) -> tuple[dict[str, float | None], dict[str, bool]]:
        """Expected value and "some effect reaches it" per indicator, in one pass."""
        expected: dict[str, float | None] = {}
        modelled: dict[str, bool] = {}
        for node_id in self.order:
            direct, moved = self._direct(node_id, work)
            expected[node_id], modelled[node_id] = self._value(
                node_id, direct, moved, expected, modelled
            )
        return expected, modelled

    def result(
        self,
        work: AbstractSet[str],
        expected: Mapping[str, float | None],
        modelled: Mapping[str, bool],
        indicators: tuple[IndicatorForecast, ...] | None = None,
    ) -> Forecast:
        """The Forecast value of computed expected values (``indicators`` when they are
        already built)."""
        if indicators is None:
            indicators = tuple(self.item(i, expected, modelled) for i in self.indicator_ids)
        strategies = []
        for aim in self.aims:
            value = expected.get(aim.measure)
            short_by: float | None = None
            if aim.value is not None and value is not None:
                direction = self.directions[aim.measure]
                short_by = abs(aim.value - value) if is_better(aim.value, value, direction) else 0.0
            strategies.append(
                StrategyForecast(aim.strategy, aim.measure, aim.value, value, short_by)
            )
        goals = tuple(
            GoalForecast(goal_id, self.met_now[goal_id], holds(condition, expected))
            for goal_id, condition in self.conditions
        )
        chosen = tuple(i for i in self.initiative_ids if i in work)
        return Forecast(chosen, indicators, tuple(strategies), goals, self.index)

    def item(
        self, node_id: str, expected: Mapping[str, float | None], modelled: Mapping[str, bool]
    ) -> IndicatorForecast:
        return IndicatorForecast(
            node_id, self.start[node_id], expected[node_id], self.targets[node_id],
            modelled[node_id],
        )  # fmt: skip

    def evaluate(self, work: Iterable[str]) -> Forecast:
        chosen = frozenset(work)
        return self.result(chosen, *self.values(chosen))

    def change_alone(self, initiative: str) -> dict[str, float]:
        """How far each indicator moves when only ``initiative`` lands (non-zero changes)."""
        work = frozenset({initiative})
        start = self.start
        overlay: dict[str, float | None] = {}
        modelled: dict[str, bool] = {}
        values = ChainMap(overlay, start)
        for node_id in self.above([initiative]):
            direct, moved = self._direct(node_id, work)
            overlay[node_id], modelled[node_id] = self._value(
                node_id, direct, moved, values, modelled
            )
        changes: dict[str, float] = {}
        for node_id, value in overlay.items():
            begin = start[node_id]
            if value is not None and begin is not None and value != begin:
                changes[node_id] = value - begin
        return changes


class WhatIf:
    """A scenario that changes one initiative at a time, recomputing only what it reaches."""

    def __init__(self, model: ForecastModel, work: Iterable[str]) -> None:
        self.model = model
        self.work = set(work)
        self.expected, self.modelled = model.values(self.work)
        self.touched: list[str] = []  # the indicators the last toggle recomputed
        self._result = model.result(self.work, self.expected, self.modelled)

    def toggle(self, initiative: str) -> Forecast:
        """Add ``initiative`` to the scenario, or take it out; the new forecast."""
        if initiative in self.work:
            self.work.discard(initiative)
        else:
            self.work.add(initiative)
        model, expected, modelled = self.model, self.expected, self.modelled
        self.touched = model.above([initiative])
        items = list(self._result.indicators)
        for node_id in self.touched:
            direct, moved = model._direct(node_id, self.work)
            expected[node_id], modelled[node_id] = model._value(
                node_id, direct, moved, expected, modelled
            )
            items[model.index[node_id]] = model.item(node_id, expected, modelled)
        self._result = model.result(self.work, expected, modelled, tuple(items))
        return self._result

    def result(self) -> Forecast:
        return self._result


def forecast(
    plan: Plan,
    work: Iterable[str] | None = None,
    metrics: Metrics | None = None,
    as_of: date | None = None,
    scale: float = 1.0,
) -> Forecast:
    """Expected values once ``work`` (default: the committed initiatives) lands."""
    model = ForecastModel(plan, metrics, as_of, scale)
    return model.evaluate(scenario(plan) if work is None else work)


# -- learning from finished work ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Calibration:
    """What finished work delivered of what it promised: ``ratio`` = delivered / promised.

    Over the links from done initiatives to indicators carrying both ``effect`` and ``actual``:
    promised = sum of |effect x confidence| (0.5 when missing), what the forecast counted;
    delivered = sum of actual x the sign of effect (a move the wrong way counts against).
    """

    ratio: float | None  # None when no done work records an actual effect
    links: int
    by_owner: tuple[tuple[str | None, float | None, int], ...]  # (owner, ratio, links), plan order

    @property
    def pct(self) -> float | None:
        return None if self.ratio is None else round(100 * self.ratio, 1) + 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "ratio": _clean(self.ratio),
            "links": self.links,
            "by_owner": [
                {"owner": owner, "ratio": _clean(ratio), "links": count}
                for owner, ratio, count in self.by_owner
            ],
        }


def _ratio(delivered: float, promised: float) -> float | None:
    return delivered / promised if promised else None


def calibration(plan: Plan) -> Calibration:
    """Sum of actual over sum of expected effects of done work, overall and per owner.

    >>> from alignment.core.model import Link, Node
    >>> from alignment.core.plan import Plan
    >>> plan = Plan.build("P", None, [
    ...     Node(id="m", kind=Kind.INDICATOR, title="M", direction="down"),
    ...     Node(id="w", kind=Kind.INITIATIVE, title="W", status="done", owner="Eng")],
    ...     [Link("w", "m", effect=-6, confidence=0.5, actual=-2)])
    >>> calibration(plan).ratio  # promised 3 down, delivered 2 down
    0.6666666666666666
    """
    totals: dict[str | None, list[float]] = {}
    delivered = promised = 0.0
    count = 0
    for node in plan.nodes(Kind.INITIATIVE):
        if node.status is not Status.DONE:
            continue
        for link in plan.parents(node.id):
            if not link.effect or link.actual is None:
                continue
            if plan.node(link.parent).kind is not Kind.INDICATOR:
                continue
            promise = abs(_weight(link.effect, link.confidence))
            result = link.actual if link.effect > 0 else -link.actual
            delivered += result
            promised += promise
            count += 1
            owner = totals.setdefault(node.owner, [0.0, 0.0, 0])
            owner[0] += result
            owner[1] += promise
            owner[2] += 1
    by_owner = tuple((owner, _ratio(d, p), int(n)) for owner, (d, p, n) in totals.items())
    return Calibration(_ratio(delivered, promised), count, by_owner)
