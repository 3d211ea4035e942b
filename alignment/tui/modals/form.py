"""NodeFormModal: add or edit a node, one input per field its kind declares (core NODE_FIELDS).

The fields, their labels, help and choices come from the declarations on ``Node``
(``fields_for(kind)``): a field added there appears here. Keys: ``enter`` moves to the next
field and saves on the last one, ``ctrl+s`` saves from anywhere, ``ctrl+n`` saves and opens the
form again for another node under the same parents, ``ctrl+k`` switches the kind of a new node.

Focus moves synchronously (``Screen.set_focus``, never ``Widget.focus``, which is queued behind
the keys already waiting): a burst of keys (a paste, a macro) lands in the field it was typed for.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from alignment.core import edits
from alignment.core.expressions import parse_condition, parse_expression, references
from alignment.core.fields import FieldSpec, FieldType
from alignment.core.model import NODE_FIELDS, Direction, Kind, Node, PlanError, fields_for
from alignment.core.plan import Plan
from alignment.formats.quick_add import infer_direction
from alignment.tui.widgets.layout import fit
from alignment.tui.widgets.text import NUMBER_HELP, TextBox, TextInput, plain, typed_number

__all__ = ["FieldSelect", "FormResult", "NodeFormModal", "ReferenceSuggester"]

KIND_ORDER = tuple(Kind)
# Fields kept out of the form: check-ins have their own list (the history modal).
FORM_FIELDS = tuple(s for s in NODE_FIELDS if s.type is not FieldType.HISTORY)
# One-line fields first (enter walks them), then free text, which takes enter for new lines.
ORDERED = tuple(s for s in FORM_FIELDS if s.type is not FieldType.TEXT) + tuple(
    s for s in FORM_FIELDS if s.type is FieldType.TEXT
)
PLACEHOLDERS = {
    FieldType.NUMBER: NUMBER_HELP,
    FieldType.POSITIVE: NUMBER_HELP,
    FieldType.DATE: "YYYY-MM-DD",
}
NO_PARENT = "nothing yet: an unaligned draft (link it later with l)"
DIRECTION_SHOWN = {Direction.UP: "↑ up", Direction.DOWN: "↓ down"}


@dataclass(frozen=True, slots=True)
class FormResult:
    node: Node
    parents: tuple[str, ...] = ()
    again: bool = False  # "save and add another here": the form opens again on the same parents


class FieldSelect(Select[str]):
    """A Select that leaves ``enter`` to the form (next field); down, up or space open it."""

    inherit_bindings = False
    BINDINGS = [Binding("down,space,up", "show_overlay", "Show menu", show=False)]


class ReferenceSuggester(Suggester):
    """Completes ``${par`` to ``${partial-id}`` (or a bare id) from the plan's indicators."""

    def __init__(self, ids: list[str], braces: bool) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.ids, self.braces = sorted(ids), braces

    async def get_suggestion(self, value: str) -> str | None:
        if self.braces:
            found = re.search(r"\$\{([a-z0-9-]*)$", value)
            if found is None:
                return None
            partial = found.group(1)
            tail = "}"
        else:
            partial, tail = value, ""
        for node_id in self.ids:
            if node_id.startswith(partial) and (node_id != partial or tail):
                return value + node_id[len(partial) :] + tail
        return None


def _date(text: str, name: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PlanError(
            f"{name} must be an ISO date (YYYY-MM-DD), not {text!r}", field=name
        ) from None


def _shown(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


class NodeFormModal(ModalScreen[FormResult | None]):
    """Adding when ``node`` is None (then ``parents`` pre-fill the links), else editing it.

    One form serves every add and edit (``prepare`` loads the next one): composing its widgets
    at each opening took ~130 ms and tearing them down ~50 ms at each closing.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Priority: the focused input must not see these first (Input binds enter and ctrl+k).
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+n", "save(True)", "Save, add another", priority=True),
        Binding("ctrl+k", "cycle_kind", "Kind", priority=True),
        Binding("enter", "next_field", "Next field", priority=True, show=False),
        # Tab too: the app's own tab binding runs only once the key has bubbled up from the
        # focused input, after the keys queued behind it have gone to that same input.
        Binding("tab", "focus_step(1)", "Next", priority=True, show=False),
        Binding("shift+tab", "focus_step(-1)", "Previous", priority=True, show=False),
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
        draft: Node | None = None,
    ) -> None:
        """Load the form for its next opening. Once composed, it is filled here and now, focus
        included, so keys typed right after the key that opened it land in its first field.

        ``draft``: the values to show instead of ``node``'s, when an edit the database refused
        (someone else changed the same thing) is given back to the user as they typed it.
        """
        self.plan = plan
        self.kind = kind
        self.node = node
        # ctrl+n: what saves a node while the form stays open for the next one (set by the
        # app for an add; None: ctrl+n saves and closes like ctrl+s).
        self.add_another: Callable[[FormResult], None] | None = None
        self.draft = draft
        self.parents: tuple[str, ...] = tuple(parents)
        self.owners = list(owners)
        self._auto_id = ""
        # A new, empty form does not start with an error.
        self._touched = not self.adding or draft is not None
        self._filled = False
        if self.is_mounted:
            self._fill()

    @property
    def adding(self) -> bool:
        return self.node is None

    def _row(self, label: str, widget: Widget, name: str, classes: str = "") -> Horizontal:
        return Horizontal(
            Label(label, classes="form-label"),
            widget,
            classes=f"form-row {classes}",
            id=f"row-{name}",
        )

    def compose(self) -> ComposeResult:
        """A row for every declared field; ``_fill`` shows those of the kind, in this order."""
        with Vertical(id="form", classes="modal"):
            yield Static(id="form-title", classes="modal-title")
            with VerticalScroll(id="form-fields"):
                title = TextInput(placeholder="What, in one line", compact=True, id="f-title")
                yield self._row("Title", title, "title")
                for spec in ORDERED:
                    if spec.type is FieldType.TEXT:
                        # Supports goes before the free text (which takes enter as a new line).
                        yield self._row(
                            "Supports", Button("", id="f-supports", compact=True), "supports"
                        )
                    yield self._row(
                        spec.label,
                        self._input(spec),
                        spec.name,
                        "tall" if spec.type is FieldType.TEXT else "",
                    )
                id_input = TextInput(placeholder="from the title", compact=True, id="f-id")
                yield self._row("Id", id_input, "id")
            yield Static("", id="form-note")
            yield Static("", id="form-error")
            with Horizontal(classes="modal-buttons"):
                yield Static("", classes="modal-hint", id="form-keys")
                yield Button("Save ctrl+s", variant="primary", id="save", compact=True)
                yield Button("Cancel esc", id="cancel", compact=True)

    @staticmethod
    def _input(spec: FieldSpec) -> Widget:
        name = f"f-{spec.name}"
        if spec.type is FieldType.TEXT:
            return TextBox(compact=True, id=name, show_line_numbers=False)
        if spec.choices is not None:
            shown: dict[str, str] = {str(d): text for d, text in DIRECTION_SHOWN.items()}
            options = [(shown.get(c.value, c.value), c.value) for c in spec.choices]
            prompt = spec.help or "choose"
            return FieldSelect(options, prompt=prompt, compact=True, id=name)
        placeholder = spec.help or PLACEHOLDERS.get(spec.type, "")
        return TextInput(placeholder=placeholder, compact=True, id=name)

    def on_mount(self) -> None:
        if not self._filled:
            self._fill()

    def on_screen_resume(self) -> None:
        if not self._filled:
            self._fill()

    def _fill(self) -> None:
        """Show the prepared node (or an empty form for a new one), as if freshly opened."""
        self._filled = True
        node = self.draft if self.draft is not None else self.node
        indicators = sorted(n.id for n in self.plan.nodes(Kind.INDICATOR))
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed):
            self.query_one("#f-title", Input).value = node.title if node else ""
            id_input = self.query_one("#f-id", Input)
            id_input.value = node.id if node else ""
            id_input.disabled = not self.adding
            for spec in FORM_FIELDS:
                value = getattr(node, spec.name) if node is not None else None
                widget = self.query_one(f"#f-{spec.name}")
                if isinstance(widget, TextArea):
                    widget.load_text(value or "")
                elif isinstance(widget, Select):
                    widget.value = str(value) if value is not None else Select.NULL
                elif isinstance(widget, Input):
                    widget.value = _shown(value)
                    widget.suggester = self._suggester(spec, indicators)
            self._show_kind()
            self._show_supports()
        self.query_one("#form-fields", VerticalScroll).scroll_home(animate=False)
        self.set_focus(self.query_one("#f-title", Input))
        self._validate()

    def _suggester(self, spec: FieldSpec, indicators: list[str]) -> Suggester | None:
        if spec.name == "owner":
            return SuggestFromList(self.owners)
        if spec.type is FieldType.REFERENCE:
            return ReferenceSuggester(indicators, braces=False)
        if spec.type in (FieldType.EXPRESSION, FieldType.CONDITION):
            return ReferenceSuggester(indicators, braces=True)
        return None

    def _show_kind(self) -> None:
        """Show the rows of the current kind (a new node's kind can be switched)."""
        kind = self.kind
        own = {spec.name for spec in fields_for(kind)}
        for spec in FORM_FIELDS:
            self.query_one(f"#row-{spec.name}").display = spec.name in own
        self.query_one("#row-supports").display = self.adding
        self.query_one("#row-id").display = self.adding
        if self.node is not None:
            heading = f"Edit {self.node.kind} · {self.node.id}"
        else:
            heading = f"Add {kind.article} {kind}"
        self.query_one("#form-title", Static).update(plain(heading))
        keys = "↵ next  ^s save"
        if self.adding:
            keys += "  ^n another  ^k kind"
            # A new node starts with its kind's defaults (an initiative is a candidate).
            defaults = Node(id="new", kind=kind, title="new")
            for spec in fields_for(kind):
                if spec.choices is None:
                    continue
                select = self.query_one(f"#f-{spec.name}", Select)
                default = getattr(defaults, spec.name)
                if select.is_blank() and default is not None:
                    with self.prevent(Select.Changed):
                        select.value = str(default)
        self.query_one("#form-keys", Static).update(keys)

    def _show_supports(self) -> None:
        button = self.query_one("#f-supports", Button)
        if self.parents:
            titles = ", ".join(self.plan.node(p).title for p in self.parents if p in self.plan)
            shown = fit(plain(titles), 52)
        elif self.kind is Kind.GOAL:
            shown = plain("nothing: a goal is the top of the plan")
        else:
            shown = plain(NO_PARENT)
        button.label = shown

    # -- reading the form ----------------------------------------------------------------------

    def stops(self) -> list[Widget]:
        """The fields ``enter`` walks, in order: the shown one-line inputs and choices."""
        shown: list[Widget] = [self.query_one("#f-title", Input)]
        own = {spec.name for spec in fields_for(self.kind)}
        for spec in ORDERED:
            if spec.name in own and spec.type is not FieldType.TEXT:
                shown.append(self.query_one(f"#f-{spec.name}"))
        return shown

    def _read(self, spec: FieldSpec) -> object:
        widget = self.query_one(f"#f-{spec.name}")
        if isinstance(widget, TextArea):
            return widget.text.strip() or None
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else spec.check(widget.value)
        assert isinstance(widget, Input)
        text = widget.value.strip()
        if spec.type.is_number:
            return typed_number(text, spec.name)
        if spec.type is FieldType.DATE:
            return _date(text, spec.name)
        return text or None

    def inferred_direction(self) -> tuple[Direction, str] | None:
        """The direction baseline -> target says, when the user chose none."""
        if self.kind is not Kind.INDICATOR:
            return None
        if self.query_one("#f-direction", Select).value is not Select.NULL:
            return None
        try:
            baseline = typed_number(self.query_one("#f-baseline", Input).value, "baseline")
            target = typed_number(self.query_one("#f-target", Input).value, "target")
            return infer_direction(baseline, target)
        except PlanError:
            return None

    def build(self) -> FormResult:
        """The node the form describes, checked against the plan; PlanError says what is wrong
        and ``field`` which input."""
        kind = self.kind
        title = self.query_one("#f-title", Input).value.strip()
        if not title:
            raise PlanError("title must not be empty", field="title")
        values: dict[str, object] = {"title": title}
        for spec in fields_for(kind):
            if spec.type is not FieldType.HISTORY:
                values[spec.name] = self._read(spec)
        if (inferred := self.inferred_direction()) is not None:
            values["direction"] = inferred[0]
        if self.node is not None:
            node = self.node.evolve(**values)
            self._check_references(node)
            self.plan.update_change(node)
            return FormResult(node)
        node_id = self.query_one("#f-id", Input).value.strip()
        if node_id in ("", self._auto_id):  # not typed: from the title, as it is now
            node_id = edits.unique_id(self.plan, title)
        if not node_id:
            raise PlanError("id must not be empty", field="id")
        node = Node(id=node_id, kind=kind, **values)  # type: ignore[arg-type]
        self._check_references(node)
        try:
            self.plan.add_change(node, self.parents)
        except PlanError as error:
            error.field = error.field or "supports"  # the id is taken, or a link is refused
            raise
        return FormResult(node, self.parents)

    def _check_references(self, node: Node) -> None:
        """Formulas, conditions and measures name indicators of this plan."""
        for spec in fields_for(node.kind):
            text = getattr(node, spec.name)
            if text is None:
                continue
            if spec.type is FieldType.REFERENCE:
                named = {text}
            elif spec.type is FieldType.EXPRESSION:
                named = references(parse_expression(text))
            elif spec.type is FieldType.CONDITION:
                named = references(parse_condition(text))
            else:
                continue
            for node_id in sorted(named):
                if node_id not in self.plan or self.plan.node(node_id).kind is not Kind.INDICATOR:
                    raise PlanError(f"{spec.name}: no indicator {node_id!r}", field=spec.name)

    def _validate(self) -> FormResult | None:
        error = self.query_one("#form-error", Static)
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        self._show_note()
        try:
            result = self.build()
        except PlanError as problem:
            if not self._touched:
                return None
            error.update(plain(f"⚠ {problem}"))
            error.add_class("-shown")
            if problem.field:
                for widget in self.query(f"#f-{problem.field}"):
                    widget.add_class("-invalid")
            return None
        error.update("")
        error.remove_class("-shown")
        return result

    def _show_note(self) -> None:
        """The inferred direction, else the help of the focused field (from its declaration)."""
        note = ""
        if (inferred := self.inferred_direction()) is not None:
            note = f"Better: {DIRECTION_SHOWN[inferred[0]]}, read from baseline -> target: {inferred[1]}"
        elif (focused := self.focused) is not None and (focused.id or "").startswith("f-"):
            spec = next((s for s in FORM_FIELDS if f"f-{s.name}" == focused.id), None)
            if spec is not None and spec.help:
                note = f"{spec.label}: {spec.help}"
        self.query_one("#form-note", Static).update(plain(note, "$text-muted"))

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
    def _chosen(self) -> None:
        self._validate()

    def on_descendant_focus(self) -> None:
        if self._filled:
            self._show_note()

    def action_next_field(self) -> None:
        """Enter: the next field, or save on the last one (enter in a list or on a button is
        theirs; in free text it is a new line)."""
        focused = self.focused
        stops = self.stops()
        if focused not in stops:
            raise SkipAction()
        assert focused is not None
        index = stops.index(focused)
        if index + 1 < len(stops):
            self.set_focus(stops[index + 1])
            self._show_note()
        else:
            self.action_save()

    def action_focus_step(self, step: int) -> None:
        if self.app.screen is not self:
            raise SkipAction()  # the parents picker is on top
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()
        self._show_note()

    def action_cycle_kind(self) -> None:
        """ctrl+k: the next kind, for a new node (what was typed in common fields stays)."""
        if not self.adding:
            self.notify("An edit cannot change a node's kind", severity="warning", timeout=3)
            return
        self.kind = KIND_ORDER[(KIND_ORDER.index(self.kind) + 1) % len(KIND_ORDER)]
        self._show_kind()
        self._show_supports()
        self._validate()

    @on(Button.Pressed, "#f-supports")
    def _pick_supports(self) -> None:
        from alignment.tui.modals.pickers import ParentsPickerModal

        def picked(parents: object) -> None:
            if isinstance(parents, tuple):
                self.parents = parents
                self._touched = True
                self._show_supports()
                self._validate()

        self.app.push_screen(ParentsPickerModal(self.plan, self.kind, self.parents), picked)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    def action_save(self, again: bool = False) -> None:
        """Save once the keys typed before this one are in their fields (see ``_when_typed``)."""
        self._when_typed(lambda: self._save(again))

    def _when_typed(self, then: Callable[[], None]) -> None:
        """Run ``then`` once every key typed so far has reached its input.

        A priority key (ctrl+s) is handled when it arrives; the keys before it may still wait
        in the queues of the inputs they were sent to. ``then`` runs in the focused input's
        queue (so keys typed after this one wait behind it), after a no-op has gone through
        the queue of every other input.
        """
        focused = self.focused or self
        others = [w for w in self.query("Input, TextArea") if w is not focused]

        async def typed() -> None:
            for widget in others:
                passed = asyncio.Event()
                widget.call_later(passed.set)
                await passed.wait()
            if self.is_current:
                then()

        focused.call_later(typed)

    def _save(self, again: bool) -> None:
        self._touched = True
        result = self._validate()
        if result is not None and again and self.add_another is not None:
            # The form stays: filled again for the next node, here and now, so the keys
            # typed after ctrl+n land in its title.
            add_another = self.add_another
            add_another(FormResult(result.node, result.parents, again=True))
            self.prepare(self.plan, self.kind, None, self.parents, self.owners)
            self.add_another = add_another
        elif result is not None:
            self.dismiss(result)
        else:
            self.notify("Fix the highlighted field first", severity="warning", timeout=3)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
