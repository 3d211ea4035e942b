"""Edits as small values: the TUI and CLI build them, Plan and Store apply them, undo inverts them."""

from __future__ import annotations

from dataclasses import dataclass

from alignment.core.model import Link, Node

__all__ = [
    "AddNode",
    "Batch",
    "EditPlan",
    "Change",
    "LinkNodes",
    "RemoveNode",
    "UnlinkNodes",
    "UpdateNode",
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
        changed = [
            name
            for name in self.before.__slots__
            if getattr(self.before, name) != getattr(self.after, name)
        ]
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


@dataclass(frozen=True, slots=True)
class Batch:
    """Several changes made as one (e.g. a CSV of check-ins): applied, saved and undone together."""

    changes: tuple[Change, ...]
    label: str

    def inverse(self) -> Batch:
        return Batch(tuple(change.inverse() for change in reversed(self.changes)), self.label)

    def describe(self) -> str:
        return self.label


Change = AddNode | RemoveNode | UpdateNode | LinkNodes | UnlinkNodes | EditPlan | Batch
