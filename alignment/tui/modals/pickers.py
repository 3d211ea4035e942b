"""Pickers: a list of choices, and fuzzy pickers over nodes (link a parent, search the plan)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from alignment.core.model import Kind, Node, PlanError
from alignment.core.plan import Plan
from alignment.tui.widgets.charts import kind_icon
from alignment.tui.widgets.layout import fit
from alignment.tui.widgets.text import TextInput, plain

__all__ = ["ChoiceModal", "LinkPickerModal", "ParentsPickerModal", "SearchModal", "fuzzy_rank"]

LIMIT = 60


def fuzzy_rank(query: str, items: Sequence[tuple[str, str]], limit: int = LIMIT) -> list[str]:
    """Keys of ``items`` (key, text) matching ``query``: substrings first, then fuzzy matches.

    >>> fuzzy_rank("cac", [("a", "Reduce CAC"), ("b", "Churn"), ("c", "Cost of acquisition")])
    ['a', 'c']
    """
    query = query.strip().lower()
    if not query:
        return [key for key, _ in items[:limit]]
    pattern = re.compile(".*?".join(re.escape(ch) for ch in query.replace(" ", "")))
    exact: list[tuple[int, int, str]] = []
    fuzzy: list[tuple[int, str]] = []
    for key, text in items:
        lowered = text.lower()
        where = lowered.find(query)
        if where >= 0:
            exact.append((where, len(text), key))
        elif (match := pattern.search(lowered)) is not None:
            fuzzy.append((match.end() - match.start(), key))
    exact.sort()
    fuzzy.sort()
    return ([key for *_, key in exact] + [key for _, key in fuzzy])[:limit]


def node_option(node: Node, width: int) -> Option:
    """One line: icon, title (shortened to fit) and the id, dim."""
    tail = Content.styled(f" · {node.id}", "dim")
    room = max(16, width - 2 - tail.cell_length)
    return Option(
        fit(Content.assemble(kind_icon(node.kind), fit(plain(node.title), room), tail), width),
        id=node.id,
    )


class ChoiceModal(ModalScreen[str | None]):
    """Pick one of ``choices`` (key, label); escape cancels."""

    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, choices: Sequence[tuple[str, str]], highlight: str | None = None
    ) -> None:
        super().__init__()
        self.heading = title
        self.choices = list(choices)
        self.highlight = highlight

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal picker"):
            yield Static(plain(self.heading), classes="modal-title")
            yield OptionList(*(Option(plain(label), id=key) for key, label in self.choices))
            yield Static("enter choose · esc cancel", classes="modal-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [key for key, _ in self.choices]
        options.highlighted = keys.index(self.highlight) if self.highlight in keys else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FuzzyNodeModal(ModalScreen[str | None]):
    """A query line over a list of nodes; typing filters, up/down move, enter chooses."""

    BINDINGS = [
        ("escape", "cancel", "Cancel"),
        ("down", "move(1)", "Down"),
        ("up", "move(-1)", "Up"),
        ("pagedown", "move(10)", "Page down"),
        ("pageup", "move(-10)", "Page up"),
    ]
    heading = ""
    placeholder = "type part of a title or id"
    AUTO_FOCUS = "#picker-query"

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
        self.items = [(n.id, f"{n.id} {n.title}") for n in self.candidates()]

    def candidates(self) -> list[Node]:
        return self.plan.nodes()

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal picker"):
            yield Static(plain(self.heading), classes="modal-title")
            yield TextInput(placeholder=self.placeholder, compact=True, id="picker-query")
            yield OptionList(id="picker-options")
            yield Static("", id="picker-error")
            yield Static("↑↓ move · enter choose · esc cancel", classes="modal-hint")

    def on_mount(self) -> None:
        self._refilter("")
        # Options are laid out for the list's width, known once the modal is on screen.
        self.call_after_refresh(lambda: self._refilter(self.query_one(Input).value))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._refilter(event.value)

    def _refilter(self, query: str) -> None:
        options = self.query_one(OptionList)
        keys = fuzzy_rank(query, self.items)
        width = options.scrollable_content_region.width or min(66, self.app.size.width - 14)
        options.set_options(node_option(self.plan.node(key), width) for key in keys)
        if keys:
            options.highlighted = 0
        self.query_one("#picker-error", Static).update(
            "" if keys else Content.styled("nothing matches", "dim")
        )

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.choose(options.get_option_at_index(options.highlighted).id or "")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option.id or "")

    def choose(self, node_id: str) -> None:
        self.dismiss(node_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SearchModal(FuzzyNodeModal):
    heading = "Go to node"


class LinkPickerModal(FuzzyNodeModal):
    """Choose a parent for ``child``; an invalid link is refused here, with the reason."""

    def __init__(self, plan: Plan, child: str) -> None:
        self.child = plan.node(child)
        super().__init__(plan)
        self.heading = f"{self.child.title} supports…"

    def candidates(self) -> list[Node]:
        taken = {link.parent for link in self.plan.parents(self.child.id)}
        rank = self.child.kind.rank
        return [
            n
            for n in self.plan.nodes()
            if n.kind.rank <= rank and n.id != self.child.id and n.id not in taken
        ]

    def choose(self, node_id: str) -> None:
        try:
            self.plan.link_change(self.child.id, node_id)
        except PlanError as error:
            self.query_one("#picker-error", Static).update(plain(f"⚠ {error}", "$text-error"))
            return
        self.dismiss(node_id)


class ParentsPickerModal(FuzzyNodeModal):
    """What a new node of ``kind`` supports: any number of parents, with the same fuzzy
    search; enter adds or removes the highlighted node, escape is done (the list is the
    choice)."""

    placeholder = "type part of a title or id · enter adds or removes"

    def __init__(self, plan: Plan, kind: Kind, chosen: tuple[str, ...] = ()) -> None:
        self.kind = kind
        super().__init__(plan)
        self.chosen = [node_id for node_id in chosen if node_id in plan]

    def candidates(self) -> list[Node]:
        return [n for n in self.plan.nodes() if n.kind.rank <= self.kind.rank]

    def on_mount(self) -> None:
        super().on_mount()
        self._show_chosen()

    def _show_chosen(self) -> None:
        titles = ", ".join(self.plan.node(p).title for p in self.chosen) or "nothing yet"
        heading = f"Supports ({len(self.chosen)}): {titles}"
        self.query_one(".modal-title", Static).update(fit(plain(heading), 70))
        self.query_one(".modal-hint", Static).update("↑↓ move · enter add or remove · esc done")

    def choose(self, node_id: str) -> None:
        if node_id in self.chosen:
            self.chosen.remove(node_id)
        elif node_id:
            self.chosen.append(node_id)
        self._show_chosen()
        self.query_one(Input).value = ""  # ready for the next one

    def action_cancel(self) -> None:
        self.dismiss(tuple(self.chosen))  # type: ignore[arg-type]  # a list, not one id
