"""Figures rolled up over the whole plan at once: the goals each node serves, trend sparklines.

Pure functions over a Plan (no I/O), linear in the size of the plan so reports stay fast.

>>> from alignment.core.model import Kind, Node
>>> plan = Plan("Demo")
>>> _ = plan.add(Node(id="grow", kind=Kind.GOAL, title="Grow"))
>>> _ = plan.add(Node(id="keep", kind=Kind.GOAL, title="Keep"))
>>> _ = plan.add(Node(id="ship", kind=Kind.INITIATIVE, title="Ship it"), supports=["keep", "grow"])
>>> goals_served(plan)["ship"]
('grow', 'keep')
>>> sparkline([52, 51, 49.5, 48.5])
'█▆▃▁'
"""

from __future__ import annotations

from collections.abc import Sequence

from alignment.core.model import Kind, Number, Status
from alignment.core.plan import Plan
from alignment.core.references import implied_links
from alignment.core.walk import post_order

__all__ = ["SPARK_BLOCKS", "goals_served", "sparkline"]

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


def goals_served(plan: Plan) -> dict[str, tuple[str, ...]]:
    """For every node, the goals it serves (a goal serves itself), in plan order.

    Links count as analysis counts them: those a formula or a measure implies too, and none
    through a dropped initiative (it may serve goals itself, but passes nothing on).

    One pass from the goals down in topological order, with a bit per goal, so it costs
    about as much as one walk of the graph however many goals a node reaches.
    """
    goals = [node.id for node in plan.nodes(Kind.GOAL)]
    bit = {goal: 1 << index for index, goal in enumerate(goals)}
    implied: dict[str, list[str]] = {}
    for link in implied_links(plan):
        implied.setdefault(link.child, []).append(link.parent)
    dropped = {n.id for n in plan.nodes(Kind.INITIATIVE) if n.status is Status.DROPPED}
    up = plan.up
    masks: dict[str, int] = {}
    # Parents before children: the reversed topological order, or (with implied links, which
    # the graph does not hold) a walk that finishes every parent first.
    order = reversed(plan.in_topological_order()) if not implied else _parents_first(plan, implied)
    for node_id in order:
        mask = bit.get(node_id, 0)
        for parent in up[node_id]:
            if parent not in dropped:
                mask |= masks[parent]
        for parent in implied.get(node_id, ()):
            mask |= masks[parent]
        masks[node_id] = mask
    decoded: dict[int, tuple[str, ...]] = {}
    result: dict[str, tuple[str, ...]] = {}
    for node_id, mask in masks.items():
        if mask not in decoded:
            decoded[mask] = tuple(goal for goal in goals if mask & bit[goal])
        result[node_id] = decoded[mask]
    return result


def _parents_first(plan: Plan, implied: dict[str, list[str]]) -> list[str]:
    """Every id after all it supports, listed or implied (the plan keeps them acyclic)."""
    up = plan.up
    return post_order(up, lambda node_id: [*up[node_id], *implied.get(node_id, ())])


def sparkline(values: Sequence[Number], width: int | None = None) -> str:
    """One block character per value (the last ``width`` values), scaled between the lowest and
    the highest of them. The one sparkline of the Markdown map and the TUI.

    >>> sparkline([1, 2, 3, 4, 5, 6, 7, 8])
    '▁▂▃▄▅▆▇█'
    >>> sparkline([5, 5])
    '▄▄'
    >>> sparkline([])
    ''
    >>> sparkline([9, 1, 2, 3, 4], width=4)
    '▁▃▆█'
    """
    if width is not None:
        values = list(values)[-width:]
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARK_BLOCKS[3] * len(values)
    top = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[round((value - low) / (high - low) * top)] for value in values)
