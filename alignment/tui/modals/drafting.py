"""Modals for fast drafting: the quick-add line, a link's numbers, an indicator's check-ins.

Each takes plain callbacks from the app (what to save, how it went); the app builds the changes
and saves them through the session, so every edit here is one undoable change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from alignment.core.model import Kind, Link, Node, PlanError, Status
from alignment.formats.quick_add import SYNTAX, complete
from alignment.tui.widgets.text import TextInput, plain, typed_number

__all__ = ["HistoryModal", "LinkNumbersModal", "QuickAddModal", "QuickAddSuggester"]


class QuickAddSuggester(Suggester):
    """Completes kind words at the start of the line and ids after ``under``."""

    def __init__(self, ids: Callable[[], Iterable[str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.ids = ids

    async def get_suggestion(self, value: str) -> str | None:
        return complete(value, self.ids())


class QuickAddInput(TextInput):
    """The line: enter hands it to the modal in the input's own turn, so the keys of the next
    line, already on their way, land after it is cleared (a paste of several lines, a macro)."""

    submit: Callable[[str], bool] | None = None  # True: taken, clear the line

    async def _on_key(self, event: events.Key) -> None:
        # Here, not as a binding: a binding runs once the key has bubbled up to the app,
        # after this input has already taken the keys queued behind it.
        if event.key == "enter" and self.submit is not None:
            event.stop()
            event.prevent_default()
            if self.submit(self.value):
                self.value = ""
            return
        await super()._on_key(event)


class QuickAddModal(ModalScreen[None]):
    """One line per node, saved at each enter; the modal stays for the next line."""

    BINDINGS = [Binding("escape", "close", "Close")]
    AUTO_FOCUS = "#quick-line"

    def __init__(self, submit: Callable[[str], str | None], ids: Callable[[], Iterable[str]]):
        super().__init__()
        self.submit = submit  # the line -> None when added, else the reason
        self.ids = ids
        self.where = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal prompt", id="quick-add"):
            yield Static("", classes="modal-title", id="quick-title")
            line = QuickAddInput(placeholder=SYNTAX, compact=True, id="quick-line")
            line.suggester = QuickAddSuggester(self.ids)
            line.submit = self._submitted
            yield line
            yield Static("", classes="prompt-error", id="quick-error")
            yield Static("", id="quick-added")
            yield Static(
                "enter add · + under the line before · - one level up · → complete · esc close",
                classes="modal-hint",
            )

    def prepare(self, heading: str) -> None:
        """Load the modal for its next opening (``heading`` says where lines go)."""
        self.where = heading
        if self.is_mounted:
            self._fill()

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        self.query_one("#quick-title", Static).update(plain(self.where))
        self.query_one("#quick-error", Static).update("")
        self.query_one("#quick-added", Static).update("")
        line = self.query_one("#quick-line", Input)
        line.value = ""
        self.set_focus(line)

    def _submitted(self, text: str) -> bool:
        reason = self.submit(text)
        error = self.query_one("#quick-error", Static)
        if reason is not None:
            error.update(plain(f"⚠ {reason}"))
            return False
        error.update("")
        return True

    def added(self, text: str) -> None:
        """Say what the last line added (the app calls this once it is built)."""
        self.query_one("#quick-added", Static).update(plain(f"✓ {text}", "$text-success"))

    def action_close(self) -> None:
        self.dismiss(None)


class LinkNumbersModal(ModalScreen[Link | None]):
    """Expected effect and confidence of ``child`` -> ``parent`` (and the actual effect once a
    done initiative delivered it); enter moves on, saves on the last field or when all are
    empty (a link with no numbers)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(self, child: Node, parent: Node, link: Link | None = None) -> None:
        super().__init__()
        self.child, self.supported, self.link = child, parent, link
        # The observed effect: for work that is done, on the indicator it was meant to move.
        self.with_actual = child.status is Status.DONE and parent.kind is Kind.INDICATOR

    def compose(self) -> ComposeResult:
        unit = f" ({self.supported.unit})" if self.supported.unit else ""
        fields = [
            ("effect", f"Effect{unit}", "expected change of the parent, signed: -3.5"),
            ("confidence", "Confidence", "0 to 1: how sure (blank counts as 0.5)"),
        ]
        if self.with_actual:
            fields.append(("actual", f"Actual{unit}", "the change it delivered"))
        with Vertical(classes="modal prompt", id="link-numbers"):
            yield Static(
                plain(f"{self.child.title} → {self.supported.title}"), classes="modal-title"
            )
            for name, label, hint in fields:
                value = getattr(self.link, name) if self.link is not None else None
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield TextInput(
                        "" if value is None else str(value),
                        placeholder=hint,
                        compact=True,
                        id=f"link-{name}",
                    )
            yield Static("", classes="prompt-error")
            yield Static("enter next · ctrl+s save · esc cancel", classes="modal-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#link-effect", Input))

    def build(self) -> Link:
        values = {
            name: typed_number(self.query_one(f"#link-{name}", Input).value, name)
            for name in ("effect", "confidence", "actual")
            if self.query(f"#link-{name}")
        }
        rank = self.link.rank if self.link is not None else None
        return Link(self.child.id, self.supported.id, rank=rank, **values)

    @on(Input.Changed)
    def _changed(self) -> None:
        try:
            self.build()
        except PlanError as error:
            self.query_one(".prompt-error", Static).update(plain(f"⚠ {error}"))
            return
        self.query_one(".prompt-error", Static).update("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        empty = not any(i.value.strip() for i in inputs)
        if empty or event.input is inputs[-1]:
            self.action_save()
        else:
            self.set_focus(inputs[inputs.index(event.input) + 1])

    def action_save(self) -> None:
        try:
            self.dismiss(self.build())
        except PlanError as error:
            self.query_one(".prompt-error", Static).update(plain(f"⚠ {error}"))

    def action_cancel(self) -> None:
        self.dismiss(None)


class HistoryModal(ModalScreen[None]):
    """The check-ins of an indicator, newest first: enter or e corrects one, d deletes one.

    ``edit(at)`` and ``delete(at)`` are the app's: it asks for the new value, saves the change
    through the session (undoable) and calls ``show`` with the indicator as saved.
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("e", "edit", "Correct"),
        Binding("d,delete", "delete", "Delete"),
    ]

    def __init__(
        self, node: Node, edit: Callable[[date], None], delete: Callable[[date], None]
    ) -> None:
        super().__init__()
        self.node, self.edit, self.delete = node, edit, delete

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal picker", id="history"):
            yield Static("", classes="modal-title")
            yield OptionList(id="history-list")
            yield Static(
                "enter or e correct · d delete · u undo after closing · esc close",
                classes="modal-hint",
            )

    def on_mount(self) -> None:
        self.show(self.node)
        self.set_focus(self.query_one(OptionList))

    def show(self, node: Node) -> None:
        """List ``node``'s check-ins (again, after an edit), the cursor kept in place."""
        self.node = node
        unit = f" {node.unit}" if node.unit else ""
        count = len(node.history)
        self.query_one(".modal-title", Static).update(plain(f"Check-ins · {node.title} ({count})"))
        options = self.query_one(OptionList)
        keep = options.highlighted or 0
        options.set_options(
            Option(plain(f"{c.at.isoformat()}   {c.value}{unit}"), id=c.at.isoformat())
            for c in reversed(node.history)
        )
        if count:
            options.highlighted = min(keep, count - 1)

    def _chosen(self) -> date | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        return date.fromisoformat(option_id) if option_id else None

    @on(OptionList.OptionSelected)
    def action_edit(self) -> None:
        if (at := self._chosen()) is not None:
            self.edit(at)

    def action_delete(self) -> None:
        if (at := self._chosen()) is not None:
            self.delete(at)

    def action_close(self) -> None:
        self.dismiss(None)
