"""The numbers of a plan as they are meant: computed formulas, strategy aims, targets, progress.

An indicator's own fields say what someone wrote; ``metric_values`` says what they mean once
formulas are computed and strategies lend their aims (PLAN_FORMAT.md, "Meaning"):

- a formula indicator's baseline, current and history are its formula over its inputs' values
  (the history at each date where every input has had a value, carrying the last one forward);
  its implied target is the formula over the inputs' targets;
- a strategy's aim is ``aim``, or its measure's baseline x (1 + change);
- an indicator without a target of its own takes the aim of a strategy that measures it.

Values that cannot be computed are None ("unknown"), never an error.

>>> progress_between(baseline=52, target=40, current=49, direction="down")
0.25
>>> progress_between(baseline=52, target=40, current=55, direction="down")
-0.25
>>> progress_between(baseline=5, target=5, current=4, direction="down")  # hold: not worse
1.0
>>> cadence_days("monthly"), cadence_days("10d")
(30, 10)
>>> change_factor("-20%")
-0.2
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from alignment.core.expressions import (
    Condition,
    Expr,
    evaluate,
    holds,
    parse_condition,
    references,
)
from alignment.core.expressions import parse_expression as _parse
from alignment.core.model import CheckIn, Direction, Kind, Node, PlanError

if TYPE_CHECKING:
    from alignment.core.plan import Plan

__all__ = [
    "Aim",
    "Metric",
    "Metrics",
    "cadence_days",
    "change_factor",
    "condition_of",
    "formula_of",
    "format_gap",
    "format_value",
    "goal_met",
    "is_better",
    "measuring_strategies",
    "metric_values",
    "progress_between",
    "reached",
    "start_of",
]

_ATTACHED_UNITS = frozenset({"%", "x", "×", "‰"})
CADENCE_DAYS = {"weekly": 7, "monthly": 30, "quarterly": 91}
_EPSILON = 1e-9  # computed values (41.4 x 0.8) are compared with this much slack


def cadence_days(cadence: str) -> int:
    """Days between two values due: weekly 7, monthly 30, quarterly 91, ``Nd`` N."""
    days = CADENCE_DAYS.get(cadence)
    if days is not None:
        return days
    if cadence.endswith("d") and cadence[:-1].isdigit() and int(cadence[:-1]) >= 1:
        return int(cadence[:-1])
    raise PlanError(f"cadence must be weekly, monthly, quarterly or Nd, not {cadence!r}")


def change_factor(change: str) -> float:
    """``"-20%"`` -> -0.2: the relative change a strategy aims for."""
    text = change.strip()
    if not text.endswith("%"):
        raise PlanError(f"change must be a percentage such as -20%, not {change!r}")
    try:
        return float(text[:-1]) / 100
    except ValueError:
        raise PlanError(f"change must be a percentage such as -20%, not {change!r}") from None


def is_better(a: float, b: float, direction: Direction | str | None) -> bool:
    """Whether ``a`` is strictly better than ``b`` in ``direction`` (False without one)."""
    if direction == Direction.UP:
        return a > b + _EPSILON * max(1.0, abs(b))
    if direction == Direction.DOWN:
        return a < b - _EPSILON * max(1.0, abs(b))
    return False


def progress_between(
    *,
    baseline: float | None,
    target: float | None,
    current: float | None,
    direction: Direction | str | None,
) -> float | None:
    """(current - baseline) / (target - baseline): negative when worse than at the start, above
    1 beyond the target. When target = baseline the aim is to hold: 1 while current is not worse
    in ``direction`` (equal to the target when there is no direction), else 0."""
    if baseline is None or target is None or current is None:
        return None
    span = target - baseline
    if abs(span) <= _EPSILON * max(1.0, abs(target)):
        if direction is None:
            return 1.0 if abs(current - target) <= _EPSILON * max(1.0, abs(target)) else 0.0
        return 0.0 if is_better(target, current, direction) else 1.0
    return (current - baseline) / span


def format_value(value: float | None, unit: str | None = None) -> str:
    """A value as a person reads it: 36.6, 33.12, 52%, 1.2x, 38 USD; "unknown" when unknown.

    >>> format_value(41.4 * 0.8, "USD"), format_value(1.2, "x"), format_value(None)
    ('33.12 USD', '1.2x', 'unknown')
    """
    if value is None:
        return "unknown"
    size = abs(value)
    if size >= 1 or value == 0:
        decimals = 0 if size >= 1000 else 1 if size >= 100 else 2
        text = f"{value:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{value:.3g}"
    if text == "-0":
        text = "0"
    if not unit:
        return text
    # Symbols attach (52%, 1.2x); words take a space (38 USD).
    return f"{text}{unit}" if unit in _ATTACHED_UNITS else f"{text} {unit}"


def format_gap(value: float | None, unit: str | None = None) -> str:
    """A difference between two values: for a percentage it is in points ("1.5 points")."""
    if unit == "%" and value is not None:
        text = format_value(value)
        return f"{text} point" if text in ("1", "-1") else f"{text} points"
    return format_value(value, unit)


@dataclass(frozen=True, slots=True)
class Aim:
    """What a strategy aims for on its measure."""

    strategy: str
    measure: str
    value: float | None  # unknown when ``change`` meets a measure without a baseline
    change: str | None  # "-20%" when the aim is relative, else None


@dataclass(frozen=True, slots=True)
class Metric:
    """An indicator's values as they are meant (computed, lent an aim) at an as-of date."""

    id: str
    direction: Direction | None  # its own, or read from the aim it took (aim below baseline: down)
    baseline: float | None
    target: float | None
    current: float | None
    history: tuple[CheckIn, ...]  # up to the as-of date
    target_from: str | None  # None: its own target (or none); "formula"; else the strategy's id
    computed: bool  # its values come from a formula

    @property
    def progress(self) -> float | None:
        return progress_between(
            baseline=self.baseline,
            target=self.target,
            current=self.current,
            direction=self.direction,
        )

    @property
    def last_value_at(self) -> date | None:
        return self.history[-1].at if self.history else None


