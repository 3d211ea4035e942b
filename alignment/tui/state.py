"""PlanApp: the open plan, and the one way an edit goes: saved in one transaction, then shown.

The base of AlignmentApp, and what the action mixins (EditActions, PlanActions) and the views
see of the app: its attributes and its edit pipeline are typed here, not guessed at.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual import on, work
from textual.app import App
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.timer import Timer

from alignment.bulk import gc_paused, settle_heap
from alignment.core.analysis import (
    Alignment,
    Coverage,
    Finding,
    alignment_of,
    coverage,
    findings,
    indicator_statuses,
)
from alignment.core.changes import Change
from alignment.core.forecast import Forecast, forecast
from alignment.core.incremental import alignment_after, keeps_numbers
from alignment.core.model import PlanError
from alignment.core.plan import Plan
from alignment.core.values import Metrics, metric_values
from alignment.formats.escape import printable
from alignment.tui.database import BUSY_TIMEOUT, DatabaseFile
from alignment.tui.screens.base import PlanView
from alignment.tui.screens.welcome import WelcomeScreen

if TYPE_CHECKING:  # the store imports SQLAlchemy: loaded in a worker, not at start-up
    from alignment.store import PlanSession, Store

__all__ = ["READ_ONLY_NOTICE", "Analysis", "PlanApp", "Write"]

READ_ONLY_NOTICE = "read-only: this plan is shared for reading"
T = TypeVar("T")
# Up to this many nodes the forecast a goal or a strategy shows is computed when asked for
# (under ~10 ms); beyond, in the write lane (about 0.1 s at 10k) while the detail says so.
FORECAST_AT_ONCE = 1000
# Every this many edits the heap is settled again (bulk.settle_heap, ~90 ms at 10k nodes),
# once the last edit's findings are on screen: what the edits made since stays small, and
# the collector's own full passes (60-90 ms at 10k) stop landing in the middle of an edit.
SETTLE_EVERY = 8
OTHERS_INTERVAL = 1.0  # seconds between two looks at whether another process changed the plan


@dataclass(slots=True)
class Analysis:
    """What every view shows about the plan. After an edit it comes in two steps, both off the
    UI thread: alignment and the numbers with the saved edit (about 30 ms at 10k nodes), then
    the findings, coverage and statuses (about 65 ms more) once the edit is on screen."""

    alignment: Alignment
    findings: list[Finding]
    coverage: Coverage
    by_node: dict[str, list[Finding]] = field(default_factory=dict)
    # The numbers as meant (formulas computed, aims lent) and a status word per indicator,
    # both as of the app's today (the same date as the time rules of the findings).
    metrics: Metrics = field(default_factory=lambda: Metrics({}, {}))
    statuses: dict[str, str] = field(default_factory=dict)
    checked: bool = True  # False: findings and statuses not computed yet (a plan just read)

    @classmethod
    def of(
        cls,
        plan: Plan,
        alignment: Alignment | None = None,
        as_of: date | None = None,
        metrics: Metrics | None = None,
    ) -> Analysis:
        alignment = alignment or alignment_of(plan)
        as_of = as_of or date.today()
        if metrics is None:
            metrics = metric_values(plan, as_of)
        found = findings(plan, alignment, as_of, metrics)
        by_node: dict[str, list[Finding]] = {}
        for finding in found:
            by_node.setdefault(finding.node, []).append(finding)
        statuses = indicator_statuses(found, metrics)
        return cls(alignment, found, coverage(plan, alignment), by_node, metrics, statuses)

    @classmethod
    def first(cls, plan: Plan, as_of: date) -> Analysis:
        """What the first screen of a plan needs: alignment, coverage and the numbers; the
        findings follow in the write lane (``checked`` False until then)."""
        alignment = alignment_of(plan)
        metrics = metric_values(plan, as_of)
        return cls(alignment, [], coverage(plan, alignment), {}, metrics, {}, checked=False)


@dataclass(frozen=True, slots=True)
class Write:
    """One write of the open plan, waiting its turn in the app's write lane."""

    save: Callable[[PlanSession], Change | None]  # runs in a worker thread
    refused: str  # the title of the notice when it is refused
    done: Callable[[Change | None], None] | None = None  # once the result is on screen
    conflict: Callable[[str], None] | None = None  # a real conflict: give the user their edit


