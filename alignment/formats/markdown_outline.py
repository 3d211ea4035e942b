"""The outline (each goal with everything under it) and the per-owner view of the Markdown map."""

from __future__ import annotations

from datetime import date

from alignment.core.analysis import progress
from alignment.core.model import Kind, Node
from alignment.formats.escape import md_code, md_inline, md_paragraphs
from alignment.formats.map_facts import MapFacts, format_number, link_label
from alignment.formats.markdown_blocks import (
    indicator_details,
    kind_label,
    node_ref,
    owners_of,
    percent,
    table,
)

__all__ = ["outline_section", "owners_section"]

_INDENT = "  "


def _item(facts: MapFacts, node: Node, parent: str | None, as_of: date) -> list[str]:
    """The parts of one outline line: what the node is, and its figures or status."""
    parts = [f"{kind_label(node.kind)} {node_ref(node)}"]
    if node.kind is Kind.INDICATOR:
        parts += indicator_details(node, as_of)
    elif node.kind is Kind.INITIATIVE:
        parts.append(str(node.status))
        if node.effort is not None:
            parts.append(f"effort {format_number(node.effort)}")
    if node.owner:
        parts.append(f"owner {md_inline(node.owner.strip())}")
    if parent is not None:
        link = facts.plan.link_between(node.id, parent)
        unit = facts.plan.node(parent).unit
        if link is not None and (label := link_label(link.effect, link.confidence, unit)):
            parts.append(f"expected {md_inline(label)}")
    return parts


def _tree(facts: MapFacts, root: str, as_of: date, expanded: set[str]) -> list[str]:
    """A nested list of what supports ``root``, each subtree spelled out once in the outline.

    A node with several parents appears under each of them, marked as shared; what supports it
    is listed at its first appearance only, which keeps the outline linear in the plan's size.
    """
    plan = facts.plan
    lines: list[str] = []
    expanded.add(root)
    stack = [(child, root, 0) for child in reversed(facts.children_in_order(root))]
    while stack:
        node_id, parent, depth = stack.pop()
        node = plan.node(node_id)
        parts = _item(facts, node, parent, as_of)
        parents = len(plan.up[node_id])
        if parents > 1:
            parts.append(f"*shared* by {parents} parents")
        children = facts.children_in_order(node_id)
        if node_id in expanded and children:
            parts.append("what supports it is listed at its first appearance")
        lines.append(f"{_INDENT * depth}- " + " · ".join(parts))
        if node_id not in expanded:
            expanded.add(node_id)
            stack.extend((child, node_id, depth + 1) for child in reversed(children))
    return lines


def outline_section(facts: MapFacts, as_of: date) -> list[str]:
    """## Outline: one heading per top-level goal, then what serves no goal."""
    plan = facts.plan
    blocks = ["## Outline"]
    expanded: set[str] = set()
    top_goals = [goal for goal in plan.nodes(Kind.GOAL) if plan.is_top(goal.id)]
    for goal in top_goals:
        blocks.append(f"### Goal: {node_ref(goal)}")
        about = [f"Owner: {md_inline(goal.owner.strip())}."] if goal.owner else []
        blocks += about + md_paragraphs(goal.description or "")
        lines = _tree(facts, goal.id, as_of, expanded)
        blocks.append("\n".join(lines) if lines else "Nothing serves this goal yet.")
    aligned = facts.alignment.aligned
    roots = [node for node in plan.nodes() if node.id not in aligned and plan.is_top(node.id)]
    if roots:
        roots.sort(key=lambda node: (node.kind.rank, facts.order[node.id]))
        blocks.append("### Serving no goal")
        lines = []
        for root in roots:
            lines.append("- " + " · ".join(_item(facts, root, None, as_of)))
            lines += [_INDENT + line for line in _tree(facts, root.id, as_of, expanded)]
        blocks.append("\n".join(lines))
    return blocks


def _standing(node: Node) -> str:
    if node.kind is Kind.INITIATIVE:
        return str(node.status)
    if node.kind is Kind.INDICATOR and (share := progress(node)) is not None:
        return f"progress {percent(100 * share)}"
    return ""


def owners_section(facts: MapFacts) -> list[str]:
    """## By owner: what each owner owns and which goals it serves (co-owners each get it)."""
    plan = facts.plan
    owned: dict[str, list[Node]] = {}
    unowned: list[Node] = []
    for node in plan.nodes():
        owners = owners_of(node)
        for owner in owners:
            owned.setdefault(owner, []).append(node)
        if not owners:
            unowned.append(node)
    blocks = ["## By owner"]
    if not owned:
        blocks.append("No node names an owner.")
    goal_refs = {goal.id: node_ref(goal) for goal in plan.nodes(Kind.GOAL)}
    groups = [(f"Owner: {md_inline(o)}", owned[o]) for o in sorted(owned, key=_owner_key)]
    if unowned:
        groups.append(("Without an owner", unowned))
    for heading, nodes in groups:
        goals = {goal for node in nodes for goal in facts.served[node.id]}
        serves = [goal_refs[goal] for goal in facts.in_plan_order(goals)]
        summary = f"{len(nodes)} owned; serves {'; '.join(serves)}." if serves else ""
        rows = [
            [
                node_ref(node) + _co_owners(node, heading),
                node.kind.label,
                _standing(node),
                "; ".join(md_code(goal) for goal in facts.served[node.id]) or "**no goal**",
            ]
            for node in nodes
        ]
        blocks.append(f"### {heading}")
        if summary:
            blocks.append(summary)
        else:
            blocks.append(f"{len(nodes)} owned; serves no goal.")
        blocks.append(table(["Node", "Kind", "Status", "Serves goals"], rows))
    return blocks


def _co_owners(node: Node, heading: str) -> str:
    owners = [md_inline(owner) for owner in owners_of(node)]
    others = [owner for owner in owners if heading != f"Owner: {owner}"]
    return f" · co-owned with {', '.join(others)}" if len(owners) > 1 else ""


def _owner_key(owner: str) -> tuple[str, str]:
    return (owner.casefold(), owner)