def reached(metric: Metric) -> bool | None:
    """Whether the metric is at or beyond its target; None when that cannot be told."""
    share = metric.progress
    if share is None:
        return None
    return share >= 1 - 1e-9


@dataclass(frozen=True, slots=True)
class Metrics:
    """Every indicator's ``Metric`` and every measuring strategy's ``Aim``."""

    by_id: Mapping[str, Metric]
    aims: Mapping[str, Aim]  # strategy id -> its aim (strategies with a measure only)

    def __getitem__(self, node_id: str) -> Metric:
        return self.by_id[node_id]

    def get(self, node_id: str) -> Metric | None:
        return self.by_id.get(node_id)

    def values(self, field: str = "current") -> dict[str, float | None]:
        """``{indicator id: its value}`` for expressions: current, baseline or target."""
        return {node_id: getattr(metric, field) for node_id, metric in self.by_id.items()}


def formula_of(node: Node) -> Expr | None:
    """The parsed formula of an indicator; None without one (or when it does not parse)."""
    text = node.formula
    if not text:
        return None
    try:
        return _parse(text)
    except PlanError:
        return None


def condition_of(node: Node) -> Condition | None:
    """The parsed condition of a goal; None without one (or when it does not parse)."""
    text = node.condition
    if not text:
        return None
    try:
        return parse_condition(text)
    except PlanError:
        return None


def goal_met(node: Node, metrics: Metrics, field: str = "current") -> bool | None:
    """Whether a goal's condition holds on the indicators' values; None when unknown or none."""
    condition = condition_of(node)
    if condition is None:
        return None
    return holds(condition, metrics.values(field))


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)


