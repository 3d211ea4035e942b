"""The alignment map: the plan as a tree on the left, the selected node's details on the right."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Tree

from alignment.core.changes import Change
from alignment.tui.screens.base import PlanView
from alignment.tui.widgets.node_detail import NodeDetail
from alignment.tui.widgets.plan_tree import PlanTree

__all__ = ["MapScreen"]


class MapScreen(PlanView):
    MODE = "map"

    def body(self) -> ComposeResult:
        with Horizontal(id="map-body"):
            yield PlanTree(id="plan-tree")
            yield NodeDetail(id="node-detail")

    @property
    def tree(self) -> PlanTree:
        return self.query_one(PlanTree)

    def rebuild(self) -> None:
        app = self.app
        self.tree.show_plan(app.plan, app.analysis.alignment)  # type: ignore[attr-defined]
        self.tree.focus()
        self.call_after_refresh(self.show_detail)

    def catch_up(self, changes: Sequence[Change]) -> None:
        app = self.app
        tree = self.tree
        selected = self.selected_node()
        for change in changes:
            tree.apply_change(app.plan, app.analysis.alignment, change)  # type: ignore[attr-defined]
        still_there = selected is not None and selected in app.plan  # type: ignore[attr-defined]
        if still_there and not tree.cursor_shows(selected):  # its row moved (e.g. left Unaligned)
            tree.reveal(selected)
        self.show_detail()

    def findings_updated(self) -> None:
        super().findings_updated()
        self.show_detail()

    def after_sync(self) -> None:
        node_id = self.app.pending_reveal  # type: ignore[attr-defined]
        if node_id is not None:
            self.app.pending_reveal = None  # type: ignore[attr-defined]
            self.reveal(node_id)

    def reveal(self, node_id: str) -> None:
        if self.tree.reveal(node_id) is not None:
            self.tree.focus()
            self.call_after_refresh(self.show_detail)

    def selected_node(self) -> str | None:
        node = self.tree.cursor_node
        return None if node is None else node.data

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str | None]) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        app = self.app
        if app.session is None:  # type: ignore[attr-defined]
            return
        node_id = self.selected_node()
        analysis = app.analysis  # type: ignore[attr-defined]
        self.query_one(NodeDetail).show(
            app.plan,  # type: ignore[attr-defined]
            analysis.alignment,
            node_id,
            analysis.by_node.get(node_id or "", []),
        )
