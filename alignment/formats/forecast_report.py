"""``alignment forecast`` and ``alignment rank`` as text, JSON or Markdown.

Pure functions from a Plan and its Forecast to text. The text reads like an answer: each
strategy and goal in a sentence first, then the table. Plan text is neutralised for a terminal
(``printable``) or escaped for Markdown (``md_inline``).
"""

from __future__ import annotations

from collections.abc import Callable

from alignment.core.expressions import render_plain
from alignment.core.forecast import (
    Calibration,
    Forecast,
    GoalForecast,
    IndicatorForecast,
    StrategyForecast,
    clean_number,
)
from alignment.core.plan import Plan
from alignment.core.ranking import Ranked
from alignment.core.values import condition_of, format_gap, format_value
from alignment.formats.escape import json_text, md_inline, printable
from alignment.formats.markdown_blocks import table

__all__ = [
    "calibration_sentences",
    "forecast_json",
    "forecast_markdown",
    "forecast_text",
    "goal_sentence",
    "rank_json",
    "rank_text",
    "strategy_sentence",
]

Escape = Callable[[str], str]


def _pct(value: float) -> str:
    text = f"{round(value, 1):g}"
    return "0" if text == "-0" else text


def _measure(result: Forecast, strategy: StrategyForecast) -> IndicatorForecast | None:
    """The forecast of a strategy's measure (results list indicators in plan order)."""
    index = result.index_of(strategy.measure)
    return None if index is None else result.indicators[index]


def _closed_share(plan: Plan, result: Forecast, strategy: StrategyForecast) -> float | None:
    """The share of the gap from the measure's start to the aim that the scenario closes."""
    measure = _measure(result, strategy)
    start = None if measure is None else measure.current
    if start is None or strategy.aim is None or strategy.expected is None:
        return None
    gap = strategy.aim - start
    if gap == 0:
        return None
    return 100 * (strategy.expected - start) / gap


def strategy_sentence(
    plan: Plan, result: Forecast, strategy: StrategyForecast, subject: str, esc: Escape
) -> str:
    """'Reduce CAC by 20%: committed work closes 10.8% of the gap on cac: expected 39.08 USD
    against an aim of 33.12 USD (short by 5.96 USD).'"""
    unit = plan.node(strategy.measure).unit
    title = esc(plan.node(strategy.id).title)
    measure = esc(strategy.measure)
    figures = (
        f"expected {esc(format_value(strategy.expected, unit))} against an aim of "
        f"{esc(format_value(strategy.aim, unit))}"
    )
    if strategy.short_by is None:
        return f"{title}: cannot tell whether {subject} reaches the aim on {measure}: {figures}."
    if strategy.short_by == 0:
        return f"{title}: {subject} meets the aim on {measure}: {figures}."
    measure_forecast = _measure(result, strategy)
    if measure_forecast is None or not measure_forecast.modelled:
        return (
            f"{title}: nothing in {subject} moves {measure}: {figures} "
            f"(short by {esc(format_gap(strategy.short_by, unit))})."
        )
    share = _closed_share(plan, result, strategy)
    closes = (
        f"{subject} closes {_pct(share)}% of the gap on {measure}"
        if share is not None
        else f"{subject} falls short on {measure}"
    )
    return f"{title}: {closes}: {figures} (short by {esc(format_gap(strategy.short_by, unit))})."


def _met(value: bool | None, now: bool) -> str:
    if value is None:
        return "cannot be told now" if now else "cannot be forecast"
    if now:
        return "is met now" if value else "is not met now"
    return "is forecast to be met" if value else "is not forecast to be met"


def goal_sentence(plan: Plan, goal: GoalForecast, esc: Escape) -> str:
    """'Goal Break even: ltv >= cac is not met now and is not forecast to be met.'"""
    node = plan.node(goal.id)
    condition = condition_of(node)
    text = "its condition" if condition is None else esc(render_plain(condition))
    now, later = _met(goal.met_now, True), _met(goal.met_expected, False)
    joint = " but " if goal.met_now is not None and goal.met_now != goal.met_expected else " and "
    if goal.met_now and goal.met_expected:
        later = "is forecast to stay met"
    return f"Goal {esc(node.title)}: {text} {now}{joint}{later}."


def calibration_sentences(plan: Plan, calibrated: Calibration, esc: Escape) -> list[str]:
    """'Finished work delivered 62% of what it promised (3 effects); by owner: ...'"""
    if calibrated.ratio is None:
        return []
    count = f"{calibrated.links} measured effect{'s' if calibrated.links != 1 else ''}"
    line = f"Finished work delivered {_pct(100 * calibrated.ratio)}% of what it promised ({count})"
    owners = [
        f"{esc(owner or 'no owner')} {_pct(100 * ratio)}%"
        for owner, ratio, _n in calibrated.by_owner
        if ratio is not None
    ]
    if len(owners) > 1:
        line += "; by owner: " + ", ".join(owners)
    return [line + "."]


