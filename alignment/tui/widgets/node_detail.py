"""NodeDetail: everything about the selected node, and why it exists (its traces to goals).

The pane lays its text out for its own width (``describe_node(..., width)``): numbers as
aligned label/value rows, references one line each, traces with hanging indents.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

from alignment.core.analysis import Alignment, Finding, progress, traces
from alignment.core.rollup import sparkline
from alignment.core.model import Kind, Link, Node
from alignment.core.plan import Plan
from alignment.tui.widgets.charts import (
    KIND_STYLES,
    SEVERITY_MARKS,
    SEVERITY_STYLES,
    kind_icon,
    progress_bar,
)
from alignment.tui.widgets.layout import fit, hang, label_rows
from alignment.tui.widgets.text import plain

__all__ = ["NodeDetail", "describe_node"]

MAX_LISTED = 12
MAX_PATHS = 6
DEFAULT_WIDTH = 60
WIDE = 48  # from this width references show their ids (a narrow pane keeps the titles)
LABEL_WIDTH = 11  # "Check-ins" and two spaces: every label/value row lines up


def _fmt(value: object) -> str:
    return "–" if value is None else str(value)


def _heading(text: str) -> Content:
    return Content.styled(text, "bold underline")


def _ref(plan: Plan, link: Link, other: str, width: int) -> list[Content]:
    """``  ▲ Title… · id`` on one line; the link's effect and confidence on a second."""
    node = plan.node(other)
    tail = plain(f" · {other}", "dim") if width >= WIDE else Content("")
    room = max(12, width - 4 - tail.cell_length)
    lines = [Content.assemble("  ", kind_icon(node.kind), fit(plain(node.title), room), tail)]
    parts = []
    if link.effect is not None:
        parts.append(f"effect {link.effect:+}")
    if link.confidence is not None:
        parts.append(f"confidence {link.confidence}")
    if parts:
        lines.append(fit(Content.styled("    " + " · ".join(parts), "dim"), width))
    return lines


def describe_node(
    plan: Plan,
    alignment: Alignment,
    node_id: str,
    node_findings: list[Finding],
    width: int = DEFAULT_WIDTH,
) -> Content:
    """The detail text of ``node_id``, laid out for ``width`` cells."""
    node = plan.node(node_id)
    lines: list[Content] = []
    add = lines.append
    kind = Content.styled(f"{node.kind.label.upper()} ", f"bold {KIND_STYLES[node.kind]}")
    add(fit(Content.assemble(kind_icon(node.kind), kind, plain("· " + node.id, "dim")), width))
    lines.extend(plain(node.title, "bold").wrap(width))
    facts: list[tuple[str, Content]] = []
    if node.owner:
        facts.append(("Owner", plain(node.owner)))
    if node.kind is Kind.INITIATIVE:
        facts.append(("Status", Content(str(node.status))))
        if node.effort is not None:
            weeks = "person-week" if node.effort == 1 else "person-weeks"
            facts.append(("Effort", Content(f"{node.effort} {weeks}")))
    lines.extend(label_rows(facts, width, LABEL_WIDTH))
    if node.description:
        add(Content(""))
        for paragraph in node.description.strip().split("\n\n"):
            lines.extend(plain(" ".join(paragraph.split()), "italic").wrap(width))
    if node.kind is Kind.INDICATOR:
        add(Content(""))
        lines.extend(_metric_lines(node, width))
    parents = plan.parents(node_id)
    children = plan.children(node_id)
    add(Content(""))
    add(_heading(f"Supports ({len(parents)})"))
    if not parents:
        add(Content.styled("  nothing", "dim"))
    for link in parents[:MAX_LISTED]:
        lines.extend(_ref(plan, link, link.parent, width))
    add(_heading(f"Supported by ({len(children)})"))
    if not children:
        add(Content.styled("  nothing", "dim"))
    for link in children[:MAX_LISTED]:
        lines.extend(_ref(plan, link, link.child, width))
    if len(children) > MAX_LISTED:
        add(Content.styled(f"  … and {len(children) - MAX_LISTED} more", "dim"))
    add(Content(""))
    add(_heading("Why does this exist?"))
    lines.extend(_trace_lines(plan, alignment, node, width))
    if node_findings:
        add(Content(""))
        add(_heading(f"Findings ({len(node_findings)})"))
        for finding in node_findings:
            mark = Content.assemble(
                "  ", (f"{SEVERITY_MARKS[finding.severity]} ", SEVERITY_STYLES[finding.severity])
            )
            body = Content.assemble((finding.rule, "bold"), plain(f": {finding.message}"))
            lines.extend(hang(mark, body, width))
    return Content("\n").join(lines)


