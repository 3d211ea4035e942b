"""Drafting actions: the quick-add line, add a sibling, a link's numbers, check-in history.

Every edit is one change saved through the session (undoable), like the other edit actions.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from alignment.core import edits
from alignment.core.changes import AddNode, Batch, Change, LinkNodes, RecordCheckIn, UnlinkNodes
from alignment.core.model import Kind, Link, Node, PlanError
from alignment.core.plan import link_direction_error
from alignment.formats.quick_add import parse_line
from alignment.tui.editing import CHILD_KIND, EditActions
from alignment.tui.modals.drafting import HistoryModal, LinkNumbersModal, QuickAddModal
from alignment.tui.modals.pickers import ChoiceModal
from alignment.tui.modals.prompts import CheckInModal

if TYPE_CHECKING:
    from textual.widget import AwaitMount

__all__ = ["DraftingActions", "relink_change", "remove_checkin_change"]

_LEVEL = re.compile(r"\s*([+]+|-+)\s+")  # "+ " under the line before, "- " one level up


def relink_change(old: Link, new: Link) -> Batch:
    """``old`` replaced by ``new`` (the same two nodes, new numbers), in its place among the
    child's supports: one change, undone as one."""
    new = replace(new, rank=old.rank)
    return Batch((UnlinkNodes(old), LinkNodes(new)), f"link numbers {new.child} -> {new.parent}")


def remove_checkin_change(node: Node, at: date) -> RecordCheckIn:
    """Remove ``node``'s check-in on ``at`` (the current value follows the latest one left)."""
    value = next((c.value for c in node.history if c.at == at), None)
    if value is None:
        raise PlanError(f"{node.id} has no check-in on {at.isoformat()}", node=node.id)
    # Removing the last one left: current goes back to what it was unless it came from it.
    was_current = None if node.current == value else node.current
    return RecordCheckIn(node.id, at, None, value, was_current)


