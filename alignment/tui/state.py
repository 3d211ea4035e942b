"""PlanApp: the open plan, and the one way an edit goes: saved in one transaction, then shown.

The base of AlignmentApp, and what the action mixins (EditActions, PlanActions) and the views
see of the app: its attributes and its edit pipeline are typed here, not guessed at.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from time import perf_counter
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.notifications import SeverityLevel
from textual.timer import Timer

from alignment.core.analysis import Alignment, Coverage, Finding, alignment_of, coverage, findings
from alignment.core.changes import Change, RecordCheckIn, UpdateNode
from alignment.core.model import PlanError
from alignment.core.plan import Plan
from alignment.formats.escape import printable
from alignment.tui.database import BUSY_TIMEOUT, DatabaseFile, limit_busy_wait
from alignment.tui.screens.base import PlanView
from alignment.tui.screens.welcome import WelcomeScreen

if TYPE_CHECKING:  # the store imports SQLAlchemy: loaded in a worker, not at start-up
    from alignment.store import PlanSession, Store

__all__ = ["READ_ONLY_NOTICE", "Analysis", "PlanApp", "keeps_alignment"]

READ_ONLY_NOTICE = "read-only: this plan is shared for reading"


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


class PlanApp(App[None]):
    """The state every view and action reads: the store, the open session, its analysis."""

    def __init__(
        self,
        db: str | None = None,
        plan_name: str | None = None,
        *,
        today: Callable[[], date] = date.today,
        busy_timeout: float = BUSY_TIMEOUT,
        read_only: bool = False,
        author: str | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.read_only = read_only  # `alignment serve --read-only`: every write is refused
        self.author = author  # who the journal names for edits made here (None: the OS user)
        self.busy_timeout = busy_timeout
        self.database: DatabaseFile | None = None
        self.requested_plan = plan_name
        self.today = today
        self.store: Store | None = None  # opened in a worker (SQLAlchemy is slow to import)
        self.store_error: str | None = None
        self.session: PlanSession | None = None  # the open plan
        self._analysis: Analysis | None = None
        self.plan_token = 0  # moves when another plan (or a reloaded copy) is shown
        self.changes: list[Change] = []  # edits since the plan was shown, for incremental views
        self.findings_stale = False  # findings lag one refresh behind an edit (see edited)
        self.pending_reveal: str | None = None  # a node the map should show when next synced
        self._idle_collection: Timer | None = None
        self.timings: dict[str, float] = {}  # perf_counter marks of the last edit (benchmarks)

    @property
    def plan(self) -> Plan:
        assert self.session is not None
        return self.session.plan

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice of the app is text, never markup: most quote a title or a plan name
        (``Fix [/] bug`` would crash the toast, ``[@click=app.quit]`` would become a button)."""
        super().notify(
            printable(message, keep="\n"),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    @property
    def analysis(self) -> Analysis:
        """What the views show about the open plan (there is one whenever a plan is open)."""
        assert self._analysis is not None
        return self._analysis

    @analysis.setter
    def analysis(self, analysis: Analysis) -> None:
        self._analysis = analysis

    # -- opening plans -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_plan(self, name: str | None, first: bool = False) -> None:
        """Open the store (once) and the plan ``name``; the welcome screen when there is none."""
        from alignment.store import PlanSession, Store

        try:
            if self.store is None:
                store = Store.open(self.db)
                limit_busy_wait(store, self.busy_timeout)
                self.database = DatabaseFile(store)
                self.store = store
            if name is None and first:
                names = self.store.plan_names()
                name = names[0] if len(names) == 1 else None
            if name is None:
                self.call_from_thread(self.show_welcome)
                return
            session = PlanSession(self.store, self.store.resolve_plan(name), self.author)
            analysis = Analysis.of(session.plan)
        except PlanError as error:
            self.store_error = str(error) if self.store is None else None
            self.call_from_thread(self.notify, str(error), severity="error", timeout=8)
            self.call_from_thread(self.show_welcome)
            return
        self.call_from_thread(self.show_session, session, analysis)

    def show_welcome(self) -> None:
        if self.current_mode != "welcome":
            self.switch_mode("welcome")
            return
        welcome = self.screen_stack[0]  # under any modal it opened (import, new plan)
        if isinstance(welcome, WelcomeScreen):
            welcome.refresh_choices()

    def show_session(self, session: PlanSession, analysis: Analysis) -> None:
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

    def refuses_writes(self) -> bool:
        """In read-only mode say so and return True: every write of the app asks this first."""
        if self.read_only:
            self.notify(READ_ONLY_NOTICE, severity="warning", timeout=6)
        return self.read_only

    def apply_change(self, change: Change) -> bool:
        """Save ``change``; on refusal notify and keep the screen true to the stored plan."""
        session = self.session
        assert session is not None

        def save() -> Change:
            session.apply(change)
            return change

        return self.write(save, "Not saved")[0]

    def write(self, save: Callable[[], Change | None], refused: str) -> tuple[bool, Change | None]:
        """Run one write of the session (an edit, an undo, a redo) and show its result.

        Returns (saved, the change made or None when there was nothing to do). When not
        saved the user has been told why, and the screen shows what the database holds,
        never a change half made (a refused write is undone in memory, or the plan re-read).
        """
        from alignment.store import StaleEditError, StoreError

        session = self.session
        assert session is not None and self.database is not None
        if self.refuses_writes():
            return False, None
        before = session.plan
        self.timings = {"submitted": perf_counter()}
        self.pause_collection()
        if (problem := self.database.problem()) is not None:
            self.notify(problem, title=refused, severity="error", timeout=12)
            return False, None
        try:
            change = save()
        except StaleEditError as error:
            self.notify(str(error), title="Plan reloaded", severity="warning", timeout=8)
            self.plan_reloaded()
            return False, None
        except StoreError as error:
            self.notify(str(error), title=refused, severity="error", timeout=8)
            self._read_again()
            return False, None
        except PlanError as error:  # refused by the plan's rules, before any write
            self.notify(str(error), title=refused, severity="error", timeout=8)
            if session.plan is not before:
                self.plan_reloaded()
            return False, None
        if change is None:
            return True, None
        self.timings["saved"] = perf_counter()
        if session.plan is not before:  # it caught up with another process's edits first
            self.plan_reloaded()
        else:
            self.edited(change)
        return True, change

    def _read_again(self) -> None:
        """After the database refused a write: show the plan as stored, or, when the plan has
        gone (deleted by another program), the welcome screen."""
        from alignment.store import StoreError

        assert self.session is not None and self.store is not None
        try:
            self.session.reload()
        except StoreError as error:
            try:
                gone = self.session.name not in self.store.plan_names()
            except StoreError:
                gone = False  # the database cannot be read now; keep what is on screen
            if gone:
                self.notify(f"{error}; open another plan", title="Plan closed", severity="error")
                self.close_plan()
                return
        self.plan_reloaded()

    def close_plan(self) -> None:
        self.session = None
        self._analysis = None
        self.plan_token += 1
        self.sub_title = ""
        self.show_welcome()

    def edited(self, change: Change) -> None:
        """Bring the screen up to date after ``change``, the cheap part first.

        Alignment (what reaches a goal) drives the map, so it is computed at once; findings
        and coverage follow right after the screen has refreshed (the status line catches up).
        """
        assert self.session is not None
        alignment = self.analysis.alignment
        if not keeps_alignment(change):
            alignment = alignment_of(self.session.plan)
        self.analysis = Analysis(
            alignment, self.analysis.findings, self.analysis.coverage, self.analysis.by_node
        )
        self.findings_stale = True
        self.sub_title = self.session.name  # follows a rename
        self.changes.append(change)
        if isinstance(self.screen_stack[0], PlanView):
            self.view_screen().sync()
        self.timings["synced"] = perf_counter()
        self.call_after_refresh(self._screen_updated)

    def _screen_updated(self) -> None:
        self.timings["screen"] = perf_counter()
        self.refresh_findings()

    def refresh_findings(self) -> None:
        if not self.findings_stale or self.session is None:
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
        """Show the session's plan as read again, the cursor staying on its node."""
        assert self.session is not None
        if isinstance(self.screen_stack[0], PlanView):
            selected = self.view_screen().selected_node()
            if selected is not None and selected in self.session.plan:
                self.pending_reveal = selected
        self.show_session(self.session, Analysis.of(self.session.plan))

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
    if isinstance(change, RecordCheckIn):
        return True
    return isinstance(change, UpdateNode) and change.before.is_live == change.after.is_live
