"""When an edit reached the screen: marks the TUI benchmarks share.

An edit's round trip ends when the app's own refresh timer has repainted the screen with it,
not when a test harness forces a repaint (Pilot's ``pause()`` also waits for every thread to
go idle, which would count the findings computed in the write lane after the repaint).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from textual.screen import Screen

__all__ = ["ScreenMarks"]


class ScreenMarks:
    """Records, on a running app, when each edit was shown (``PlanApp.edited`` returned),
    when its findings arrived (an ``Analysed`` message was sent) and when each repaint of
    the screen was done. Use ``hook`` as the app's ``message_hook``."""

    def __init__(self, app: Any) -> None:
        from alignment.tui.state import PlanApp

        self.saved: list[float] = []  # each ChangeSaved message reached the app
        self.shown: list[float] = []  # the views had caught up with an edit
        self.analysed: list[float] = []  # each Analysed message (with findings) was sent
        self.painted: list[float] = []  # each frame was put on the terminal
        self.tops: list[type] = []  # the screen on top in each of those frames
        self._kinds = (PlanApp.ChangeSaved, PlanApp.Analysed)
        edited = app.edited

        def edited_and_marked(*args: Any, **kwargs: Any) -> None:
            edited(*args, **kwargs)
            self.shown.append(time.perf_counter())

        app.edited = edited_and_marked
        refresh = Screen._compositor_refresh
        painted = self.painted
        tops = self.tops

        def compositor_refresh(screen: Screen[Any]) -> None:
            # Only the top screen puts a frame on the terminal (a screen under a modal
            # passes its changes up to it, painted on its next refresh).
            top = screen is screen.app.screen
            refresh(screen)
            if top:
                painted.append(time.perf_counter())
                tops.append(type(screen))

        Screen._compositor_refresh = compositor_refresh  # type: ignore[method-assign]

    def hook(self, message: object) -> None:
        saved, analysed = self._kinds
        if isinstance(message, saved):
            self.saved.append(time.perf_counter())
        elif isinstance(message, analysed) and message.analysis is not None:
            self.analysed.append(time.perf_counter())

    async def painted_after(self, moment: float) -> float:
        """When the first repaint after ``moment`` was done."""
        while not self.painted or self.painted[-1] < moment:
            await asyncio.sleep(0.001)
        return next(at for at in self.painted if at >= moment)

    async def edit_shown(self, shown_before: int) -> float:
        """When the edit after the first ``shown_before`` ones was on screen (repainted)."""
        while len(self.shown) == shown_before:
            await asyncio.sleep(0.0005)
        return await self.painted_after(self.shown[-1])

    async def findings_shown(self, analysed_before: int) -> float:
        """When the findings after the first ``analysed_before`` ones were on screen."""
        while len(self.analysed) == analysed_before:
            await asyncio.sleep(0.0005)
        return await self.painted_after(self.analysed[-1])

    async def first_frame_of(self, screen_type: type, after: float) -> float:
        """When the first frame with a ``screen_type`` on top was put on the terminal."""
        while True:
            for at, top in zip(self.painted, self.tops, strict=True):
                if at >= after and issubclass(top, screen_type):
                    return at
            await asyncio.sleep(0.001)
