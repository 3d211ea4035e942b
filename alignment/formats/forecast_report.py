"""``alignment forecast`` as text or JSON: where the work of a scenario is expected to take us.

Pure functions from a Plan and its Forecast to text; plan text is neutralised for a terminal.
"""

from __future__ import annotations

from alignment.core.forecast import Forecast
from alignment.core.plan import Plan
from alignment.core.values import condition_of, format_gap, format_value
from alignment.formats.escape import json_text, printable

__all__ = ["forecast_json", "forecast_text"]


def forecast_json(plan: Plan, result: Forecast) -> str:
    """The contract's JSON (PLAN_FORMAT.md, "Forecast"); unknown numbers are null."""
    return json_text(result.as_dict(plan.name), indent=2) + "\n"


def _met(value: bool | None) -> str:
    return "unknown" if value is None else "met" if value else "not met"


def forecast_text(plan: Plan, result: Forecast, label: str) -> str:
    """A table of indicators, then each strategy against its aim and each goal's condition."""
    count = len(result.scenario)
    work = f"{count} initiative{'s' if count != 1 else ''}"
    if result.scenario:
        work += f" ({', '.join(result.scenario)})"
    lines = [f"{printable(plan.name)}: forecast of {label}: {work}"]
    rows = [("indicator", "current", "expected", "target", "coverage")]
    for item in result.indicators:
        unit = plan.node(item.id).unit
        coverage = "" if item.coverage_pct is None else f"{item.coverage_pct:g}%"
        expected = format_value(item.expected, unit) if item.modelled else "not modelled"
        rows.append(
            (
                item.id,
                format_value(item.current, unit),
                expected,
                "" if item.target is None else format_value(item.target, unit),
                coverage,
            )
        )
    widths = [max(len(printable(row[i])) for row in rows) for i in range(5)]
    for row in rows:
        cells = [printable(cell).ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    for strategy in result.strategies:
        unit = plan.node(strategy.measure).unit
        if strategy.short_by is None:
            verdict = "cannot tell"
        elif strategy.short_by == 0:
            verdict = "aim met"
        else:
            verdict = f"short by {format_gap(strategy.short_by, unit)}"
        lines.append(
            f"strategy {strategy.id}: {strategy.measure} expected "
            f"{format_value(strategy.expected, unit)} against the aim "
            f"{format_value(strategy.aim, unit)}: {verdict}"
        )
    for goal in result.goals:
        condition = condition_of(plan.node(goal.id))
        text = "" if condition is None else f" ({printable(plan.node(goal.id).condition or '')})"
        lines.append(
            f"goal {goal.id}{text}: {_met(goal.met_now)} now, "
            f"{_met(goal.met_expected)} once the work lands"
        )
    return "\n".join(lines) + "\n"