def _formula_order(formulas: Mapping[str, Expr]) -> list[str]:
    """Formula indicators, inputs first; those on a cycle (refused on input) are left out."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done, 3 on a cycle
    for start in formulas:
        if start in state:
            continue
        stack: list[tuple[str, list[str]]] = [
            (start, [r for r in references(formulas[start]) if r in formulas])
        ]
        state[start] = 1
        while stack:
            node_id, pending = stack[-1]
            if pending:
                nxt = pending.pop()
                seen = state.get(nxt)
                if seen is None:
                    state[nxt] = 1
                    stack.append((nxt, [r for r in references(formulas[nxt]) if r in formulas]))
                elif seen in (1, 3):
                    state[node_id] = 3
                continue
            stack.pop()
            if state[node_id] == 1:
                state[node_id] = 2
                order.append(node_id)
            if stack and state[node_id] == 3:
                state[stack[-1][0]] = 3
    return order


def _carried_history(expr: Expr, inputs: Mapping[str, tuple[CheckIn, ...]]) -> tuple[CheckIn, ...]:
    """The formula at each date some input has a value, once every input has had one."""
    if not inputs:
        return ()
    events = sorted(
        (c.at, node_id, c.value) for node_id, history in inputs.items() for c in history
    )
    last: dict[str, float | None] = {}
    result: list[CheckIn] = []
    for index, (at, node_id, value) in enumerate(events):
        last[node_id] = float(value)
        if index + 1 < len(events) and events[index + 1][0] == at:
            continue  # wait for every value on this date
        if len(last) < len(inputs):
            continue
        computed = evaluate(expr, last)
        if computed is not None:
            result.append(CheckIn(at, computed))
    return tuple(result)


def _as_of(node: Node, as_of: date | None) -> tuple[tuple[CheckIn, ...], float | None]:
    """An indicator's history and current value as they stood on ``as_of``.

    Current is the ``current`` field, else the last check-in; a check-in after ``as_of`` is not
    known yet, so then current is the last check-in on or before it.
    """
    history = node.history
    if as_of is not None and history and history[-1].at > as_of:
        history = tuple(c for c in history if c.at <= as_of)
        return history, _number(history[-1].value) if history else None
    if node.current is not None:
        return history, _number(node.current)
    return history, _number(history[-1].value) if history else None


def metric_values(plan: Plan, as_of: date | None = None) -> Metrics:
    """Every indicator's values as meant, and every measuring strategy's aim.

    ``as_of``: check-ins after that date are not known yet (current is the last one before).
    """
    indicators = plan.nodes(Kind.INDICATOR)
    by_node = {node.id: node for node in indicators}
    formulas = {node.id: expr for node in indicators if (expr := formula_of(node)) is not None}
    baseline: dict[str, float | None] = {}
    current: dict[str, float | None] = {}
    history: dict[str, tuple[CheckIn, ...]] = {}
    for node in indicators:
        if node.id in formulas:
            baseline[node.id] = current[node.id] = None
            history[node.id] = ()
        else:
            baseline[node.id] = _number(node.baseline)
            history[node.id], current[node.id] = _as_of(node, as_of)
    order = _formula_order(formulas)
    inputs_of = {node_id: sorted(references(formulas[node_id])) for node_id in formulas}
    for node_id in order:
        expr = formulas[node_id]
        baseline[node_id] = evaluate(expr, baseline)
        current[node_id] = evaluate(expr, current)
        history[node_id] = _carried_history(
            expr, {ref: history.get(ref, ()) for ref in inputs_of[node_id]}
        )

    # Aims, then targets: own > the most ambitious aim of a measuring strategy > formula's.
    aims: dict[str, Aim] = {}
    lent: dict[str, tuple[float, str]] = {}
    for strategy in plan.nodes(Kind.STRATEGY):
        measure = strategy.measure
        if not measure or measure not in by_node:
            continue
        change = strategy.change
        own_aim = strategy.aim
        value: float | None
        if own_aim is not None:
            value = float(own_aim)
        elif change:
            start = baseline.get(measure)
            value = None if start is None else start * (1 + change_factor(change))
        else:
            value = None
        aims[strategy.id] = Aim(strategy.id, measure, value, change if own_aim is None else None)
        if value is None:
            continue
        held = lent.get(measure)
        measure_direction = by_node[measure].direction or _direction_between(
            baseline.get(measure), value
        )
        if held is None or is_better(value, held[0], measure_direction):
            lent[measure] = (value, strategy.id)

    target: dict[str, float | None] = {}
    target_from: dict[str, str | None] = {}
    for node in indicators:
        if node.target is not None:
            target[node.id], target_from[node.id] = float(node.target), None
        elif node.id in lent:
            target[node.id], target_from[node.id] = lent[node.id]
        else:
            target[node.id], target_from[node.id] = None, None
    for node_id in order:
        if target[node_id] is None:
            implied = evaluate(formulas[node_id], target)
            if implied is not None:
                target[node_id], target_from[node_id] = implied, "formula"

    metrics: dict[str, Metric] = {}
    for node in indicators:
        node_id = node.id
        direction = node.direction
        if direction is None and target_from[node_id] is not None:
            direction = _direction_between(baseline[node_id], target[node_id])
        metrics[node_id] = Metric(
            id=node_id,
            direction=direction,
            baseline=baseline[node_id],
            target=target[node_id],
            current=current[node_id],
            history=history[node_id],
            target_from=target_from[node_id],
            computed=node_id in formulas,
        )
    return Metrics(metrics, aims)


def _direction_between(start: float | None, aim: float | None) -> Direction | None:
    """The direction an aim implies: below the baseline means lower is better."""
    if start is None or aim is None or start == aim:
        return None
    return Direction.UP if aim > start else Direction.DOWN


def measuring_strategies(plan: Plan) -> dict[str, list[str]]:
    """``{indicator id: ids of the strategies that measure it}``, in plan order."""
    result: dict[str, list[str]] = {}
    for strategy in plan.nodes(Kind.STRATEGY):
        measure = strategy.measure
        if measure:
            result.setdefault(measure, []).append(strategy.id)
    return result


def start_of(node: Node, metric: Metric) -> date | None:
    """Where the schedule starts: ``since``, else the first check-in."""
    since = node.since
    if since is not None:
        return since
    return metric.history[0].at if metric.history else None
