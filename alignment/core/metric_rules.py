"""The findings about numbers and time (PLAN_FORMAT.md, "New findings").

Each rule reads the values as meant (``core/values.py``) at an as-of date and says what a person
should do about them in words: "CAC is 38 USD; at this date it should be about 36.6 to reach 32
by 2027-06-30". ``analysis.findings`` turns these into ``Finding`` values with their severities.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from alignment.core.expressions import references, render_plain
from alignment.core.forecast import forecast
from alignment.core.model import Direction, Kind, Node, Status
from alignment.core.values import (
    Metric,
    Metrics,
    cadence_days,
    condition_of,
    format_gap,
    format_value,
    goal_met,
    is_better,
    reached,
    start_of,
)

if TYPE_CHECKING:
    from alignment.core.analysis import EffectiveLinks
    from alignment.core.plan import Plan

__all__ = ["BEHIND_POINTS", "STALE_CADENCES", "metric_findings"]

BEHIND_POINTS = 15  # behind schedule: progress this many points below the share of time gone
STALE_CADENCES = 1.5  # stale: no value for more than this many cadences

Found = tuple[str, Node, str]


def _better(direction: Direction | None) -> str:
    return "higher is better" if direction is Direction.UP else "lower is better"


def _pct(share: float) -> str:
    return f"{round(100 * share):g}%"


def _role(node: Node) -> str | None:
    role = node.role
    return None if role is None else str(role)


def metric_findings(
    plan: Plan, metrics: Metrics, links: EffectiveLinks, as_of: date
) -> Iterator[Found]:
    """Every number-and-time finding as ``(rule, node, message)``, in no particular order."""
    indicators = plan.nodes(Kind.INDICATOR)
    for node in indicators:
        metric = metrics[node.id]
        yield from _indicator_findings(node, metric, as_of)
    yield from _strategy_findings(plan, metrics)
    for goal in plan.nodes(Kind.GOAL):
        yield from _goal_findings(plan, goal, metrics, as_of)
    yield from _role_findings(indicators, links)
    yield from _counter_effects(plan, metrics)
    yield from _forecast_findings(plan, metrics)


def _indicator_findings(node: Node, metric: Metric, as_of: date) -> Iterator[Found]:
    unit = node.unit
    direction = metric.direction
    baseline, target, current = metric.baseline, metric.target, metric.current
    if (
        node.target is not None
        and node.direction is not None
        and baseline is not None
        and is_better(baseline, node.target, node.direction)
    ):
        side = "below" if node.direction is Direction.UP else "above"
        yield (
            "target-contradicts-direction",
            node,
            f"target {format_value(node.target, unit)} is {side} the baseline "
            f"{format_value(baseline, unit)}, but {_better(node.direction)}",
        )
    if baseline is not None and current is not None and is_better(baseline, current, direction):
        guard = "; it is a guardrail: it must not get worse" if _role(node) == "guardrail" else ""
        yield (
            "wrong-way",
            node,
            f"{node.title} went from {format_value(baseline, unit)} to "
            f"{format_value(current, unit)}: the wrong way ({_better(direction)}){guard}",
        )
    due = node.due
    if due is not None and target is not None:
        done = reached(metric)
        if due < as_of and done is False:
            yield (
                "overdue",
                node,
                f"was due {due.isoformat()}: {node.id} is {format_value(current, unit)}, "
                f"the target {format_value(target, unit)}",
            )
        elif as_of <= due and done is False:
            yield from _behind(node, metric, as_of, due)
    cadence = node.cadence
    if cadence:
        yield from _stale(node, metric, cadence, as_of)


def _behind(node: Node, metric: Metric, as_of: date, due: date) -> Iterator[Found]:
    start = start_of(node, metric)
    share = metric.progress
    if start is None or share is None or not start < due or as_of < start:
        return
    elapsed = (as_of - start).days / (due - start).days
    if share * 100 >= elapsed * 100 - BEHIND_POINTS:
        return
    assert metric.baseline is not None and metric.target is not None
    expected = metric.baseline + elapsed * (metric.target - metric.baseline)
    yield (
        "behind-schedule",
        node,
        f"{node.id} is {format_value(metric.current, node.unit)}; at this date it should be "
        f"about {format_value(expected, node.unit)} to reach "
        f"{format_value(metric.target, node.unit)} by "
        f"{due.isoformat()} ({_pct(share)} of the way, {_pct(elapsed)} of the time gone "
        f"since {start.isoformat()})",
    )


def _stale(node: Node, metric: Metric, cadence: str, as_of: date) -> Iterator[Found]:
    days = cadence_days(cadence)
    limit = STALE_CADENCES * days
    last = metric.last_value_at
    if last is not None:
        gap = (as_of - last).days
        if gap > limit:
            yield (
                "stale-metric",
                node,
                f"{cadence} cadence, but the last value is from {last.isoformat()} "
                f"({gap} days before {as_of.isoformat()})",
            )
        return
    since = node.since
    if since is None:
        what = "no dated value (check-in)" if metric.current is not None else "no value recorded"
        yield ("stale-metric", node, f"{cadence} cadence, but {what} yet")
    elif (as_of - since).days > limit:
        yield (
            "stale-metric",
            node,
            f"{cadence} cadence, but no value since the start on {since.isoformat()}",
        )


def _strategy_findings(plan: Plan, metrics: Metrics) -> Iterator[Found]:
    for aim in metrics.aims.values():
        if aim.value is None:
            continue
        strategy, measure = plan.node(aim.strategy), plan.node(aim.measure)
        direction, unit = measure.direction, measure.unit
        baseline = metrics[measure.id].baseline
        how = f" ({aim.change} from {format_value(baseline, unit)})" if aim.change else ""
        if (
            direction is not None
            and baseline is not None
            and is_better(baseline, aim.value, direction)
        ):
            yield (
                "target-contradicts-direction",
                strategy,
                f"aims for {format_value(aim.value, unit)}{how} on {measure.id}, but "
                f"{_better(direction)} for it",
            )
        if (
            measure.target is not None
            and direction is not None
            and is_better(aim.value, measure.target, direction)
        ):
            yield (
                "aim-mismatch",
                measure,
                f"target {format_value(measure.target, unit)} is less ambitious than "
                f"{format_value(aim.value, unit)}, the aim of {strategy.id}{how}",
            )


def _goal_findings(plan: Plan, goal: Node, metrics: Metrics, as_of: date) -> Iterator[Found]:
    due = goal.due
    condition = condition_of(goal)
    if due is None or condition is None or not due < as_of:
        return
    if goal_met(goal, metrics) is False:
        values = ", ".join(
            f"{name} {format_value(metrics[name].current, plan.node(name).unit)}"
            for name in sorted(references(condition))
            if metrics.get(name) is not None
        )
        yield (
            "overdue",
            goal,
            f"was due {due.isoformat()}: {render_plain(condition)} does not hold ({values})",
        )


def _role_findings(indicators: list[Node], links: EffectiveLinks) -> Iterator[Found]:
    roles = {node.id: _role(node) for node in indicators}
    stars = [node for node in indicators if roles[node.id] == "north-star"]
    if len(stars) > 1:
        names = ", ".join(node.id for node in stars)
        for node in stars:
            yield (
                "several-north-stars",
                node,
                f"{len(stars)} North Stars ({names}): a plan has one focus metric",
            )
    watched = [n for n in indicators if roles[n.id] in ("lagging", "north-star")]
    if not watched:
        return
    # Indicators with a leading indicator below them: up from each leading one, through
    # indicators only (a leading indicator itself counts only when another one supports it).
    led: set[str] = set()
    frontier = [n.id for n in indicators if roles[n.id] == "leading"]
    while frontier:
        node_id = frontier.pop()
        if node_id in links.dropped:
            continue
        for parent in links.parents(node_id):
            if parent in roles and parent not in led:
                led.add(parent)
                frontier.append(parent)
    for node in watched:
        if node.id not in led:
            yield (
                "lagging-without-leading",
                node,
                f"{'North Star' if roles[node.id] == 'north-star' else 'lagging'} metric that "
                "no leading indicator supports, directly or through other indicators: "
                "what will move first?",
            )


def _counter_effects(plan: Plan, metrics: Metrics) -> Iterator[Found]:
    succ = plan.up  # the adjacency itself: this walks every initiative's links
    for node in plan.nodes(Kind.INITIATIVE):
        if node.status is Status.DROPPED:
            continue
        for data in succ[node.id].values():
            link = data["link"]
            effect = link.effect
            if not effect:
                continue
            metric = metrics.get(link.parent)
            if metric is None or metric.direction is None:
                continue
            if (effect > 0) == (metric.direction is Direction.UP):
                continue
            parent = plan.node(link.parent)
            guard = (
                f"; {parent.id} is a guardrail: it must not get worse"
                if _role(parent) == "guardrail"
                else ""
            )
            signed = ("+" if effect > 0 else "") + format_value(effect, parent.unit)
            yield (
                "counter-effect",
                node,
                f"expected to move {parent.id} by {signed}, but {_better(metric.direction)}{guard}",
            )


def _forecast_findings(plan: Plan, metrics: Metrics) -> Iterator[Found]:
    """Goals and strategies the committed work is not forecast to get to."""
    if not metrics.aims and not any(condition_of(g) for g in plan.nodes(Kind.GOAL)):
        return
    expected = forecast(plan, metrics=metrics)
    by_indicator = {i.id: i for i in expected.indicators}
    for strategy in expected.strategies:
        if not strategy.short_by:
            continue
        measure = plan.node(strategy.measure)
        unit = measure.unit
        how = (
            f"committed work is forecast to bring {measure.id} to"
            if by_indicator[measure.id].modelled
            else f"no effect of committed work reaches {measure.id}: it stays at"
        )
        yield (
            "strategy-short",
            plan.node(strategy.id),
            f"{how} {format_value(strategy.expected, unit)}, short of the aim "
            f"{format_value(strategy.aim, unit)} by {format_gap(strategy.short_by, unit)}",
        )
    for goal in expected.goals:
        if goal.met_expected is not False:
            continue
        node = plan.node(goal.id)
        condition = condition_of(node)
        assert condition is not None
        values = ", ".join(
            f"{name} {format_value(by_indicator[name].expected, plan.node(name).unit)}"
            for name in sorted(references(condition))
            if name in by_indicator
        )
        yield (
            "goal-not-forecast",
            node,
            f"once the committed work lands, {render_plain(condition)} is not expected to hold "
            f"(expected {values})",
        )
