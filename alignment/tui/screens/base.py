"""PlanView: the base of the four views; each catches up with the plan when it is shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen

from alignment.core.changes import Change
from alignment.tui.widgets.status import PlanFooter, PlanStatus, TopBar

if TYPE_CHECKING:
    from alignment.tui.state import PlanApp

__all__ = ["PlanView", "PlanAppScreen"]


class PlanAppScreen(Screen[None]):
    """A screen of the alignment app, which sees the app's plan state typed."""

    @property
    def plan_app(self) -> PlanApp:
        return cast("PlanApp", self.app)


class PlanView(PlanAppScreen):
    """A view of the open plan. Subclasses compose ``body()`` and implement ``rebuild()``.

    ``sync()`` brings the view up to date: a full ``rebuild()`` for another plan, else
    ``catch_up(changes)`` with the edits made since it last looked (a rebuild by default).
    """

    MODE = ""

    def __init__(self) -> None:
        super().__init__()
        self._synced: tuple[int, int] = (-1, 0)

    def compose(self) -> ComposeResult:
        yield TopBar(id="top-bar")
        yield from self.body()
        yield PlanStatus(id="plan-status")
        yield PlanFooter()

    def body(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.sync()

    def on_screen_resume(self) -> None:
        self.sync()

    NEEDS_FINDINGS = False  # a view that lists findings cannot show them stale

    def sync(self) -> None:
        app = self.plan_app
        if app.session is None or not self.is_mounted:
            return
        if self.NEEDS_FINDINGS:
            app.refresh_findings()
        key = (app.plan_token, len(app.changes))
        if key != self._synced:
            name = f"{app.plan.name} · read-only" if app.read_only else app.plan.name
            self.query_one(TopBar).show(name, self.MODE)  # a rename shows at once
            if key[0] != self._synced[0]:
                self.rebuild()
            else:
                self.catch_up(app.changes[self._synced[1] :])
            self._synced = key
            self.show_status()
        self.after_sync()

    def show_status(self) -> None:
        analysis = self.plan_app.analysis
        nodes = len(self.plan_app.plan)
        findings = analysis.findings if analysis.checked else None
        self.query_one(PlanStatus).show(analysis.coverage, findings, nodes)

    def findings_updated(self) -> None:
        """Fresh findings and coverage arrived (just after an edit)."""
        self.show_status()

    def forecast_ready(self) -> None:
        """The forecast of the plan as shown arrived from the write lane (see PlanApp.expected)."""

    def rebuild(self) -> None:
        raise NotImplementedError

    def catch_up(self, changes: Sequence[Change]) -> None:
        self.rebuild()

    def after_sync(self) -> None:
        """Hook for work after every sync (the map reveals a requested node here)."""

    def selected_node(self) -> str | None:
        """The plan node the edit actions apply to."""
        return None
