"""Edits as small values: the TUI and CLI build them, Plan and Store apply them, undo inverts them."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Protocol

from alignment.core.errors import PlanError, bounded
from alignment.core.model import CheckIn, Kind, Link, Node, Number

__all__ = [
    "AddNode",
    "Batch",
    "EditPlan",
    "Change",
    "LinkNodes",
    "NodeSource",
    "RecordCheckIn",
    "RemoveNode",
    "UnlinkNodes",
    "UpdateNode",
    "changed_fields",
    "overlaps",
    "rebase",
    "touches",
]


@dataclass(frozen=True, slots=True)
class AddNode:
    """Add ``node`` with ``links`` touching it (as child or parent) at ``position`` (None: last)."""

    node: Node
    links: tuple[Link, ...] = ()
    position: float | None = None

    def inverse(self) -> RemoveNode:
        return RemoveNode(self.node, self.links, self.position)

    def describe(self) -> str:
        return f"add {self.node.kind} {self.node.id}"


@dataclass(frozen=True, slots=True)
class RemoveNode:
    """Remove ``node`` and every link touching it; carries what undo needs to put them back."""

    node: Node
    links: tuple[Link, ...] = ()
    position: float | None = None

    def inverse(self) -> AddNode:
        return AddNode(self.node, self.links, self.position)

    def describe(self) -> str:
        return f"delete {self.node.kind} {self.node.id}"


@dataclass(frozen=True, slots=True)
class UpdateNode:
    """Replace ``before`` by ``after`` (same id and kind). Refused when the node is not ``before``."""

    before: Node
    after: Node

    def inverse(self) -> UpdateNode:
        return UpdateNode(self.after, self.before)

    def describe(self) -> str:
        changed = changed_fields(self.before, self.after)
        return f"edit {self.after.id} ({', '.join(changed) or 'no change'})"


@dataclass(frozen=True, slots=True)
class LinkNodes:
    link: Link

    def inverse(self) -> UnlinkNodes:
        return UnlinkNodes(self.link)

    def describe(self) -> str:
        return f"link {self.link.child} -> {self.link.parent}"


@dataclass(frozen=True, slots=True)
class UnlinkNodes:
    link: Link

    def inverse(self) -> LinkNodes:
        return LinkNodes(self.link)

    def describe(self) -> str:
        return f"unlink {self.link.child} -> {self.link.parent}"


@dataclass(frozen=True, slots=True)
class EditPlan:
    """Rename the plan or change its description: (name, description) before and after."""

    before: tuple[str, str | None]
    after: tuple[str, str | None]

    def inverse(self) -> EditPlan:
        return EditPlan(self.after, self.before)

    def describe(self) -> str:
        if self.before[0] != self.after[0]:
            return f"rename plan to {self.after[0]!r}"
        return "edit plan description"


def _number_text(value: Number) -> str:
    return str(value) if isinstance(value, int) else f"{value:.15g}"


@dataclass(frozen=True, slots=True)
class RecordCheckIn:
    """Record ``value`` for indicator ``node`` on ``at``; a ``value`` of None removes the check-in.

    Check-ins on different dates are independent facts, so this change depends on one thing
    only: the value on ``at`` is still ``previous`` (None: there was none). The latest check-in
    is the indicator's current value: recording on the latest date moves ``current``; removing
    the latest puts back the value of the latest one left, or ``was_current`` (the current value
    before the first check-in) when none is left.
    """

    node: str
    at: date
    value: Number | None
    previous: Number | None = None
    was_current: Number | None = None

    @classmethod
    def of(cls, node: Node, at: date, value: Number) -> RecordCheckIn:
        """Record ``value`` on ``at`` for ``node`` as it is (replacing a value on that date)."""
        checkin = CheckIn(at, value)  # validates the date and the number
        return cls(node.id, at, checkin.value, _value_on(node, at), node.current)

    def applied_to(self, node: Node) -> Node:
        """``node`` with this check-in recorded; PlanError when the date no longer holds
        ``previous`` (someone else recorded or removed a value there meanwhile)."""
        if node.kind is not Kind.INDICATOR:
            raise PlanError(
                f"{node.id} is {node.kind.article} {node.kind}; only indicators take check-ins",
                node=node.id,
            )
        found = _value_on(node, self.at)
        if found != self.previous:
            day = self.at.isoformat()
            meanwhile = (
                f"the check-in on {day} was removed meanwhile"
                if found is None
                else f"{_number_text(found)} was recorded on {day} meanwhile"
            )
            raise PlanError(
                f"{node.id} changed since it was read: {meanwhile}", node=node.id, field="history"
            )
        history = tuple(c for c in node.history if c.at != self.at)
        if self.value is not None:
            history = (*history, CheckIn(self.at, self.value))
        history = tuple(sorted(history))
        current = self.current_after(node.current, history[-1] if history else None)
        return node.evolve(history=history, current=current)

    def current_after(self, current: Number | None, latest: CheckIn | None) -> Number | None:
        """The indicator's current value once this change is made, from the value before and
        the latest check-in after: one rule for the plan in memory and for the store."""
        if self.value is not None:
            return self.value if latest is not None and latest.at == self.at else current
        if latest is None:
            return self.was_current
        return latest.value if latest.at < self.at else current  # the latest was removed

    def inverse(self) -> RecordCheckIn:
        return RecordCheckIn(self.node, self.at, self.previous, self.value, self.was_current)

    def describe(self) -> str:
        day = self.at.isoformat()
        if self.value is None:
            removed = "" if self.previous is None else f" ({_number_text(self.previous)})"
            return f"remove check-in {self.node} on {day}{removed}"
        replaced = "" if self.previous is None else f" (replaces {_number_text(self.previous)})"
        return f"check-in {self.node}: {_number_text(self.value)} on {day}{replaced}"


def _value_on(node: Node, at: date) -> Number | None:
    return next((c.value for c in node.history if c.at == at), None)


@dataclass(frozen=True, slots=True)
class Batch:
    """Several changes made as one (e.g. a CSV of check-ins): applied, saved and undone together."""

    changes: tuple[Change, ...]
    label: str

    def inverse(self) -> Batch:
        return Batch(tuple(change.inverse() for change in reversed(self.changes)), self.label)

    def describe(self) -> str:
        return self.label


Change = (
    AddNode | RemoveNode | UpdateNode | RecordCheckIn | LinkNodes | UnlinkNodes | EditPlan | Batch
)


class NodeSource(Protocol):
    """Where ``rebase`` looks nodes up: a Plan, or a plan with some edits laid over it."""

    def node(self, node_id: str) -> Node: ...


def rebase(change: Change, plan: NodeSource) -> Change:
    """``change`` made again on ``plan`` as it is now, for a write that found the plan moved on.

    An edit keeps only what it changed (fields it did not touch take their fresh values) and a
    check-in is recomputed on the fresh history. PlanError, saying what, when someone else
    changed the very thing it changes: the same field of the same node, or a check-in on the
    same date. Other changes come back as they are; the plan checks them when they are applied.
    """
    match change:
        case UpdateNode(before, after):
            fresh = plan.node(before.id)
            if fresh == before:
                return change
            changed = changed_fields(before, after)
            for name in changed:
                now = getattr(fresh, name)
                if now != getattr(before, name) and now != getattr(after, name):
                    what = (
                        "check-ins changed"
                        if name == "history"
                        else f"{name} is now {bounded(now)}"
                    )
                    raise PlanError(
                        f"{before.id} changed since it was read: its {what}",
                        node=before.id,
                        field=name,
                    )
            return UpdateNode(
                fresh, fresh.evolve(**{name: getattr(after, name) for name in changed})
            )
        case RecordCheckIn():
            fresh = plan.node(change.node)
            change.applied_to(fresh)  # refused when the same date changed meanwhile
            if change.value is None or change.previous is not None:
                return change
            return replace(change, was_current=fresh.current)
        case Batch(changes, label):
            overlay = _Overlay(plan)
            parts = []
            for part in changes:
                part = rebase(part, overlay)
                overlay.record(part)
                parts.append(part)
            return Batch(tuple(parts), label)
    return change


class _Overlay:
    """A plan seen with the node edits of a batch's earlier parts laid over it."""

    def __init__(self, plan: NodeSource) -> None:
        self.plan = plan
        self.nodes: dict[str, Node] = {}

    def node(self, node_id: str) -> Node:
        return self.nodes.get(node_id) or self.plan.node(node_id)

    def record(self, change: Change) -> None:
        match change:
            case UpdateNode(_before, after):
                self.nodes[after.id] = after
            case RecordCheckIn():
                self.nodes[change.node] = change.applied_to(self.node(change.node))


