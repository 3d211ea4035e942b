"""Shared parts of the table views: a filter bar of Selects and a sortable DataTable."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Label, Select

from alignment.core.changes import Change, UpdateNode
from alignment.core.model import Node
from alignment.tui.screens.base import PlanView

__all__ = ["Column", "TableView"]

ALL = "*"


class Column:
    def __init__(
        self,
        key: str,
        label: str,
        cell: Callable[[Node], Any],
        sort: Callable[[Node], Any] | None = None,
        width: int | None = None,
    ) -> None:
        """``width`` None: the column takes what the others leave (at least MIN_FLEX cells)."""
        self.key, self.label, self.cell, self.width = key, label, cell, width
        self.sort = sort or (lambda node: str(cell(node)).lower())


MIN_FLEX = 24


def clipped(text: str, width: int) -> Text:
    return Text(text if len(text) <= width else text[: width - 1] + "…", no_wrap=True)


class TableView(PlanView):
    """Rows are plan nodes (row key = node id); header click or S sorts; filters narrow the rows."""

    BINDINGS = [
        Binding("S", "sort_next", "Sort", tooltip="Sort by the next column (again: reverse)"),
        Binding("enter", "jump", "Show on map", show=False),
    ]
    COLUMNS: Sequence[Column] = ()
    FILTERS: Sequence[tuple[str, str]] = ()  # (filter key, label)

    def __init__(self) -> None:
        super().__init__()
        self.sort_column = 0
        self.sort_reverse = False
        self.filters: dict[str, str] = {key: ALL for key, _ in self.FILTERS}

    def body(self) -> ComposeResult:
        with Horizontal(classes="filter-bar"):
            for key, label in self.FILTERS:
                yield Label(label, classes="filter-label")
                yield Select([], value=Select.NULL, prompt="all", compact=True, id=f"filter-{key}")
            yield Label("", id="row-count")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="view-table")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        fixed = sum(c.width + 2 for c in self.COLUMNS if c.width is not None)
        self.flex_width = max(MIN_FLEX, self.app.size.width - fixed - 3)
        for column in self.COLUMNS:
            table.add_column(column.label, key=column.key, width=column.width or self.flex_width)
        super().on_mount()

    def cell(self, column: Column, node: Node) -> Any:
        value = column.cell(node)
        return clipped(value, column.width or self.flex_width) if isinstance(value, str) else value

    # -- to implement --------------------------------------------------------------------------

    def rows(self) -> list[Node]:
        raise NotImplementedError

    def filter_value(self, node: Node, key: str) -> str:
        raise NotImplementedError

    # -- building ------------------------------------------------------------------------------

    def rebuild(self) -> None:
        nodes = self.rows()
        for key, _ in self.FILTERS:
            values = sorted({self.filter_value(node, key) for node in nodes})
            select = self.query_one(f"#filter-{key}", Select)
            with select.prevent(Select.Changed):
                select.set_options([(value, value) for value in values])
                if self.filters[key] in values:
                    select.value = self.filters[key]
                else:
                    self.filters[key] = ALL
        self.fill(nodes)

    def fill(self, nodes: list[Node] | None = None) -> None:
        table = self.query_one(DataTable)
        selected = self.selected_node()
        nodes = self.rows() if nodes is None else nodes
        shown = [
            node
            for node in nodes
            if all(
                value == ALL or self.filter_value(node, key) == value
                for key, value in self.filters.items()
            )
        ]
        column = self.COLUMNS[self.sort_column]
        shown.sort(key=column.sort, reverse=self.sort_reverse)
        table.clear()
        for node in shown:
            table.add_row(*(self.cell(c, node) for c in self.COLUMNS), key=node.id)
        arrow = " ▼" if self.sort_reverse else " ▲"
        for index, col in enumerate(self.COLUMNS):
            table.columns[col.key].label = Text(
                col.label + (arrow if index == self.sort_column else "")
            )  # type: ignore[index]
        table.refresh()
        self.query_one("#row-count", Label).update(f"{len(shown)} of {len(nodes)}")
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))
        table.focus()

    def catch_up(self, changes: Sequence[Change]) -> None:
        """Edits of shown rows update their cells; anything else rebuilds the table."""
        table = self.query_one(DataTable)
        if not all(isinstance(c, UpdateNode) and c.after.id in table.rows for c in changes):
            self.rebuild()
            return
        plan = self.app.plan  # type: ignore[attr-defined]
        for change in changes:
            node = plan.node(change.after.id)  # type: ignore[union-attr]
            for column in self.COLUMNS:
                table.update_cell(node.id, column.key, self.cell(column, node))

    # -- events --------------------------------------------------------------------------------

    @on(Select.Changed)
    def _filtered(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("filter-")
        self.filters[key] = ALL if event.value is Select.NULL else str(event.value)
        self.fill()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(event.column_index)

    def sort_by(self, index: int) -> None:
        self.sort_reverse = not self.sort_reverse if index == self.sort_column else False
        self.sort_column = index
        self.fill()

    def action_sort_next(self) -> None:
        self.sort_by((self.sort_column + 1) % len(self.COLUMNS))

    @on(DataTable.RowSelected)
    def action_jump(self) -> None:
        node_id = self.selected_node()
        if node_id is not None:
            self.app.reveal(node_id)  # type: ignore[attr-defined]

    def selected_node(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - an empty or shrinking table has no cursor row
            return None
