"""NodeDetail: everything about the selected node, and why it exists (its traces to goals).

The pane lays its text out for its own width (``describe_node(..., width)``): numbers as
aligned label/value rows, references one line each, traces with hanging indents. Numbers are
as meant (formulas computed, aims lent; see ``detail_numbers``); links count as they mean
(a formula's inputs and a strategy's measure are listed with the links, marked).
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

from alignment.core.analysis import (
    Alignment,
    EffectiveLinks,
    Finding,
    effective_links,
    findings,
    indicator_statuses,
    traces,
)
from alignment.core.forecast import Forecast, forecast
from alignment.core.model import Kind, Link, Node
from alignment.core.plan import Plan
from alignment.core.values import Metrics, metric_values
from alignment.tui.widgets.charts import (
    KIND_STYLES,
    SEVERITY_MARKS,
    SEVERITY_STYLES,
    kind_icon,
)
from alignment.tui.widgets.detail_numbers import goal_lines, indicator_lines, strategy_lines
from alignment.tui.widgets.layout import fit, hang, label_rows
from alignment.tui.widgets.plan_tree import link_mark
from alignment.tui.widgets.text import plain

__all__ = ["NodeDetail", "describe_node", "needs_forecast"]

MAX_LISTED = 12
MAX_PATHS = 6
DEFAULT_WIDTH = 60
WIDE = 48  # from this width references show their ids (a narrow pane keeps the titles)
LABEL_WIDTH = 11  # "Check-ins" and two spaces: every label/value row lines up


def _heading(text: str) -> Content:
    return Content.styled(text, "bold underline")


def _ref(plan: Plan, link: Link, other: str, width: int) -> list[Content]:
    """``  ▲ Title… · id`` on one line; on a second, how the link came to be when the
    parent's formula or measure makes it (ƒ input, measure), its effect and confidence."""
    node = plan.node(other)
    tail = plain(f" · {other}", "dim") if width >= WIDE else Content("")
    room = max(12, width - 4 - tail.cell_length)
    lines = [Content.assemble("  ", kind_icon(node.kind), fit(plain(node.title), room), tail)]
    parts = []
    if link.parent in plan and (mark := link_mark(plan.node(link.parent), link.child)):
        listed = link.child in plan and link.parent in plan.up[link.child]
        parts.append(mark if listed else f"{mark} (implied)")
    if link.effect is not None:
        parts.append(f"effect {link.effect:+}")
    if link.confidence is not None:
        parts.append(f"confidence {link.confidence}")
    if parts:
        lines.append(fit(Content.styled("    " + " · ".join(parts), "dim"), width))
    return lines


def _links_of(plan: Plan, links: EffectiveLinks, node_id: str) -> tuple[list[Link], list[Link]]:
    """(what it supports, what supports it): the listed links, then the implied ones."""
    parents = plan.parents(node_id)
    parents += [Link(node_id, p) for p in links.implied_succ.get(node_id, ())]
    children = plan.children(node_id)
    children += [Link(c, node_id) for c in links.implied_pred.get(node_id, ())]
    return parents, children


def describe_node(
    plan: Plan,
    alignment: Alignment,
    node_id: str,
    node_findings: list[Finding],
    width: int = DEFAULT_WIDTH,
    *,
    metrics: Metrics | None = None,
    statuses: Mapping[str, str] | None = None,
    expected: Forecast | None = None,
    forecast_pending: bool = False,
) -> Content:
    """The detail text of ``node_id``, laid out for ``width`` cells.

    ``metrics`` and ``statuses``: as the app computed them for its date (else as of today,
    here);
    ``expected``: the forecast of the committed work (computed here for a goal or a strategy
    that needs it when not given, unless ``forecast_pending``: it is on its way)."""
    node = plan.node(node_id)
    if metrics is None:
        metrics = metric_values(plan)
    if statuses is None:
        statuses = indicator_statuses(findings(plan, alignment, metrics=metrics), metrics)
    if expected is None and needs_forecast(node) and not forecast_pending:
        expected = forecast(plan, metrics=metrics)
    links = alignment.links or effective_links(plan)
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
        if node.mandatory:
            facts.append(("Mandatory", plain(node.mandatory, "bold")))
    lines.extend(label_rows(facts, width, LABEL_WIDTH))
    if node.description:
        add(Content(""))
        for paragraph in node.description.strip().split("\n\n"):
            lines.extend(plain(" ".join(paragraph.split()), "italic").wrap(width))
    numbers: list[Content] = []
    if node.kind is Kind.INDICATOR:
        status = statuses.get(node_id)
        numbers = indicator_lines(plan, node, metrics, status, width)
    elif node.kind is Kind.STRATEGY:
        numbers = strategy_lines(plan, node, metrics, expected, width, forecast_pending)
    elif node.kind is Kind.GOAL:
        numbers = goal_lines(plan, node, metrics, expected, width, forecast_pending)
    if numbers:
        add(Content(""))
        lines.extend(numbers)
    parents, children = _links_of(plan, links, node_id)
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
    lines.extend(_trace_lines(plan, alignment, links, node, width))
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


