"""NodeFormModal: add or edit a node, validated as you type with the plan file's rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from alignment.core import edits
from alignment.core.model import Direction, Kind, Node, PlanError, Status
from alignment.core.plan import Plan
from alignment.tui.widgets.charts import KIND_ICONS
from alignment.tui.widgets.layout import fit

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


def _number(text: str, name: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise PlanError(f"{name} must be a number, not {text!r}") from None


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
    """Adding when ``node`` is None (then ``parents`` pre-fill the links), else editing it."""

    BINDINGS = [
        ("escape", "cancel", "Cancel"),
        ("ctrl+s", "save", "Save"),
    ]
    AUTO_FOCUS = (
        "#f-title"  # straight there: focusing the first field, then moving, costs a restyle
    )

    def __init__(
        self,
        plan: Plan,
        kind: Kind,
        node: Node | None = None,
        parents: list[str] | tuple[str, ...] = (),
        owners: list[str] | tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.plan = plan
        self.kind = kind
        self.node = node
        self.parents = tuple(parents)
        self.owners = list(owners)
        self._auto_id = ""
        self._touched = not self.adding  # a new, empty form does not start with an error

    @property
    def adding(self) -> bool:
        return self.node is None

    def _row(self, label: str, widget: Widget, classes: str = "") -> Horizontal:
        return Horizontal(Label(label, classes="form-label"), widget, classes=f"form-row {classes}")

    def compose(self) -> ComposeResult:
        node = self.node
        value = (lambda name: _fmt(getattr(node, name))) if node else (lambda name: "")
        with Vertical(id="form", classes=f"modal -{self.kind}"):
            yield Static(self._heading(), id="form-title", classes="modal-title")
            with VerticalScroll(id="form-fields"):
                if self.adding:
                    kinds = [(f"{KIND_ICONS[k]} {k.label}", k.value) for k in Kind]
                    yield self._row(
                        "Kind",
                        Select(
                            kinds,
                            value=self.kind.value,
                            allow_blank=False,
                            compact=True,
                            id="f-kind",
                        ),
                    )
                yield self._row(
                    "Title",
                    Input(
                        value("title"), placeholder="What, in one line", compact=True, id="f-title"
                    ),
                )
                yield self._row(
                    "Id",
                    Input(
                        value("id"),
                        placeholder="from the title",
                        compact=True,
                        id="f-id",
                        disabled=not self.adding,
                    ),
                )
                yield self._row(
                    "Owner",
                    Input(
                        value("owner"),
                        placeholder="team or person",
                        compact=True,
                        id="f-owner",
                        suggester=SuggestFromList(self.owners),
                    ),
                )
                description = TextArea(
                    (node.description or "") if node else "",
                    compact=True,
                    id="f-description",
                    show_line_numbers=False,
                )
                yield self._row("Description", description, "tall")
                yield self._row(
                    "Unit",
                    Input(value("unit"), placeholder="%, USD, days…", compact=True, id="f-unit"),
                    "indicator-only",
                )
                directions = [("↑ up: higher is better", "up"), ("↓ down: lower is better", "down")]
                direction = str(node.direction) if node and node.direction else Select.NULL
                yield self._row(
                    "Direction",
                    Select(
                        directions,
                        value=direction,
                        prompt="which way is better?",
                        compact=True,
                        id="f-direction",
                    ),
                    "indicator-only",
                )
                for name in ("baseline", "target", "current"):
                    yield self._row(
                        name.capitalize(),
                        Input(value(name), compact=True, id=f"f-{name}"),
                        "indicator-only",
                    )
                yield self._row(
                    "Due",
                    Input(value("due"), placeholder="YYYY-MM-DD", compact=True, id="f-due"),
                    "indicator-only",
                )
                statuses = [(s.value.capitalize(), s.value) for s in Status]
                status = str(node.status) if node and node.status else Status.CANDIDATE.value
                yield self._row(
                    "Status",
                    Select(statuses, value=status, allow_blank=False, compact=True, id="f-status"),
                    "initiative-only",
                )
                yield self._row(
                    "Effort",
                    Input(value("effort"), placeholder="person-weeks", compact=True, id="f-effort"),
                    "initiative-only",
                )
                if self.adding:
                    yield self._row("Supports", self._supports_field())
            yield Static("", id="form-error")
            with Horizontal(classes="modal-buttons"):
                yield Static(
                    "tab next field · shift+tab back", classes="modal-hint", id="form-keys"
                )
                yield Button("Save ctrl+s", variant="primary", id="save", compact=True)
                yield Button("Cancel esc", id="cancel", compact=True)

    def _heading(self, kind: Kind | None = None) -> str:
        if self.node is not None:
            return f"Edit {self.node.kind} · {self.node.id}"
        kind = kind or self.kind
        return f"Add {kind.article} {kind}"

    def _supports_field(self) -> Widget:
        """The pre-filled parent, which can be declined: a node may start unaligned."""
        if not self.parents:
            return Static(self._no_parent_text(self.kind), id="f-supports")
        titles = ", ".join(self.plan.node(p).title for p in self.parents)
        choices = [(fit(Content(titles), 56).plain, "parents"), (NO_PARENT, "none")]
        return Select(choices, value="parents", allow_blank=False, compact=True, id="f-supports")

    @staticmethod
    def _no_parent_text(kind: Kind) -> str:
        return "nothing: a goal is the top of the plan" if kind is Kind.GOAL else NO_PARENT

    def _parents(self) -> tuple[str, ...]:
        if self.parents and self.query_one("#f-supports", Select).value == "none":
            return ()
        return self.parents

    def on_mount(self) -> None:
        self._validate()

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
                fields[name] = _number(self._text(name), name)
            fields["due"] = _date(self._text("due"))
        if kind is Kind.INITIATIVE:
            fields["status"] = Status(str(self.query_one("#f-status", Select).value))
            fields["effort"] = _number(self._text("effort"), "effort")
        if not fields["title"]:
            raise PlanError("title must not be empty")
        if self.node is not None:
            node = self.node.evolve(**fields)
            self.plan.update_change(node)
            return FormResult(node)
        node_id = self._text("id").strip()
        if not node_id:
            raise PlanError("id must not be empty")
        node = Node(node_id, kind, **fields)  # type: ignore[arg-type]
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
            error.update(f"⚠ {message}")
            error.add_class("-shown")
            field = next(
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
            form = self.query_one("#form")
            for kind in Kind:
                form.set_class(kind.value == event.value, f"-{kind.value}")
            kind = Kind(str(event.value))
            self.query_one("#form-title", Static).update(self._heading(kind))
            supports = self.query_one("#f-supports")
            if isinstance(supports, Static):
                supports.update(self._no_parent_text(kind))
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