class DraftingActions(EditActions):
    _quick: QuickAddModal | None = None

    # -- the quick-add line ---------------------------------------------------------------------

    async def action_quick_add(self) -> None:
        node_id = self.view_screen().selected_node()
        plan = self.plan
        parent = plan.node(node_id) if node_id and node_id in plan else None
        self._quick_parents = [parent.id] if parent else []
        self._quick_kind = (
            CHILD_KIND[parent.kind] if parent else Kind.INITIATIVE if len(plan) else Kind.GOAL
        )
        self._quick_path: list[Node] = []  # the last line's node and the lines above it
        self._quick_pending: dict[str, Node] = {}  # added, not saved yet
        where = f"under {parent.title}" if parent else "with no parent"
        heading = f"Quick add · {self._quick_kind} unless said · {where}"
        if self._quick is None:
            self._quick = QuickAddModal(self._quick_line, self._known_ids)
        self._quick.prepare(heading)
        await self.push_screen(self._quick)

    def _known_ids(self) -> list[str]:
        return [n.id for n in self.plan.nodes()] + list(self._quick_pending)

    def _node_of(self, node_id: str) -> Node | None:
        if node_id in self.plan:
            return self.plan.node(node_id)
        return self._quick_pending.get(node_id)

    def _quick_line(self, text: str) -> str | None:
        """Add the node one line describes; None when added, else the reason (nothing saved).

        A line goes next to the line before (same parent); ``+`` puts it under the line
        before, ``-`` one level up (``--`` two): an outline typed one line at a time. The
        first line goes under the selection. ``under IDS`` adds parents (or, at the
        selection's level, replaces the selection).
        """
        if self.refuses_writes():
            return "read-only"
        found = _LEVEL.match(text)
        sign = found.group(1) if found else ""
        path = self._quick_path
        if sign.startswith("+") and (len(sign) > 1 or not path):
            return "+ puts a line under the line before: one + at a time, after a first line"
        up = len(sign) if sign.startswith("-") else 0
        depth = len(path) - 1 + (1 if sign == "+" else -up)  # where the new node goes
        if path and depth < 0 or not path and up:
            return f"{sign}: there is no level {'up' if up else 'there'} (the first line's level is the top)"
        nest = path[depth - 1] if depth >= 1 else None  # the node it goes under
        base_kind = CHILD_KIND[nest.kind] if nest is not None else self._quick_kind
        try:
            line = parse_line(text[found.end() :] if found else text, base_kind)
            if nest is None:
                parents = list(line.parents) or (
                    [] if line.kind is Kind.GOAL else list(self._quick_parents)
                )
            else:
                parents = [nest.id, *(p for p in line.parents if p != nest.id)]
            node_id = edits.unique_id(self.plan, line.title)
            base, number = node_id, 2
            while node_id in self._quick_pending:
                node_id, number = f"{base[:60]}-{number}", number + 1
            node = line.node(node_id)
            change = self._quick_change(node, parents)
        except PlanError as error:
            return str(error)
        self._quick_pending[node.id] = node
        self._quick_path = [*path[: max(depth, 0)], node]

        def saved(_: Change) -> None:
            self._quick_pending.pop(node.id, None)

        self.apply_change(change, saved)
        if self._quick is not None:
            shown = f"{node.kind} {node.title} ({node.id})"
            if parents:
                shown += f" under {', '.join(parents)}"
            if line.inferred:
                shown += f" · {line.inferred}"
            self._quick.added(shown)
        return None

    def _quick_change(self, node: Node, parents: list[str]) -> AddNode:
        """The add, checked on the plan and on the lines added before it, not saved yet."""
        if all(p in self.plan for p in parents):
            return self.plan.add_change(node, parents)
        for parent_id in parents:
            parent = self._node_of(parent_id)
            if parent is None:
                raise PlanError(f"under: no node {parent_id!r} in the plan", field="supports")
            if reason := link_direction_error(node, parent):
                raise PlanError(reason, field="supports")
        return AddNode(node, tuple(Link(node.id, p) for p in parents))

    # -- add a sibling --------------------------------------------------------------------------

    async def action_add_sibling(self) -> None:
        """A node of the selection's kind under the selection's first parent."""
        node = self.selected()
        if node is None:
            return
        parents = [link.parent for link in self.plan.parents(node.id)][:1]
        await self._open_add(node.kind, parents)

    # -- a link's numbers -----------------------------------------------------------------------

    def action_link_numbers(self) -> None:
        node = self.selected()
        if node is None:
            return
        links = self.plan.parents(node.id)
        if not links:
            self.notify(f"{node.title!r} supports nothing yet (l links it)", severity="warning")
            return
        if len(links) == 1:
            self._edit_link(links[0])
            return
        choices = [(link.parent, self._choice_label(link.parent)) for link in links]

        def chosen(parent: str | None) -> None:
            if parent is not None and (link := self.plan.link_between(node.id, parent)):
                self._edit_link(link)

        self.push_screen(ChoiceModal(f"Numbers of {node.title!r} supporting…", choices), chosen)

    def _edit_link(self, link: Link) -> AwaitMount:
        child, parent = self.plan.node(link.child), self.plan.node(link.parent)

        def numbered(new: Link | None) -> None:
            if new is None or (new.effect, new.confidence, new.actual) == (
                link.effect,
                link.confidence,
                link.actual,
            ):
                return
            if change := self._built(lambda: self._checked_relink(link, new)):
                self.apply_change(change, lambda _: self.notify(f"Saved: {change.describe()}"))

        return self.push_screen(LinkNumbersModal(child, parent, link), numbered)

    def _checked_relink(self, old: Link, new: Link) -> Batch:
        if self.plan.link_between(old.child, old.parent) != old:
            raise PlanError(f"{old.child} -> {old.parent} changed since it was read")
        if reason := link_direction_error(
            self.plan.node(new.child), self.plan.node(new.parent), new.actual
        ):
            raise PlanError(reason)
        return relink_change(old, new)

    # -- check-in history -----------------------------------------------------------------------

    async def action_history(self) -> None:
        node = self.selected(Kind.INDICATOR)
        if node is None:
            return
        node_id = node.id

        def shown() -> None:
            if node_id in self.plan and isinstance(self.screen, HistoryModal):
                self.screen.show(self.plan.node(node_id))

        def delete(at: date) -> None:
            change = self._built(lambda: remove_checkin_change(self.plan.node(node_id), at))
            if change is not None:
                self.apply_change(change, lambda _: shown())

        def edit(at: date) -> None:
            before = self.plan.node(node_id)
            value = next(c.value for c in before.history if c.at == at)

            def corrected(result: tuple[date, float] | None) -> None:
                if result is None or result == (at, value):
                    return
                new_at, new_value = result

                def build() -> Change:
                    fresh = self.plan.node(node_id)
                    if new_at == at:
                        return RecordCheckIn.of(fresh, at, new_value)
                    removed = remove_checkin_change(fresh, at)
                    moved = RecordCheckIn.of(removed.applied_to(fresh), new_at, new_value)
                    return Batch((removed, moved), f"move check-in {node_id} to {new_at}")

                if (change := self._built(build)) is not None:
                    self.apply_change(change, lambda _: shown())

            self.push_screen(CheckInModal(before, at, value), corrected)

        await self.push_screen(HistoryModal(node, edit, delete))
