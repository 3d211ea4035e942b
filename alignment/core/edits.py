"""Build edits as Change values without touching the plan (the store session applies them).

Each function checks what it can up front and raises PlanError with a reason a person
understands, so a form or a picker can refuse a value before anything is written.

>>> from alignment.core.model import Node, Kind
>>> plan = Plan("Demo")
>>> _ = plan.add(Node("grow", Kind.GOAL, "Grow"))
>>> add_change(plan, Node("ship", Kind.INITIATIVE, "Ship it"), ["grow"]).describe()
'add initiative ship'
>>> would_orphan(plan, "grow")
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from alignment.core.analysis import alignment_of
from alignment.core.changes import AddNode, LinkNodes, RemoveNode, UnlinkNodes, UpdateNode
from alignment.core.model import CheckIn, Kind, Link, Node, Number, PlanError, Status
from alignment.core.plan import Plan

__all__ = [
    "add_change",
    "checkin_change",
    "link_change",
    "remove_change",
    "slugify",
    "status_change",
    "unique_id",
    "unlink_change",
    "update_change",
    "would_orphan",
]


def add_change(plan: Plan, node: Node, parents: Iterable[str] = ()) -> AddNode:
    """Add ``node`` supporting ``parents``; refused when the id is taken or a link is invalid."""
    if node.id in plan:
        raise PlanError(f"id {node.id!r} is already used by {plan.node(node.id).title!r}")
    links = tuple(Link(node.id, parent) for parent in parents)
    for link in links:
        parent = plan.node(link.parent)
        if parent.kind.rank > node.kind.rank:
            raise PlanError(
                f"a {node.kind} cannot support a {parent.kind}: links run upward "
                "(goal > strategy > indicator > initiative)"
            )
    return AddNode(node, links)


def update_change(plan: Plan, node: Node) -> UpdateNode:
    before = plan.node(node.id)
    if before.kind is not node.kind:
        raise PlanError("an edit cannot change a node's kind")
    return UpdateNode(before, node)


def status_change(plan: Plan, node_id: str, status: Status | str) -> UpdateNode:
    node = plan.node(node_id)
    if node.kind is not Kind.INITIATIVE:
        raise PlanError(
            f"{node_id} is {node.kind.article} {node.kind}; only initiatives have a status"
        )
    return UpdateNode(node, node.evolve(status=Status(status)))


def checkin_change(plan: Plan, node_id: str, at: date, value: Number) -> UpdateNode:
    """Record (or correct) a check-in; the latest check-in becomes the current value."""
    node = plan.node(node_id)
    if node.kind is not Kind.INDICATOR:
        raise PlanError(
            f"{node_id} is {node.kind.article} {node.kind}; only indicators take check-ins"
        )
    checkin = CheckIn(at, value)
    history = tuple(c for c in node.history if c.at != at) + (checkin,)
    current = checkin.value if max(history).at == at else node.current
    return UpdateNode(node, node.evolve(history=history, current=current))


def link_change(plan: Plan, child: str, parent: str) -> LinkNodes:
    """Link ``child`` to ``parent``; refused (with the reason) when invalid or a cycle."""
    link = Link(child, parent)
    plan.check_link(link)
    return LinkNodes(link)


def unlink_change(plan: Plan, child: str, parent: str) -> UnlinkNodes:
    link = plan.link_between(child, parent)
    if link is None:
        raise PlanError(f"{child} does not support {parent}")
    return UnlinkNodes(link)


def remove_change(plan: Plan, node_id: str) -> RemoveNode:
    node = plan.node(node_id)
    links = tuple(plan.parents(node_id)) + tuple(plan.children(node_id))
    return RemoveNode(node, links, plan.position(node_id))


def would_orphan(plan: Plan, node_id: str) -> list[str]:
    """Ids of nodes that reach a goal now and would not once ``node_id`` is deleted."""
    before = alignment_of(plan).aligned
    graph = plan.graph
    goals = [n for n, node in graph.nodes(data="node") if node.kind is Kind.GOAL and n != node_id]
    seen = set(goals)
    queue = list(goals)
    while queue:
        for child in graph.pred[queue.pop()]:
            if child != node_id and child not in seen:
                seen.add(child)
                queue.append(child)
    lost = before - seen - {node_id}
    return [node.id for node in plan.nodes() if node.id in lost]


def slugify(title: str) -> str:
    """An id from a title: ``Reduce CAC by 20%`` -> ``reduce-cac-by-20``."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:64].rstrip("-") or "node"


def unique_id(plan: Plan, title: str) -> str:
    base = slugify(title)
    candidate, number = base, 2
    while candidate in plan:
        suffix = f"-{number}"
        candidate = base[: 64 - len(suffix)] + suffix
        number += 1
    return candidate