def needs_forecast(node: Node) -> bool:
    return (node.kind is Kind.GOAL and bool(node.condition)) or (
        node.kind is Kind.STRATEGY and bool(node.measure)
    )


def _trace_lines(
    plan: Plan, alignment: Alignment, links: EffectiveLinks, node: Node, width: int
) -> list[Content]:
    """Each path up to a goal as a staircase: the parent, its parent, … the goal."""
    if node.id not in alignment.aligned:
        parents = links.parents(node.id)
        if not parents:
            reason = "it supports nothing"
        else:
            reach = "reaches" if len(parents) == 1 else "reach"
            reason = f"it supports {', '.join(parents)}, which {reach} no goal"
        if node.kind is Kind.INITIATIVE and node.mandatory:
            return hang(
                Content.styled("  ℹ ", "$text-primary"),
                Content.styled(f"No path to a goal ({reason}); mandatory: done anyway.", "dim"),
                width,
            )
        return hang(
            Content.styled("  ⚠ ", "$text-warning"),
            plain(f"No path to a goal: {reason}.", "$text-warning"),
            width,
        )
    if node.kind is Kind.GOAL and not links.parents(node.id):
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
        self,
        plan: Plan,
        alignment: Alignment,
        node_id: str | None,
        node_findings: list[Finding],
        metrics: Metrics | None = None,
        statuses: Mapping[str, str] | None = None,
        *,
        expected: Forecast | None = None,
        version: object = None,
    ) -> None:
        """Show ``node_id``. ``expected``: the forecast of the committed work for a goal or a
        strategy that needs it (None: being computed, said so); ``version``: which state of
        the plan this is (the pane is laid out again only when something shown changed)."""
        width = self._width()
        shown: tuple[object, ...] = (
            version,
            id(plan),
            id(alignment),
            id(metrics),
            id(statuses),  # they come with the findings, after the numbers
            id(expected),
            node_id,
            tuple(node_findings),
            width,
        )
        if node_id is not None and node_id in plan:
            shown += (plan.node(node_id), len(plan.parents(node_id)), len(plan.children(node_id)))
        if shown == getattr(self, "_shown", None):
            return  # the same node in the same state: nothing to redo
        self._shown = shown
        self._args = (plan, alignment, node_id, node_findings, metrics, statuses)
        self._expected, self._version = expected, version
        body = self.query_one("#detail-body", Static)
        if node_id is None or node_id not in plan:
            body.update(Content.styled(_help_text(plan), "dim"))
            return
        node = plan.node(node_id)
        body.update(
            describe_node(
                plan,
                alignment,
                node_id,
                node_findings,
                width,
                metrics=metrics,
                statuses=statuses,
                expected=expected,
                forecast_pending=expected is None and needs_forecast(node),
            )
        )
        self.scroll_home(animate=False)

    def on_resize(self, event: Resize) -> None:
        if getattr(self, "_args", None) is not None:
            self.show(*self._args, expected=self._expected, version=self._version)


def _help_text(plan: Plan) -> str:
    if not len(plan):
        return "This plan is empty. Press a to add a goal: start from the business outcome."
    return "The Unaligned branch gathers what reaches no goal. Select a node to see why it exists."
