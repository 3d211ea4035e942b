"""The alignment map in GitHub-flavoured Markdown: the picture a CTO sends to the board.

``plan_to_markdown(plan, as_of)`` is a pure function: the same plan and date give the same bytes.
Sections: header and summary, the Mermaid map (one diagram, or one per goal plus one for what
serves no goal on large plans), the outline, metric and initiative tables, findings with the
cancel candidates, and the view by owner.

>>> from datetime import date
>>> from alignment.core.model import Kind, Node
>>> plan = Plan("Demo")
>>> _ = plan.add(Node(id="grow", kind=Kind.GOAL, title="Grow"))
>>> _ = plan.add(Node(id="hunch", kind=Kind.INITIATIVE, title="A *hunch*", effort=3))
>>> text = plan_to_markdown(plan, date(2026, 11, 23))
>>> print(text.splitlines()[0])
# Alignment map: Demo
>>> "| `orphan-initiative` | A \\\\*hunch\\\\* (`hunch`) | supports nothing |" in text
True
"""

from __future__ import annotations

from datetime import date

from alignment.core.analysis import Severity, coverage
from alignment.core.expressions import references, render_plain
from alignment.core.forecast import ForecastModel, scenario
from alignment.core.model import Kind, Node, Role, Status
from alignment.core.plan import Plan
from alignment.core.values import condition_of, format_value
from alignment.formats.escape import md_code, md_inline, md_paragraphs
from alignment.formats.map_facts import MapFacts, facts_of, format_number
from alignment.formats.markdown_blocks import (
    indicator_figures,
    node_ref,
    percent,
    plural,
    table,
)
from alignment.formats.markdown_map import map_section
from alignment.formats.markdown_outline import outline_section, owners_section

__all__ = ["SPLIT_ABOVE", "plan_to_markdown"]

SPLIT_ABOVE = 60  # above this many nodes, one diagram per goal plus one for the unaligned


def plan_to_markdown(plan: Plan, as_of: date, *, split_above: int = SPLIT_ABOVE) -> str:
    """The whole alignment map as one Markdown document, ending with a newline."""
    facts = facts_of(plan, as_of)
    # One forecast model for the goal conditions and the cancel candidates.
    model = ForecastModel(plan, facts.metrics, as_of)
    blocks = _header(facts, as_of, model)
    blocks += map_section(facts, split_above)
    blocks += outline_section(facts, as_of)
    blocks += _tables_section(facts, as_of)
    blocks += _findings_section(facts)
    blocks += _cancel_section(facts, model)
    blocks += owners_section(facts)
    return "\n\n".join(blocks) + "\n"


def _header(facts: MapFacts, as_of: date, model: ForecastModel) -> list[str]:
    plan = facts.plan
    counts = plan.counts()
    kinds = ", ".join(plural(counts[kind], str(kind)) for kind in Kind)
    cover = coverage(plan, facts.alignment)
    severities = [finding.severity for finding in facts.findings]
    found = ", ".join(plural(severities.count(s), str(s)) for s in Severity)
    if cover.aligned_pct is None or cover.measured_pct is None:
        covered = "no live initiatives yet"
    else:
        covered = (
            f"live initiatives {percent(cover.aligned_pct)} aligned, "
            f"{percent(cover.measured_pct)} measured"
        )
    summary = f"**As of {as_of.isoformat()}:** {kinds} · {covered} · findings: {found}"
    return [
        f"# Alignment map: {md_inline(plan.name.strip())}",
        *md_paragraphs(plan.description or ""),
        summary,
        *_north_stars(facts),
        *_goal_conditions(facts, model),
    ]


def _north_stars(facts: MapFacts) -> list[str]:
    """The North Star metric(s) first: where it stands, where it should go, how it is doing."""
    lines = []
    for node in facts.plan.nodes(Kind.INDICATOR):
        if node.role is not Role.NORTH_STAR:
            continue
        metric = facts.metrics[node.id]
        parts = [f"{format_value(metric.current, node.unit)} now"]
        if metric.target is not None:
            parts.append(f"target {format_value(metric.target, node.unit)}")
        if node.due is not None:
            parts.append(f"by {node.due.isoformat()}")
        status = facts.statuses.get(node.id)
        if status:
            parts.append(f"**{status}**")
        lines.append(
            f"**North Star:** {node_ref(node)}: {md_inline(', '.join(parts[:-1]) if status else ', '.join(parts))}"
            + (f" · {parts[-1]}" if status else "")
        )
    return lines


def _goal_conditions(facts: MapFacts, model: ForecastModel) -> list[str]:
    """Each goal with a condition: met now, and once the committed work lands."""
    if not any(goal.condition for goal in facts.plan.nodes(Kind.GOAL)):
        return []
    expected = {goal.id: goal for goal in model.evaluate(scenario(facts.plan)).goals}
    lines = []
    for node in facts.plan.nodes(Kind.GOAL):
        condition = condition_of(node)
        if condition is None:
            continue
        names = sorted(references(condition))
        values = ", ".join(
            f"{name} {format_value(facts.metrics[name].current, facts.plan.node(name).unit)}"
            for name in names
            if facts.metrics.get(name) is not None
        )
        goal = expected.get(node.id)
        now = _met(goal.met_now if goal else None)
        later = _met(goal.met_expected if goal else None)
        due = f" by {node.due.isoformat()}" if node.due else ""
        lines.append(
            f"**Goal:** {node_ref(node)}: {md_code(render_plain(condition))}{due} · "
            f"{now} now ({md_inline(values)}) · {later} once the committed work lands"
        )
    return lines


