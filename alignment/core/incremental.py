"""What one change leaves as it was: alignment grown from the change when it only adds, the
numbers kept when it cannot move them.

An edit in the TUI must be on screen in well under 100 ms at 10k nodes, and computing
alignment from scratch takes ~22 ms of that. Most drafting edits only add (a node, a link):
what reaches a goal can then only grow, from the new links outwards, and the walk stops at
what was already known. Anything else (a removal, an unlink, a status or formula change) is
computed again in full. ``alignment_after`` gives the same value as ``alignment_of`` on the
changed plan (a property test checks it on random plans and changes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from alignment.core.analysis import Alignment, EffectiveLinks, alignment_of, effective_links
from alignment.core.changes import (
    AddNode,
    Batch,
    Change,
    EditPlan,
    LinkNodes,
    RecordCheckIn,
    RemoveNode,
    UnlinkNodes,
    UpdateNode,
)
from alignment.core.model import Kind
from alignment.core.plan import Plan

__all__ = ["alignment_after", "keeps_alignment", "keeps_numbers"]


def keeps_alignment(change: Change) -> bool:
    """Can ``change`` leave what reaches a goal as it was? Alignment follows links, kinds and
    which initiatives are live; an edit of a node's fields (a check-in, a title, a status
    between candidate and done) keeps all three. A formula or a measure is a link too (it
    implies one): editing either moves alignment."""
    if isinstance(change, RecordCheckIn | EditPlan):
        return True
    if isinstance(change, Batch):
        return all(keeps_alignment(part) for part in change.changes)
    if not isinstance(change, UpdateNode):
        return False
    before, after = change.before, change.after
    return (
        before.is_live == after.is_live
        and before.formula == after.formula
        and before.measure == after.measure
    )


def keeps_numbers(change: Change) -> bool:
    """Can ``change`` leave the numbers as meant (``metric_values``) as they were? They are
    computed from the fields of indicators and strategies only, never from links."""
    match change:
        case AddNode(node=node) | RemoveNode(node=node) | UpdateNode(after=node):
            return node.kind in (Kind.GOAL, Kind.INITIATIVE)
        case LinkNodes() | UnlinkNodes() | EditPlan():
            return True
        case Batch(changes=parts):
            return all(keeps_numbers(part) for part in parts)
    return False


def alignment_after(plan: Plan, before: Alignment, change: Change) -> Alignment:
    """The alignment of ``plan``, which ``change`` has just been applied to; ``before`` is
    the alignment of the plan as it was."""
    if keeps_alignment(change) and before.links is not None:
        return before
    added = _additions(change)
    if added is None:
        return alignment_of(plan)
    new_nodes, edges = added
    links = effective_links(plan)
    for node_id in new_nodes:  # its links as they count: listed, and implied by formulas
        edges.extend((node_id, parent) for parent in links.parents(node_id))
        edges.extend((child, node_id) for child in links.children(node_id))
    blocked = links.dropped

    def passes(node_id: str, known: frozenset[str]) -> bool:
        return node_id in known and node_id not in blocked

    # Aligned: reached down from the goals. New goals, and the children of new links whose
    # parent is aligned, start a walk down that stops at what was aligned already.
    seeds = [n for n in new_nodes if plan.node(n).kind is Kind.GOAL]
    seeds += [child for child, parent in edges if passes(parent, before.aligned)]
    grown = _grow(links, seeds, upward=False, known=before.aligned.__contains__)
    aligned = before.aligned | grown

    # Measured: reached down from the aligned indicators (newly aligned ones start too).
    seeds = [n for n in grown if plan.node(n).kind is Kind.INDICATOR]
    seeds += [child for child, parent in edges if passes(parent, before.measured)]
    measured = before.measured | _grow(
        links, seeds, upward=False, known=before.measured.__contains__
    )

    # Moved: reached up from live initiatives (themselves and dropped work not counted).
    def live_initiative(node_id: str) -> bool:
        node = plan.node(node_id)
        return node.kind is Kind.INITIATIVE and node.is_live

    def moves_up(node_id: str) -> bool:
        return node_id in before.moved or live_initiative(node_id)

    seeds = [parent for child, parent in edges if moves_up(child) and child not in blocked]
    reached = _grow(links, seeds, upward=True, known=moves_up)
    moved = before.moved | {n for n in reached if n not in blocked and not live_initiative(n)}
    return Alignment(frozenset(aligned), frozenset(measured), frozenset(moved), links)


def _additions(change: Change) -> tuple[list[str], list[tuple[str, str]]] | None:
    """(new node ids, new listed links as (child, parent)) when ``change`` only adds; else
    None. Adding never removes a path: an implied link a new listed one repeats counts the
    same, and a new node cannot make a dropped one live."""
    if isinstance(change, AddNode):
        return [change.node.id], [link.key for link in change.links]
    if isinstance(change, LinkNodes):
        return [], [change.link.key]
    if isinstance(change, Batch):
        nodes: list[str] = []
        edges: list[tuple[str, str]] = []
        for part in change.changes:
            added = _additions(part)
            if added is None:
                return None
            nodes += added[0]
            edges += added[1]
        return nodes, edges
    return None


def _grow(
    links: EffectiveLinks, seeds: Iterable[str], upward: bool, known: Callable[[str], bool]
) -> set[str]:
    """What a walk from ``seeds`` reaches (seeds included) without entering nodes ``known``
    already to be reached (what lies beyond them is reached too); dropped work is reached
    but passes nothing on, as in ``EffectiveLinks.reach``."""
    adjacency, extra = (
        (links.succ, links.implied_succ) if upward else (links.pred, links.implied_pred)
    )
    blocked = links.dropped
    found = {seed for seed in seeds if not known(seed)}
    stack = list(found)
    while stack:
        node_id = stack.pop()
        if node_id in blocked:
            continue
        for nxt in (*adjacency[node_id], *extra.get(node_id, ())):
            if nxt not in found and not known(nxt):
                found.add(nxt)
                stack.append(nxt)
    return found