def changed_fields(before: Node, after: Node) -> list[str]:
    """Names of the fields that differ between two versions of a node, in declaration order."""
    return [
        spec.name
        for spec in fields(before)
        if getattr(before, spec.name) != getattr(after, spec.name)
    ]


# What a change touches, as (node id, aspect) pairs; "" stands for the plan itself.
Touch = tuple[str, object]
_WHOLE = "*"  # the node itself: added or removed
_FOLLOWS_CHECKINS = "current (follows check-ins)"  # a check-in may move current


def touches(change: Change) -> frozenset[Touch]:
    """What ``change`` depends on and alters: nodes, their fields, check-in dates and links."""
    match change:
        case AddNode(node, links, _) | RemoveNode(node, links, _):
            found: set[Touch] = {(node.id, _WHOLE)}
            for link in links:
                found |= _link_touches(link)
            return frozenset(found)
        case UpdateNode(before, after):
            found = set()
            for name in changed_fields(before, after):
                if name != "history":
                    found.add((after.id, name))
                    continue
                old = {c.at: c.value for c in before.history}
                new = {c.at: c.value for c in after.history}
                found |= {
                    (after.id, ("history", at)) for at in old | new if old.get(at) != new.get(at)
                }
            return frozenset(found)
        case RecordCheckIn():
            return frozenset(
                {(change.node, ("history", change.at)), (change.node, _FOLLOWS_CHECKINS)}
            )
        case LinkNodes(link) | UnlinkNodes(link):
            return frozenset(_link_touches(link))
        case EditPlan(before, after):
            named = ("name", "description")
            return frozenset(
                ("", n) for n, b, a in zip(named, before, after, strict=True) if b != a
            )
        case Batch(changes):
            return frozenset().union(*(touches(part) for part in changes))
    raise TypeError(f"not a change: {change!r}")


def _link_touches(link: Link) -> set[Touch]:
    return {(link.child, ("supports", link.parent)), (link.parent, ("supported by", link.child))}


def overlaps(first: frozenset[Touch], second: frozenset[Touch]) -> bool:
    """Whether two changes touch the same thing, so that one depends on the other.

    Check-ins on different dates do not overlap, nor do edits of different fields; adding or
    removing a node overlaps everything about it. Check-ins may all move ``current`` (it follows
    the latest): among themselves that is no overlap, but an edit of ``current`` by hand is.
    """
    aspects: dict[str, set[object]] = {}
    for node, aspect in first:
        aspects.setdefault(node, set()).add(aspect)
    for node, aspect in second:
        mine = aspects.get(node)
        if not mine:
            continue
        if aspect == _WHOLE or _WHOLE in mine:
            return True
        if aspect in mine and aspect != _FOLLOWS_CHECKINS:
            return True
        if aspect == "current" and _FOLLOWS_CHECKINS in mine:
            return True
        if aspect == _FOLLOWS_CHECKINS and "current" in mine:
            return True
    return False