def _met(flag: bool | None) -> str:
    return {True: "**met**", False: "**not met**", None: "unknown"}[flag]


def _tables_section(facts: MapFacts, as_of: date) -> list[str]:
    plan = facts.plan
    blocks = ["## Metrics"]
    metric_rows = []
    for node in plan.nodes(Kind.INDICATOR):
        metric = facts.metrics[node.id]
        figures = indicator_figures(node, as_of, metric)
        metric_rows.append(
            [
                node_ref(node),
                str(node.role or ""),
                md_inline(node.unit or ""),
                str(metric.direction or ""),
                _figure(metric.baseline, metric.computed),
                _figure(metric.current, metric.computed),
                _figure(metric.target, metric.target_from == "formula"),
                figures["progress"],
                facts.statuses.get(node.id, ""),
                figures["due"],
                figures["check-ins"],
                md_inline(node.owner or ""),
            ]
        )
    headers = ["Indicator", "Role", "Unit", "Better", "Baseline", "Current", "Target"]
    headers += ["Progress", "Status", "Due", "Check-ins", "Owner"]
    blocks.append(table(headers, metric_rows) if metric_rows else "No indicators yet.")
    blocks.append("## Initiatives")
    rows = []
    for node in plan.nodes(Kind.INITIATIVE):
        live = node.is_live
        rows.append(
            [
                node_ref(node),
                str(node.status),
                md_inline(node.owner or ""),
                format_number(node.effort) if node.effort is not None else "",
                ", ".join(md_code(link.parent) for link in plan.parents(node.id)),
                _yes_no(node.id in facts.alignment.aligned) if live else "",
                _yes_no(node.id in facts.alignment.measured) if live else "",
            ]
        )
    headers = ["Initiative", "Status", "Owner", "Effort", "Supports", "Aligned", "Measured"]
    blocks.append(table(headers, rows) if rows else "No initiatives yet.")
    return blocks


def _figure(value: float | None, computed: bool) -> str:
    """A figure as stored, or as people read it when computed (0.731, not 0.7311557788944)."""
    if value is None:
        return ""
    return format_value(value) if computed else format_number(value)


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "**no**"


def _findings_section(facts: MapFacts) -> list[str]:
    blocks = ["## Orphans and gaps"]
    if not facts.findings:
        blocks.append("No findings: every initiative serves a goal through an indicator.")
    plan = facts.plan
    for severity in Severity:
        found = [f for f in facts.findings if f.severity is severity]
        if not found:
            continue
        blocks.append(f"### {severity.heading} ({len(found)})")
        rows = [[md_code(f.rule), node_ref(plan.node(f.node)), md_inline(f.message)] for f in found]
        blocks.append(table(["Rule", "Node", "Message"], rows))
    return blocks


# The groups of cancel candidates (core.ranking.cancel_candidates), in the order shown.
CANCEL_GROUPS = {
    "unaligned": ("Unaligned work", "Serves no goal"),
    "unmeasured": ("Unmeasured work", "Reaches a goal through no indicator"),
    "nil": (
        "Work with no expected contribution",
        "No effect of this work reaches an indicator with a target",
    ),
}


def _effort_freed(nodes: list[Node]) -> str:
    efforts = [node.effort for node in nodes if node.effort is not None]
    missing = len(nodes) - len(efforts)
    return f"**{format_number(sum(efforts))}**" + (
        f" (and {plural(missing, 'initiative')} without an effort estimate)" if missing else ""
    )


def _cancel_section(facts: MapFacts, model: ForecastModel) -> list[str]:
    """Live work the alignment would cancel, in three groups (unaligned, unmeasured, nil
    expected contribution), each with the effort it frees; mandatory work never."""
    from alignment.core.ranking import cancel_candidates

    plan = facts.plan
    blocks = ["## Cancel candidates"]
    found = cancel_candidates(plan, facts.alignment, model)
    finished = [
        node
        for node in plan.nodes(Kind.INITIATIVE)
        if node.status is Status.DONE and (facts.is_orphan(node) or facts.is_unmeasured(node))
    ]
    if not found:
        blocks.append("None: every live initiative moves an indicator that serves a goal.")
    else:
        nodes = [candidate.node for candidate in found]
        blocks.append(
            f"{plural(len(nodes), 'live initiative')} would be cancelled or rethought. "
            f"Cancelling {'it' if len(nodes) == 1 else 'them'} would free an effort of "
            f"{_effort_freed(nodes)}. "
            "Mandatory work is never a candidate."
        )
    for reason, (heading, why) in CANCEL_GROUPS.items():
        group = [c.node for c in found if c.reason == reason]
        if not group:
            continue
        blocks.append(f"### {heading} ({len(group)})")
        blocks.append(f"{why}. Effort freed: {_effort_freed(group)}.")
        rows = [
            [
                node_ref(node),
                str(node.status),
                md_inline(node.owner or ""),
                format_number(node.effort) if node.effort is not None else "",
            ]
            for node in group
        ]
        blocks.append(table(["Initiative", "Status", "Owner", "Effort"], rows))
    if finished:
        names = "; ".join(node_ref(node) for node in finished)
        blocks.append(f"Already done, so nothing left to cancel: {names}.")
    return blocks
