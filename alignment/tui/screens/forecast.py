"""Forecast: what-if over the plan's initiatives.

Goals (condition now / expected) and strategies (aim, expected, short by) in sentences on top;
every live initiative with a checkbox on the left (committed ones checked); indicators with
current, expected, target and coverage on the right. Space toggles an initiative and the
numbers follow at once: the forecast model is built once per plan version, and a toggle
recomputes only the indicators that initiative reaches (``core.forecast.WhatIf``). The scenario
is a what-if: nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, SelectionList, Static
from textual.widgets.selection_list import Selection

from alignment.core.changes import Change
from alignment.core.forecast import (
    COMMITTED,
    Forecast,
    ForecastModel,
    IndicatorForecast,
    WhatIf,
)
from alignment.core.model import Kind, Status
from alignment.core.values import format_value
from alignment.formats.forecast_report import goal_sentence, strategy_sentence
from alignment.tui.screens.base import PlanView
from alignment.tui.widgets.text import plain_text

__all__ = ["ForecastScreen"]

SCENARIO_STATUSES = frozenset({Status.CANDIDATE, Status.PLANNED, Status.ACTIVE})
MAX_SENTENCES = 6  # goals and strategies shown above the tables
NOT_MODELLED = "—"  # no effect of the scenario reaches it: its value stays
SHORT_UNITS = frozenset({"%", "x", "×", "‰"})  # units short enough to stay beside a number
COLUMNS = (
    ("indicator", "Indicator"),
    ("current", "Now"),
    ("expected", "Expected"),
    ("target", "Target"),
    ("coverage", "Coverage"),
)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:g}%"


class ForecastScreen(PlanView):
    MODE = "forecast"
    AUTO_FOCUS = "#forecast-work"  # space toggles at once, no tab needed

    def __init__(self) -> None:
        super().__init__()
        self.what_if: WhatIf | None = None
        self._chosen: set[str] | None = None  # the user's scenario, kept across edits
        self._shown: dict[str, tuple[str, str, str, str]] = {}

    def body(self) -> ComposeResult:
        yield Static(id="forecast-answer", markup=False)
        with Horizontal(id="forecast-body"):
            with Vertical(id="forecast-work-pane"):
                yield Static("Initiatives · space toggles", classes="forecast-hint")
                yield SelectionList[str](id="forecast-work")
                yield Static(f"{NOT_MODELLED} not modelled", classes="forecast-hint")
            table: DataTable[Text] = DataTable(id="forecast-indicators", cursor_type="row")
            yield table

    def on_mount(self) -> None:
        table = self.query_one("#forecast-indicators", DataTable)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        super().on_mount()

    # -- building -------------------------------------------------------------------------------

    def rebuild(self) -> None:
        app = self.plan_app
        plan = app.plan
        model = ForecastModel(plan, as_of=app.today())
        live = [n for n in plan.nodes(Kind.INITIATIVE) if n.status in SCENARIO_STATUSES]
        live_ids = {n.id for n in live}
        if self._chosen is None:
            work = {n.id for n in live if n.status in COMMITTED}
        else:
            work = self._chosen & live_ids
        self._chosen = work
        self.what_if = WhatIf(model, work)
        choices = self.query_one("#forecast-work", SelectionList)
        highlighted = choices.highlighted
        choices.clear_options()
        choices.add_options(
            [
                Selection(plain_text(f"{n.title} ({n.status})"), n.id, n.id in work, id=n.id)
                for n in live
            ]
        )
        if highlighted is not None and choices.option_count:
            choices.highlighted = min(highlighted, choices.option_count - 1)
        table = self.query_one("#forecast-indicators", DataTable)
        table.clear()
        self._shown = {}
        result = self.what_if.result()
        for item in result.indicators:
            cells = self._cells(item)
            self._shown[item.id] = cells
            table.add_row(plain_text(item.id), *map(self._number, cells), key=item.id)
        self._show_answer(result)

    def catch_up(self, changes: Sequence[Change]) -> None:
        self.rebuild()  # any edit may change numbers, links or statuses: the model is rebuilt

    def _cells(self, item: IndicatorForecast) -> tuple[str, str, str, str]:
        unit = self.plan_app.plan.node(item.id).unit
        unit = unit if unit in SHORT_UNITS else None  # the Metrics view says the others
        expected = format_value(item.expected, unit) if item.modelled else NOT_MODELLED
        target = "" if item.target is None else format_value(item.target, unit)
        return (format_value(item.current, unit), expected, target, _pct(item.coverage_pct))

    def _show_answer(self, result: Forecast) -> None:
        plan = self.plan_app.plan
        count = len(result.scenario)
        lines = [f"What if {count} initiative{'s' if count != 1 else ''} land:"]
        # A large plan has hundreds of strategies: the first few, then how many more.
        lines += [goal_sentence(plan, goal, str) for goal in result.goals[:MAX_SENTENCES]]
        room = max(0, MAX_SENTENCES - len(result.goals))
        lines += [
            strategy_sentence(plan, result, s, "this work", str) for s in result.strategies[:room]
        ]
        hidden = len(result.goals) + len(result.strategies) - (len(lines) - 1)
        if hidden > 0:
            lines.append(f"… and {hidden} more (alignment forecast lists them all)")
        if len(lines) == 1:
            lines.append("No strategy measures an indicator and no goal has a condition yet.")
        self.query_one("#forecast-answer", Static).update(Content("\n".join(lines)))

    # -- toggling ---------------------------------------------------------------------------------

    @on(SelectionList.SelectionToggled, "#forecast-work")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        self.toggle(event.selection.value)

    def toggle(self, initiative: str) -> Forecast:
        """Add the initiative to the scenario or take it out; the numbers on screen follow."""
        assert self.what_if is not None
        result = self.what_if.toggle(initiative)
        self._chosen = set(self.what_if.work)
        table = self.query_one("#forecast-indicators", DataTable)
        keys = [key for key, _label in COLUMNS[1:]]
        # Only what the initiative reaches can have changed.
        index = self.what_if.model.index
        for node_id in self.what_if.touched:
            item = result.indicators[index[node_id]]
            cells = self._cells(item)
            before = self._shown.get(item.id)
            if cells == before:
                continue
            self._shown[item.id] = cells
            for key, value, old in zip(keys, cells, before or ("",) * 4, strict=True):
                if value != old:
                    table.update_cell(item.id, key, self._number(value))
        self._show_answer(result)
        return result

    @staticmethod
    def _number(value: str) -> Text:
        return Text(value, justify="right")

    def selected_node(self) -> str | None:
        choices = self.query_one("#forecast-work", SelectionList)
        if choices.has_focus and choices.highlighted is not None:
            return str(choices.get_option_at_index(choices.highlighted).id)
        table = self.query_one("#forecast-indicators", DataTable)
        if table.row_count:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        return None
