"""The alignment map: the plan as a tree on the left, the selected node's details on the right."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Tree

from alignment.core.changes import Change
from alignment.tui.screens.base import PlanView
from alignment.tui.widgets.node_detail import NodeDetail, needs_forecast
from alignment.tui.widgets.plan_tree import PlanTree

__all__ = ["MapScreen"]


class MapScreen(PlanView):
    MODE = "map"

    def body(self) -> ComposeResult:
        with Horizontal(id="map-body"):
            yield PlanTree(id="plan-tree")
            yield NodeDetail(id="node-detail")

    @property
    def plan_tree(self) -> PlanTree:
        return self.query_one(PlanTree)

    def rebuild(self) -> None:
        app = self.plan_app
        self.plan_tree.show_plan(app.plan, app.analysis.alignment)
        self.plan_tree.focus()
        self.call_after_refresh(self.show_detail)

    def catch_up(self, changes: Sequence[Change]) -> None:
        app = self.plan_app
        tree = self.plan_tree
        selected = self.selected_node()
        for change in changes:
            tree.apply_change(app.plan, app.analysis.alignment, change)
        # Its row may have moved (it left the Unaligned branch): follow it.
        if selected is not None and selected in app.plan and not tree.cursor_shows(selected):
            tree.reveal(selected)
        self.show_detail()

    def findings_updated(self) -> None:
        super().findings_updated()
        self.show_detail()

    def forecast_ready(self) -> None:
        self.show_detail()

    def after_sync(self) -> None:
        node_id = self.plan_app.pending_reveal
        if node_id is not None:
            self.plan_app.pending_reveal = None
            self.reveal(node_id)

    def reveal(self, node_id: str) -> None:
        if self.plan_tree.reveal(node_id) is not None:
            self.plan_tree.focus()
            self.show_detail()  # now, so the first repaint shows the node and its details

    def selected_node(self) -> str | None:
        node = self.plan_tree.cursor_node
        return None if node is None else node.data

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str | None]) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        app = self.plan_app
        if app.session is None:
            return
        node_id = self.selected_node()
        analysis = app.analysis
        wanted = (
            node_id is not None and node_id in app.plan and needs_forecast(app.plan.node(node_id))
        )
        self.query_one(NodeDetail).show(
            app.plan,
            analysis.alignment,
            node_id,
            analysis.by_node.get(node_id or "", []),
            analysis.metrics,
            analysis.statuses,
            expected=app.expected() if wanted else None,
            version=app.version,
        )
