"""Edit actions of the app: each opens a modal, builds one Change and hands it to apply_change."""

from __future__ import annotations

from time import perf_counter

from alignment.core import edits
from alignment.core.model import Kind, Node, Status
from alignment.tui.modals.form import FormResult, NodeFormModal
from alignment.tui.modals.pickers import ChoiceModal, LinkPickerModal, SearchModal
from alignment.tui.modals.prompts import CheckInModal, ConfirmModal
from alignment.tui.widgets.charts import KIND_ICONS

__all__ = ["EditActions"]

# What a new node under a selection of this kind most likely is.
CHILD_KIND = {
    Kind.GOAL: Kind.STRATEGY,
    Kind.STRATEGY: Kind.INDICATOR,
    Kind.INDICATOR: Kind.INITIATIVE,
    Kind.INITIATIVE: Kind.INITIATIVE,
}


class EditActions:
    """Mixed into AlignmentApp (which provides plan, apply_change, notify, push_screen...)."""

    def selected(self, *kinds: Kind) -> Node | None:
        node_id = self.view_screen().selected_node()  # type: ignore[attr-defined]
        if node_id is None or node_id not in self.plan:  # type: ignore[attr-defined]
            self.notify("Select a node first", severity="warning")  # type: ignore[attr-defined]
            return None
        node = self.plan.node(node_id)  # type: ignore[attr-defined]
        if kinds and node.kind not in kinds:
            names = " or ".join(
                f"an {k}" if k is Kind.INDICATOR or k is Kind.INITIATIVE else f"a {k}"
                for k in kinds
            )
            self.notify(f"{node.title!r} is a {node.kind}; select {names}", severity="warning")  # type: ignore[attr-defined]
            return None
        return node

    def _owners(self) -> list[str]:
        return sorted({n.owner for n in self.plan.nodes() if n.owner})  # type: ignore[attr-defined]

    def action_add(self) -> None:
        node_id = self.view_screen().selected_node()  # type: ignore[attr-defined]
        plan = self.plan  # type: ignore[attr-defined]
        parent = plan.node(node_id) if node_id and node_id in plan else None
        # Nothing selected: a goal on an empty plan, else an (unaligned) initiative to link later.
        kind = CHILD_KIND[parent.kind] if parent else Kind.INITIATIVE if len(plan) else Kind.GOAL
        parents = [parent.id] if parent else []

        def added(result: FormResult | None) -> None:
            if result is not None:
                change = self.plan.add_change(result.node, result.parents)  # type: ignore[attr-defined]
                if self.apply_change(change):  # type: ignore[attr-defined]
                    # No toast: the new node is on screen, selected, with its details.
                    self.reveal(result.node.id)  # type: ignore[attr-defined]

        modal = NodeFormModal(plan, kind, parents=parents, owners=self._owners())
        self.push_screen(modal, added)  # type: ignore[attr-defined]

    def action_edit(self) -> None:
        node = self.selected()
        if node is None:
            return

        def saved(result: FormResult | None) -> None:
            if result is not None and result.node != node:
                self.apply_change(self.plan.update_change(result.node))  # type: ignore[attr-defined]

        modal = NodeFormModal(self.plan, node.kind, node=node, owners=self._owners())  # type: ignore[attr-defined]
        self.push_screen(modal, saved)  # type: ignore[attr-defined]

    def action_link(self) -> None:
        node = self.selected()
        if node is None:
            return

        def chosen(parent: str | None) -> None:
            if parent is not None:
                change = self.plan.link_change(node.id, parent)  # type: ignore[attr-defined]
                if self.apply_change(change):  # type: ignore[attr-defined]
                    self.notify(f"{node.title!r} now supports {self.plan.node(parent).title!r}")  # type: ignore[attr-defined]

        self.push_screen(LinkPickerModal(self.plan, node.id), chosen)  # type: ignore[attr-defined]

    def action_unlink(self) -> None:
        node = self.selected()
        if node is None:
            return
        parents = self.plan.parents(node.id)  # type: ignore[attr-defined]
        if not parents:
            self.notify(f"{node.title!r} supports nothing yet", severity="warning")  # type: ignore[attr-defined]
            return
        choices = [(link.parent, self._choice_label(link.parent)) for link in parents]

        def chosen(parent: str | None) -> None:
            if parent is not None:
                self.apply_change(self.plan.unlink_change(node.id, parent))  # type: ignore[attr-defined]

        modal = ChoiceModal(f"Stop {node.title!r} supporting…", choices)
        self.push_screen(modal, chosen)  # type: ignore[attr-defined]

    def _choice_label(self, node_id: str) -> str:
        node = self.plan.node(node_id)  # type: ignore[attr-defined]
        return f"{KIND_ICONS[node.kind]} {node.title}  ({node_id})"

    def action_delete(self) -> None:
        node = self.selected()
        if node is None:
            return
        orphans = edits.would_orphan(self.plan, node.id)  # type: ignore[attr-defined]
        body = f"Delete {node.kind} {node.title!r} and its {self._link_count(node.id)} link(s)?"
        if orphans:
            listed = "\n".join(f"  • {self._choice_label(i)}" for i in orphans[:10])
            more = f"\n  … and {len(orphans) - 10} more" if len(orphans) > 10 else ""
            body += f"\n\nThese would no longer reach a goal:\n{listed}{more}"
        else:
            body += "\n\nNothing else would lose its path to a goal."
        body += "\n\nUndo (u) brings it back."

        def confirmed(yes: bool | None) -> None:
            if yes and self.apply_change(self.plan.remove_change(node.id)):  # type: ignore[attr-defined]
                self.notify(f"Deleted {node.title!r} (u to undo)")  # type: ignore[attr-defined]

        self.push_screen(ConfirmModal("Delete?", body, confirm="Delete"), confirmed)  # type: ignore[attr-defined]

    def _link_count(self, node_id: str) -> int:
        return len(self.plan.parents(node_id)) + len(self.plan.children(node_id))  # type: ignore[attr-defined]

    def action_status(self) -> None:
        node = self.selected(Kind.INITIATIVE)
        if node is None:
            return
        choices = [(str(s), s.value.capitalize()) for s in Status]

        def chosen(status: str | None) -> None:
            if status is not None and status != node.status:
                self.apply_change(self.plan.status_change(node.id, status))  # type: ignore[attr-defined]

        modal = ChoiceModal(f"Status of {node.title!r}", choices, highlight=str(node.status))
        self.push_screen(modal, chosen)  # type: ignore[attr-defined]

    def action_drop(self) -> None:
        node = self.selected(Kind.INITIATIVE)
        if node is not None and node.status is not Status.DROPPED:
            change = self.plan.status_change(node.id, Status.DROPPED)  # type: ignore[attr-defined]
            if self.apply_change(change):  # type: ignore[attr-defined]
                self.notify(f"Dropped {node.title!r}")  # type: ignore[attr-defined]

    def action_checkin(self) -> None:
        node = self.selected(Kind.INDICATOR)
        if node is None:
            return

        def recorded(result: tuple | None) -> None:  # type: ignore[type-arg]
            if result is not None:
                at, value = result
                change = self.plan.checkin_change(node.id, at, value)  # type: ignore[attr-defined]
                if self.apply_change(change):  # type: ignore[attr-defined]
                    self.notify(f"Recorded {value} on {at.isoformat()} for {node.title!r}")  # type: ignore[attr-defined]

        self.push_screen(CheckInModal(node, self.today()), recorded)  # type: ignore[attr-defined]

    def action_undo(self) -> None:
        self._journal_step("undo")

    def action_redo(self) -> None:
        self._journal_step("redo")

    def _journal_step(self, which: str) -> None:
        from alignment.core.model import PlanError

        session = self.session  # type: ignore[attr-defined]
        before = session.plan
        self.timings = {"submitted": perf_counter()}  # type: ignore[attr-defined]
        self.pause_collection()  # type: ignore[attr-defined]
        try:
            change = session.undo() if which == "undo" else session.redo()
        except PlanError as error:
            self.notify(str(error), title=f"Cannot {which}", severity="error")  # type: ignore[attr-defined]
            if session.plan is not before:
                self.plan_reloaded()  # type: ignore[attr-defined]
            return
        if change is None:
            self.notify(f"Nothing to {which}", severity="warning")  # type: ignore[attr-defined]
            return
        self.timings["saved"] = perf_counter()  # type: ignore[attr-defined]
        self.edited(change)  # type: ignore[attr-defined]
        done = "Undone" if which == "undo" else "Redone"
        self.notify(f"{done}: {change.describe()}")  # type: ignore[attr-defined]

    def action_search(self) -> None:
        def chosen(node_id: str | None) -> None:
            if node_id is not None:
                self.reveal(node_id)  # type: ignore[attr-defined]

        self.push_screen(SearchModal(self.plan), chosen)  # type: ignore[attr-defined]
