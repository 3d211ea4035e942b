"""The board brief: one page of Markdown a CTO sends to the board as is.

``plan_to_brief(plan, as_of, since=..., journal=..., diagram=False)`` is a pure function:
the North Star and each goal's condition (now / expected), the strategies against their aims,
the indicators that need attention (behind, overdue, stale, wrong way), what changed since a
date (check-ins, and the journal of a stored plan), what we stop (cancel candidates with the
effort they free) and what we ask for (derived from the gaps). People's words, not the tool's:
titles, never node ids; no HTML entities (``<`` is written ``\\<``); no diagram unless asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from alignment.core.analysis import alignment_of, findings, indicator_statuses
from alignment.core.expressions import references, render_plain
from alignment.core.forecast import COMMITTED, Forecast, ForecastModel, calibration, scenario
from alignment.core.model import Kind, Node
from alignment.core.plan import Plan
from alignment.core.ranking import cancel_candidates
from alignment.core.values import condition_of, format_gap, format_value
from alignment.formats.escape import md_inline
from alignment.formats.markdown_blocks import table
from alignment.formats.words import plural

__all__ = ["DEFAULT_SINCE_DAYS", "JournalLine", "plan_to_brief"]

DEFAULT_SINCE_DAYS = 30  # without --since, what changed in the last 30 days
ATTENTION = ("overdue", "behind", "wrong way", "stale")  # worst first, as indicator_statuses says
MAX_CHANGES = 12  # one page: the most recent changes, and how many more there were


@dataclass(frozen=True, slots=True)
class JournalLine:
    """One journalled edit of a stored plan (the store's history, as plain values)."""

    at: datetime
    author: str
    summary: str


_ENTITIES = (("&lt;", "\\<"), ("&gt;", "\\>"), ("&amp;", "\\&"))


def _md(text: str) -> str:
    """User text as itself in Markdown, with backslash escapes where the map writes entities
    (a board member reading the raw file sees ``\\<`` at worst, never ``&lt;``)."""
    escaped = md_inline(text)
    for entity, escape in _ENTITIES:
        escaped = escaped.replace(entity, escape)
    return escaped


def _value(plan: Plan, node_id: str, value: float | None) -> str:
    return _md(format_value(value, plan.node(node_id).unit))


def _condition(plan: Plan, goal: Node) -> str:
    """A goal's condition in titles: 'Customer lifetime value >= Customer acquisition cost'."""
    condition = condition_of(goal)
    if condition is None:
        return ""
    text = render_plain(condition)
    for name in sorted(references(condition), key=len, reverse=True):
        if name in plan:
            text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", f"\0{name}\0", text)
    parts = text.split("\0")
    return "".join(
        _md(plan.node(part).title) if index % 2 else _md(part) for index, part in enumerate(parts)
    )


def _met(value: bool | None) -> str:
    return "unknown" if value is None else "**met**" if value else "**not met**"


def _standing(plan: Plan, result: Forecast, statuses: dict[str, str]) -> list[str]:
    lines = []
    by_id = {item.id: item for item in result.indicators}
    for node in plan.nodes(Kind.INDICATOR):
        if node.role != "north-star":
            continue
        item = by_id[node.id]
        target = "" if item.target is None else f", target {_value(plan, node.id, item.target)}"
        due = f" by {node.due.isoformat()}" if node.due else ""
        status = f" ({statuses[node.id]})" if node.id in statuses else ""
        expected = (
            f"committed work is expected to bring it to {_value(plan, node.id, item.expected)}"
            if item.modelled
            else "no committed work is expected to move it"
        )
        lines.append(
            f"- **North Star:** {_md(node.title)}: now {_value(plan, node.id, item.current)}"
            f"{status}{target}{due}; {expected}."
        )
    for goal in result.goals:
        node = plan.node(goal.id)
        due = f" by {node.due.isoformat()}" if node.due else ""
        lines.append(
            f"- **Goal:** {_md(node.title)}{due}: {_condition(plan, node)} is {_met(goal.met_now)} "
            f"now and {_met(goal.met_expected)} once the committed work lands."
        )
    for node in plan.nodes(Kind.GOAL):
        if condition_of(node) is None:
            lines.append(f"- **Goal:** {_md(node.title)} (no condition to judge it by).")
    return lines


def _strategies(plan: Plan, result: Forecast) -> list[str]:
    if not result.strategies:
        return ["No strategy names a measure and an aim yet."]
    rows = []
    for item in result.strategies:
        unit = plan.node(item.measure).unit
        short = (
            "unknown"
            if item.short_by is None
            else "aim met"
            if item.short_by == 0
            else _md(format_gap(item.short_by, unit))
        )
        rows.append(
            [
                _md(plan.node(item.id).title),
                _md(plan.node(item.measure).title),
                _md(format_value(item.aim, unit)),
                _md(format_value(item.expected, unit)),
                short,
            ]
        )
    return [table(["Strategy", "Measure", "Aim", "Expected", "Short by"], rows)]


def _attention(plan: Plan, statuses: dict[str, str], result: Forecast) -> list[str]:
    by_id = {item.id: item for item in result.indicators}
    rows = []
    for word in ATTENTION:
        for node in plan.nodes(Kind.INDICATOR):
            if statuses.get(node.id) != word:
                continue
            item = by_id[node.id]
            rows.append(
                [
                    _md(node.title),
                    word,
                    _value(plan, node.id, item.current),
                    "" if item.target is None else _value(plan, node.id, item.target),
                    node.due.isoformat() if node.due else "",
                ]
            )
    if not rows:
        return ["Every indicator with a target is on track."]
    return [table(["Indicator", "Status", "Now", "Target", "Due"], rows)]


def _with_titles(plan: Plan, text: str) -> str:
    """A journal summary with node ids replaced by their titles."""
    parts = re.split(r"([a-z0-9][a-z0-9-]*)", text)
    return "".join(
        _md(plan.node(part).title) if index % 2 and part in plan else _md(part)
        for index, part in enumerate(parts)
    )


def _changes(plan: Plan, since: date, journal: Sequence[JournalLine]) -> list[str]:
    items: list[tuple[str, str]] = []  # (sort key, line)
    for node in plan.nodes(Kind.INDICATOR):
        history = sorted(node.history, key=lambda c: c.at)
        for index, check in enumerate(history):
            if check.at <= since:
                continue
            before = f" (was {_value(plan, node.id, history[index - 1].value)})" if index else ""
            items.append(
                (
                    check.at.isoformat(),
                    f"- {check.at.isoformat()}: {_md(node.title)} at "
                    f"{_value(plan, node.id, check.value)}{before}.",
                )
            )
    for entry in journal:
        if entry.at.date() <= since or entry.summary.startswith("check-in"):
            continue  # check-ins are listed above, on the day they were measured
        items.append(
            (
                entry.at.isoformat(),
                f"- {entry.at.date().isoformat()}: {_md(entry.author)}: "
                f"{_with_titles(plan, entry.summary)}.",
            )
        )
    if not items:
        return ["Nothing recorded: no check-ins and no edits."]
    items.sort(key=lambda item: item[0], reverse=True)
    lines = [line for _key, line in items[:MAX_CHANGES]]
    if len(items) > MAX_CHANGES:
        lines.append(f"- and {plural(len(items) - MAX_CHANGES, 'earlier change')}.")
    return ["\n".join(lines)]


def _stop(plan: Plan, model: ForecastModel) -> list[str]:
    found = cancel_candidates(plan, alignment_of(plan), model)
    if not found:
        return ["Nothing: every live initiative moves an indicator that serves a goal."]
    lines = []
    why = {
        "unaligned": "serves no goal",
        "unmeasured": "moves no indicator we track",
        "nil": "no expected effect on any target",
    }
    total = 0.0
    for candidate in found:
        node = candidate.node
        effort = "" if node.effort is None else f", effort {node.effort:g}"
        total += node.effort or 0
        lines.append(f"- {_md(node.title)}: {why[candidate.reason]}{effort}.")
    head = f"Stopping {plural(len(found), 'initiative')} would free an effort of {total:g}."
    return [head, "\n".join(lines)]


def _asks(plan: Plan, model: ForecastModel, result: Forecast) -> list[str]:
    """For each strategy short of its aim: what it takes, at the rate committed work moves
    its measure per unit of effort, and the best candidate that would help."""
    asks = []
    committed = set(result.scenario)
    for item in result.strategies:
        if not item.short_by:
            continue
        unit = plan.node(item.measure).unit
        gap = _md(format_gap(item.short_by, unit))
        moved = effort = 0.0
        best: tuple[float, Node] | None = None
        for node in plan.nodes(Kind.INITIATIVE):
            if node.status not in COMMITTED and node.status != "candidate":
                continue
            change = model.change_alone(node.id).get(item.measure, 0.0)
            toward = change if (item.aim or 0) >= (item.expected or 0) else -change
            if toward <= 0:
                continue
            if node.id in committed and node.effort:
                moved += toward
                effort += float(node.effort)
            elif node.id not in committed and (best is None or toward > best[0]):
                best = (toward, node)
        line = f"- {_md(plan.node(item.id).title)} is short by {gap}"
        if moved and effort:
            needed = item.short_by * effort / moved
            line += (
                f": fund or find work worth an effort of about {needed:.0f}, at the rate "
                "committed work moves it"
            )
        else:
            line += ": no committed work moves it yet; find work that does"
        if best is not None:
            line += f" (the best candidate: {_md(best[1].title)})"
        asks.append(line + ".")
    for goal in result.goals:
        if goal.met_expected is False:
            asks.append(
                f"- {_md(plan.node(goal.id).title)} is not forecast to be met: "
                "decide whether to add work or move the date."
            )
    if not asks:
        return ["None: the committed work is forecast to reach every aim."]
    return ["\n".join(asks)]


def plan_to_brief(
    plan: Plan,
    as_of: date,
    *,
    since: date | None = None,
    journal: Sequence[JournalLine] = (),
    diagram: bool = False,
) -> str:
    """The board brief as one Markdown document, ending with a newline."""
    since = since or as_of - timedelta(days=DEFAULT_SINCE_DAYS)
    model = ForecastModel(plan, as_of=as_of)
    result = model.evaluate(scenario(plan))
    statuses = indicator_statuses(findings(plan, as_of=as_of, metrics=model.metrics), model.metrics)
    blocks = [
        f"# {_md(plan.name.strip())}: board brief",
        f"As of {as_of.isoformat()}. Expected values assume the committed work "
        f"({plural(len(result.scenario), 'initiative')}, planned or active) lands.",
        "## Where we stand",
        "\n".join(_standing(plan, result, statuses)) or "No North Star and no goal yet.",
    ]
    learned = calibration(plan)
    if learned.pct is not None:
        blocks.append(
            f"Finished work delivered {learned.pct:g}% of what it promised: read the expected "
            "values with that in mind."
        )
    blocks += ["## Strategies", *_strategies(plan, result)]
    blocks += ["## Needs attention", *_attention(plan, statuses, result)]
    blocks += [f"## What changed since {since.isoformat()}", *_changes(plan, since, journal)]
    blocks += ["## What we stop", *_stop(plan, model)]
    blocks += ["## What we ask for", *_asks(plan, model, result)]
    if diagram:
        from alignment.formats.mermaid import plan_to_mermaid

        blocks += ["## Map", f"```mermaid\n{plan_to_mermaid(plan).rstrip()}\n```"]
    return "\n\n".join(blocks) + "\n"
