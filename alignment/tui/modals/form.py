"""NodeFormModal: add or edit a node, validated as you type with the plan file's rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from alignment.core import edits
from alignment.core.model import Direction, Kind, Node, PlanError, Status
from alignment.core.plan import Plan
from alignment.tui.widgets.charts import KIND_ICONS
from alignment.tui.widgets.layout import fit
from alignment.tui.widgets.text import (
    NUMBER_HELP,
    TextBox,
    TextInput,
    plain,
    plain_text,
    typed_number,
)

__all__ = ["FormResult", "NodeFormModal"]

NO_PARENT = "nothing yet: an unaligned draft (link it later with l)"
NUMBER_FIELDS = ("baseline", "target", "current", "effort")
TEXT_FIELDS = ("title", "id", "owner", "unit", "due")
# Which form field a validation message is about (first match wins).
FIELD_WORDS = (
    ("title", "title"), ("id", "id"), ("owner", "owner"), ("baseline", "baseline"),
    ("target", "target"), ("current", "current"), ("due", "due"), ("effort", "effort"),
    ("direction", "direction"), ("cannot support", "kind"), ("cycle", "kind"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FormResult:
    node: Node
    parents: tuple[str, ...] = ()


def _date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PlanError(f"due must be an ISO date (YYYY-MM-DD), not {text!r}") from None


def _fmt(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


class NodeFormModal(ModalScreen[FormResult | None]):
    """Adding when ``node`` is None (then ``parents`` pre-fill the links), else editing it.

    One form serves every add and edit (``prepare`` loads the next one): composing its thirty
    widgets took ~130 ms at each opening and tearing them down ~50 ms at each closing.
    """

    BINDINGS = [
        ("escape", "cancel", "Cancel"),
        ("ctrl+s", "save", "Save"),
    ]

    def __init__(
        self,
        plan: Plan,
        kind: Kind,
        node: Node | None = None,
        parents: list[str] | tuple[str, ...] = (),
        owners: list[str] | tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.prepare(plan, kind, node, parents, owners)

    def prepare(
        self,
        plan: Plan,
        kind: Kind,
        node: Node | None = None,
        parents: list[str] | tuple[str, ...] = (),
        owners: list[str] | tuple[str, ...] = (),
    ) -> None:
        """Load the form for its next opening (its fields are filled when it is shown)."""
        self.plan = plan
        self.kind = kind
        self.node = node
        self.parents = tuple(parents)
        self.owners = list(owners)
        self._auto_id = ""
        self._touched = not self.adding  # a new, empty form does not start with an error
        self._filled = False

    @property
    def adding(self) -> bool:
        return self.node is None

    def _row(self, label: str, widget: Widget, classes: str = "") -> Horizontal:
        return Horizontal(Label(label, classes="form-label"), widget, classes=f"form-row {classes}")

    def compose(self) -> ComposeResult:
        """Every field of every kind; ``_fill`` shows those the node has, with its values."""
        with Vertical(id="form", classes="modal"):
            yield Static(id="form-title", classes="modal-title")
            with VerticalScroll(id="form-fields"):
                kinds = [(f"{KIND_ICONS[k]} {k.label}", k.value) for k in Kind]
                kind_select = Select(
                    kinds, value=self.kind.value, allow_blank=False, compact=True, id="f-kind"
                )
                yield self._row("Kind", kind_select, "adding-only")
                title = TextInput(placeholder="What, in one line", compact=True, id="f-title")
                yield self._row("Title", title)
                yield self._row(
                    "Id", TextInput(placeholder="from the title", compact=True, id="f-id")
                )
                owner = TextInput(placeholder="team or person", compact=True, id="f-owner")
                yield self._row("Owner", owner)
                description = TextBox(compact=True, id="f-description", show_line_numbers=False)
                yield self._row("Description", description, "tall")
                unit = TextInput(placeholder="%, USD, days…", compact=True, id="f-unit")
                yield self._row("Unit", unit, "indicator-only")
                directions = [("↑ up: higher is better", "up"), ("↓ down: lower is better", "down")]
                direction = Select(
                    directions, prompt="which way is better?", compact=True, id="f-direction"
                )
                yield self._row("Direction", direction, "indicator-only")
                for name in ("baseline", "target", "current"):
                    field = TextInput(placeholder=NUMBER_HELP, compact=True, id=f"f-{name}")
                    yield self._row(name.capitalize(), field, "indicator-only")
                due = TextInput(placeholder="YYYY-MM-DD", compact=True, id="f-due")
                yield self._row("Due", due, "indicator-only")
                statuses = [(s.value.capitalize(), s.value) for s in Status]
                status = Select(statuses, allow_blank=False, compact=True, id="f-status")
                yield self._row("Status", status, "initiative-only")
                effort = TextInput(placeholder="person-weeks", compact=True, id="f-effort")
                yield self._row("Effort", effort, "initiative-only")
                supports = Select([("", "none")], allow_blank=False, compact=True, id="f-supports")
                none = Static(id="f-no-parent")
                choice = Horizontal(supports, none, id="f-supports-choice")
                yield self._row("Supports", choice, "adding-only")
            yield Static("", id="form-error")
            with Horizontal(classes="modal-buttons"):
                yield Static(
                    "tab next field · shift+tab back", classes="modal-hint", id="form-keys"
                )
                yield Button("Save ctrl+s", variant="primary", id="save", compact=True)
                yield Button("Cancel esc", id="cancel", compact=True)

    def on_screen_resume(self) -> None:
        if not self._filled:
            self._fill()

    def _fill(self) -> None:
        """Show the prepared node (or an empty form for a new one), as if freshly opened."""
        self._filled = True
        node = self.node

        def value(name: str) -> str:
            return _fmt(getattr(node, name)) if node is not None else ""

        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed):
            form = self.query_one("#form")
            form.set_class(self.adding, "-adding")
            form.set_class(not self.adding, "-editing")
            self._show_kind(self.kind)
            self.query_one("#f-kind", Select).value = self.kind.value
            for name in TEXT_FIELDS + NUMBER_FIELDS:
                self.query_one(f"#f-{name}", Input).value = value(name)
            self.query_one("#f-id", Input).disabled = not self.adding
            self.query_one("#f-owner", Input).suggester = SuggestFromList(self.owners)
            description = (node.description or "") if node is not None else ""
            self.query_one("#f-description", TextArea).load_text(description)
            direction = str(node.direction) if node and node.direction else Select.NULL
            self.query_one("#f-direction", Select).value = direction
            status = str(node.status) if node and node.status else Status.CANDIDATE.value
            self.query_one("#f-status", Select).value = status
            self._fill_supports()
        self.query_one("#form-fields", VerticalScroll).scroll_home(animate=False)
        self.query_one("#f-title", Input).focus()
        self._validate()

    def _fill_supports(self) -> None:
        """The pre-filled parent, which can be declined: a node may start unaligned."""
        select = self.query_one("#f-supports", Select)
        select.display = bool(self.parents)
        self.query_one("#f-no-parent", Static).display = not self.parents
        if self.parents:
            titles = ", ".join(self.plan.node(p).title for p in self.parents)
            choices = [(plain_text(fit(plain(titles), 56).plain), "parents"), (NO_PARENT, "none")]
            select.set_options(choices)
            # Select redraws its line only when the value changes: through "none", so the
            # line shows this add's parent, not the one of the add before (same value).
            select.value = "none"
            select.value = "parents"

    def _show_kind(self, kind: Kind) -> None:
        form = self.query_one("#form")
        for each in Kind:
            form.set_class(each is kind, f"-{each.value}")
        self.query_one("#form-title", Static).update(plain(self._heading(kind)))
        self.query_one("#f-no-parent", Static).update(self._no_parent_text(kind))

    def _heading(self, kind: Kind | None = None) -> str:
        if self.node is not None:
            return f"Edit {self.node.kind} · {self.node.id}"
        kind = kind or self.kind
        return f"Add {kind.article} {kind}"

    @staticmethod
    def _no_parent_text(kind: Kind) -> str:
        return "nothing: a goal is the top of the plan" if kind is Kind.GOAL else NO_PARENT

    def _parents(self) -> tuple[str, ...]:
        if self.parents and self.query_one("#f-supports", Select).value == "none":
            return ()
        return self.parents

    # -- reading the form ----------------------------------------------------------------------

    def _text(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value

    def _kind(self) -> Kind:
        if self.adding:
            return Kind(str(self.query_one("#f-kind", Select).value))
        return self.kind

    def build(self) -> FormResult:
        """The node the form describes, checked against the plan; PlanError says what is wrong."""
        kind = self._kind()
        fields: dict[str, object] = {
            "title": self._text("title").strip(),
            "owner": self._text("owner").strip() or None,
            "description": self.query_one("#f-description", TextArea).text.strip() or None,
        }
        if kind is Kind.INDICATOR:
            direction = self.query_one("#f-direction", Select).value
            fields["unit"] = self._text("unit").strip() or None
            fields["direction"] = None if direction is Select.NULL else Direction(str(direction))
            for name in ("baseline", "target", "current"):
                fields[name] = typed_number(self._text(name), name)
            fields["due"] = _date(self._text("due"))
        if kind is Kind.INITIATIVE:
            fields["status"] = Status(str(self.query_one("#f-status", Select).value))
            fields["effort"] = typed_number(self._text("effort"), "effort")
        if not fields["title"]:
            raise PlanError("title must not be empty")
        if self.node is not None:
            node = self.node.evolve(**fields)
            self.plan.update_change(node)
            return FormResult(node)
        node_id = self._text("id").strip()
        if not node_id:
            raise PlanError("id must not be empty")
        node = Node(id=node_id, kind=kind, **fields)  # type: ignore[arg-type]
        parents = self._parents()
        self.plan.add_change(node, parents)
        return FormResult(node, parents)

    def _validate(self) -> FormResult | None:
        error = self.query_one("#form-error", Static)
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        try:
            result = self.build()
        except PlanError as problem:
            if not self._touched:
                return None
            message = str(problem)
            error.update(plain(f"⚠ {message}"))
            error.add_class("-shown")
            field = problem.field or next(
                (f for word, f in FIELD_WORDS if message.startswith(word) or f"{word} " in message),
                None,
            )
            if field:
                for widget in self.query(f"#f-{field}"):
                    widget.add_class("-invalid")
            return None
        error.update("")
        error.remove_class("-shown")
        return result

    # -- events --------------------------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Input.Changed | TextArea.Changed) -> None:
        if event.control.has_focus:
            self._touched = True
        if self.adding and isinstance(event, Input.Changed) and event.input.id == "f-title":
            id_input = self.query_one("#f-id", Input)
            if id_input.value in ("", self._auto_id):
                self._auto_id = (
                    edits.unique_id(self.plan, event.value) if event.value.strip() else ""
                )
                id_input.value = self._auto_id
        self._validate()

    @on(Select.Changed)
    def _kind_changed(self, event: Select.Changed) -> None:
        if event.select.id == "f-kind":
            self._show_kind(self._kind())  # the select as it is now (events may lag behind)
        self._validate()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self._touched = True
        result = self._validate()
        if result is not None:
            self.dismiss(result)
        else:
            self.notify("Fix the highlighted field first", severity="warning", timeout=3)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
