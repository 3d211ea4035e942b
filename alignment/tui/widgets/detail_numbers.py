"""The numbers part of the detail pane: what an indicator, a strategy or a goal stands at.

Values are as meant (``core.values.metric_values``): a formula indicator shows its computed
values and its inputs', a target says where it came from (its own, the formula, or the aim
of a strategy), a strategy shows its aim and how far its measure has come, a goal whether its
condition holds now and once the committed work lands. Every status is a word; colour is
added on top. Text from the plan (formulas, titles, units) is shown as text, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content

from alignment.core.expressions import references, render_plain
from alignment.core.forecast import Forecast
from alignment.core.model import Node, Role
from alignment.core.plan import Plan
from alignment.core.rollup import sparkline
from alignment.core.values import (
    Aim,
    Metrics,
    condition_of,
    format_value,
    formula_of,
    goal_met,
    measuring_strategies,
    progress_between,
)
from alignment.tui.widgets.badges import STATUS_STYLES, role_badge
from alignment.tui.widgets.charts import kind_icon, progress_bar
from alignment.tui.widgets.layout import fit, label_rows
from alignment.tui.widgets.text import plain

__all__ = ["aim_text", "goal_lines", "indicator_lines", "met_word", "strategy_lines"]

LABEL_WIDTH = 11  # "Check-ins" and two spaces, as the rest of the pane


def _value(plan: Plan, node_id: str, value: float | None) -> str:
    """A value in the unit of indicator ``node_id``."""
    unit = plan.node(node_id).unit if node_id in plan else None
    return format_value(value, unit)


def _bar_width(width: int) -> int:
    return max(6, min(24, width - LABEL_WIDTH - 5))


def aim_text(plan: Plan, aim: Aim, metrics: Metrics) -> str:
    """``-20% of 41.4 = 33.12 USD`` for an aim from ``change``, else the aim itself."""
    value = _value(plan, aim.measure, aim.value)
    if aim.change is None:
        return value
    metric = metrics.get(aim.measure)
    baseline = None if metric is None else metric.baseline
    if baseline is None:
        return f"{aim.change} of an unknown baseline: unknown"
    return f"{aim.change} of {format_value(baseline)} = {value}"


def met_word(met: bool | None) -> Content:
    """✓ met, ✗ not met, ? unknown: a word, coloured."""
    if met is None:
        return Content.styled("? unknown", "dim")
    if met:
        return Content.styled("✓ met", "bold $text-success")
    return Content.styled("✗ not met", "bold $text-error")


def _status(status: str | None) -> Content:
    if status is None:
        return Content.styled("nothing to judge yet (no target or no value)", "dim")
    return Content.styled(status, f"bold {STATUS_STYLES.get(status, '')}")


def indicator_lines(
    plan: Plan,
    node: Node,
    metrics: Metrics,
    status: str | None,
    width: int,
) -> list[Content]:
    """Role, formula and inputs, baseline/current/target as meant, where the target comes
    from, the aims of strategies that measure it, status, direction, progress, check-ins."""
    metric = metrics.get(node.id)
    unit = node.unit
    rows: list[tuple[str, Content]] = []
    if node.role:
        style = "bold $text-warning" if node.role == Role.NORTH_STAR else "bold"
        rows.append(("Role", Content.styled(role_badge(node), style)))
    if node.formula:
        rows.append(("Formula", plain(node.formula)))
        expr = formula_of(node)
        for ref in sorted(references(expr) if expr is not None else ()):
            known = metrics.get(ref)
            shown = _value(plan, ref, None if known is None else known.current)
            rows.append(("", Content.assemble(plain(ref, "dim"), plain(f" = {shown}"))))
    if metric is None:  # not an indicator any more (an edit is on its way)
        return label_rows(rows, width, LABEL_WIDTH)
    computed = Content.styled("  computed", "dim") if metric.computed else Content("")
    rows.append(("Baseline", Content.assemble(plain(format_value(metric.baseline, unit)))))
    rows.append(
        ("Current", Content.assemble(plain(format_value(metric.current, unit), "bold"), computed))
    )
    due = f"  by {node.due.isoformat()}" if node.due else ""
    rows.append(
        ("Target", Content.assemble(plain(format_value(metric.target, unit)), (due, "dim")))
    )
    aims = {aim.strategy: aim for aim in metrics.aims.values() if aim.measure == node.id}
    if metric.target is not None:
        if metric.target_from is None:
            rows.append(("Set by", Content.styled("its own target", "dim")))
        elif metric.target_from == "formula":
            rows.append(("Set by", Content.styled("the formula over its inputs' targets", "dim")))
        elif metric.target_from in plan:
            aim = aims[metric.target_from]
            rows.append(("Set by", _aim_of(plan, metrics, aim, width, "the aim of ")))
    for strategy_id in measuring_strategies(plan).get(node.id, []):
        if strategy_id != metric.target_from and strategy_id in aims:
            rows.append(("Aimed by", _aim_of(plan, metrics, aims[strategy_id], width)))
    rows.append(("Status", _status(status)))
    if metric.direction is not None:
        better = {"up": "↑ higher is better", "down": "↓ lower is better"}[str(metric.direction)]
        rows.append(("Direction", Content(better)))
    bar_width = _bar_width(width)
    rows.append(("Progress", Content.styled(progress_bar(metric.progress, bar_width), "$success")))
    history = metric.history
    if history:
        last = history[-1]
        values = [c.value for c in history]
        rows.append(
            (
                "Check-ins",
                Content.assemble(
                    (sparkline(values, bar_width), "$accent"), (f" {len(values)}", "dim")
                ),
            )
        )
        rows.append(
            ("Last", Content.assemble(plain(format_value(last.value)), (f" on {last.at}", "dim")))
        )
    elif metric.computed:
        rows.append(("Check-ins", Content.styled("computed: check in its inputs", "dim")))
    else:
        rows.append(("Check-ins", Content.styled("none yet (c records one)", "dim")))
    return label_rows(rows, width, LABEL_WIDTH)


def _aim_of(plan: Plan, metrics: Metrics, aim: Aim, width: int, lead: str = "") -> Content:
    """``◆ Reduce CAC by 20%: -20% of 41.4 = 33.12 USD``, after ``lead``."""
    strategy = plan.node(aim.strategy)
    head = Content.assemble(lead, kind_icon(strategy.kind))
    title = fit(plain(strategy.title), max(12, width - LABEL_WIDTH - head.cell_length - 1))
    return Content.assemble(head, title, plain(f": {aim_text(plan, aim, metrics)}"))


# In the Expected row while the forecast is computed (a big plan: it follows in a moment).
PENDING = Content.styled("working it out…", "dim italic")


def strategy_lines(
    plan: Plan,
    node: Node,
    metrics: Metrics,
    expected: Forecast | None,
    width: int,
    pending: bool = False,
) -> list[Content]:
    """The measure, the aim (and how it was set), where the measure is, progress toward the
    aim, and where it is expected once the committed work lands (``pending``: on its way)."""
    measure = node.measure
    if not measure:
        return []
    rows: list[tuple[str, Content]] = []
    if measure not in plan:
        rows.append(("Measure", plain(f"{measure} (not in the plan)", "$text-error")))
        return label_rows(rows, width, LABEL_WIDTH)
    measured = plan.node(measure)
    room = max(12, width - LABEL_WIDTH - 2)
    rows.append(
        ("Measure", Content.assemble(kind_icon(measured.kind), fit(plain(measured.title), room)))
    )
    aim = metrics.aims.get(node.id)
    metric = metrics.get(measure)
    if aim is None or metric is None:
        rows.append(("Aim", Content.styled("none: give it a change (-20%) or an aim", "dim")))
        return label_rows(rows, width, LABEL_WIDTH)
    rows.append(("Aim", plain(aim_text(plan, aim, metrics), "bold")))
    rows.append(("Current", plain(_value(plan, measure, metric.current))))
    share = progress_between(
        baseline=metric.baseline,
        target=aim.value,
        current=metric.current,
        direction=metric.direction,
    )
    rows.append(("Progress", Content.styled(progress_bar(share, _bar_width(width)), "$success")))
    if expected is None and pending:
        rows.append(("Expected", PENDING))
    if expected is not None:
        found = next((s for s in expected.strategies if s.id == node.id), None)
        if found is not None and found.expected is not None:
            short = found.short_by
            verdict = (
                Content.styled("  unknown", "dim")
                if short is None
                else Content.styled("  ✓ reaches the aim", "$text-success")
                if short == 0
                else Content.styled(f"  ✗ short by {_value(plan, measure, short)}", "$text-error")
            )
            rows.append(
                (
                    "Expected",
                    Content.assemble(plain(_value(plan, measure, found.expected)), verdict),
                )
            )
    return label_rows(rows, width, LABEL_WIDTH)


def goal_lines(
    plan: Plan,
    node: Node,
    metrics: Metrics,
    expected: Forecast | None,
    width: int,
    pending: bool = False,
) -> list[Content]:
    """The condition, met or not now (on current values) and once the committed work lands
    (on the forecast; ``pending``: on its way), and the due date."""
    rows: list[tuple[str, Content]] = []
    condition = condition_of(node)
    if node.condition:
        shown = render_plain(condition) if condition is not None else node.condition
        rows.append(("Condition", plain(shown, "bold")))
    if condition is not None:
        ids = sorted(references(condition))
        now = _values_of(plan, ids, metrics.values())
        rows.append(("Now", Content.assemble(met_word(goal_met(node, metrics)), plain(now, "dim"))))
        goal = (
            None if expected is None else next((g for g in expected.goals if g.id == node.id), None)
        )
        if expected is None and pending:
            rows.append(("Expected", PENDING))
        if goal is not None:
            values = {f.id: f.expected for f in expected.indicators} if expected else {}
            rows.append(
                (
                    "Expected",
                    Content.assemble(
                        met_word(goal.met_expected),
                        Content.styled(" once the committed work lands", "dim"),
                        plain(_values_of(plan, ids, values), "dim"),
                    ),
                )
            )
    if node.due:
        rows.append(("Due", Content(node.due.isoformat())))
    return label_rows(rows, width, LABEL_WIDTH)


def _values_of(plan: Plan, ids: list[str], values: Mapping[str, float | None]) -> str:
    """`` (ltv 29.1 USD, cac 39.8 USD)``: the values a condition was judged on."""
    if not ids:
        return ""
    return " (" + ", ".join(f"{i} {_value(plan, i, values.get(i))}" for i in ids) + ")"