def _answer(
    plan: Plan, result: Forecast, label: str, calibrated: Calibration | None, esc: Escape
) -> list[str]:
    lines = [strategy_sentence(plan, result, s, label, esc) for s in result.strategies]
    lines += [goal_sentence(plan, g, esc) for g in result.goals]
    if calibrated is not None:
        lines += calibration_sentences(plan, calibrated, esc)
    return lines


def _rows(plan: Plan, result: Forecast) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for item in result.indicators:
        unit = plan.node(item.id).unit
        coverage = "" if item.coverage_pct is None else f"{_pct(item.coverage_pct)}%"
        expected = format_value(item.expected, unit) if item.modelled else "not modelled"
        target = "" if item.target is None else format_value(item.target, unit)
        rows.append((item.id, format_value(item.current, unit), expected, target, coverage))
    return rows


def _work(result: Forecast) -> str:
    count = len(result.scenario)
    return f"{count} initiative{'s' if count != 1 else ''}"


def forecast_text(
    plan: Plan, result: Forecast, label: str, calibrated: Calibration | None = None
) -> str:
    """The answer in sentences, then a table of indicators."""
    work = _work(result)
    if result.scenario:
        work += f" ({', '.join(result.scenario)})"
    lines = [f"{printable(plan.name)}: forecast of {label}: {work}"]
    lines += [printable(line) for line in _answer(plan, result, label, calibrated, str)]
    lines.append("")
    rows = [("indicator", "current", "expected", "target", "coverage"), *_rows(plan, result)]
    widths = [max(len(printable(row[i])) for row in rows) for i in range(5)]
    for row in rows:
        cells = [printable(cell).ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def forecast_json(plan: Plan, result: Forecast, calibrated: Calibration | None = None) -> str:
    """The contract's JSON (PLAN_FORMAT.md, "Forecast"); unknown numbers are null; with
    ``calibration`` when given."""
    data = result.as_dict(plan.name)
    if calibrated is not None:
        data["calibration"] = calibrated.as_dict()
    return json_text(data, indent=2) + "\n"


def forecast_markdown(
    plan: Plan, result: Forecast, label: str, calibrated: Calibration | None = None
) -> str:
    """The forecast as a Markdown section: the answer as a list, then the table."""
    blocks = [
        f"# Forecast: {md_inline(plan.name.strip())}",
        f"Forecast of {label}: {_work(result)}.",
    ]
    answer = _answer(plan, result, label, calibrated, md_inline)
    if answer:
        blocks.append("\n".join(f"- {line}" for line in answer))
    rows = [[md_inline(cell) for cell in row] for row in _rows(plan, result)]
    if rows:
        blocks.append(table(["Indicator", "Current", "Expected", "Target", "Coverage"], rows))
    return "\n\n".join(blocks) + "\n"


# -- rank -------------------------------------------------------------------------------------


def _score(item: Ranked) -> str:
    return "" if item.score is None else f"{_pct(100 * item.score)}%"


def rank_text(plan: Plan, ranked: list[Ranked]) -> str:
    """A table, best first: share of the gaps closed per unit of effort."""
    lines = [
        f"{printable(plan.name)}: initiatives by share of the gaps closed per unit of effort",
    ]
    rows = [("rank", "initiative", "status", "effort", "gaps closed", "per effort", "most on")]
    for index, item in enumerate(ranked, start=1):
        node = plan.node(item.id)
        place = str(index) if item.score is not None else "-"
        most = ", ".join(f"{node_id} {_pct(100 * share)}%" for node_id, share in item.closes[:2])
        effort = "" if node.effort is None else f"{node.effort:g}"
        rows.append(
            (place, item.id, str(node.status), effort, f"{_pct(100 * item.share)}%",
             _score(item), most)
        )  # fmt: skip
    widths = [max(len(printable(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [printable(cell).ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    lines.append(
        "gaps closed: of each open gap (target still ahead), the share this work closes alone, "
        "summed (100% = one whole gap)"
    )
    if any(item.score is None for item in ranked):
        lines.append("rank -: no effort estimate, ranked apart by the gaps it closes")
    return "\n".join(lines) + "\n"


def rank_json(plan: Plan, ranked: list[Ranked]) -> str:
    """``{"plan", "initiatives": [{"id", "effort", "gap_share", "per_effort", "closes"}]}``."""
    data = {
        "plan": plan.name,
        "initiatives": [
            {
                "id": item.id,
                "effort": clean_number(item.effort),
                "gap_share": clean_number(item.share),
                "per_effort": clean_number(item.score),
                "closes": [
                    {"indicator": node_id, "share": clean_number(share)}
                    for node_id, share in item.closes
                ],
            }
            for item in ranked
        ],
    }
    return json_text(data, indent=2) + "\n"
