"""NodeDetail: everything about the selected node, and why it exists (its traces to goals)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from alignment.core.analysis import Alignment, Finding, progress
from alignment.core.model import Kind, Node
from alignment.core.plan import Plan
from alignment.tui.widgets.charts import KIND_ICONS, progress_bar, sparkline

__all__ = ["NodeDetail", "describe_node"]

_SEVERITY_MARK = {"error": "✖", "warning": "⚠", "info": "ℹ"}
MAX_LISTED = 12


def _fmt(value: object) -> str:
    return "–" if value is None else str(value)


def _ref(plan: Plan, node_id: str) -> Content:
    node = plan.node(node_id)
    return Content.assemble(
        (f"{KIND_ICONS[node.kind]} ", f"$text-{_KIND_COLOUR[node.kind]}"),
        node.title,
        (f"  {node_id}", "dim"),
    )


_KIND_COLOUR = {
    Kind.GOAL: "accent",
    Kind.STRATEGY: "primary",
    Kind.INDICATOR: "success",
    Kind.INITIATIVE: "secondary",
}


def describe_node(
    plan: Plan, alignment: Alignment, node_id: str, node_findings: list[Finding]
) -> Content:
    node = plan.node(node_id)
    lines: list[Content] = []
    add = lines.append
    colour = f"$text-{_KIND_COLOUR[node.kind]}"
    add(
        Content.assemble(
            (f"{KIND_ICONS[node.kind]} {node.kind.label.upper()}", f"bold {colour}"),
            ("  " + node.id, "dim"),
        )
    )
    add(Content.styled(node.title, "bold"))
    facts = []
    if node.owner:
        facts.append(f"Owner: {node.owner}")
    if node.kind is Kind.INITIATIVE:
        facts.append(f"Status: {node.status}")
        if node.effort is not None:
            facts.append(f"Effort: {node.effort}")
    if facts:
        add(Content("   ".join(facts)))
    if node.description:
        add(Content(""))
        for paragraph in node.description.strip().split("\n\n"):
            add(Content.styled(" ".join(paragraph.split()), "italic"))
    if node.kind is Kind.INDICATOR:
        lines.extend(_metric_lines(node))
    parents = plan.parents(node_id)
    children = plan.children(node_id)
    add(Content(""))
    add(Content.styled(f"Supports ({len(parents)})", "bold underline"))
    if not parents:
        add(Content.styled("  nothing", "dim"))
    for link in parents[:MAX_LISTED]:
        add(Content.assemble("  ", _ref(plan, link.parent), _link_note(link)))
    add(Content.styled(f"Supported by ({len(children)})", "bold underline"))
    if not children:
        add(Content.styled("  nothing", "dim"))
    for link in children[:MAX_LISTED]:
        add(Content.assemble("  ", _ref(plan, link.child), _link_note(link)))
    if len(children) > MAX_LISTED:
        add(Content.styled(f"  … and {len(children) - MAX_LISTED} more", "dim"))
    add(Content(""))
    add(Content.styled("Why does this exist?", "bold underline"))
    lines.extend(_trace_lines(plan, alignment, node))
    if node_findings:
        add(Content(""))
        add(Content.styled(f"Findings ({len(node_findings)})", "bold underline"))
        for finding in node_findings:
            add(
                Content.assemble(
                    (f"  {_SEVERITY_MARK[finding.severity]} ", f"${finding.severity}"),
                    (finding.rule, "bold"),
                    f": {finding.message}",
                )
            )
    return Content("\n").join(lines)


def _link_note(link) -> Content:  # type: ignore[no-untyped-def]
    parts = []
    if link.effect is not None:
        parts.append(f"effect {link.effect:+}")
    if link.confidence is not None:
        parts.append(f"confidence {link.confidence}")
    return Content.styled(f"  ({', '.join(parts)})", "dim") if parts else Content("")


def _metric_lines(node: Node) -> list[Content]:
    unit = f" {node.unit}" if node.unit else ""
    better = {"up": "higher is better", "down": "lower is better"}.get(str(node.direction), "")
    lines = [
        Content(""),
        Content.assemble(
            ("Baseline ", "dim"),
            _fmt(node.baseline),
            ("  →  current ", "dim"),
            (_fmt(node.current), "bold"),
            ("  →  target ", "dim"),
            _fmt(node.target),
            unit,
            (f"   {better}" if better else "", "dim"),
        ),
        Content.assemble(
            ("Progress ", "dim"),
            (progress_bar(progress(node), 20), "$success"),
            (f"   due {node.due.isoformat()}" if node.due else "", "dim"),
        ),
    ]
    if node.history:
        last = node.history[-1]
        lines.append(
            Content.assemble(
                ("Check-ins ", "dim"),
                (sparkline([c.value for c in node.history], 24), "$accent"),
                (f"  {len(node.history)}, last {last.at.isoformat()}: {last.value}", "dim"),
            )
        )
    else:
        lines.append(Content.styled("Check-ins: none yet (c to record one)", "dim"))
    return lines


def _trace_lines(plan: Plan, alignment: Alignment, node: Node) -> list[Content]:
    if node.id not in alignment.aligned:
        parents = [link.parent for link in plan.parents(node.id)]
        reason = (
            "it supports nothing"
            if not parents
            else f"it supports {', '.join(parents)}, which reach no goal"
        )
        return [Content.styled(f"  ⚠ No path to a goal: {reason}.", "$warning")]
    if node.kind is Kind.GOAL and not plan.parents(node.id):
        return [Content.styled("  It is a goal: the top of the plan.", "dim")]
    paths = paths_to_goals(plan, alignment.aligned, node.id, limit=8)
    lines = []
    for path in paths:
        steps = [plan.node(step).title for step in path[1:]]
        lines.append(Content.assemble(("  ↑ ", "dim"), " → ".join(steps)))
    if node.kind is Kind.INITIATIVE and node.id not in alignment.measured:
        lines.append(Content.styled("  ⚠ No indicator on the way: how will we know?", "$warning"))
    return lines


def paths_to_goals(
    plan: Plan, aligned: frozenset[str], node_id: str, limit: int = 8
) -> list[list[str]]:
    """Like ``analysis.traces`` but reusing the aligned set already computed (no graph search)."""
    graph = plan.graph
    paths: list[list[str]] = []
    stack = [[node_id]]
    while stack and len(paths) < limit:
        path = stack.pop()
        last = path[-1]
        if last != node_id and plan.node(last).kind is Kind.GOAL:
            paths.append(path)
        for parent in reversed(list(graph.succ[last])):
            if parent in aligned:
                stack.append([*path, parent])
    paths.sort(key=len)
    return paths


class NodeDetail(VerticalScroll):
    """The detail pane on the right of the map."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-body")

    def show(
        self, plan: Plan, alignment: Alignment, node_id: str | None, node_findings: list[Finding]
    ) -> None:
        shown = (id(plan), id(alignment), node_id, tuple(node_findings))
        if node_id is not None and node_id in plan:
            shown += (plan.node(node_id), len(plan.parents(node_id)), len(plan.children(node_id)))
        if shown == getattr(self, "_shown", None):
            return  # the same node in the same state: nothing to redo
        self._shown = shown
        body = self.query_one("#detail-body", Static)
        if node_id is None or node_id not in plan:
            body.update(Content.styled(_help_text(plan), "dim"))
            return
        body.update(describe_node(plan, alignment, node_id, node_findings))
        self.scroll_home(animate=False)


def _help_text(plan: Plan) -> str:
    if not len(plan):
        return "This plan is empty. Press a to add a goal: start from the business outcome."
    return "The Unaligned branch gathers what reaches no goal. Select a node to see why it exists."
