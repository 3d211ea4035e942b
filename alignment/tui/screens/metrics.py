"""Metrics: every indicator with its numbers, progress toward target and check-in sparkline."""

from __future__ import annotations

from rich.text import Text

from alignment.core.analysis import progress
from alignment.core.model import Kind, Node
from alignment.tui.screens.tables import Column, TableView
from alignment.tui.widgets.charts import progress_bar, sparkline

__all__ = ["MetricsScreen"]


def _number(value: object) -> Text:
    return Text("" if value is None else str(value), justify="right")


def _num_key(value: float | None) -> float:
    return float("-inf") if value is None else value


class MetricsScreen(TableView):
    MODE = "metrics"
    FILTERS = (("owner", "Owner"),)
    COLUMNS = (
        Column("title", "Indicator", lambda n: n.title),
        Column("owner", "Owner", lambda n: n.owner or "", lambda n: (n.owner or "~").lower()),
        Column("unit", "Unit", lambda n: n.unit or ""),
        Column("direction", "Dir", lambda n: {"up": "↑", "down": "↓"}.get(str(n.direction), "")),
        Column(
            "baseline", "Baseline", lambda n: _number(n.baseline), lambda n: _num_key(n.baseline)
        ),
        Column("current", "Current", lambda n: _number(n.current), lambda n: _num_key(n.current)),
        Column("target", "Target", lambda n: _number(n.target), lambda n: _num_key(n.target)),
        Column(
            "progress",
            "Progress",
            lambda n: progress_bar(progress(n), 8),
            lambda n: _num_key(progress(n)),
        ),
        Column(
            "trend",
            "Check-ins",
            lambda n: sparkline([c.value for c in n.history], 10),
            lambda n: len(n.history),
        ),
    )

    def rows(self) -> list[Node]:
        return self.app.plan.nodes(Kind.INDICATOR)  # type: ignore[attr-defined]

    def filter_value(self, node: Node, key: str) -> str:
        return node.owner or "(none)"
