"""Small modals: confirm, record a check-in, type a path (with completion) or a name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Static, TextArea

from alignment.core.model import CheckIn, Node, PlanError
from alignment.formats.escape import printable
from alignment.tui.widgets.text import TextBox, TextInput, plain, typed_number

__all__ = [
    "CheckInModal",
    "ConfirmModal",
    "PathInputModal",
    "PathSuggester",
    "PlanDetailsModal",
    "TextPromptModal",
]


class ConfirmModal(ModalScreen[bool]):
    BINDINGS = [("escape,n", "answer(False)", "No"), ("y", "answer(True)", "Yes")]

    def __init__(self, title: str, body: str, confirm: str = "Yes") -> None:
        super().__init__()
        self.heading, self.body, self.confirm = title, body, confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal confirm"):
            yield Static(plain(self.heading), classes="modal-title")
            yield Static(plain(self.body, lines=True), classes="modal-body")
            with Horizontal(classes="modal-buttons"):
                yield Button(f"{self.confirm} (y)", variant="error", id="yes", compact=True)
                yield Button("Cancel (n)", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class _PromptBase(ModalScreen[Any]):
    BINDINGS = [("escape", "cancel", "Cancel")]

    def _error(self, message: str) -> None:
        self.query_one(".prompt-error", Static).update(plain(f"⚠ {message}") if message else "")

    def action_cancel(self) -> None:
        self.dismiss(None)


class CheckInModal(_PromptBase):
    """Record a value for an indicator on a date (today unless changed)."""

    AUTO_FOCUS = "#checkin-value"

    def __init__(self, node: Node, today: date, value: float | None = None) -> None:
        """``today``: the date offered; ``value``: the value offered (correcting a check-in)."""
        super().__init__()
        self.node, self.today, self.value = node, today, value

    def compose(self) -> ComposeResult:
        # The unit goes in the placeholder: the label column is too narrow for a long one.
        unit = f", in {printable(self.node.unit)}" if self.node.unit else ""
        with Vertical(classes="modal prompt"):
            yield Static(plain(f"Check-in · {self.node.title}"), classes="modal-title")
            with Horizontal(classes="form-row"):
                yield Label("Date", classes="form-label")
                yield TextInput(self.today.isoformat(), compact=True, id="checkin-at")
            with Horizontal(classes="form-row"):
                yield Label("Value", classes="form-label")
                yield TextInput(
                    "" if self.value is None else str(self.value),
                    placeholder=f"a number{unit}",
                    compact=True,
                    id="checkin-value",
                )
            yield Static("", classes="prompt-error")
            yield Static("enter save · esc cancel", classes="modal-hint")

    def _read(self) -> tuple[date, float]:
        text = self.query_one("#checkin-at", Input).value.strip()
        try:
            at = date.fromisoformat(text)
        except ValueError:
            raise PlanError(f"date must be an ISO date (YYYY-MM-DD), not {text!r}") from None
        value = typed_number(self.query_one("#checkin-value", Input).value, "value")
        if value is None:
            raise PlanError("value must be a number", field="value")
        checkin = CheckIn(at, value)
        return checkin.at, checkin.value

    @on(Input.Changed)
    def _changed(self) -> None:
        if self.query_one("#checkin-value", Input).value.strip():
            try:
                self._read()
            except PlanError as error:
                self._error(str(error))
                return
        self._error("")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        try:
            self.dismiss(self._read())
        except PlanError as error:
            self._error(str(error))


class PathSuggester(Suggester):
    """Completes the last part of a path from what is on disk (folders end with /)."""

    def __init__(self, suffixes: tuple[str, ...] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = suffixes

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        path = Path(value).expanduser()
        folder, stem = (path, "") if value.endswith("/") else (path.parent, path.name)
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return None
        for entry in entries:
            if not entry.name.startswith(stem) or entry.name.startswith("."):
                continue
            if entry.is_dir() or not self.suffixes or entry.suffix in self.suffixes:
                rest = entry.name[len(stem) :] + ("/" if entry.is_dir() else "")
                return value + rest if rest else None
        return None


class PathInputModal(_PromptBase):
    """Type a file path; → or tab accepts the completion. Returns an absolute Path."""

    BINDINGS = [("escape", "cancel", "Cancel"), ("tab", "complete", "Complete")]

    def __init__(
        self,
        title: str,
        default: str = "",
        must_exist: bool = False,
        suffixes: tuple[str, ...] = (".yaml", ".yml"),
    ) -> None:
        super().__init__()
        self.heading, self.default, self.must_exist = title, default, must_exist
        self.suffixes = tuple(suffixes)

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal prompt"):
            yield Static(plain(self.heading), classes="modal-title")
            yield TextInput(
                self.default,
                placeholder="path/to/file.yaml",
                compact=True,
                suggester=PathSuggester(self.suffixes),
                id="path",
            )
            yield Static("", classes="prompt-error")
            yield Static("tab complete · enter OK · esc cancel", classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_complete(self) -> None:
        field = self.query_one(Input)
        if field._suggestion:
            field.value = field._suggestion
            field.cursor_position = len(field.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self._error("type a path")
            return
        path = Path(text).expanduser().resolve()
        if self.must_exist and not path.is_file():
            self._error(f"no such file: {path}")
            return
        if not self.must_exist and not path.parent.is_dir():
            self._error(f"no such folder: {path.parent}")
            return
        self.dismiss(path)


class TextPromptModal(_PromptBase):
    """One line of text, checked by ``check`` (raises PlanError with the reason)."""

    def __init__(self, title: str, placeholder: str, check: Callable[[str], object]) -> None:
        super().__init__()
        self.heading, self.placeholder, self.check = title, placeholder, check

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal prompt"):
            yield Static(plain(self.heading), classes="modal-title")
            yield TextInput(placeholder=self.placeholder, compact=True)
            yield Static("", classes="prompt-error")
            yield Static("enter OK · esc cancel", classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            self.check(event.value)
        except PlanError as error:
            self._error(str(error))
            return
        self.dismiss(event.value.strip())


class PlanDetailsModal(_PromptBase):
    """The plan's name and description; returns (name, description) or None."""

    AUTO_FOCUS = "#plan-name"
    BINDINGS = [("escape", "cancel", "Cancel"), ("ctrl+s", "save", "Save")]

    def __init__(self, name: str, description: str | None, check: Callable[[str], object]) -> None:
        super().__init__()
        self.plan_name, self.description, self.check = name, description or "", check

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal prompt"):
            yield Static("Plan details", classes="modal-title")
            with Horizontal(classes="form-row"):
                yield Label("Name", classes="form-label")
                yield TextInput(self.plan_name, compact=True, id="plan-name")
            with Horizontal(classes="form-row tall"):
                yield Label("Description", classes="form-label")
                yield TextBox(
                    self.description, compact=True, id="plan-description", show_line_numbers=False
                )
            yield Static("", classes="prompt-error")
            yield Static("ctrl+s save · tab next field · esc cancel", classes="modal-hint")

    @on(Input.Submitted)
    def action_save(self) -> None:
        name = self.query_one("#plan-name", Input).value.strip()
        try:
            self.check(name)
        except PlanError as error:
            self._error(str(error))
            return
        description = self.query_one("#plan-description", TextArea).text.strip() or None
        self.dismiss((name, description))
