"""The "Map" section of the Markdown export: Mermaid diagrams and their legend.

Up to ``split_above`` nodes the whole plan is one diagram. Above that one diagram would be an
unreadable hairball, so each goal gets its own diagram and a last one shows what serves no goal.
No diagram draws more than ``split_above`` nodes either: on a big plan a goal's diagram shows
the nodes nearest to it (breadth first: strategies, then their indicators, then the work), says
how many it leaves out, and the outline lists every node. That keeps each diagram legible and
within what Markdown viewers render (Mermaid's default limits on text size and edge count).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable

from alignment.core.model import Kind, Node, Status
from alignment.formats.map_facts import MapFacts
from alignment.formats.markdown_blocks import node_ref
from alignment.formats.mermaid import KIND_SHAPES, MARKERS, flowchart

__all__ = ["LEGEND_NAMES", "map_section"]

LEGEND_NAMES = 20  # the legend names at most this many nodes per marker; the tables list all


def map_section(facts: MapFacts, split_above: int) -> list[str]:
    plan = facts.plan
    blocks = ["## Map"]
    if len(plan) <= split_above:
        blocks.append(_mermaid_block(flowchart(facts)))
        blocks += _legend(facts, split=False)
        return blocks
    blocks.append(
        f"The plan has {len(plan)} nodes, too many for one legible diagram: each goal has its "
        "own diagram of what serves it, and a last one shows what serves no goal. Each diagram "
        f"draws at most {split_above} nodes, nearest first; the outline lists them all."
    )
    aligned = facts.alignment.aligned
    sizes = Counter(goal for goals in facts.served.values() for goal in goals)
    unaligned = [node.id for node in plan.nodes() if node.id not in aligned]
    # Aligned nodes that also support something unaligned are drawn there too, for context.
    context = {child for node_id in unaligned for child in plan.down[node_id] if child in aligned}
    shared = frozenset(n for n, goals in facts.served.items() if len(goals) > 1) | context
    for goal in plan.nodes(Kind.GOAL):
        drawn, hidden = _nearest(facts, [goal.id], split_above, lambda _node_id: True)
        blocks.append(f"### Map of {node_ref(goal)}")
        blocks.append(_mermaid_block(flowchart(facts, drawn, shared, hidden)))
        blocks += _left_out(len(drawn), sizes[goal.id], "serve this goal")
    if unaligned:
        roots = [node_id for node_id in unaligned if plan.is_top(node_id)]
        roots = facts.in_plan_order(roots)
        roots.sort(key=lambda node_id: plan.node(node_id).kind.rank)
        drawn, hidden = _nearest(facts, roots, split_above, lambda node_id: node_id not in aligned)
        blocks.append("### Map of what serves no goal")
        blocks.append(_mermaid_block(flowchart(facts, drawn, shared, hidden)))
        blocks += _left_out(len(drawn), len(unaligned) + len(context), "belong here")
    blocks += _legend(facts, split=True)
    return blocks


def _nearest(
    facts: MapFacts, roots: list[str], limit: int, expand: Callable[[str], bool]
) -> tuple[list[str], dict[str, int]]:
    """Up to ``limit`` nodes breadth first from ``roots`` down to what supports them (only
    the nodes ``expand`` accepts are followed), and how many supporters each drawn node has
    that are left out of the drawing."""
    seen = set(roots)
    queue = deque(roots)
    drawn: list[str] = []
    children: dict[str, list[str]] = {}
    while queue and len(drawn) < limit:
        node_id = queue.popleft()
        drawn.append(node_id)
        if not expand(node_id):
            continue
        children[node_id] = facts.children_in_order(node_id)
        for child in children[node_id]:
            if child not in seen:
                seen.add(child)
                queue.append(child)
    on_map = set(drawn)
    hidden = {}
    for node_id, supporters in children.items():
        missing = sum(1 for child in supporters if child not in on_map)
        if missing:
            hidden[node_id] = missing
    return drawn, hidden


def _left_out(drawn: int, total: int, what: str) -> list[str]:
    if drawn >= total:
        return []
    return [
        f"Drawn: the {drawn} nearest of the {total} nodes that {what}; a node's "
        '"+N not drawn" counts its supporters left out.'
    ]


def _mermaid_block(lines: Iterable[str]) -> str:
    return "```mermaid\n" + "\n".join(lines) + "\n```"


def _names(nodes: list[Node]) -> str:
    if not nodes:
        return "none"
    names = "; ".join(node_ref(node) for node in nodes[:LEGEND_NAMES])
    if len(nodes) > LEGEND_NAMES:
        names += f"; and {len(nodes) - LEGEND_NAMES} more (see the tables)"
    return names


def _legend(facts: MapFacts, split: bool) -> list[str]:
    shapes = ", ".join(f"{kind.label.lower()} {KIND_SHAPES[kind][2]}" for kind in Kind)
    intro = (
        f"**Legend:** shapes: {shapes}. Arrows point from a node to what it supports, labelled "
        "with the expected effect (and confidence) when the plan gives one."
    )
    lines = []
    marked: dict[str, list[Node]] = {"orphan": [], "vanity": [], "unmeasured": [], "dropped": []}
    for node in facts.plan.nodes():
        if facts.is_orphan(node):
            marked["orphan"].append(node)
        if facts.is_vanity(node):
            marked["vanity"].append(node)
        if facts.is_unmeasured(node):
            marked["unmeasured"].append(node)
        if node.status is Status.DROPPED:
            marked["dropped"].append(node)
    legends = {name: legend for name, _style, legend in MARKERS}
    for name, nodes in marked.items():
        lines.append(f"- {legends[name]}: {_names(nodes)}.")
    if split:
        lines.append(f"- {legends['shared']}.")
    return [intro, "\n".join(lines)]
