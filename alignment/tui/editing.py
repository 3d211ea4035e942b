"""Edit actions of the app: each opens a modal, builds one Change and hands it to apply_change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from alignment.core import edits
from alignment.core.changes import Change, LinkNodes, UpdateNode, changed_fields, rebase
from alignment.core.model import Kind, Link, Node, PlanError, Status
from alignment.formats.words import plural
from alignment.tui.modals.drafting import LinkNumbersModal
from alignment.tui.modals.form import FormResult, NodeFormModal
from alignment.tui.modals.pickers import ChoiceModal, LinkPickerModal, SearchModal
from alignment.tui.modals.prompts import CheckInModal, ConfirmModal
from alignment.tui.state import PlanApp, Write
from alignment.tui.widgets.charts import KIND_ICONS

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from alignment.store import PlanSession

__all__ = ["EditActions"]

# What a new node under a selection of this kind most likely is.
CHILD_KIND = {
    Kind.GOAL: Kind.STRATEGY,
    Kind.STRATEGY: Kind.INDICATOR,
    Kind.INDICATOR: Kind.INITIATIVE,
    Kind.INITIATIVE: Kind.INITIATIVE,
}


class EditActions(PlanApp):
    """The edit actions of AlignmentApp: each opens a modal and saves through apply_change."""

    _form: NodeFormModal | None = None  # the node form, kept between uses

    def selected(self, *kinds: Kind) -> Node | None:
        node_id = self.view_screen().selected_node()
        if node_id is None or node_id not in self.plan:
            self.notify("Select a node first", severity="warning")
            return None
        node = self.plan.node(node_id)
        if kinds and node.kind not in kinds:
            names = " or ".join(
                f"an {k}" if k is Kind.INDICATOR or k is Kind.INITIATIVE else f"a {k}"
                for k in kinds
            )
            self.notify(f"{node.title!r} is a {node.kind}; select {names}", severity="warning")
            return None
        return node

    def _node_form(
        self,
        kind: Kind,
        node: Node | None = None,
        parents: list[str] | tuple[str, ...] = (),
        draft: Node | None = None,
    ) -> NodeFormModal:
        """The one node form, loaded for this add or edit (made and installed on first use);
        ``draft``: the values to show instead of ``node``'s (an edit given back)."""
        form = self._form
        if form is None:
            form = self._form = NodeFormModal(self.plan, kind, node, parents, self._owners())
            self.install_screen(form, "node-form")
        form.prepare(self.plan, kind, node, parents, self._owners(), draft)
        return form

    def _built(self, build: Callable[[], Change]) -> Change | None:
        """The change ``build`` makes on the plan as it is now, or None (the user is told why):
        another process may have changed the plan while a form or picker was open."""
        try:
            return build()
        except PlanError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=8)
            return None

    def _owners(self) -> list[str]:
        return sorted({n.owner for n in self.plan.nodes() if n.owner})

    async def action_add(self) -> None:
        node_id = self.view_screen().selected_node()
        plan = self.plan
        parent = plan.node(node_id) if node_id and node_id in plan else None
        # Nothing selected: a goal on an empty plan, else an (unaligned) initiative to link later.
        kind = CHILD_KIND[parent.kind] if parent else Kind.INITIATIVE if len(plan) else Kind.GOAL
        parents = [parent.id] if parent else []

        # Awaited: keys typed right after `a` wait until the form is there to take them.
        await self._open_add(kind, parents)

    def _open_add(self, kind: Kind, parents: list[str], draft: Node | None = None) -> AwaitMount:
        def added(result: FormResult | None) -> None:
            if result is None:
                return

            def given_back(reason: str) -> None:  # the plan moved on: the form again, as typed
                kept = [p for p in result.parents if p in self.plan]
                self.call_later(self._open_add, result.node.kind, kept, result.node)

            change = self._built(lambda: self.plan.add_change(result.node, result.parents))
            if change is None:
                given_back("")
                return
            # No toast: the new node is on screen, selected, with its details.
            self.apply_change(change, lambda _: self.reveal(result.node.id), given_back)

        form = self._node_form(kind, parents=parents, draft=draft)
        form.add_another = added  # ctrl+n: saved, and the form stays for the next one
        return self.push_screen(form, added)

    async def action_edit(self) -> None:
        node = self.selected()
        if node is not None:
            await self._open_edit(node)

    def _open_edit(self, node: Node, draft: Node | None = None) -> AwaitMount:
        """Edit ``node`` (as read when the form opened); ``draft``: what the user had typed."""

        def saved(result: FormResult | None) -> None:
            if result is None or result.node == node:
                return
            typed = changed_fields(node, result.node)

            def given_back(reason: str) -> None:
                # Someone else changed the same field meanwhile: the form opens again on the
                # node as stored now, with what the user typed in the fields they changed.
                if node.id not in self.plan:
                    return
                fresh = self.plan.node(node.id)
                mine = fresh.evolve(**{name: getattr(result.node, name) for name in typed})
                self.call_later(self._open_edit, fresh, mine)

            # Based on the node as the form read it: a field the user did not touch keeps
            # whatever another process saved meanwhile (rebase); the same field is a conflict.
            change = self._built(lambda: rebase(UpdateNode(node, result.node), self.plan))
            if change is None:
                given_back("")
                return
            self.apply_change(change, conflict=given_back)

        return self.push_screen(self._node_form(node.kind, node=node, draft=draft), saved)

    def action_link(self) -> None:
        node = self.selected()
        if node is None:
            return

        def numbered(link: Link | None) -> None:
            if link is not None and (change := self._built(lambda: self._link(link))):
                title = self.plan.node(link.parent).title
                self.apply_change(
                    change, lambda _: self.notify(f"{node.title!r} now supports {title!r}")
                )

        def chosen(parent: str | None) -> None:
            # Then its numbers: expected effect and confidence (enter on empty: none).
            if parent is not None and parent in self.plan:
                self.push_screen(LinkNumbersModal(node, self.plan.node(parent)), numbered)

        self.push_screen(LinkPickerModal(self.plan, node.id), chosen)

    def _link(self, link: Link) -> LinkNodes:
        self.plan.check_link(link)
        return LinkNodes(link)

    def action_unlink(self) -> None:
        node = self.selected()
        if node is None:
            return
        parents = self.plan.parents(node.id)
        if not parents:
            self.notify(f"{node.title!r} supports nothing yet", severity="warning")
            return
        choices = [(link.parent, self._choice_label(link.parent)) for link in parents]

        def chosen(parent: str | None) -> None:
            if parent is not None and (
                change := self._built(lambda: self.plan.unlink_change(node.id, parent))
            ):
                self.apply_change(change)

        modal = ChoiceModal(f"Stop {node.title!r} supporting…", choices)
        self.push_screen(modal, chosen)

    def _choice_label(self, node_id: str) -> str:
        node = self.plan.node(node_id)
        return f"{KIND_ICONS[node.kind]} {node.title}  ({node_id})"

    def action_delete(self) -> None:
        node = self.selected()
        if node is None:
            return
        orphans = edits.would_orphan(self.plan, node.id)
        body = f"Delete {node.kind} {node.title!r} and its {plural(self._link_count(node.id), 'link')}?"
        if orphans:
            listed = "\n".join(f"  • {self._choice_label(i)}" for i in orphans[:10])
            more = f"\n  … and {len(orphans) - 10} more" if len(orphans) > 10 else ""
            body += f"\n\nThese would no longer reach a goal:\n{listed}{more}"
        else:
            body += "\n\nNothing else would lose its path to a goal."
        body += "\n\nUndo (u) brings it back."

        def confirmed(yes: bool | None) -> None:
            if yes and (change := self._built(lambda: self.plan.remove_change(node.id))):
                self.apply_change(
                    change, lambda _: self.notify(f"Deleted {node.title!r} (u to undo)")
                )

        self.push_screen(ConfirmModal("Delete?", body, confirm="Delete"), confirmed)

    def _link_count(self, node_id: str) -> int:
        return len(self.plan.parents(node_id)) + len(self.plan.children(node_id))

    def action_status(self) -> None:
        node = self.selected(Kind.INITIATIVE)
        if node is None:
            return
        choices = [(str(s), s.value.capitalize()) for s in Status]

        def chosen(status: str | None) -> None:
            if status is not None and status != node.status:
                change = self._built(lambda: self.plan.status_change(node.id, status))
                if change is not None:
                    self.apply_change(change)

        modal = ChoiceModal(f"Status of {node.title!r}", choices, highlight=str(node.status))
        self.push_screen(modal, chosen)

    def action_drop(self) -> None:
        node = self.selected(Kind.INITIATIVE)
        if node is not None and node.status is not Status.DROPPED:
            change = self.plan.status_change(node.id, Status.DROPPED)
            self.apply_change(change, lambda _: self.notify(f"Dropped {node.title!r}"))

    def action_checkin(self) -> None:
        node = self.selected(Kind.INDICATOR)
        if node is None:
            return

        def recorded(result: tuple[date, float] | None) -> None:
            if result is not None:
                at, value = result
                change = self._built(lambda: self.plan.checkin_change(node.id, at, value))
                if change is not None:
                    said = f"Recorded {value} on {at.isoformat()} for {node.title!r}"
                    self.apply_change(change, lambda _: self.notify(said))

        self.push_screen(CheckInModal(node, self.today()), recorded)

    def action_undo(self) -> None:
        self._journal_step("undo")

    def action_redo(self) -> None:
        self._journal_step("redo")

    def _journal_step(self, which: str) -> None:
        def step(session: PlanSession) -> Change | None:
            return session.undo() if which == "undo" else session.redo()

        def done(change: Change | None) -> None:
            if change is None:
                self.notify(f"Nothing to {which}", severity="warning")
                return
            # Name the edit the user made, not the inverse that undid it.
            made = change.inverse() if which == "undo" else change
            self.notify(f"{'Undone' if which == 'undo' else 'Redone'}: {made.describe()}")

        self.write(Write(step, f"Cannot {which}", done))

    def action_search(self) -> None:
        def chosen(node_id: str | None) -> None:
            if node_id is not None:
                self.reveal(node_id)

        self.push_screen(SearchModal(self.plan), chosen)
