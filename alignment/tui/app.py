"""AlignmentApp: opens a plan, routes every edit through the store session, keeps views fresh.

``make_app(db, plan)`` builds the app; the CLI, Pilot tests and snapshot tests all use it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from time import perf_counter

from textual import work
from textual.app import App, ComposeResult
from textual.timer import Timer
from textual.widgets import LoadingIndicator

from alignment.core.analysis import Alignment, Coverage, Finding, alignment_of, coverage, findings
from alignment.core.changes import Change, UpdateNode
from alignment.core.model import PlanError
from alignment.core.plan import Plan
from alignment.tui.commands import AlignmentCommands, app_bindings
from alignment.tui.editing import EditActions
from alignment.tui.plans import PlanActions
from alignment.tui.screens.base import PlanView
from alignment.tui.screens.findings import FindingsScreen
from alignment.tui.screens.help import HelpScreen
from alignment.tui.screens.initiatives import InitiativesScreen
from alignment.tui.screens.map import MapScreen
from alignment.tui.screens.metrics import MetricsScreen
from alignment.tui.screens.welcome import WelcomeScreen

__all__ = ["AlignmentApp", "Analysis", "make_app"]

DARK, LIGHT = "textual-dark", "textual-light"
# Actions that need an open plan; without one they are hidden from the footer and palette.
PLAN_ACTIONS = {
    "add", "edit", "link", "unlink", "delete", "status", "drop", "checkin", "undo", "redo",
    "search", "view", "export_plan",
}  # fmt: skip


@dataclass(slots=True)
class Analysis:
    """What every view shows about the plan, computed once per edit (about 40 ms at 10k nodes)."""

    alignment: Alignment
    findings: list[Finding]
    coverage: Coverage
    by_node: dict[str, list[Finding]] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: Plan, alignment: Alignment | None = None) -> Analysis:
        alignment = alignment or alignment_of(plan)
        found = findings(plan, alignment)
        by_node: dict[str, list[Finding]] = {}
        for finding in found:
            by_node.setdefault(finding.node, []).append(finding)
        return cls(alignment, found, coverage(plan, alignment), by_node)


class AlignmentApp(EditActions, PlanActions, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "alignment"
    COMMANDS = App.COMMANDS | {AlignmentCommands}
    BINDINGS = app_bindings()
    MODES = {
        "welcome": WelcomeScreen,
        "map": MapScreen,
        "findings": FindingsScreen,
        "initiatives": InitiativesScreen,
        "metrics": MetricsScreen,
    }

    def __init__(
        self,
        db: str | None = None,
        plan_name: str | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.db = db
        self.requested_plan = plan_name
        self.today = today
        self.store = (
            None  # alignment.store.Store, opened in a worker (SQLAlchemy is slow to import)
        )
        self.store_error: str | None = None
        self.session = None  # alignment.store.PlanSession of the open plan
        self.analysis: Analysis | None = None
        self.plan_token = 0  # moves when another plan (or a reloaded copy) is shown
        self.changes: list[Change] = []  # edits since the plan was shown, for incremental views
        self.findings_stale = False  # findings lag one refresh behind an edit (see edited)
        self.pending_reveal: str | None = None  # a node the map should show when next synced
        self._idle_collection: Timer | None = None
        self.timings: dict[str, float] = {}  # perf_counter marks of the last edit (benchmarks)
        self.theme = DARK

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()

    def on_mount(self) -> None:
        self.load_plan(self.requested_plan, first=True)

    @property
    def plan(self) -> Plan:
        assert self.session is not None
        return self.session.plan

    # -- opening plans -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_plan(self, name: str | None, first: bool = False) -> None:
        """Open the store (once) and the plan ``name``; the welcome screen when there is none."""
        from alignment.store import Store

        try:
            if self.store is None:
                self.store = Store.open(self.db)
            if name is None and first:
                names = self.store.plan_names()
                name = names[0] if len(names) == 1 else None
            if name is None:
                self.call_from_thread(self.show_welcome)
                return
            session = self.store.session(name)
            analysis = Analysis.of(session.plan)
        except PlanError as error:
            self.store_error = str(error) if self.store is None else None
            self.call_from_thread(self.notify, str(error), severity="error", timeout=8)
            self.call_from_thread(self.show_welcome)
            return
        self.call_from_thread(self.show_session, session, analysis)

    def show_welcome(self) -> None:
        if self.current_mode == "welcome":
            self.screen.refresh_choices()  # type: ignore[attr-defined]
        else:
            self.switch_mode("welcome")

    def show_session(self, session, analysis: Analysis) -> None:  # type: ignore[no-untyped-def]
        self.session = session
        self.analysis = analysis
        self.plan_token += 1
        self.changes = []
        self.findings_stale = False
        self.sub_title = session.name
        # The plan's objects live as long as it is open: moving them out of the collector's
        # reach spares every later edit a full collection over them (up to ~80 ms at 10k).
        gc.freeze()
        if self.current_mode in ("map", "findings", "initiatives", "metrics"):
            self.view_screen().sync()
        else:
            self.switch_mode("map")

    def view_screen(self) -> PlanView:
        screen = self.screen_stack[0] if self.screen_stack else self.screen
        assert isinstance(screen, PlanView)
        return screen

    # -- the edit pipeline: one change, one transaction, then the views catch up ------------------

    def apply_change(self, change: Change) -> bool:
        """Save ``change``; on refusal notify and keep the screen true to the stored plan."""
        from alignment.store import StaleEditError

        session = self.session
        assert session is not None
        before = session.plan
        self.timings = {"submitted": perf_counter()}
        self.pause_collection()
        try:
            session.apply(change)
        except StaleEditError as error:
            self.notify(str(error), title="Plan reloaded", severity="warning", timeout=8)
            self.plan_reloaded()
            return False
        except PlanError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=8)
            if session.plan is not before:
                self.plan_reloaded()
            return False
        self.timings["saved"] = perf_counter()
        self.edited(change)
        return True

    def edited(self, change: Change) -> None:
        """Bring the screen up to date after ``change``, the cheap part first.

        Alignment (what reaches a goal) drives the map, so it is computed at once; findings
        and coverage follow right after the screen has refreshed (the status line catches up).
        """
        assert self.session is not None and self.analysis is not None
        alignment = self.analysis.alignment
        if not keeps_alignment(change):
            alignment = alignment_of(self.session.plan)
        self.analysis = Analysis(
            alignment, self.analysis.findings, self.analysis.coverage, self.analysis.by_node
        )
        self.findings_stale = True
        self.changes.append(change)
        if isinstance(self.screen_stack[0], PlanView):
            self.view_screen().sync()
        self.timings["synced"] = perf_counter()
        self.call_after_refresh(self._screen_updated)

    def _screen_updated(self) -> None:
        self.timings["screen"] = perf_counter()
        self.refresh_findings()

    def refresh_findings(self) -> None:
        if not self.findings_stale or self.session is None or self.analysis is None:
            return
        self.analysis = Analysis.of(self.session.plan, self.analysis.alignment)
        self.findings_stale = False
        if isinstance(self.screen_stack[0], PlanView):
            self.view_screen().findings_updated()
        self.timings["findings"] = perf_counter()

    def pause_collection(self) -> None:
        """No garbage collection from an edit until the user has paused for a moment.

        A full collection that lands inside an edit's round trip costs 30-80 ms at 10k nodes
        (closed forms leave thousands of objects behind); collecting while the user reads
        the result costs nothing they notice.
        """
        gc.disable()
        if self._idle_collection is not None:
            self._idle_collection.stop()
        self._idle_collection = self.set_timer(1.5, _collect_garbage)

    def plan_reloaded(self) -> None:
        assert self.session is not None
        self.show_session(self.session, Analysis.of(self.session.plan))

    # -- app-wide actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in PLAN_ACTIONS and self.session is None)

    def action_view(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def reveal(self, node_id: str) -> None:
        """Show ``node_id`` on the map, whatever view is open."""
        self.pending_reveal = node_id
        if self.current_mode != "map":
            self.switch_mode("map")  # the map reveals it when it resumes
        else:
            self.view_screen().sync()


def _collect_garbage() -> None:
    gc.enable()
    gc.collect()


def keeps_alignment(change: Change) -> bool:
    """Can ``change`` leave what reaches a goal as it was? Alignment follows links, kinds and
    which initiatives are live; an edit of a node's fields (a check-in, a title, a status
    between candidate and done) keeps all three, so its ~15 ms recomputation at 10k is saved."""
    return isinstance(change, UpdateNode) and change.before.is_live == change.after.is_live


def make_app(
    db: str | None = None, plan: str | None = None, *, today: Callable[[], date] = date.today
) -> AlignmentApp:
    """The app on database ``db`` (path, URL or None for the default), opening plan ``plan``."""
    return AlignmentApp(db, plan, today=today)
