"""Helpers for editors: what a deletion would orphan, ids from titles.

(The changes themselves are built by ``Plan.*_change``, which check what they can up front.)

>>> from alignment.core.model import Node, Kind
>>> plan = Plan("Demo")
>>> _ = plan.add(Node(id="grow", kind=Kind.GOAL, title="Grow"))
>>> _ = plan.add(Node(id="ship", kind=Kind.INITIATIVE, title="Ship it"), ["grow"])
>>> would_orphan(plan, "grow")
['ship']
>>> unique_id(plan, "Grow!")
'grow-2'
"""

from __future__ import annotations

import re

from alignment.core.analysis import alignment_of
from alignment.core.model import Kind
from alignment.core.plan import Plan

__all__ = ["slugify", "unique_id", "would_orphan"]


def would_orphan(plan: Plan, node_id: str) -> list[str]:
    """Ids of nodes that reach a goal now and would not once ``node_id`` is deleted."""
    before = alignment_of(plan).aligned
    goals = [node.id for node in plan.nodes(Kind.GOAL) if node.id != node_id]
    seen = set(goals)
    queue = list(goals)
    while queue:
        for child in plan.down[queue.pop()]:
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
