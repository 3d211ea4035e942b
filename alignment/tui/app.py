"""AlignmentApp: the views, the keys and the actions, over the plan state of PlanApp.

``make_app(db, plan)`` builds the app; the CLI, Pilot tests and snapshot tests all use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from textual.actions import ActionParseResult
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.widgets import Input, Static, TextArea

from alignment.tui.commands import OPENS_INPUT, AlignmentCommands, app_bindings
from alignment.tui.database import BUSY_TIMEOUT
from alignment.tui.drafting import DraftingActions
from alignment.tui.plans import PlanActions
from alignment.tui.screens.base import PlanView
from alignment.tui.screens.findings import FindingsScreen
from alignment.tui.screens.forecast import ForecastScreen
from alignment.tui.screens.help import HelpScreen
from alignment.tui.screens.initiatives import InitiativesScreen
from alignment.tui.screens.map import MapScreen
from alignment.tui.screens.metrics import MetricsScreen
from alignment.tui.screens.welcome import WelcomeScreen
from alignment.tui.state import Analysis

__all__ = ["AlignmentApp", "Analysis", "make_app"]

DARK, LIGHT = "textual-dark", "textual-light"  # Textual starts in DARK (or $TEXTUAL_THEME)
# Actions that need an open plan; without one they are hidden from the footer and palette.
PLAN_ACTIONS = {
    "add", "edit", "link", "unlink", "delete", "status", "drop", "checkin", "undo", "redo",
    "search", "view", "export_plan", "edit_plan", "quick_add", "add_sibling", "link_numbers",
    "history",
}  # fmt: skip
# Actions that write to the database.
WRITE_ACTIONS = {
    "add", "edit", "link", "unlink", "delete", "status", "drop", "checkin", "undo", "redo",
    "edit_plan", "new_plan", "import_plan", "quick_add", "add_sibling", "link_numbers",
}  # fmt: skip
# Refused at once in read-only mode (and hidden): the writes, and opening another plan of the
# database (`alignment serve --read-only --plan NAME` shares that one plan).
READ_ONLY_REFUSED = WRITE_ACTIONS | {"switch_plan"}


class AlignmentApp(DraftingActions, PlanActions):
    CSS_PATH = "app.tcss"
    TITLE = "alignment"
    NOTIFICATION_TIMEOUT = 3  # confirmations; errors stay longer (they set their own)
    COMMANDS = App.COMMANDS | {AlignmentCommands}
    BINDINGS = app_bindings()
    MODES = {
        "welcome": WelcomeScreen,
        "map": MapScreen,
        "findings": FindingsScreen,
        "initiatives": InitiativesScreen,
        "metrics": MetricsScreen,
        "forecast": ForecastScreen,
    }

    def compose(self) -> ComposeResult:
        # Still text, not an animated indicator: its frames took the CPU the plan's loading
        # needs (the first screen of a 10k-node plan came ~0.1 s later with one).
        yield Static("Opening…", id="opening")

    def on_mount(self) -> None:
        self.load_plan(self.requested_plan, first=True)

    # -- app-wide actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.read_only and action in READ_ONLY_REFUSED:
            return False  # not offered in the footer and the palette
        return self._available(action)

    def _available(self, action: str) -> bool:
        if action in OPENS_INPUT and not self._on_a_view():
            return False  # a priority key: typed text when a modal or a field has the focus
        return not (action in PLAN_ACTIONS and self.session is None)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        # Read-only: a write key is answered at once, before any form opens (the writes
        # themselves are refused again where they happen, in PlanApp.refuses_writes); where
        # the key is text (typed into a search box), it stays text.
        name = action if isinstance(action, str) else action[1]
        name = name.split("(")[0].rpartition(".")[2]
        if self.read_only and name in READ_ONLY_REFUSED and self._available(name):
            return self.refuses_writes()
        return await super().run_action(action, default_namespace, namespaces)

    def _on_a_view(self) -> bool:
        """Is a plan view on top, its focus not in a text field (a table's filter)?"""
        return isinstance(self.screen, PlanView) and not isinstance(
            self.screen.focused, Input | TextArea
        )

    def action_view(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def make_app(
    db: str | None = None,
    plan: str | None = None,
    *,
    today: Callable[[], date] = date.today,
    busy_timeout: float = BUSY_TIMEOUT,
    read_only: bool = False,
    author: str | None = None,
) -> AlignmentApp:
    """The app on database ``db`` (path, URL or None for the default), opening plan ``plan``.

    ``busy_timeout``: seconds an edit waits for another program's lock before giving up.
    ``read_only``: every edit is refused with a notice (``alignment serve --read-only``).
    ``author``: the name the journal gives this app's edits (default: the OS user).
    """
    return AlignmentApp(
        db, plan, today=today, busy_timeout=busy_timeout, read_only=read_only, author=author
    )
