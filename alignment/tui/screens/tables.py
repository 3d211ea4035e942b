"""Shared parts of the table views: a filter bar of Selects and a sortable DataTable."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.widgets import DataTable, Label, Select
from textual.widgets.data_table import ColumnKey

from alignment.core.changes import Change, RecordCheckIn, UpdateNode
from alignment.core.model import Node
from alignment.tui.screens.base import PlanView
from alignment.tui.widgets.text import plain_text

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
        *,
        drop: int = 0,
        flex: tuple[int, int, int] = (1, 20, 0),
    ) -> None:
        """A column of fixed ``width``, or flexible (``width`` None) sharing what is left.

        ``drop``: columns with a higher number are hidden first when the table is too narrow
        (0: always shown). ``flex``: (weight, minimum, maximum or 0) of a flexible column.
        """
        self.key, self.label, self.cell, self.width = key, label, cell, width
        self.drop, self.flex = drop, flex
        self.sort = sort or (lambda node: str(cell(node)).lower())


PADDING = 2  # DataTable's cell padding, one cell each side


def owner_column(drop: int) -> Column:
    """The owner column of both tables (nodes without an owner sort last)."""
    return Column(
        "owner", "Owner", lambda n: n.owner or "", lambda n: (n.owner or "~").lower(), 11, drop=drop
    )


def layout_columns(columns: Sequence[Column], width: int) -> list[tuple[Column, int]]:
    """The columns to show in ``width`` cells, with their widths; nothing scrolls sideways.

    Droppable columns go (highest ``drop`` first) until the flexible ones get their minimum;
    the flexible columns share the rest by weight, up to their maximum, the first one taking
    whatever is left over.

    >>> cols = [Column("t", "T", str), Column("a", "A", str, None, 10, drop=1)]
    >>> [(c.key, w) for c, w in layout_columns(cols, 40)]
    [('t', 26), ('a', 10)]
    >>> [(c.key, w) for c, w in layout_columns(cols, 30)]
    [('t', 28)]
    """
    shown = list(columns)
    while True:
        flexible = [c for c in shown if c.width is None]
        fixed = sum(c.width + PADDING for c in shown if c.width is not None)
        room = width - fixed - PADDING * len(flexible)
        droppable = [c for c in shown if c.drop]
        if room >= sum(c.flex[1] for c in flexible) or not droppable:
            break
        shown.remove(max(droppable, key=lambda c: c.drop))
    sizes: dict[str, int] = {}
    weights = sum(c.flex[0] for c in flexible) or 1
    for column in flexible[1:]:
        weight, least, most = column.flex
        size = max(least, room * weight // weights)
        sizes[column.key] = min(size, most) if most else size
    if flexible:
        first = flexible[0]
        sizes[first.key] = max(first.flex[1], room - sum(sizes.values()))
    return [(c, c.width if c.width is not None else sizes[c.key]) for c in shown]


def clipped(text: str, width: int) -> Text:
    shown = plain_text(text)
    if len(shown) > width:
        shown = shown[: width - 1] + "…"
    shown.no_wrap = True
    return shown


class TableView(PlanView):
    """Rows are plan nodes (row key = node id); header click or S sorts; filters narrow the rows.

    The columns fit the width: on a narrow terminal the least useful ones are hidden, and the
    flexible ones (titles) shrink with an ellipsis; a resize lays them out again.
    """

    BINDINGS = [
        Binding("S", "sort_next", "Sort", tooltip="Sort by the next column (again: reverse)"),
        Binding("enter", "jump", "Show on map", show=False),
    ]
    COLUMNS: Sequence[Column] = ()
    FILTERS: Sequence[tuple[str, str]] = ()  # (filter key, label)
    DEFAULT_SORT = ""  # the column the rows are first sorted by (default: the first one)

    def __init__(self) -> None:
        super().__init__()
        self.sort_key = ""
        self.sort_reverse = False
        self.filters: dict[str, str] = {key: ALL for key, _ in self.FILTERS}
        self.column_layout: list[tuple[Column, int]] = []

    def body(self) -> ComposeResult:
        with Horizontal(classes="filter-bar"):
            for key, label in self.FILTERS:
                yield Label(label, classes="filter-label")
                yield Select([], value=Select.NULL, prompt="all", compact=True, id=f"filter-{key}")
            yield Label("", id="row-count")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="view-table")

    def on_mount(self) -> None:
        self.sort_key = self.DEFAULT_SORT or self.COLUMNS[0].key
        self._lay_out(self.plan_app.size.width - 1)  # a first guess; on_resize has the table's size
        self.plan_app.theme_changed_signal.subscribe(self, self._theme_changed)
        super().on_mount()

    def _lay_out(self, width: int) -> bool:
        """Columns for ``width`` cells; True when they changed (the rows must be filled again)."""
        layout = layout_columns(self.COLUMNS, width)
        if [(c.key, w) for c, w in layout] == [(c.key, w) for c, w in self.column_layout]:
            return False
        self.column_layout = layout
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for column, size in layout:
            table.add_column(column.label, key=column.key, width=size)
        return True

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self._fit_columns)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.call_after_refresh(self._fit_columns)  # the terminal may have changed meanwhile

    def _fit_columns(self) -> None:
        table = self.query_one(DataTable)
        width = table.scrollable_content_region.width
        if width > 0 and self._lay_out(width) and self.plan_app.session is not None:
            self.fill()

    def _theme_changed(self, _theme: object) -> None:
        if self.plan_app.session is not None and self.is_mounted:
            self.fill()

    def flag(self, ok: bool, yes: str, no: str, bad: str = "error") -> Text:
        """A ✓/✗ cell in the theme's success colour, or ``bad``'s (error or warning)."""
        variables = self.plan_app.theme_variables
        if ok:
            return Text(f"✓ {yes}", style=Style(color=variables.get("text-success")))
        return Text(f"✗ {no}", style=Style(color=variables.get(f"text-{bad}"), bold=bad == "error"))

    def cell(self, column: Column, width: int, node: Node) -> Any:
        value = column.cell(node)
        return clipped(value, width) if isinstance(value, str) else value

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
                select.set_options([(plain_text(value), value) for value in values])
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
        column = next(c for c in self.COLUMNS if c.key == self.sort_key)
        shown.sort(key=column.sort, reverse=self.sort_reverse)
        table.clear()
        for node in shown:
            table.add_row(*(self.cell(c, w, node) for c, w in self.column_layout), key=node.id)
        arrow = " ▼" if self.sort_reverse else " ▲"
        for col, _ in self.column_layout:
            label = col.label + (arrow if col.key == self.sort_key else "")
            table.columns[ColumnKey(col.key)].label = Text(label)
        table.refresh()
        self.query_one("#row-count", Label).update(f"{len(shown)} of {len(nodes)}")
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))
        table.focus()

    def catch_up(self, changes: Sequence[Change]) -> None:
        """Edits of shown rows update their cells; anything else rebuilds the table."""
        table = self.query_one(DataTable)
        updated = [
            c.after.id if isinstance(c, UpdateNode) else c.node
            for c in changes
            if isinstance(c, UpdateNode | RecordCheckIn)
        ]
        if len(updated) != len(changes) or not all(node_id in table.rows for node_id in updated):
            self.rebuild()
            return
        plan = self.plan_app.plan
        for node_id in updated:
            node = plan.node(node_id)
            for column, width in self.column_layout:
                table.update_cell(node.id, column.key, self.cell(column, width, node))

    # -- events --------------------------------------------------------------------------------

    @on(Select.Changed)
    def _filtered(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("filter-")
        self.filters[key] = ALL if event.value is Select.NULL else str(event.value)
        self.fill()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(str(event.column_key.value))

    def sort_by(self, key: str) -> None:
        """Sort by column ``key``; again by the same column reverses the order."""
        self.sort_reverse = not self.sort_reverse if key == self.sort_key else False
        self.sort_key = key
        self.fill()

    def action_sort_next(self) -> None:
        keys = [column.key for column, _ in self.column_layout]
        index = keys.index(self.sort_key) if self.sort_key in keys else -1
        self.sort_by(keys[(index + 1) % len(keys)])

    @on(DataTable.RowSelected)
    def action_jump(self) -> None:
        node_id = self.selected_node()
        if node_id is not None:
            self.plan_app.reveal(node_id)

    def selected_node(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - an empty or shrinking table has no cursor row
            return None
