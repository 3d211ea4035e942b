"""Metrics: every indicator with its role, status, numbers as meant and progress toward target.

Numbers are as meant (``core.values.metric_values``, computed once per edit by the app): a
formula indicator shows its computed baseline and current (marked ƒ), a target lent by a
strategy's aim is marked ◆, one implied by a formula ƒ. The status (on track, behind,
overdue, stale, wrong way) is a word in a colour, never a colour alone. Rows start worst
status first; among equals the North Star leads, then lagging, leading and guardrail metrics.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from alignment.core.model import Kind, Node, Role
from alignment.core.rollup import sparkline
from alignment.core.values import Metric, Metrics, format_value
from alignment.tui.screens.tables import Column, TableView, owner_column
from alignment.tui.widgets.badges import STATUS_STYLES, role_badge, role_rank, status_rank
from alignment.tui.widgets.charts import progress_bar

__all__ = ["MetricsScreen"]

COMPUTED = "ƒ "  # a value computed by a formula
LENT = "◆ "  # a target lent by the aim of a strategy that measures the indicator


def _num_key(value: float | None) -> float:
    return float("-inf") if value is None else value


class MetricsScreen(TableView):
    MODE = "metrics"
    FILTERS = (("owner", "Owner"),)
    DEFAULT_SORT = "status"
    BINDINGS = [
        Binding(
            "c",
            "checkin",
            "Check-in",
            tooltip="Record a value of the selected indicator on a date",
            priority=True,  # shown instead of the app's hidden binding; the app's one runs
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._numbers: tuple[Metrics, Mapping[str, str]] | None = None
        # Reads like the detail pane: status, then baseline -> current -> target. Every
        # column is wide enough for its header and the sort arrow. Narrow terminals hide the
        # owner, the check-ins, the baseline, the role and the direction, in that order (the
        # unit stays: 39.8 alone does not say USD).
        self.COLUMNS = (
            Column(
                "title",
                "Indicator",
                lambda n: ("★ " if n.role == Role.NORTH_STAR else "") + n.title,
                lambda n: n.title.lower(),
                flex=(1, 22, 0),
            ),
            Column("role", "Role", role_badge, role_rank, 12, drop=2),
            Column("status", "Status", self._status, lambda n: status_rank(self._word(n)), 9),
            Column(
                "direction",
                "Dir",
                lambda n: {"up": "↑", "down": "↓"}.get(str(self._metric(n, "direction")), ""),
                lambda n: str(self._metric(n, "direction") or ""),
                5,
                drop=1,
            ),
            Column(
                "baseline",
                "Baseline",
                lambda n: self._number(n, "baseline"),
                lambda n: _num_key(self._metric(n, "baseline")),
                10,
                drop=3,
            ),
            Column(
                "current",
                "Current",
                lambda n: self._number(n, "current"),
                lambda n: _num_key(self._metric(n, "current")),
                9,
            ),
            Column(
                "target",
                "Target",
                lambda n: self._number(n, "target"),
                lambda n: _num_key(self._metric(n, "target")),
                8,
            ),
            Column("unit", "Unit", lambda n: n.unit or "", None, 7),
            Column(
                "progress",
                "Progress",
                lambda n: Text(progress_bar(self._metric(n, "progress"), 6)),
                lambda n: _num_key(self._metric(n, "progress")),
                11,
            ),
            Column(
                "trend",
                "Check-ins",
                lambda n: Text(sparkline([c.value for c in self._history(n)], 9)),
                lambda n: len(self._history(n)),
                11,
                drop=4,
            ),
            owner_column(drop=5),
        )

    def rows(self) -> list[Node]:
        """Indicators, the North Star first, then lagging, leading, guardrail, in plan order
        within a role (the order ties keep under any sort)."""
        return sorted(self.plan_app.plan.nodes(Kind.INDICATOR), key=role_rank)

    def filter_value(self, node: Node, key: str) -> str:
        return node.owner or "(none)"

    # -- the numbers as meant ------------------------------------------------------------------

    def _metric_of(self, node: Node) -> Metric | None:
        return self.plan_app.analysis.metrics.get(node.id)

    def _metric(self, node: Node, field: str) -> Any:
        metric = self._metric_of(node)
        return None if metric is None else getattr(metric, field)

    def _history(self, node: Node) -> tuple:  # type: ignore[type-arg]
        metric = self._metric_of(node)
        return node.history if metric is None else metric.history

    def _number(self, node: Node, field: str) -> Text:
        metric = self._metric_of(node)
        value = None if metric is None else getattr(metric, field)
        if value is None:
            return Text("", justify="right")
        mark = ""
        if metric is not None and metric.computed and field != "target":
            mark = COMPUTED
        elif metric is not None and field == "target" and metric.target_from is not None:
            mark = COMPUTED if metric.target_from == "formula" else LENT
        return Text(mark + format_value(value), justify="right")

    def _word(self, node: Node) -> str | None:
        return self.plan_app.analysis.statuses.get(node.id)

    def _status(self, node: Node) -> Text:
        """The status word in its theme colour (``$text-warning`` and the like)."""
        word = self._word(node)
        if word is None:
            return Text("–", style="dim")
        variable = STATUS_STYLES.get(word, "").removeprefix("$")
        colour = self.plan_app.theme_variables.get(variable)
        bold = word in ("overdue", "wrong way")
        return Text(word, style=Style(color=colour, bold=bold))

    # -- keeping up ---------------------------------------------------------------------------

    def fill(self, nodes: list[Node] | None = None) -> None:
        super().fill(nodes)
        analysis = self.plan_app.analysis
        self._numbers = (analysis.metrics, analysis.statuses)
        self.refresh_bindings()  # the check-in key shows when there is a row to check in

    def findings_updated(self) -> None:
        """Numbers and statuses follow an edit a moment after it (with the findings): the
        rows whose metric or status changed get their cells again (a check-in of an input
        moves the formula indicators over it)."""
        super().findings_updated()
        analysis = self.plan_app.analysis
        old, self._numbers = self._numbers, (analysis.metrics, analysis.statuses)
        if old is None or (old[0] is analysis.metrics and old[1] is analysis.statuses):
            return
        table = self.query_one(DataTable)
        plan = self.plan_app.plan
        for row_key in list(table.rows):
            node_id = row_key.value
            if node_id is None or node_id not in plan:
                continue
            if old[0].get(node_id) == analysis.metrics.get(node_id) and old[1].get(
                node_id
            ) == analysis.statuses.get(node_id):
                continue
            node = plan.node(node_id)
            for column, width in self.column_layout:
                table.update_cell(node_id, column.key, self.cell(column, width, node))

    # -- the check-in key ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "checkin":
            # In the footer while a row (an indicator) is selected; never in read-only mode.
            return not self.plan_app.read_only and self.selected_node() is not None
        return True

    async def action_checkin(self) -> None:
        await self.app.run_action("checkin")
