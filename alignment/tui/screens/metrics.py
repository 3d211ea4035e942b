"""Metrics: every indicator with its numbers, progress toward target and check-in sparkline."""

from __future__ import annotations

from rich.text import Text

from alignment.core.analysis import progress
from alignment.core.model import Kind, Node
from alignment.core.rollup import sparkline
from alignment.tui.screens.tables import Column, TableView, owner_column
from alignment.tui.widgets.charts import progress_bar

__all__ = ["MetricsScreen"]


def _number(value: object) -> Text:
    return Text("" if value is None else str(value), justify="right")


def _num_key(value: float | None) -> float:
    return float("-inf") if value is None else value


class MetricsScreen(TableView):
    MODE = "metrics"
    FILTERS = (("owner", "Owner"),)
    # Reads like the detail pane: baseline -> current -> target. Narrow terminals hide the
    # baseline, the owner and the check-ins first (see layout_columns).
    COLUMNS = (
        Column("title", "Indicator", lambda n: n.title, flex=(1, 22, 0)),
        Column(
            "direction",
            "Dir",
            lambda n: {"up": "↑", "down": "↓"}.get(str(n.direction), ""),
            None,
            3,
        ),
        Column(
            "baseline",
            "Baseline",
            lambda n: _number(n.baseline),
            lambda n: _num_key(n.baseline),
            8,
            drop=4,
        ),
        Column(
            "current", "Current", lambda n: _number(n.current), lambda n: _num_key(n.current), 8
        ),
        Column("target", "Target", lambda n: _number(n.target), lambda n: _num_key(n.target), 7),
        Column("unit", "Unit", lambda n: n.unit or "", None, 8, drop=1),
        Column(
            "progress",
            "Progress",
            lambda n: Text(progress_bar(progress(n), 6)),
            lambda n: _num_key(progress(n)),
            11,
        ),
        Column(
            "trend",
            "Check-ins",
            lambda n: Text(sparkline([c.value for c in n.history], 9)),
            lambda n: len(n.history),
            9,
            drop=2,
        ),
        owner_column(drop=3),
    )

    def rows(self) -> list[Node]:
        return self.plan_app.plan.nodes(Kind.INDICATOR)

    def filter_value(self, node: Node, key: str) -> str:
        return node.owner or "(none)"