def _metric_lines(node: Node, width: int) -> list[Content]:
    """Baseline, current and target as aligned rows; progress bar and check-ins below."""
    unit = f" {node.unit}" if node.unit else ""
    rows: list[tuple[str, Content]] = [
        ("Baseline", plain(_fmt(node.baseline) + (unit if node.baseline is not None else ""))),
        (
            "Current",
            plain(_fmt(node.current) + (unit if node.current is not None else ""), "bold"),
        ),
        (
            "Target",
            Content.assemble(
                plain(_fmt(node.target) + (unit if node.target is not None else "")),
                (f"  by {node.due.isoformat()}" if node.due else "", "dim"),
            ),
        ),
    ]
    if node.direction is not None:
        better = {"up": "↑ higher is better", "down": "↓ lower is better"}[str(node.direction)]
        rows.append(("Direction", Content(better)))
    bar_width = max(6, min(24, width - 11 - 5))
    rows.append(("Progress", Content.styled(progress_bar(progress(node), bar_width), "$success")))
    if node.history:
        last = node.history[-1]
        values = [c.value for c in node.history]
        rows.append(
            (
                "Check-ins",
                Content.assemble(
                    (sparkline(values, bar_width), "$accent"), (f" {len(values)}", "dim")
                ),
            )
        )
        rows.append(("Last", Content.assemble(str(last.value), (f" on {last.at}", "dim"))))
    else:
        rows.append(("Check-ins", Content.styled("none yet (c records one)", "dim")))
    return label_rows(rows, width, LABEL_WIDTH)


def _trace_lines(plan: Plan, alignment: Alignment, node: Node, width: int) -> list[Content]:
    """Each path up to a goal as a staircase: the parent, its parent, … the goal."""
    if node.id not in alignment.aligned:
        parents = [link.parent for link in plan.parents(node.id)]
        if not parents:
            reason = "it supports nothing"
        else:
            reach = "reaches" if len(parents) == 1 else "reach"
            reason = f"it supports {', '.join(parents)}, which {reach} no goal"
        return hang(
            Content.styled("  ⚠ ", "$text-warning"),
            plain(f"No path to a goal: {reason}.", "$text-warning"),
            width,
        )
    if node.kind is Kind.GOAL and not plan.parents(node.id):
        return hang(
            Content("  "), Content.styled("It is a goal: the top of the plan.", "dim"), width
        )
    paths = traces(plan, node.id, limit=MAX_PATHS + 1, alignment=alignment)
    lines: list[Content] = []
    for number, path in enumerate(paths[:MAX_PATHS]):
        if number:
            lines.append(Content(""))
        for depth, step in enumerate(path[1:]):
            step_node = plan.node(step)
            lead = Content.assemble("  " + "  " * depth, ("↑ ", "dim"), kind_icon(step_node.kind))
            lines.extend(hang(lead, plain(step_node.title), width))
    if len(paths) > MAX_PATHS:
        lines.append(Content.styled("  … and more paths", "dim"))
    if node.kind is Kind.INITIATIVE and node.id not in alignment.measured:
        lines.extend(
            hang(
                Content.styled("  ⚠ ", "$text-warning"),
                Content.styled("No indicator on the way: how will we know?", "$text-warning"),
                width,
            )
        )
    return lines


class NodeDetail(VerticalScroll):
    """The detail pane on the right of the map."""

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")

    def _width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 0 else DEFAULT_WIDTH

    def show(
        self, plan: Plan, alignment: Alignment, node_id: str | None, node_findings: list[Finding]
    ) -> None:
        width = self._width()
        shown: tuple[object, ...] = (id(plan), id(alignment), node_id, tuple(node_findings), width)
        if node_id is not None and node_id in plan:
            shown += (plan.node(node_id), len(plan.parents(node_id)), len(plan.children(node_id)))
        if shown == getattr(self, "_shown", None):
            return  # the same node in the same state: nothing to redo
        self._shown = shown
        self._args = (plan, alignment, node_id, node_findings)
        body = self.query_one("#detail-body", Static)
        if node_id is None or node_id not in plan:
            body.update(Content.styled(_help_text(plan), "dim"))
            return
        body.update(describe_node(plan, alignment, node_id, node_findings, width))
        self.scroll_home(animate=False)

    def on_resize(self, event: Resize) -> None:
        if getattr(self, "_args", None) is not None:
            self.show(*self._args)


def _help_text(plan: Plan) -> str:
    if not len(plan):
        return "This plan is empty. Press a to add a goal: start from the business outcome."
    return "The Unaligned branch gathers what reaches no goal. Select a node to see why it exists."