class PlanApp(App[None]):
    """The state every view and action reads: the store, the open session, its analysis."""

    class ChangeSaved(Message):
        """A write went through (``change`` None: there was nothing to do, e.g. to undo).

        With it, what the screen needs at once: ``alignment`` and ``metrics`` (the same
        objects as before when the change cannot move them); ``analysis`` when the whole of
        it was computed (the open view lists findings, or ``reloaded``: the plan was read
        again, others had written).
        """

        def __init__(
            self,
            job: Write,
            session: PlanSession,
            change: Change | None,
            *,
            alignment: Alignment | None = None,
            metrics: Metrics | None = None,
            analysis: Analysis | None = None,
            reloaded: bool = False,
        ) -> None:
            super().__init__()
            self.job, self.session, self.change = job, session, change
            self.alignment, self.metrics, self.analysis = alignment, metrics, analysis
            self.reloaded = reloaded

    class Analysed(Message):
        """The findings, coverage and statuses of the plan as of the edits shown (``key``:
        the plan token and the number of edits when it was computed; None: not needed)."""

        def __init__(
            self, session: PlanSession, key: tuple[int, int], analysis: Analysis | None
        ) -> None:
            super().__init__()
            self.session, self.key, self.analysis = session, key, analysis

    class WriteRefused(Message):
        """A write was refused; ``analysis`` when the plan was read again, ``gone`` when the
        plan no longer exists, ``conflict`` when someone else changed the same thing."""

        def __init__(
            self,
            job: Write,
            session: PlanSession,
            reason: str,
            title: str,
            severity: SeverityLevel,
            analysis: Analysis | None = None,
            *,
            gone: bool = False,
            conflict: bool = False,
            timeout: float = 8,
        ) -> None:
            super().__init__()
            self.job, self.session, self.reason, self.title = job, session, reason, title
            self.severity, self.analysis, self.timeout = severity, analysis, timeout
            self.gone, self.conflict = gone, conflict

    class Forecasted(Message):
        """The forecast of the committed work for the plan as of ``version`` (None: the plan
        moved on before it was computed)."""

        def __init__(self, version: tuple[int, int], expected: Forecast | None) -> None:
            super().__init__()
            self.version, self.expected = version, expected

    class StoreRead(Message):
        """What ``read_store`` read (``problem``: why it could not)."""

        def __init__(
            self,
            result: Any,
            problem: str | None,
            then: Callable[[Any], None],
            title: str,
            otherwise: Callable[[], None] | None,
        ) -> None:
            super().__init__()
            self.result, self.problem, self.then, self.title = result, problem, then, title
            self.otherwise = otherwise

    class HeapSettled(Message):
        """The objects of the plan just shown are out of the collector's way (settle_heap)."""

    class OthersChecked(Message):
        """The database was asked whether the plan moved on; ``analysis`` when it did (the
        session has read it again)."""

        def __init__(self, session: PlanSession, analysis: Analysis | None) -> None:
            super().__init__()
            self.session, self.analysis = session, analysis

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
        self._expected: tuple[tuple[int, int], Forecast] | None = None  # (version, forecast)
        self._expected_asked: tuple[int, int] | None = None
        # The write lane: writes, exports and the check for other writers' edits run one at a
        # time, in order, each in a worker thread (the plan in memory is never changed by two).
        self.lane: deque[Callable[[], Message]] = deque()
        self.lane_busy = False
        self._others_timer: Timer | None = None

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
    def version(self) -> tuple[int, int]:
        """Which state of the open plan is shown: the plan read, and the edits made since."""
        return (self.plan_token, len(self.changes))

    def expected(self) -> Forecast | None:
        """The forecast of the committed work for the plan as shown; None while it is being
        computed in the write lane (the view gets ``forecast_ready`` when it is there)."""
        version = self.version
        if self._expected is not None and self._expected[0] == version:
            return self._expected[1]
        if len(self.plan) <= FORECAST_AT_ONCE:
            self._expected = (version, forecast(self.plan, metrics=self.analysis.metrics))
            return self._expected[1]
        if self._expected_asked != version:
            self._expected_asked = version
            self.run_in_lane(partial(self._forecast, self.plan, version))
        return None

    def _forecast(self, plan: Plan, version: tuple[int, int]) -> Message:
        """In the worker: the forecast, unless the plan moved on since it was asked for."""
        if version != self.version:
            return self.Forecasted(version, None)
        with gc_paused():
            return self.Forecasted(version, forecast(plan, metrics=self.analysis.metrics))

    @on(Forecasted)
    def _forecasted(self, message: Forecasted) -> None:
        if message.expected is not None and message.version == self.version:
            self._expected = (message.version, message.expected)
            if isinstance(self.screen_stack[0], PlanView):
                self.view_screen().forecast_ready()
        self.lane_done()

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
                store = Store.open(self.db, busy_timeout=self.busy_timeout)
                self.database = DatabaseFile(store)
                self.store = store
            if name is None and first:
                names = self.store.plan_names()
                name = names[0] if len(names) == 1 else None
            if name is None:
                self.call_from_thread(self.show_welcome)
                return
            with gc_paused():  # bulk work: thousands of small objects, none of them garbage
                session = PlanSession(self.store, self.store.resolve_plan(name), self.author)
                analysis = Analysis.first(session.plan, self.today())
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
        self.findings_stale = not analysis.checked
        self.sub_title = session.name
        self.watch_others()
        if self.findings_stale:  # the first screen first, then its findings
            self.call_after_refresh(self._analyse_in_lane)
        self.call_after_refresh(self.run_in_lane, self._settle_heap)
        if self.current_mode in ("map", "findings", "initiatives", "metrics", "forecast"):
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

    def apply_change(
        self,
        change: Change,
        then: Callable[[Change], None] | None = None,
        conflict: Callable[[str], None] | None = None,
    ) -> None:
        """Save ``change`` in a worker; ``then(change as saved)`` once it is on screen.

        On refusal the user is told why and the screen shows the plan as stored; for a real
        conflict with someone else's edit, ``conflict(reason)`` gives the user their edit back.
        """

        def save(session: PlanSession) -> Change:
            return session.apply(change)

        def done(made: Change | None) -> None:
            if then is not None and made is not None:
                then(made)

        self.write(Write(save, "Not saved", done, conflict))

    def write(self, job: Write) -> None:
        """Queue one write of the session (an edit, an undo, a redo): writes run one at a time,
        in order, in a worker thread, so a locked database never freezes the screen."""
        if self.session is None or self.refuses_writes():
            return
        whole = isinstance(self.screen_stack[0], PlanView) and self.view_screen().NEEDS_FINDINGS
        self.lane.append(partial(self._save, job, self.session, whole))
        self._lane_next()

    def run_in_lane(self, job: Callable[[], Message]) -> None:
        """Run ``job`` in a worker after the writes before it; it returns the message that
        brings its result to the screen (that message's handler calls ``lane_done``)."""
        self.lane.append(job)
        self._lane_next()

    def read_store(
        self,
        read: Callable[[Store], T],
        then: Callable[[T], None],
        title: str,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        """Read from the database in the lane, off the UI thread (a locked or unreachable
        database never freezes the screen): ``then(what was read)`` back on the UI thread, or
        a notice titled ``title`` saying why it could not be read (then ``otherwise()``)."""
        store = self.store
        if store is None:
            self.notify("The database is not open", title=title, severity="error")
            if otherwise is not None:
                otherwise()
            return

        def job() -> Message:
            try:
                return self.StoreRead(read(store), None, then, title, otherwise)
            except PlanError as error:  # a StoreError: the database refused or failed
                return self.StoreRead(None, str(error), then, title, otherwise)

        self.run_in_lane(job)

    @on(StoreRead)
    def _store_read(self, message: StoreRead) -> None:
        try:
            if message.problem is not None:
                self.notify(message.problem, title=message.title, severity="error", timeout=8)
                if message.otherwise is not None:
                    message.otherwise()
            else:
                message.then(message.result)
        finally:
            self.lane_done()

    def _lane_next(self) -> None:
        if self.lane_busy or not self.lane:
            return
        self.lane_busy = True
        self._run_job(self.lane.popleft())

    def lane_done(self) -> None:
        self.lane_busy = False
        self._lane_next()

    @work(thread=True, group="lane")
    def _run_job(self, job: Callable[[], Message]) -> None:
        self.post_message(job())

    def _save(self, job: Write, session: PlanSession, whole: bool = False) -> Message:
        """In the worker: run ``job`` and say how it went (a ChangeSaved or a WriteRefused).

        A saved change comes with what the screen shows at once (alignment, the numbers);
        with ``whole``, the findings too (the open view lists them)."""
        from alignment.store import StaleEditError, StoreError

        assert self.database is not None
        if (problem := self.database.problem()) is not None:
            return self.WriteRefused(job, session, problem, job.refused, "error", timeout=12)
        before = session.plan
        analysis: Analysis | None
        try:
            change = job.save(session)
        except StaleEditError as error:
            analysis = self._analysed(session)
            return self.WriteRefused(
                job, session, str(error), "Plan reloaded", "warning", analysis, conflict=True
            )
        except StoreError as error:
            analysis, gone = self._read_again(session)
            return self.WriteRefused(
                job, session, str(error), job.refused, "error", analysis, gone=gone
            )
        except PlanError as error:  # refused by the plan's rules, before any write
            analysis = self._analysed(session) if session.plan is not before else None
            return self.WriteRefused(job, session, str(error), job.refused, "error", analysis)
        if change is not None and session.plan is not before:
            # It caught up with another process's edits first: show the plan as it is now.
            analysis = self._analysed(session)
            return self.ChangeSaved(job, session, change, analysis=analysis, reloaded=True)
        if change is None:
            return self.ChangeSaved(job, session, None)
        # What the map and the detail show, from what the plan was: an edit that only adds
        # grows alignment from its links; numbers are computed again only when they can move.
        shown = self.analysis
        alignment = alignment_after(session.plan, shown.alignment, change)
        if keeps_numbers(change):
            metrics = shown.metrics
        else:
            metrics = metric_values(session.plan, self.today())
        if whole:
            analysis = Analysis.of(session.plan, alignment, self.today(), metrics)
            return self.ChangeSaved(job, session, change, analysis=analysis)
        return self.ChangeSaved(job, session, change, alignment=alignment, metrics=metrics)

    def _settle_heap(self) -> Message:
        settle_heap()
        return self.HeapSettled()

    @on(HeapSettled)
    def _heap_settled(self) -> None:
        self.lane_done()

    def _analysed(self, session: PlanSession) -> Analysis:
        with gc_paused():
            return Analysis.of(session.plan, as_of=self.today())

    def _read_again(self, session: PlanSession) -> tuple[Analysis | None, bool]:
        """In the worker, after the database refused a write: the plan as stored, or
        (None, True) when it has gone (deleted by another program)."""
        from alignment.store import StoreError

        assert self.store is not None
        try:
            with gc_paused():
                session.reload()
        except StoreError:
            try:
                if session.name not in self.store.plan_names():
                    return None, True
            except StoreError:
                pass  # the database cannot be read now; show what the session holds
        return self._analysed(session), False

    @on(ChangeSaved)
    def _change_saved(self, message: ChangeSaved) -> None:
        if message.session is self.session:
            if message.reloaded:
                self.plan_reloaded(message.analysis)
            elif message.change is not None:
                self.edited(message.change, message.alignment, message.metrics, message.analysis)
            if message.job.done is not None:
                message.job.done(message.change)
        self.lane_done()

    @on(WriteRefused)
    def _write_refused(self, message: WriteRefused) -> None:
        self.lane.clear()  # what was queued behind it was based on the same plan: not saved
        if message.session is not self.session:
            self.notify(message.reason, title=message.title, severity=message.severity)
        elif message.gone:
            self.notify(
                f"{message.reason}; open another plan", title="Plan closed", severity="error"
            )
            self.close_plan()
        else:
            self.notify(
                message.reason,
                title=message.title,
                severity=message.severity,
                timeout=message.timeout,
            )
            if message.analysis is not None:
                self.plan_reloaded(message.analysis)
            if message.conflict and message.job.conflict is not None:
                message.job.conflict(message.reason)
        self.lane_done()

    # -- other writers: the plan is read again when another process changed it ----------------

    def watch_others(self) -> None:
        """Every second, when nothing else is running, ask the database whether the open plan
        moved on (one tiny query, in a worker); if it did, read it again and show it."""
        if self._others_timer is None:
            self._others_timer = self.set_interval(OTHERS_INTERVAL, self._poll_others)

    def _poll_others(self) -> None:
        session = self.session
        if session is None or self.lane_busy or self.lane:
            return
        self.run_in_lane(partial(self._check_others, session))

    def _check_others(self, session: PlanSession) -> Message:
        from alignment.store import StoreError

        try:
            if session.revision_in_store() == session.revision:
                return self.OthersChecked(session, None)
            with gc_paused():
                session.reload()
        except StoreError:
            return self.OthersChecked(session, None)  # gone or unreadable: the next edit says
        return self.OthersChecked(session, self._analysed(session))

    @on(OthersChecked)
    def _others_checked(self, message: OthersChecked) -> None:
        if message.session is self.session and message.analysis is not None:
            self.plan_reloaded(message.analysis)
        self.lane_done()

    def close_plan(self) -> None:
        self.session = None
        self._analysis = None
        self.plan_token += 1
        self.sub_title = ""
        self.show_welcome()

    def edited(
        self,
        change: Change,
        alignment: Alignment | None = None,
        metrics: Metrics | None = None,
        analysis: Analysis | None = None,
    ) -> None:
        """Bring the screen up to date after ``change``, the cheap part first.

        The worker computed what the map and the detail show (``alignment``, ``metrics``),
        or all of it (``analysis``). Else
        the findings, coverage and statuses follow once the screen has been repainted: they
        are computed in the write lane (the status line catches up, keys stay live).
        """
        assert self.session is not None
        if analysis is not None:
            self.analysis = analysis
            self.findings_stale = False
        else:
            old = self.analysis  # its findings stay shown until the new ones come
            self.analysis = replace(
                old,
                alignment=alignment or old.alignment,
                metrics=old.metrics if metrics is None else metrics,
            )
            self.findings_stale = True
        self.sub_title = self.session.name  # follows a rename
        self.changes.append(change)
        if isinstance(self.screen_stack[0], PlanView):
            self.view_screen().sync()
        if self.findings_stale:
            self.call_after_refresh(self._analyse_in_lane)

    def _analyse_in_lane(self) -> None:
        if self.findings_stale and self.session is not None:
            self.run_in_lane(partial(self._analyse, self.session))

    def _analyse(self, session: PlanSession) -> Message:
        """In the worker: the findings of the plan as shown (skipped when an earlier job of
        the lane brought them already)."""
        key = self.version
        if session is not self.session or not self.findings_stale:
            return self.Analysed(session, key, None)
        alignment, metrics = self.analysis.alignment, self.analysis.metrics
        with gc_paused():
            analysis = Analysis.of(session.plan, alignment, self.today(), metrics)
        return self.Analysed(session, key, analysis)

    @on(Analysed)
    def _analysed_message(self, message: Analysed) -> None:
        fresh = message.key == self.version
        if message.analysis is not None and message.session is self.session and fresh:
            self.analysis = message.analysis
            self.findings_stale = False
            if isinstance(self.screen_stack[0], PlanView):
                self.view_screen().findings_updated()
            if len(self.changes) % SETTLE_EVERY == 0:
                self.call_after_refresh(self.run_in_lane, self._settle_heap)
        self.lane_done()

    def refresh_findings(self) -> None:
        """Findings now, on this thread, for a view that lists them and is about to be shown
        (it shows them as it syncs). When a job of the lane is running, the findings it is
        about to bring will do: the view gets them with ``findings_updated``."""
        if not self.findings_stale or self.session is None or self.lane_busy:
            return
        self.analysis = Analysis.of(
            self.session.plan, self.analysis.alignment, self.today(), self.analysis.metrics
        )
        self.findings_stale = False

    def plan_reloaded(self, analysis: Analysis | None = None) -> None:
        """Show the session's plan as read again, the cursor staying on its node."""
        assert self.session is not None
        if isinstance(self.screen_stack[0], PlanView):
            selected = self.view_screen().selected_node()
            if selected is not None and selected in self.session.plan:
                self.pending_reveal = selected
        self.show_session(
            self.session, analysis or Analysis.of(self.session.plan, as_of=self.today())
        )

    def reveal(self, node_id: str) -> None:
        """Show ``node_id`` on the map, whatever view is open."""
        self.pending_reveal = node_id
        if self.current_mode != "map":
            self.switch_mode("map")  # the map reveals it when it resumes
        else:
            self.view_screen().sync()
