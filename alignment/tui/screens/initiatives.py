"""Initiatives: status, owner, effort, what each supports, and whether it is aligned and measured."""

from __future__ import annotations

from rich.text import Text

from alignment.core.forecast import ForecastModel
from alignment.core.model import Kind, Node, Status
from alignment.core.ranking import Ranked, rank
from alignment.tui.screens.tables import Column, TableView, owner_column

__all__ = ["InitiativesScreen"]

STATUS_ORDER = {status: index for index, status in enumerate(Status)}


class InitiativesScreen(TableView):
    MODE = "initiatives"
    FILTERS = (("owner", "Owner"), ("status", "Status"))

    def __init__(self) -> None:
        super().__init__()
        self._ranked: dict[str, Ranked] = {}
        self._ranked_for: tuple[int, int] | None = None
        # At 80 columns Effort, then Measured, make way for the titles (see layout_columns).
        self.COLUMNS = (
            Column("title", "Initiative", lambda n: n.title, flex=(3, 20, 0)),
            Column(
                "status",
                "Status",
                lambda n: str(n.status),
                lambda n: STATUS_ORDER.get(n.status or Status.CANDIDATE, 0),
                9,
            ),
            Column("aligned", "Aligned", self._aligned, lambda n: self._is(n, "aligned"), 7),
            Column(
                "measured",
                "Measured",
                self._measured,
                lambda n: self._is(n, "measured"),
                8,
                drop=2,
            ),
            owner_column(drop=1),
            Column("effort", "Effort", self._effort, lambda n: n.effort or 0, 6, drop=3),
            # Share of the gaps closed per unit of effort (docs/PLAN_FORMAT.md, "Ranking").
            Column("value", "Gap/eff", self._value, self._value_key, 7, drop=4),
            Column(
                "supports",
                "Supports",
                self._supports,
                lambda n: self._supports(n).lower(),
                flex=(2, 14, 60),
            ),
        )

    def rows(self) -> list[Node]:
        return self.plan_app.plan.nodes(Kind.INITIATIVE)

    def filter_value(self, node: Node, key: str) -> str:
        return (node.owner or "(none)") if key == "owner" else str(node.status)

    @staticmethod
    def _effort(node: Node) -> Text:
        return Text("" if node.effort is None else str(node.effort), justify="right")

    def _ranking(self) -> dict[str, Ranked]:
        """The ranking of the plan as shown (computed once per plan version)."""
        app = self.plan_app
        version = (app.plan_token, len(app.changes))
        if version != self._ranked_for:
            model = ForecastModel(app.plan, as_of=app.today())
            self._ranked = {item.id: item for item in rank(app.plan, model)}
            self._ranked_for = version
        return self._ranked

    def _value(self, node: Node) -> Text:
        item = self._ranking().get(node.id)
        if item is None or item.score is None:
            return Text("")
        return Text(f"{100 * item.score:.1f}%", justify="right")

    def _value_key(self, node: Node) -> float:
        item = self._ranking().get(node.id)
        return float("-inf") if item is None or item.score is None else item.score

    def _supports(self, node: Node) -> str:
        plan = self.plan_app.plan
        return ", ".join(plan.node(link.parent).title for link in plan.parents(node.id)) or "—"

    def _is(self, node: Node, which: str) -> bool:
        return node.id in getattr(self.plan_app.analysis.alignment, which)

    def _aligned(self, node: Node) -> Text:
        return self.flag(self._is(node, "aligned"), "yes", "no", bad="error")

    def _measured(self, node: Node) -> Text:
        return self.flag(self._is(node, "measured"), "yes", "no", bad="warning")
